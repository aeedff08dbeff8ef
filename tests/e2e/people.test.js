// The people directory and profiles in the browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { startApp, launch, newPage, loginAs, goto, checkA11y, noProblems, org } from './lib.js';

let srv, browser;
const shots = process.env.TRELLIS_SHOTS || '/tmp/trellis-shots';
before(async () => { srv = await startApp(); browser = await launch(); mkdirSync(shots, { recursive: true }); });
after(async () => { await browser?.close(); await srv?.stop(); });

test('search narrows the directory, escapes names, and shows an empty state', async () => {
  const page = await newPage(browser, srv.base);
  await loginAs(page, org.byKey.peer);
  await goto(page, '#/people');
  await page.getByRole('heading', { name: 'People' }).waitFor();
  await page.locator('.person-row').first().waitFor();
  assert.equal(await page.locator('.person-row').count(), 9);
  assert.ok(await page.getByText('<b>Sam</b> & "Sales"').isVisible(), 'HTML in names is shown as text');
  assert.equal(await page.locator('main b').count(), 0, 'and never interpreted');
  await checkA11y(page, assert, 'people');
  await page.screenshot({ path: `${shots}/people-1280.png`, fullPage: true });
  await page.getByLabel('Search').fill('engineer');
  await page.waitForFunction(() => document.querySelectorAll('.person-row').length === 5); // two software engineers, a VP, a manager, an associate
  await page.getByLabel('Search').fill('zzz-nobody');
  await page.getByText('No people match “zzz-nobody”').waitFor();
  await checkA11y(page, assert, 'people, empty');
  noProblems(page, assert);
});

test('opening a profile shows the manager chain, reports and role history to a manager', async () => {
  const page = await newPage(browser, srv.base);
  await loginAs(page, org.byKey.manager);
  await goto(page, '#/people');
  await page.getByLabel('Search').fill('Zoë');
  await page.getByRole('link', { name: /Zoë Ōtsuka/ }).click();
  await page.getByRole('heading', { name: 'Zoë Ōtsuka', level: 1 }).waitFor();
  const crumbs = await page.getByRole('navigation', { name: 'Manager chain' }).locator('li').allTextContents();
  assert.deepEqual(crumbs, ['Cora Chief', 'Eli Engdir', 'Mia Manager', 'Zoë Ōtsuka']);
  assert.ok(await page.getByRole('heading', { name: 'Direct reports (1)' }).isVisible());
  assert.ok(await page.getByRole('link', { name: /Rex Report/ }).isVisible());
  assert.ok(await page.getByText('Joined').isVisible(), 'the manager sees role history');
  assert.ok(await page.getByText('P3', { exact: true }).isVisible(), 'and the level');
  await checkA11y(page, assert, 'profile');
  await page.screenshot({ path: `${shots}/profile-1280.png`, fullPage: true });
  noProblems(page, assert);
});

test('a peer sees the profile without private fields; an unknown person is a friendly 404', async () => {
  const page = await newPage(browser, srv.base, { width: 375, height: 780 });
  await loginAs(page, org.byKey.peer);
  const id = (await (await srv.login(org.byKey.hr, 'correct horse battery')).get('/api/v1/people?q=self@')).json.items[0].id;
  await goto(page, `#/people/${id}`);
  await page.getByRole('heading', { name: 'Zoë Ōtsuka', level: 1 }).waitFor();
  assert.ok(await page.getByText('Role history is visible to this person, their managers and HR.').isVisible());
  assert.equal(await page.getByText('Level', { exact: true }).count(), 0);
  await page.screenshot({ path: `${shots}/profile-375.png`, fullPage: true });
  await checkA11y(page, assert, 'profile (mobile)');
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('link', { name: 'People' }).click();
  await page.getByRole('heading', { name: 'People' }).waitFor();
  await page.screenshot({ path: `${shots}/people-375.png`, fullPage: true });
  await goto(page, '#/people/999999');
  await page.getByText('Person not found').waitFor();
  noProblems(page, assert);
});
