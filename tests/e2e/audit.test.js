// The audit view in the browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, launch, newPage, loginAs, goto, checkA11y, noProblems, org } from './lib.js';

const shots = process.env.TRELLIS_SHOTS || mkdtempSync(join(tmpdir(), 'trellis-shots-'));

let srv, browser;
before(async () => { srv = await startApp(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.stop(); });

test('hr reads the audit log with the change it made', async () => {
  const hr = await srv.login(org.byKey.hr, 'correct horse battery');
  const id = (await hr.get('/api/v1/people?q=peer@')).json.items[0].id;
  assert.equal((await hr.patch(`/api/v1/people/${id}`, { title: 'Staff Engineer' })).status, 200);
  const page = await newPage(browser, srv.base);
  await loginAs(page, org.byKey.hr);
  await page.getByText('Company', { exact: true }).click();
  assert.ok(await page.getByRole('link', { name: 'Audit log' }).isVisible(), 'the Company menu holds the audit log');
  await goto(page, '#/audit');
  await page.getByRole('heading', { name: 'Audit log' }).waitFor();
  await page.getByRole('list', { name: 'Audit entries' }).waitFor();
  assert.ok(await page.getByText('person.update').first().isVisible());
  assert.ok(await page.getByText('Hana HR changed Pat Peer\'s title from “Software Engineer” to “Staff Engineer”.').first().isVisible());
  await checkA11y(page, assert, 'audit');
  noProblems(page, assert);
});

test('an employee gets a friendly not-available state and no nav link', async () => {
  const page = await newPage(browser, srv.base);
  await loginAs(page, org.byKey.self);
  assert.equal(await page.getByRole('link', { name: 'Audit log' }).count(), 0);
  await goto(page, '#/audit');
  await page.getByText('Not available to you').waitFor();
  await checkA11y(page, assert, 'audit (employee)');
  await goto(page, '#/development');
  await page.getByRole('heading', { name: 'My development' }).waitFor();
  noProblems(page, assert);
});

test('the log in words, filtered by person, actor, kind and date, at 1366 and 390 px', async () => {
  const hr = await srv.login(org.byKey.hr, 'correct horse battery');
  const admin = await srv.login(org.byKey.admin, 'correct horse battery');
  const ids = {};
  for (const p of (await hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  assert.equal((await hr.patch(`/api/v1/people/${ids[org.byKey.peer]}`, { manager_id: ids[org.byKey.skip] })).status, 200);
  assert.equal((await admin.patch(`/api/v1/accounts/${ids[org.byKey.report]}`, { role: 'hr' })).status, 200);
  for (const viewport of [{ width: 1366, height: 900 }, { width: 390, height: 844 }]) {
    const page = await newPage(browser, srv.base, viewport);
    await loginAs(page, org.byKey.admin);
    await goto(page, '#/audit');
    await page.getByRole('list', { name: 'Audit entries' }).waitFor();
    await page.getByText('Ada Admin changed Rex Report\'s role from Employee to HR.').waitFor();
    await page.getByText('Hana HR changed Pat Peer\'s manager from Mia Manager to Eli Engdir.').waitFor();

    // about one person: only their entries
    await page.getByLabel('About').fill('Pat Peer <peer@acme.example>');
    await page.locator('#audit-person-list option').first().waitFor({ state: 'attached' });
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForFunction(() => { const w = [...document.querySelectorAll('.audit-words')]; return w.length > 0 && !w.some((p) => p.textContent.includes('Rex Report')); });
    const words = await page.locator('.audit-words').allTextContents();
    assert.ok(words.length >= 1 && words.every((w) => w.includes('Pat Peer')), words.join(' | '));
    await checkA11y(page, assert, `audit filtered ${viewport.width}`);
    await page.screenshot({ path: `${shots}/audit-words-${viewport.width}.png`, fullPage: true });

    // by whom and of what kind
    await page.getByLabel('About').fill('');
    await page.getByLabel('Done by').fill('Ada Admin <admin@acme.example>');
    await page.locator('#audit-actor-list option').first().waitFor({ state: 'attached' });
    await page.getByLabel('Kind').selectOption({ label: 'Accounts and roles' });
    await page.waitForFunction(() => { const e = [...document.querySelectorAll('.audit-entry')]; return e.length > 0 && e.every((li) => li.dataset.action.startsWith('account.')); });
    assert.deepEqual([...new Set(await page.locator('.audit-words').allTextContents())], ['Ada Admin changed Rex Report\'s role from Employee to HR.']);

    // a date range with nothing in it
    await page.getByLabel('Kind').selectOption({ label: 'Everything' });
    await page.getByLabel('Done by').fill('');
    await page.getByLabel('From').fill('2020-01-01');
    await page.getByLabel('To').fill('2020-01-31');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByText('Nothing has been recorded for this filter.').waitFor();
    noProblems(page, assert);
  }
});
