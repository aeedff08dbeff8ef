// A running review cycle: upward reviews (anonymous like peers), peer nomination by the
// employee with the manager's approval, phase deadlines, people joining and leaving, the
// potential axis and the 9-box grid, and reopening a released outcome with its history.
// SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, expectError, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
let srv;
const as = {};
const ids = {};
const tpl = {};
// these tests release cycles whose other reviews are unwritten: the release guard is overridden
const RELEASE_ALL = { override: true, reason: 'test: release what is written' };
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

before(async () => {
  srv = await startServer({ people: org.csv, users: org.users });
  for (const [k, email] of Object.entries(org.byKey)) as[k] = await srv.login(email, PASSWORD);
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
  const mk = async (name, kind, questions) => {
    const r = await as.hr.post('/api/v1/review-templates', { name, kind, questions });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  tpl.self = await mk('Self', 'self', [{ id: 'overall', type: 'rating', text: 'Your year' }]);
  tpl.manager = await mk('Manager', 'manager', [{ id: 'overall', type: 'rating', text: 'Overall' }, { id: 'potential', type: 'rating', text: 'Potential', scale: 3 }, { id: 'summary', type: 'text', text: 'Summary' }]);
  tpl.peer = await mk('Peer', 'peer', [{ id: 'collab', type: 'rating', text: 'Collaboration' }]);
  tpl.upward = await mk('Upward', 'upward', [{ id: 'support', type: 'rating', text: 'Does your manager support your growth?' }, { id: 'comment', type: 'text', text: 'What should they keep doing?', required: false }]);
});
after(async () => { await srv?.stop(); });

const cycle = async (extra = {}) => {
  const r = await as.hr.post('/api/v1/review-cycles', { name: 'Cycle', period_start: '2026-01-01', period_end: '2026-12-31', self_template_id: tpl.self, manager_template_id: tpl.manager, ...extra });
  assert.equal(r.status, 201, r.text);
  return r.json;
};
const launch = async (c) => {
  const r = await as.hr.post(`/api/v1/review-cycles/${c.id}/launch`, {});
  assert.equal(r.status, 200, r.text);
  return r.json;
};
const mine = async (who, cycleId) => (await as[who].get(`/api/v1/reviews?cycle=${cycleId}`)).json.items;
const outcomeOf = async (cycleId, person) => (await as.hr.get(`/api/v1/review-outcomes?cycle=${cycleId}&person=${person}`)).json.items[0];

test('upward reviews are assigned to reports and reach their manager only as an anonymous aggregate', async () => {
  const c = await launch(await cycle({ upward_template_id: tpl.upward, threshold: 3 }));
  assert.equal(c.cycle.upward_template_id, tpl.upward);
  // the CEO has four reports in the fixture: skip, other, hr, admin
  const writers = ['skip', 'other', 'hr', 'admin'];
  const reviews = [];
  for (const w of writers) {
    const r = (await mine(w, c.cycle.id)).find((x) => x.kind === 'upward');
    assert.ok(r, `${w} writes an upward review`);
    assert.equal(r.reviewee.id, ids.ceo);
    reviews.push([w, r]);
  }
  expectError(assert, await as.ceo.get(`/api/v1/reviews/${reviews[0][1].id}`), 404, 'not_found');
  const comments = ['Clear priorities', 'Makes time for me'];
  for (let i = 0; i < 2; i++) {
    const r = await as[reviews[i][0]].post(`/api/v1/reviews/${reviews[i][1].id}/submit`, { answers: { support: 4 + (i % 2), comment: comments[i] } });
    assert.equal(r.status, 200, r.text);
  }
  const o = await outcomeOf(c.cycle.id, ids.ceo);
  assert.equal(o.upward_summary.responses, 2);
  assert.equal(o.upward_summary.below_threshold, true);
  await as.hr.post(`/api/v1/review-cycles/${c.cycle.id}/release`, RELEASE_ALL);
  let mineOut = (await as.ceo.get(`/api/v1/review-outcomes/${o.id}`)).json;
  assert.equal(mineOut.upward_summary.below_threshold, true);
  assert.deepEqual(mineOut.upward_summary.questions, [], 'two answers show nothing');
  assert.ok(!('respondents' in mineOut.upward_summary));
  assert.ok(!JSON.stringify(mineOut).includes('Clear priorities'));
  assert.ok(!('potential' in mineOut), 'the potential axis is not shown to the person');

  // a second cycle where three answer
  const c2 = await launch(await cycle({ upward_template_id: tpl.upward, threshold: 3, name: 'Cycle B' }));
  for (const [i, w] of ['skip', 'other', 'hr'].entries()) {
    const r = (await mine(w, c2.cycle.id)).find((x) => x.kind === 'upward');
    assert.equal((await as[w].post(`/api/v1/reviews/${r.id}/submit`, { answers: { support: 3 + i, comment: `note ${w}` } })).status, 200);
  }
  await as.hr.post(`/api/v1/review-cycles/${c2.cycle.id}/release`, RELEASE_ALL);
  const o2 = await outcomeOf(c2.cycle.id, ids.ceo);
  mineOut = (await as.ceo.get(`/api/v1/review-outcomes/${o2.id}`)).json;
  assert.equal(mineOut.upward_summary.responses, 3);
  assert.equal(mineOut.upward_summary.questions[0].average, 4);
  assert.deepEqual([...mineOut.upward_summary.questions[1].comments].sort(), ['note hr', 'note other', 'note skip']);
  const text = JSON.stringify(mineOut);
  for (const w of ['skip', 'other', 'hr']) assert.ok(!text.includes(String(org.byKey[w])) && !text.includes(`"id":${ids[w]},`), `nothing names ${w}`);
  assert.equal(o2.upward_summary.respondents.length, 3, 'HR sees who answered');
});

test('peer nomination: the employee proposes, the manager approves or edits, limits hold', async () => {
  const c = (await launch(await cycle({ peer_template_id: tpl.peer, peer_selection: 'nominated', min_peers: 1, peers_per_person: 2, max_requests_per_peer: 1, deadlines: { nomination: day(7) } }))).cycle;
  assert.equal(c.phase, 'nomination');
  assert.equal((await mine('peer', c.id)).filter((r) => r.kind === 'peer').length, 0, 'no peers before nomination');
  const url = (who) => `/api/v1/review-cycles/${c.id}/nominations/${ids[who]}`;

  let r = await as.self.put(url('self'), { peer_ids: [ids.self] });
  expectError(assert, r, 422, 'validation_failed');
  assert.ok('peer_ids[0]' in r.json.error.fields);
  r = await as.self.put(url('self'), { peer_ids: [999999] });
  expectError(assert, r, 422, 'validation_failed');
  expectError(assert, await as.self.put(url('self'), { peer_ids: [] }), 422, 'validation_failed');
  expectError(assert, await as.self.put(url('self'), { peer_ids: [ids.peer, ids.report, ids.other] }), 422, 'validation_failed');
  expectError(assert, await as.self.put(url('self'), { peer_ids: 'everyone' }), 422, 'validation_failed');
  expectError(assert, await as.self.put(url('peer'), { peer_ids: [ids.report] }), 404, 'not_found');
  expectError(assert, await as.other.get(url('self')), 404, 'not_found');

  r = await as.self.put(url('self'), { peer_ids: [ids.peer] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'proposed');
  assert.equal((await mine('peer', c.id)).filter((x) => x.kind === 'peer').length, 0, 'a proposal assigns nothing');
  assert.equal((await as.manager.get(url('self'))).json.peers[0].id, ids.peer);
  expectError(assert, await as.other.put(url('self'), { peer_ids: [ids.peer] }), 404, 'not_found');

  // the manager edits the set: Pat and Rex
  r = await as.manager.put(url('self'), { peer_ids: [ids.peer, ids.report] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'approved');
  assert.ok((await mine('peer', c.id)).some((x) => x.kind === 'peer' && x.reviewee.id === ids.self));
  assert.ok((await mine('report', c.id)).some((x) => x.kind === 'peer' && x.reviewee.id === ids.self));
  // Rex is now asked once: the limit is one request per peer
  await as.peer.put(url('peer'), { peer_ids: [ids.report] });
  r = await as.manager.put(url('peer'), { peer_ids: [ids.report] });
  expectError(assert, r, 422, 'validation_failed');
  assert.match(r.json.error.fields['peer_ids[0]'], /already asked/);
  // taking Rex off Zoë's list cancels his unsubmitted review
  assert.equal((await as.manager.put(url('self'), { peer_ids: [ids.peer] })).status, 200);
  assert.ok(!(await mine('report', c.id)).some((x) => x.kind === 'peer'));
  assert.equal((await as.manager.put(url('peer'), { peer_ids: [ids.report] })).status, 200);

  const auto = (await launch(await cycle({ peer_template_id: tpl.peer }))).cycle;
  expectError(assert, await as.self.put(`/api/v1/review-cycles/${auto.id}/nominations/${ids.self}`, { peer_ids: [ids.peer] }), 409, 'conflict');
});

test('deadlines: acting after one is refused until HR moves it; deadlines keep their order', async () => {
  const bad = await as.hr.post('/api/v1/review-cycles', { name: 'x', period_start: '2026-01-01', period_end: '2026-12-31', self_template_id: tpl.self, deadlines: { self: '2026-03-01', manager: '2026-02-01' } });
  expectError(assert, bad, 422, 'validation_failed');
  assert.ok('deadlines.manager' in bad.json.error.fields);
  expectError(assert, await as.hr.post('/api/v1/review-cycles', { name: 'x', period_start: '2026-01-01', period_end: '2026-12-31', self_template_id: tpl.self, deadlines: { self: 'soon' } }), 422, 'validation_failed');

  const c = (await launch(await cycle({ deadlines: { self: day(-1), manager: day(10), calibration: day(-1 + 12) } }))).cycle;
  assert.equal(c.phase, 'manager_review');
  const selfReview = (await mine('self', c.id)).find((x) => x.kind === 'self');
  const late = await as.self.patch(`/api/v1/reviews/${selfReview.id}`, { answers: { overall: 3 } });
  expectError(assert, late, 409, 'conflict');
  assert.match(late.json.error.message, /deadline/);
  expectError(assert, await as.manager.patch(`/api/v1/review-cycles/${c.id}`, { deadlines: { self: day(3) } }), 403, 'forbidden');
  expectError(assert, await as.hr.patch(`/api/v1/review-cycles/${c.id}`, { deadlines: { self: day(30) } }), 422, 'validation_failed');
  const moved = await as.hr.patch(`/api/v1/review-cycles/${c.id}`, { deadlines: { self: day(3) } });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.phase, 'self_assessment');
  assert.equal((await as.self.patch(`/api/v1/reviews/${selfReview.id}`, { answers: { overall: 3 } })).status, 200);
  const audit = (await as.hr.get(`/api/v1/audit?entity=review_cycle&entity_id=${c.id}`)).json.items;
  assert.ok(audit.some((e) => e.action === 'review_cycle.update'), 'moving a deadline is audited');
});

test('people who join, leave or change manager mid-cycle', async () => {
  const c = (await launch(await cycle({ hired_before: '2024-01-01', peer_template_id: tpl.peer, name: 'Mid-cycle' }))).cycle;
  assert.equal((await mine('report', c.id)).length, 0, 'Rex was hired after the cut-off');
  const pat = (await mine('peer', c.id));
  assert.ok(pat.length >= 1);
  // Rex's hire date is corrected, Pat leaves, Zoë moves to Eli
  assert.equal((await as.hr.patch(`/api/v1/people/${ids.report}`, { hire_date: '2023-05-01', reason: 'corrected' })).status, 200);
  assert.equal((await as.hr.patch(`/api/v1/people/${ids.peer}`, { status: 'terminated', reason: 'left' })).status, 200);
  assert.equal((await as.hr.patch(`/api/v1/people/${ids.self}`, { manager_id: ids.skip, reason: 'reorg' })).status, 200);
  expectError(assert, await as.manager.post(`/api/v1/review-cycles/${c.id}/sync`, {}), 403, 'forbidden');
  const s = await as.hr.post(`/api/v1/review-cycles/${c.id}/sync`, {});
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.joined, 1);
  assert.equal(s.json.left, 1);
  assert.equal(s.json.moved_to_new_manager, 1);
  assert.ok((await mine('report', c.id)).some((x) => x.kind === 'self'), 'the joiner has a self review');
  assert.ok((await mine('skip', c.id)).some((x) => x.kind === 'manager' && x.reviewee.id === ids.self), 'the new manager writes the review');
  assert.ok(!(await mine('manager', c.id)).some((x) => x.kind === 'manager' && x.reviewee.id === ids.self));
  const patOut = await outcomeOf(c.id, ids.peer);
  assert.ok(patOut.withdrawn_at, 'the leaver is withdrawn');
  const again = await as.hr.post(`/api/v1/review-cycles/${c.id}/sync`, {});
  assert.deepEqual([again.json.joined, again.json.left, again.json.moved_to_new_manager], [0, 0, 0], 'sync is idempotent');
  // restore the fixture for the tests that follow
  await as.hr.patch(`/api/v1/people/${ids.peer}`, { status: 'active', reason: 'back' });
  await as.hr.patch(`/api/v1/people/${ids.self}`, { manager_id: ids.manager, reason: 'back' });
  // leaving ended Pat's session for good: Pat signs in again
  expectError(assert, await as.peer.get('/api/v1/me'), 401, 'unauthenticated');
  as.peer = await srv.login(org.byKey.peer, PASSWORD);
});

test('potential and the 9-box; reopening a released outcome keeps every version', async () => {
  const c = (await launch(await cycle({ name: 'Nine box' }))).cycle;
  const mgr = (await mine('manager', c.id)).find((x) => x.reviewee.id === ids.self);
  assert.equal((await as.manager.post(`/api/v1/reviews/${mgr.id}/submit`, { answers: { overall: 5, potential: 3, summary: 'Ready for more.' } })).status, 200);
  const mgr2 = (await mine('manager', c.id)).find((x) => x.reviewee.id === ids.peer);
  assert.equal((await as.manager.post(`/api/v1/reviews/${mgr2.id}/submit`, { answers: { overall: 2, potential: 2, summary: 'A hard year.' } })).status, 200);
  const cal = (await as.hr.get(`/api/v1/review-cycles/${c.id}/calibration`)).json;
  const cell = (p, q) => cal.nine_box.cells.find((x) => x.performance === p && x.potential === q);
  assert.equal(cell('high', 'high').count, 1);
  assert.equal(cell('high', 'high').people[0].id, ids.self);
  assert.equal(cell('low', 'medium').people[0].id, ids.peer);
  assert.equal(cal.nine_box.cells.length, 9);
  assert.ok(cal.nine_box.unassessed >= 5);
  const o = await outcomeOf(c.id, ids.self);
  assert.equal(o.potential, 3);
  expectError(assert, await as.hr.patch(`/api/v1/review-outcomes/${o.id}`, { potential: 4, justification: 'Because it is so.' }), 422, 'validation_failed');
  const adj = await as.hr.patch(`/api/v1/review-outcomes/${o.id}`, { potential: 2, justification: 'Calibration panel: strong but new to scope.' });
  assert.equal(adj.status, 200, adj.text);
  assert.equal(adj.json.potential, 2);
  assert.equal(adj.json.rating, 5, 'the rating is untouched');

  expectError(assert, await as.hr.post(`/api/v1/review-outcomes/${o.id}/reopen`, { reason: 'A typo in the summary' }), 409, 'conflict');
  await as.hr.post(`/api/v1/review-cycles/${c.id}/release`, RELEASE_ALL);
  await as.self.post(`/api/v1/review-outcomes/${o.id}/acknowledge`, { comment: 'Agreed.' });
  expectError(assert, await as.manager.post(`/api/v1/review-outcomes/${o.id}/reopen`, { reason: 'A typo in the summary' }), 403, 'forbidden');
  expectError(assert, await as.hr.post(`/api/v1/review-outcomes/${o.id}/reopen`, {}), 422, 'validation_failed');
  // two HR partners reopen at once: the write decides with the row locked, so one version is kept
  const both = await Promise.all([as.hr.post(`/api/v1/review-outcomes/${o.id}/reopen`, { reason: 'The summary named the wrong project.' }),
    as.hr.post(`/api/v1/review-outcomes/${o.id}/reopen`, { reason: 'The summary named the wrong project.' })]);
  const re = both.find((x) => x.status === 200);
  assert.ok(re, both.map((x) => x.text).join(' / '));
  expectError(assert, both.find((x) => x !== re), 409, 'conflict');
  assert.equal(re.status, 200, re.text);
  const reopened = (await as.admin.get('/api/v1/audit?limit=100')).json.items.find((x) => x.action === 'review_outcome.reopen' && x.entity_id === o.id);
  assert.deepEqual([reopened.before.version, reopened.before.released_at !== null, reopened.after.version, reopened.after.released_at], [1, true, 2, null]);
  assert.ok(!('rating' in reopened.after), 'the audit image holds no rating');
  assert.equal(re.json.version, 2);
  assert.equal(re.json.released_at, null);
  expectError(assert, await as.self.get(`/api/v1/review-outcomes/${o.id}`), 404, 'not_found');
  // the manager corrects and resubmits; HR releases again
  assert.equal((await as.manager.post(`/api/v1/reviews/${mgr.id}/submit`, { answers: { summary: 'Ready for more: led the billing migration.' } })).status, 200);
  assert.equal((await as.hr.post(`/api/v1/review-outcomes/${o.id}/release`, {})).status, 200);
  const released = (await as.admin.get('/api/v1/audit?limit=100')).json.items.find((x) => x.action === 'review_outcome.release' && x.entity_id === o.id);
  assert.ok(released.before.released_at === null && released.after.released_at, JSON.stringify(released));
  expectError(assert, await as.hr.post(`/api/v1/review-outcomes/${o.id}/release`, {}), 409, 'conflict');
  const h = await as.self.get(`/api/v1/review-outcomes/${o.id}/history`);
  assert.equal(h.status, 200, h.text);
  assert.equal(h.json.current.manager_summary, 'Ready for more: led the billing migration.');
  assert.equal(h.json.current.acknowledged_at, null, 'the new version awaits acknowledgement');
  assert.equal(h.json.versions.length, 1);
  assert.equal(h.json.versions[0].manager_summary, 'Ready for more.');
  assert.equal(h.json.versions[0].employee_comment, 'Agreed.');
  assert.equal(h.json.versions[0].reason, 'The summary named the wrong project.');
  expectError(assert, await as.peer.get(`/api/v1/review-outcomes/${o.id}/history`), 404, 'not_found');
});

test('templates: labelled scales, competency ratings and a goals section', async () => {
  const bad = await as.hr.post('/api/v1/review-templates', { name: 'x', kind: 'manager', questions: [
    { id: 'overall', type: 'rating', text: 'Overall', scale: 3, labels: ['Below', 'Meets'] },
    { id: 'craft', type: 'competency', text: 'Craft' },
    { id: 'g', type: 'chart', text: 'x' }] });
  expectError(assert, bad, 422, 'validation_failed');
  for (const f of ['questions[0]', 'questions[1]', 'questions[2]']) assert.ok(f in bad.json.error.fields, f);
  const t = await as.hr.post('/api/v1/review-templates', { name: 'Labelled', kind: 'self', questions: [
    { id: 'goals', type: 'goals', text: 'Your goals of the period' },
    { id: 'overall', type: 'rating', text: 'Overall', scale: 3, labels: ['Below', 'Meets', 'Exceeds'] },
    { id: 'craft', type: 'competency', competency: 'Technical craft', text: 'How is your craft?' }] });
  assert.equal(t.status, 201, t.text);
  assert.deepEqual(t.json.questions[1].labels, ['Below', 'Meets', 'Exceeds']);
  assert.equal(t.json.questions[0].required, false, 'a goals section takes no answer');
  const c = (await launch(await cycle({ self_template_id: t.json.id, manager_template_id: null, name: 'Labelled' }))).cycle;
  const mine = (await (await as.self.get(`/api/v1/reviews?cycle=${c.id}`)).json.items).find((x) => x.kind === 'self');
  expectError(assert, await as.self.patch(`/api/v1/reviews/${mine.id}`, { answers: { goals: 'x' } }), 422, 'validation_failed');
  expectError(assert, await as.self.patch(`/api/v1/reviews/${mine.id}`, { answers: { overall: 4 } }), 422, 'validation_failed');
  const ok = await as.self.post(`/api/v1/reviews/${mine.id}/submit`, { answers: { overall: 3, craft: 4 } });
  assert.equal(ok.status, 200, ok.text);
});

test('the one-request-per-peer limit holds when two managers\' approvals name the same peer at once', async () => {
  for (let round = 0; round < 3; round++) {
    const c = (await launch(await cycle({ peer_template_id: tpl.peer, peer_selection: 'nominated', min_peers: 1, peers_per_person: 2, max_requests_per_peer: 1, deadlines: { nomination: day(7) } }))).cycle;
    const url = (who) => `/api/v1/review-cycles/${c.id}/nominations/${ids[who]}`;
    // Mia approves Rex for both her reports at the same moment: the limit lets one through
    const [a, b] = await Promise.all([
      as.manager.put(url('self'), { peer_ids: [ids.report] }),
      as.manager.put(url('peer'), { peer_ids: [ids.report] }),
    ]);
    assert.deepEqual([a.status, b.status].sort(), [200, 422], `round ${round}: ${a.text} / ${b.text}`);
    const refused = a.status === 422 ? a : b;
    assert.match(refused.json.error.fields['peer_ids[0]'], /already asked/);
    const asked = (await mine('report', c.id)).filter((x) => x.kind === 'peer');
    assert.equal(asked.length, 1, `round ${round}: Rex is asked once`);
  }
});
