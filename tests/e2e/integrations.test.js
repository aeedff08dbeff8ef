// An admin connects an identity provider (issue #13): Helena, the demo organisation's admin,
// opens Integrations from her Account page, copies the SCIM base URL, creates a SCIM token whose secret
// is shown once with a copy button, the token provisions a person through /scim/v2 and shows
// when it was last used, and revoking it asks first and stops it at once. A manager is not
// offered the form. At 1366 and 390 px with axe-core; screenshots go to TRELLIS_SHOTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, newPage, loginAs, checkA11y, noProblems, goto } from './lib.js';
import { startServer, freshDb, cli } from '../support/trellis.js';

const shots = process.env.TRELLIS_SHOTS || mkdtempSync(join(tmpdir(), 'trellis-shots-'));
const HELENA = 'helena.marsh@northwind.example';
const MARCUS = 'marcus.webb@northwind.example';
const DEMO_PASSWORD = 'trellis-demo';
let srv, browser;

before(async () => {
  const db = freshDb();
  const r = cli(['demo', '--db', db.url, '--key-file', db.key]);
  assert.equal(r.status, 0, r.stderr);
  srv = await startServer({ db });
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

/** A SCIM request from the page with only the token (no cookie): {status, json}. */
const scimFrom = (page, token, method, path, body) => page.evaluate(async ([t, m, p, b]) => {
  const res = await fetch('/scim/v2' + p, {
    method: m, credentials: 'omit',
    headers: { Authorization: `Bearer ${t}`, 'Content-Type': 'application/scim+json' },
    body: b ? JSON.stringify(b) : undefined,
  });
  return { status: res.status, json: await res.json().catch(() => null) };
}, [token, method, path, body]);

/** Integrations is reached from the admin's Account page (the gear in the top bar). */
async function openIntegrations(page) {
  await page.getByRole('link', { name: 'Account' }).click();
  await page.getByRole('heading', { name: 'Integrations', level: 2 }).waitFor();
  await page.getByRole('link', { name: 'Set up SCIM provisioning' }).click();
}

for (const [viewport, suffix] of [[{ width: 1366, height: 900 }, 'okta'], [{ width: 390, height: 844 }, 'entra']]) {
  test(`Helena connects an identity provider at ${viewport.width} px`, async () => {
    const page = await newPage(browser, srv.base, viewport);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await loginAs(page, HELENA, DEMO_PASSWORD);
    await openIntegrations(page);
    await page.getByRole('heading', { name: 'Integrations', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'SCIM provisioning' }).waitFor();

    // the base URL to paste into Okta or Entra
    const base = await page.getByRole('textbox', { name: 'SCIM base URL' }).inputValue();
    assert.equal(base, `${srv.base}/scim/v2`);
    await page.getByRole('button', { name: 'Copy SCIM base URL' }).click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), base);

    // an empty name is refused beside the field
    await page.getByRole('button', { name: 'Create SCIM token' }).click();
    await page.getByText('Name is needed').first().waitFor();

    const name = `Provisioning ${suffix}`;
    await page.getByLabel('Name').fill(name);
    await page.getByRole('button', { name: 'Create SCIM token' }).click();
    const box = page.getByRole('region', { name: `New SCIM token “${name}”` });
    await box.waitFor();
    assert.match(await box.textContent(), /Copy it now: it is shown only once\./);
    const token = await box.getByRole('textbox', { name: 'SCIM token' }).inputValue();
    assert.match(token, /^trscim_[A-Za-z0-9_-]{40,}$/);
    await box.getByRole('button', { name: 'Copy SCIM token' }).click();
    await box.getByText('Copied.').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), token);
    const row = page.getByRole('row', { name: new RegExp(name) });
    assert.equal((await row.getByRole('cell').allTextContents())[3], 'Never used');
    assert.equal((await row.getByRole('cell').allTextContents())[2], 'Helena Marsh');
    assert.ok(!(await page.locator('table').textContent()).includes(token), 'the list never shows the secret');
    await checkA11y(page, assert, `integrations created ${viewport.width}`);
    await page.screenshot({ path: `${shots}/integrations-created-${viewport.width}.png`, fullPage: true });

    // the identity provider provisions a person with it; an API route refuses it
    const email = `new.hire.${suffix}@northwind.example`;
    const made = await scimFrom(page, token, 'POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: email,
      name: { givenName: 'New', familyName: `Hire ${suffix}` }, emails: [{ primary: true, value: email, type: 'work' }], active: true,
    });
    assert.equal(made.status, 201);
    assert.equal(await page.evaluate(async (t) => (await fetch('/api/v1/me', { credentials: 'omit', headers: { Authorization: `Bearer ${t}` } })).status, token), 401);

    // shown once: after a reload only the name is left, with its last use
    await page.reload();
    await page.getByRole('row', { name: new RegExp(name) }).waitFor();
    assert.equal(await page.getByRole('region', { name: /New SCIM token/ }).count(), 0);
    assert.ok(!(await page.content()).includes(token));
    assert.notEqual((await page.getByRole('row', { name: new RegExp(name) }).getByRole('cell').allTextContents())[3], 'Never used');

    // the person is in the directory
    await goto(page, `#/people/${made.json.id}`);
    await page.getByRole('heading', { name: `New Hire ${suffix}` }).waitFor();

    // revoke: a confirmation first; cancelling keeps it
    await goto(page, '#/integrations');
    await page.getByRole('button', { name: `Revoke ${name}` }).click();
    let dlg = page.getByRole('dialog', { name: 'Revoke this SCIM token?' });
    assert.match(await dlg.textContent(), /will stop provisioning at once/);
    await page.screenshot({ path: `${shots}/integrations-revoke-confirm-${viewport.width}.png`, fullPage: true });
    await dlg.getByRole('button', { name: 'Cancel' }).click();
    assert.equal((await scimFrom(page, token, 'GET', '/ServiceProviderConfig')).status, 200);
    await page.getByRole('button', { name: `Revoke ${name}` }).click();
    dlg = page.getByRole('dialog', { name: 'Revoke this SCIM token?' });
    await dlg.getByRole('button', { name: 'Revoke token' }).click();
    await page.getByText(`“${name}” was revoked.`).waitFor();
    await page.getByRole('row', { name: new RegExp(name) }).getByText(/^Revoked /).waitFor();
    const refused = await scimFrom(page, token, 'GET', '/Users');
    assert.equal(refused.status, 401);
    assert.deepEqual(refused.json.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
    await checkA11y(page, assert, `integrations revoked ${viewport.width}`);
    await page.screenshot({ path: `${shots}/integrations-revoked-${viewport.width}.png`, fullPage: true });
    noProblems(page, assert);
    await page.context().close();
  });
}

test('a manager is not offered Integrations', async () => {
  const page = await newPage(browser, srv.base, { width: 1366, height: 900 });
  await loginAs(page, MARCUS, DEMO_PASSWORD);
  await page.getByRole('link', { name: 'Account' }).click();
  await page.getByRole('heading', { name: 'API tokens' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Set up SCIM provisioning' }).count(), 0);
  await goto(page, '#/integrations');
  await page.getByText('Only an admin can connect an identity provider.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Create SCIM token' }).count(), 0);
  await checkA11y(page, assert, 'integrations as a manager');
  noProblems(page, assert);
  await page.context().close();
});
