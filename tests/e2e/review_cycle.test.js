// The whole 360 loop in the browser: the employee nominates a peer and the manager approves;
// the employee's self-review cites an accomplishment from the evidence; the peer answers; the
// manager reviews with a potential; HR calibrates on the 9-box with a justification and
// releases; the employee acknowledges with a comment. Then a promotion case is opened and decided.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, launch, newPage, loginAs, goto, checkA11y, noProblems, org, PASSWORD } from './lib.js';

let srv, browser;
before(async () => {
  srv = await startApp();
  browser = await launch();
  const hr = await srv.login(org.byKey.hr, PASSWORD);
  const t = async (name, kind, questions) => (await hr.post('/api/v1/review-templates', { name, kind, questions })).json.id;
  const self = await t('Self', 'self', [{ id: 'overall', type: 'rating', text: 'How was your year?' }, { id: 'wins', type: 'text', text: 'Your biggest wins' }]);
  const mgr = await t('Manager', 'manager', [{ id: 'overall', type: 'rating', text: 'Overall rating' }, { id: 'potential', type: 'rating', text: 'Potential', scale: 3 }, { id: 'summary', type: 'text', text: 'Summary' }]);
  const peer = await t('Peer', 'peer', [{ id: 'collab', type: 'rating', text: 'How well do you work together?' }, { id: 'keep', type: 'text', text: 'What should they keep doing?' }]);
  const c = await hr.post('/api/v1/review-cycles', { name: '2026 annual review', period_start: '2026-01-01', period_end: '2026-12-31', self_template_id: self, manager_template_id: mgr, peer_template_id: peer, peer_selection: 'nominated', min_peers: 1, peers_per_person: 2, threshold: 2 });
  assert.equal(c.status, 201, c.text);
  assert.equal((await hr.post(`/api/v1/review-cycles/${c.json.id}/launch`, {})).status, 200);
  const me = await srv.login(org.byKey.self, PASSWORD);
  const acc = await me.post('/api/v1/accomplishments', { happened_on: '2026-05-04', title: 'Cut checkout latency by 40%', impact: 'Conversion up 3%', shared_with_manager: true });
  assert.equal(acc.status, 201, acc.text);
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('nominate, review with evidence, calibrate on the 9-box, release, acknowledge', async () => {
  const me = await newPage(browser, srv.base);
  await loginAs(me, org.byKey.self);
  await goto(me, '#/reviews?tab=peers');
  const mine = me.locator('form', { hasText: 'Your peers' });
  await mine.getByLabel('Find coworkers').fill('Pat');
  await mine.getByRole('button', { name: 'Add Pat Peer' }).click();
  await mine.getByText('1 chosen (1–2)').waitFor();
  await checkA11y(me, assert, 'peer nomination');
  await mine.getByRole('button', { name: 'Propose to my manager' }).click();
  await me.locator('form', { hasText: 'Your peers' }).getByText('proposed').waitFor();

  const mgr = await newPage(browser, srv.base);
  await loginAs(mgr, org.byKey.manager);
  await goto(mgr, '#/reviews?tab=peers');
  const card = mgr.locator('form', { hasText: "Zoë Ōtsuka's peers" });
  await card.getByText('Pat Peer').waitFor();
  await card.getByRole('button', { name: 'Approve these peers' }).click();
  await mgr.locator('form', { hasText: "Zoë Ōtsuka's peers" }).getByText('approved').waitFor();

  // the self-review cites the accomplishment from the evidence beside the form
  await goto(me, '#/reviews');
  await me.getByRole('link', { name: 'Self-review: Zoë Ōtsuka' }).click();
  await me.getByText('How was your year?').waitFor();
  await me.getByLabel('4', { exact: true }).check();
  await me.getByRole('button', { name: 'Cite Cut checkout latency by 40%' }).click();
  assert.match(await me.getByLabel('Your biggest wins (required)').inputValue(), /Accomplishment: Cut checkout latency by 40% — Conversion up 3%/);
  await me.getByRole('button', { name: 'Submit' }).click();
  await me.getByText('Submitted and locked.').waitFor();

  const peer = await newPage(browser, srv.base);
  await loginAs(peer, org.byKey.peer);
  await goto(peer, '#/reviews');
  await peer.getByRole('link', { name: 'Peer feedback: Zoë Ōtsuka' }).click();
  await peer.getByLabel('5', { exact: true }).check();
  await peer.getByLabel('What should they keep doing? (required)').fill('Pairing on hard bugs');
  await peer.getByRole('button', { name: 'Submit' }).click();
  await peer.getByText('Submitted and locked.').waitFor();
  // a second peer response so the summary passes the cycle's threshold of 2
  const hrApi = await srv.login(org.byKey.hr, PASSWORD);
  const selfId = (await hrApi.get('/api/v1/people?q=Zo%C3%AB&limit=5')).json.items[0].id;
  const cycleId = (await hrApi.get('/api/v1/review-cycles')).json.items[0].id;
  const reportId = (await hrApi.get('/api/v1/people?q=Rex&limit=5')).json.items[0].id;
  const patId = (await hrApi.get('/api/v1/people?q=Pat&limit=5')).json.items[0].id;
  const mgrApi = await srv.login(org.byKey.manager, PASSWORD);
  assert.equal((await mgrApi.put(`/api/v1/review-cycles/${cycleId}/nominations/${selfId}`, { peer_ids: [patId, reportId] })).status, 200);
  const rex = await srv.login(org.byKey.report, PASSWORD);
  const rexReview = (await rex.get(`/api/v1/reviews?cycle=${cycleId}`)).json.items.find((r) => r.kind === 'peer');
  assert.equal((await rex.post(`/api/v1/reviews/${rexReview.id}/submit`, { answers: { collab: 4, keep: 'Explaining the why' } })).status, 200);

  await goto(mgr, '#/reviews?tab=write');
  await mgr.getByRole('link', { name: 'Manager review: Zoë Ōtsuka' }).click();
  // the evidence lists the accomplishment; beside it Zoë's submitted self-review cites it
  await mgr.getByRole('region', { name: /^Evidence from/ }).getByText('Cut checkout latency by 40%', { exact: true }).waitFor();
  await mgr.getByRole('region', { name: 'Self-review by Zoë Ōtsuka' }).getByText(/Accomplishment: Cut checkout latency by 40%/).waitFor();
  await mgr.locator('fieldset', { hasText: 'Overall rating' }).getByLabel('4', { exact: true }).check();
  await mgr.locator('fieldset', { hasText: 'Potential' }).getByLabel('3', { exact: true }).check();
  await mgr.getByLabel('Summary (required)').fill('Checkout latency work moved the business.');
  await mgr.getByRole('button', { name: 'Submit' }).click();
  await mgr.getByText('Submitted and locked.').waitFor();

  const hr = await newPage(browser, srv.base);
  await loginAs(hr, org.byKey.hr);
  await goto(hr, `#/reviews?tab=calibration&cycle=${cycleId}`);
  const grid = hr.locator('table.nine-box');
  await grid.getByText('Zoë Ōtsuka').waitFor();
  await checkA11y(hr, assert, 'calibration');
  await hr.getByLabel('Calibrated rating').fill('4.5');
  await hr.getByRole('button', { name: 'Save calibration' }).click();
  await hr.getByRole('alert').waitFor();
  assert.match(await hr.getByRole('alert').textContent(), /required|sentence/i);
  await hr.getByLabel('Justification').fill('Panel: impact on conversion is company-level.');
  await hr.getByRole('button', { name: 'Save calibration' }).click();
  await hr.locator('table.nine-box').waitFor();
  await goto(hr, '#/reviews?tab=cycles');
  await hr.getByRole('button', { name: 'Release outcomes' }).click();
  await hr.getByRole('dialog', { name: 'Release outcomes?' }).getByRole('button', { name: /^Release \d+ outcomes?$/ }).click();
  // the other people's manager reviews are unwritten: the guard asks for a reason
  const guard = hr.getByRole('dialog', { name: 'This cycle is not complete' });
  await guard.getByLabel(/Reason for releasing now/).fill('Only this team takes part in the test.');
  await guard.getByRole('button', { name: 'Release anyway' }).click();
  await hr.getByText('released', { exact: true }).waitFor();

  await goto(me, '#/reviews?tab=outcomes');
  await me.getByText('Checkout latency work moved the business.').waitFor();
  assert.ok(await me.getByText('Rating: 4.5').isVisible(), 'the calibrated rating is the one shown');
  assert.ok(await me.getByText('Pairing on hard bugs').isVisible(), 'peer comments, without names');
  assert.equal(await me.getByText('Pat Peer').count(), 0);
  await me.getByLabel('Your comments for your manager').fill('Thanks. I would like a path to staff engineer.');
  await me.getByRole('button', { name: 'Acknowledge' }).click();
  await me.getByRole('dialog').getByRole('button', { name: 'Acknowledge' }).click(); // it cannot be undone: confirmed
  await me.getByText(/Acknowledged .*path to staff engineer/).waitFor();

  // the manager opens a promotion case; HR approves it
  await goto(mgr, '#/reviews?tab=cases');
  await mgr.getByLabel('For').selectOption({ label: 'Zoë Ōtsuka' });
  await mgr.getByLabel('Proposed title (optional)').fill('Senior Software Engineer');
  await mgr.getByLabel('Why: the evidence in your words').fill('Rated 4.5 after calibration; checkout latency -40%.');
  await mgr.getByRole('button', { name: 'Open the case' }).click();
  await mgr.getByText('Promotion: Zoë Ōtsuka').waitFor();
  await goto(hr, '#/reviews?tab=cases');
  await hr.getByRole('button', { name: 'Approve' }).click();
  await hr.getByText('approved').waitFor();
  const person = (await hrApi.get(`/api/v1/people/${selfId}`)).json;
  assert.equal(person.title, 'Senior Software Engineer', 'the decided promotion changed the title');
  for (const p of [me, mgr, peer, hr]) noProblems(p, assert);
});
