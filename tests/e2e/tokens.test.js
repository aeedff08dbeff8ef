// A person manages their API tokens in the browser (issue #10): the Account page from the user
// menu, a token created with a name and an expiry shows its secret once with a copy button and a
// warning, the secret reads /api/v1/me, revoking asks first, and afterwards the same request is
// refused. At 1366 and 390 px with axe-core; screenshots go to TRELLIS_SHOTS (a temporary
// directory by default).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, launch, newPage, loginAs, checkA11y, noProblems, org } from './lib.js';

const shots = process.env.TRELLIS_SHOTS || mkdtempSync(join(tmpdir(), 'trellis-shots-'));
let srv, browser;

before(async () => {
  srv = await startApp();
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

/** GET /api/v1/me from the page with only the token (no cookie): the HTTP status. */
const readMe = (page, token) => page.evaluate(async (t) => (await fetch('/api/v1/me', { credentials: 'omit', headers: { Authorization: `Bearer ${t}` } })).status, token);

for (const [viewport, who] of [[{ width: 1366, height: 900 }, 'self'], [{ width: 390, height: 844 }, 'peer']]) {
  test(`create a token, see its secret once, use it, revoke it at ${viewport.width} px`, async () => {
    const page = await newPage(browser, srv.base, viewport);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await loginAs(page, org.byKey[who]);
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    await page.getByText('You have no API tokens.').waitFor();

    // an empty name is refused beside the field
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByText('Name is needed').first().waitFor();

    await page.getByLabel('Name').fill('Weekly report script');
    await page.getByLabel('Expires').selectOption({ label: 'In 30 days' });
    await page.getByRole('button', { name: 'Create token' }).click();
    const box = page.getByRole('region', { name: 'New token “Weekly report script”' });
    await box.waitFor();
    assert.match(await box.textContent(), /Copy it now: it is shown only once\./);
    const token = await box.getByLabel('Token').inputValue();
    assert.match(token, /^trl_[A-Za-z0-9_-]{40,}$/);
    await box.getByRole('button', { name: 'Copy' }).click();
    await box.getByText('Copied.').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), token, 'the copy button puts the secret on the clipboard');

    const row = page.getByRole('row', { name: /Weekly report script/ });
    await row.waitFor();
    const cells = await row.getByRole('cell').allTextContents();
    assert.equal(cells[3], 'Never used');
    assert.notEqual(cells[2], 'Never', 'it expires');
    assert.ok(!(await page.locator('table').textContent()).includes(token), 'the list never shows the secret');
    await checkA11y(page, assert, `account tokens ${viewport.width}`);
    await page.screenshot({ path: `${shots}/tokens-created-${viewport.width}.png`, fullPage: true });

    // the secret works for a script
    assert.equal(await readMe(page, token), 200);

    // shown once: after a reload only the name is left
    await page.reload();
    await page.getByRole('row', { name: /Weekly report script/ }).waitFor();
    assert.equal(await page.getByRole('region', { name: /New token/ }).count(), 0);
    assert.ok(!(await page.content()).includes(token), 'the secret is gone from the page');
    assert.notEqual((await page.getByRole('row', { name: /Weekly report script/ }).getByRole('cell').allTextContents())[3], 'Never used', 'last used is shown');

    // revoke: a confirmation first; cancelling keeps it
    await page.getByRole('button', { name: 'Revoke Weekly report script' }).click();
    let dlg = page.getByRole('dialog', { name: 'Revoke this token?' });
    assert.match(await dlg.textContent(), /Scripts using “Weekly report script” will stop working at once/);
    await page.screenshot({ path: `${shots}/tokens-revoke-confirm-${viewport.width}.png`, fullPage: true });
    await dlg.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await readMe(page, token), 200, 'cancelled: still works');
    await page.getByRole('button', { name: 'Revoke Weekly report script' }).click();
    dlg = page.getByRole('dialog', { name: 'Revoke this token?' });
    await dlg.getByRole('button', { name: 'Revoke token' }).click();
    await page.getByText('“Weekly report script” was revoked.').waitFor();
    await page.getByRole('row', { name: /Weekly report script/ }).getByText(/^Revoked /).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Revoke Weekly report script' }).count(), 0);
    assert.equal(await readMe(page, token), 401, 'a revoked token is refused');
    await checkA11y(page, assert, `account revoked ${viewport.width}`);
    await page.screenshot({ path: `${shots}/tokens-revoked-${viewport.width}.png`, fullPage: true });
    noProblems(page, assert);
    await page.context().close();
  });
}
