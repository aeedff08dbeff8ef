// The audit view in the browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, launch, newPage, loginAs, goto, checkA11y, noProblems, org } from './lib.js';

let srv, browser;
before(async () => { srv = await startApp(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.stop(); });

test('hr reads the audit log with the change it made', async () => {
  const hr = await srv.login(org.byKey.hr, 'correct horse battery');
  const id = (await hr.get('/api/v1/people?q=peer@')).json.items[0].id;
  assert.equal((await hr.patch(`/api/v1/people/${id}`, { title: 'Staff Engineer' })).status, 200);
  const page = await newPage(browser, srv.base);
  await loginAs(page, org.byKey.hr);
  assert.ok(await page.getByRole('link', { name: 'Audit log' }).isVisible());
  await goto(page, '#/audit');
  await page.getByRole('heading', { name: 'Audit log' }).waitFor();
  await page.getByRole('table').waitFor();
  assert.ok(await page.getByText('person.update').first().isVisible());
  assert.ok(await page.getByText('Staff Engineer').first().isVisible());
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
