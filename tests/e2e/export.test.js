// The data-subject export in the browser (issue #10): a person downloads everything stored about
// them from the Account page, HR downloads a person's data from their profile, and nobody else
// is offered the button. The downloaded file is read back. At 1366 and 390 px with axe-core;
// screenshots go to TRELLIS_SHOTS (a temporary directory by default).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, launch, newPage, loginAs, checkA11y, org } from './lib.js';

const shots = process.env.TRELLIS_SHOTS || mkdtempSync(join(tmpdir(), 'trellis-shots-'));
let srv, browser;

before(async () => {
  srv = await startApp();
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

const download = async (page, name) => {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), doc: JSON.parse(readFileSync(path, 'utf8')) };
};

for (const viewport of [{ width: 1366, height: 900 }, { width: 390, height: 844 }]) {
  test(`download my data from Account; HR downloads a person's at ${viewport.width} px`, async () => {
    const page = await newPage(browser, srv.base, viewport);
    await loginAs(page, org.byKey.self);
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { name: 'Your data' }).waitFor();
    await checkA11y(page, assert, `account data ${viewport.width}`);
    await page.screenshot({ path: `${shots}/export-account-${viewport.width}.png`, fullPage: true });
    const mine = await download(page, 'Download my data');
    assert.match(mine.name, /^trellis-person-\d+\.json$/);
    assert.equal(mine.doc.person.email, org.byKey.self, 'the file is about me');
    for (const k of ['goals', 'accomplishments', 'feedback_received', 'feedback_given', 'reviews_written', 'one_on_ones', 'notifications', 'audit_about']) assert.ok(Array.isArray(mine.doc[k]), k);

    // an employee on a coworker's profile is offered no download
    await page.goto(`${srv.base}/#/people/${mine.doc.exported_for + 1}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Give praise or feedback' }).waitFor();
    assert.equal(await page.getByRole('link', { name: /Download .*data/ }).count(), 0);
    await page.close();

    const hr = await newPage(browser, srv.base, viewport);
    await loginAs(hr, org.byKey.hr);
    await hr.goto(`${srv.base}/#/people/${mine.doc.exported_for}`);
    const link = hr.getByRole('link', { name: /Download Zoë's data/ });
    await link.waitFor();
    await checkA11y(hr, assert, `profile export ${viewport.width}`);
    await hr.screenshot({ path: `${shots}/export-profile-${viewport.width}.png`, fullPage: true });
    const theirs = await download(hr, /Download Zoë's data/);
    assert.equal(theirs.doc.person.email, org.byKey.self);
    await hr.close();
  });
}
