// Notification preferences and changing one's password on the Account page (issue #11), and a
// workflow event reaching the person through the bell: Zoë (an employee) at 1366 px and Mia (a
// manager) at 390 px choose email for feedback and the daily digest, see the choice after a
// reload, are told in the app when a colleague gives them praise, and change their password
// (a wrong current password and a mistyped repeat are explained beside the field; afterwards
// the new password signs in). axe-core at both widths; screenshots go to TRELLIS_SHOTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, launch, newPage, loginAs, checkA11y, noProblems, org, PASSWORD } from './lib.js';

const shots = process.env.TRELLIS_SHOTS || mkdtempSync(join(tmpdir(), 'trellis-shots-'));
let srv, browser;
const ids = {};

before(async () => {
  srv = await startApp();
  browser = await launch();
  const hr = await srv.login(org.byKey.hr, PASSWORD);
  for (const p of (await hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
});
after(async () => { await browser?.close(); await srv?.stop(); });

for (const [viewport, who, name] of [[{ width: 1366, height: 900 }, 'self', 'Zoë Ōtsuka'], [{ width: 390, height: 844 }, 'manager', 'Mia Manager']]) {
  test(`${name} chooses how to be notified, and is told of praise, at ${viewport.width} px`, async () => {
    const page = await newPage(browser, srv.base, viewport);
    await loginAs(page, org.byKey[who]);
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { name: 'Notifications', level: 2 }).waitFor();
    const feedback = page.getByLabel('You received feedback');
    assert.equal(await feedback.inputValue(), 'app', 'in the app by default');
    assert.equal(await page.getByLabel('A review is assigned to you').inputValue(), 'email', 'important kinds by email by default');
    await feedback.selectOption({ label: 'App and email' });
    await page.getByLabel('Interest in an opportunity').selectOption({ label: 'Off' });
    await page.getByLabel(/one daily digest/).check();
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('Notification preferences saved.').waitFor();
    await checkA11y(page, assert, `account notifications ${viewport.width}`);
    await page.screenshot({ path: `${shots}/account-notifications-${viewport.width}.png`, fullPage: true });

    await page.reload();
    await page.getByRole('heading', { name: 'Notifications', level: 2 }).waitFor();
    assert.equal(await page.getByLabel('You received feedback').inputValue(), 'email', 'saved after a reload');
    assert.equal(await page.getByLabel('Interest in an opportunity').inputValue(), 'off');
    assert.equal(await page.getByLabel(/one daily digest/).isChecked(), true);
    assert.equal(await page.getByLabel('A review is assigned to you').inputValue(), 'email', 'untouched');

    // a colleague gives praise: the bell counts it and the list links to the feedback
    const peer = await srv.login(org.byKey.peer, PASSWORD);
    assert.equal((await peer.post('/api/v1/feedback', { recipient_id: ids[org.byKey[who]], kind: 'praise', visibility: 'public', body: 'Thanks for unblocking the release.' })).status, 201);
    await page.reload();
    await page.getByRole('link', { name: /Notifications/ }).first().click();
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    const item = page.getByRole('link', { name: 'Pat Peer gave you praise.' });
    await item.waitFor();
    await checkA11y(page, assert, `notifications ${viewport.width}`);
    await page.screenshot({ path: `${shots}/notifications-praise-${viewport.width}.png`, fullPage: true });
    await item.click();
    await page.getByText('Thanks for unblocking the release.').first().waitFor();
    noProblems(page, assert);
    await page.context().close();
  });

  test(`${name} changes their password at ${viewport.width} px`, async () => {
    const page = await newPage(browser, srv.base, viewport);
    await loginAs(page, org.byKey[who]);
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { name: 'Password', level: 2 }).waitFor();
    const next = `brand new ${who} passphrase`;
    await page.getByLabel('Current password').fill('not my password at all');
    await page.getByLabel('New password', { exact: true }).fill(next);
    await page.getByLabel('New password again').fill(next + 'x');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('The repeated password does not match the new password').waitFor();
    await page.getByLabel('New password again').fill(next);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Current password is not correct').waitFor();
    await checkA11y(page, assert, `password errors ${viewport.width}`);
    await page.screenshot({ path: `${shots}/account-password-error-${viewport.width}.png`, fullPage: true });
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText(/Your password was changed/).waitFor();
    await page.screenshot({ path: `${shots}/account-password-done-${viewport.width}.png`, fullPage: true });
    await page.getByRole('link', { name: 'Sign in again' }).click();
    await loginAs(page, org.byKey[who], next);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    // the old password no longer works
    const old = await fetch(`${srv.base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: org.byKey[who], password: PASSWORD }) });
    assert.equal(old.status, 401);
    noProblems(page, assert);
    await page.context().close();
  });
}
