// Development in the browser: an employee drafts a plan from the gap suggestions, the manager
// signs it off, the employee completes a course action and it appears as learning on the
// career page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, launch, newPage, loginAs, goto, checkA11y, noProblems, org, PASSWORD } from './lib.js';

let srv, browser, selfId;
before(async () => {
  srv = await startApp();
  browser = await launch();
  const hr = await srv.login(org.byKey.hr, PASSWORD);
  for (const [name, category] of [['SQL', 'Data'], ['Go', 'Languages']]) assert.equal((await hr.post('/api/v1/skills', { name, category })).status, 201);
  const fw = await hr.put('/api/v1/career/framework', {
    competencies: [{ name: 'Delivery' }],
    tracks: [{ name: 'Engineering IC', levels: [
      { code: 'IC2', title: 'Engineer II', expectations: [{ competency: 'Delivery', rating: 3 }] },
      { code: 'IC3', title: 'Senior Engineer', expectations: [{ competency: 'Delivery', rating: 4 }], skills: [{ skill: 'SQL', rating: 4 }] },
    ] }],
  });
  assert.equal(fw.status, 200, fw.text);
  const levels = Object.fromEntries(fw.json.tracks[0].levels.map((l) => [l.code, l.id]));
  selfId = (await hr.get('/api/v1/people?q=Zo%C3%AB&limit=5')).json.items[0].id;
  assert.equal((await hr.put(`/api/v1/people/${selfId}/placement`, { level_id: levels.IC2 })).status, 200);
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('draft a plan from the gaps, sign it off, complete an action into learning', async () => {
  const me = await newPage(browser, srv.base);
  await loginAs(me, org.byKey.self);
  await goto(me, '#/development');
  await me.getByRole('heading', { name: 'My development' }).waitFor();
  await me.getByLabel('Short-term aspiration').fill('Own the search service');
  await me.getByLabel('Target level').selectOption({ label: 'Engineering IC: IC3 Senior Engineer' });
  await me.getByRole('button', { name: 'Start my plan' }).click();
  await me.getByRole('heading', { name: 'Suggested from your gaps' }).waitFor();
  await checkA11y(me, assert, 'development plan');
  await me.getByRole('button', { name: 'Add to plan: Grow SQL' }).click();
  await me.getByRole('button', { name: 'Complete: Grow SQL' }).waitFor();

  const mgr = await newPage(browser, srv.base);
  await loginAs(mgr, org.byKey.manager);
  await goto(mgr, `#/development?person=${selfId}`);
  await mgr.getByText('Not signed off yet.').waitFor();
  await mgr.getByLabel('Add a comment').fill('Good plan: pair with the data team.');
  await mgr.getByRole('button', { name: 'Comment' }).click();
  await mgr.getByText('Good plan: pair with the data team.').waitFor();
  await mgr.getByRole('button', { name: 'Sign off the plan' }).click();
  await mgr.getByText(/signed off/).first().waitFor();

  await me.reload();
  await me.getByText(/by Mia Manager on/).waitFor();
  await me.getByRole('button', { name: 'Complete: Grow SQL' }).click();
  await me.getByText('100% complete', { exact: false }).waitFor();
  await goto(me, '#/development?tab=career');
  await me.getByRole('heading', { name: 'Learning completed' }).waitFor();
  await me.getByText(/Grow SQL \(course,/).waitFor();
  // the over-time charts keep a sane size however few months they have
  for (const box of await me.locator('figure.chart-box svg').all()) {
    const { height } = await box.boundingBox();
    assert.ok(height > 40 && height < 260, `a chart ${Math.round(height)} px high`);
  }
  for (const label of await me.locator('figure.chart-box svg').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))) {
    assert.match(label, /: (no data|([A-Z][a-z]{2} \d\d \d+(, )?)+)$/, 'months in words, each with its value');
  }
  await checkA11y(me, assert, 'career progress');
  await goto(me, '#/development?tab=skills');
  await me.getByRole('heading', { name: /Gap to IC3/ }).waitFor();
  noProblems(me, assert);
  noProblems(mgr, assert);
});
