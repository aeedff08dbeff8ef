// Goals and the journal in the browser: create a goal with two key results, check in and see
// the progress bar and chart move; share an accomplishment that the manager sees and a peer
// does not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, launch, newPage, loginAs, goto, checkA11y, noProblems, org } from './lib.js';

let srv, browser;
before(async () => { srv = await startApp(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.stop(); });

test('create a goal with two key results, check in, watch progress and the chart change', async () => {
  const page = await newPage(browser, srv.base);
  await loginAs(page, org.byKey.self);
  await goto(page, '#/goals');
  await page.getByText('No goals yet').waitFor();
  await checkA11y(page, assert, 'goals (empty)');
  await page.getByRole('button', { name: 'New goal' }).click();
  await page.locator('#goal-title').fill('Cut page load time');
  await page.locator('#kr-title-0').fill('Pages under 1 s');
  await page.locator('#kr-target-0').fill('20');
  await page.getByRole('button', { name: 'Add key result' }).click();
  await page.locator('#kr-title-1').fill('Perf dashboard');
  await page.locator('#kr-target-1').fill('1');
  await checkA11y(page, assert, 'new goal form');
  await page.getByRole('button', { name: 'Create goal' }).click();
  await page.getByRole('heading', { name: 'Cut page load time', level: 1 }).waitFor();
  const overall = page.getByRole('progressbar', { name: 'Goal progress' });
  assert.equal(await overall.getAttribute('aria-valuenow'), '0');
  assert.ok(await page.getByText('No check-ins yet.').isVisible());
  await page.getByLabel('Key result').selectOption({ label: 'Pages under 1 s (now 0)' });
  await page.getByLabel('New value').fill('10');
  await page.getByLabel('Comment').fill('Half the pages done');
  await page.getByRole('button', { name: 'Save check-in' }).click();
  await page.waitForFunction(() => document.querySelector('[aria-label="Goal progress"]')?.getAttribute('aria-valuenow') === '25');
  assert.equal(await page.getByRole('progressbar', { name: 'Progress of Pages under 1 s' }).getAttribute('aria-valuenow'), '50');
  await page.getByRole('img', { name: /Progress of Cut page load time over time/ }).waitFor();
  assert.equal(await page.locator('.chart-dot').count(), 1);
  await page.getByLabel('Key result').selectOption({ label: 'Perf dashboard (now 0)' });
  await page.getByLabel('New value').fill('1');
  await page.getByLabel('Status').selectOption('at_risk');
  await page.getByRole('button', { name: 'Save check-in' }).click();
  await page.waitForFunction(() => document.querySelectorAll('.chart-dot').length === 2);
  assert.equal(await overall.getAttribute('aria-valuenow'), '75');
  assert.ok(await page.getByText('At risk').first().isVisible());
  await checkA11y(page, assert, 'goal detail');
  await goto(page, '#/goals');
  await page.getByRole('link', { name: 'Cut page load time' }).waitFor();
  noProblems(page, assert);
});

test('an accomplishment shared with the manager: the manager sees it, a peer does not', async () => {
  const page = await newPage(browser, srv.base);
  await loginAs(page, org.byKey.self);
  await goto(page, '#/journal');
  await page.getByText('Your journal is empty').waitFor();
  await page.getByLabel('What happened').fill('Fixed the flaky deploy pipeline');
  await page.getByLabel('Impact').fill('Deploys green 30 days in a row');
  await page.getByLabel('Tags (comma separated)').fill('reliability, teamwork');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { name: 'Fixed the flaky deploy pipeline' }).waitFor();
  await page.getByLabel('What happened').fill('A private note to self');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { name: 'A private note to self' }).waitFor();
  await checkA11y(page, assert, 'journal');
  const shareBoxes = page.getByLabel('Share with my manager');
  // the form's own checkbox is first; entries are listed newest first
  await shareBoxes.nth(2).check();
  await page.waitForTimeout(300);
  noProblems(page, assert);

  const hr = await srv.login(org.byKey.hr, 'correct horse battery');
  const selfId = (await hr.get('/api/v1/people?q=self@')).json.items[0].id;
  const mgr = await newPage(browser, srv.base);
  await loginAs(mgr, org.byKey.manager);
  await goto(mgr, `#/journal?person=${selfId}`);
  await mgr.getByRole('heading', { name: 'Fixed the flaky deploy pipeline' }).waitFor();
  assert.equal(await mgr.getByText('A private note to self').count(), 0);
  await checkA11y(mgr, assert, 'journal (manager)');
  const peer = await newPage(browser, srv.base);
  await loginAs(peer, org.byKey.peer);
  await goto(peer, `#/journal?person=${selfId}`);
  await peer.getByRole('alert').or(peer.getByText('Something went wrong')).first().waitFor();
  assert.equal(await peer.getByText('Fixed the flaky deploy pipeline').count(), 0);
});
