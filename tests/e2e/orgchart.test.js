// The org chart in the browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, launch, newPage, loginAs, goto, checkA11y, noProblems, org } from './lib.js';

let srv, browser;
before(async () => { srv = await startApp(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.stop(); });

test('the chart opens at the top and expands a manager with the keyboard', async () => {
  const page = await newPage(browser, srv.base);
  await loginAs(page, org.byKey.self);
  await goto(page, '#/org');
  await page.getByRole('heading', { name: 'Org chart' }).waitFor();
  const tree = page.getByRole('tree', { name: 'Organisation' });
  await tree.getByRole('link', { name: 'Eli Engdir' }).waitFor();
  const toggle = page.getByRole('button', { name: 'Show 1 reports of Eli Engdir' });
  await toggle.focus();
  await page.keyboard.press('Enter');
  await tree.getByRole('link', { name: 'Mia Manager' }).waitFor();
  await page.getByRole('button', { name: 'Show 2 reports of Mia Manager' }).click();
  await tree.getByRole('link', { name: 'Pat Peer' }).waitFor();
  assert.equal(await page.locator('[aria-expanded="true"]').count(), 3);
  await checkA11y(page, assert, 'org chart');
  await page.getByRole('button', { name: 'Hide reports of Mia Manager' }).click();
  assert.equal(await tree.getByRole('link', { name: 'Pat Peer' }).isVisible(), false);
  noProblems(page, assert);
});
