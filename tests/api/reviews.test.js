// Performance reviews: templates, a cycle launched in one transaction, answers validated and
// locked on submit, the manager's rating, release and acknowledgement, and 360 anonymity with
// two and with three peer responses. SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, expectError, everyFault, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
let srv;
const as = {};
const ids = {};
const tpl = {};
// these tests release cycles whose other reviews are unwritten: the release guard is overridden
const RELEASE_ALL = { override: true, reason: 'test: release what is written' };

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
  tpl.self = await mk('Self', 'self', [{ id: 'overall', type: 'rating', text: 'How did your year go?' }, { id: 'highlights', type: 'text', text: 'Highlights', required: false }]);
  tpl.manager = await mk('Manager', 'manager', [{ id: 'overall', type: 'rating', text: 'Overall', scale: 5 }, { id: 'summary', type: 'text', text: 'Summary' }]);
  tpl.peer = await mk('Peer', 'peer', [{ id: 'collab', type: 'rating', text: 'Collaboration', scale: 5 }, { id: 'comment', type: 'text', text: 'Comment', required: false }]);
});
after(async () => { await srv?.stop(); });

// the default cycle's period holds today, as a running cycle's does: the packet reads what was
// written in it
const iso = (days) => new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
const cycle = async (extra = {}) => {
  const r = await as.hr.post('/api/v1/review-cycles', { name: 'H2 2026', period_start: iso(-150), period_end: iso(30), self_template_id: tpl.self, manager_template_id: tpl.manager, peer_template_id: tpl.peer, ...extra });
  assert.equal(r.status, 201, r.text);
  return r.json;
};
const mine = async (who, cycleId) => (await as[who].get(`/api/v1/reviews?cycle=${cycleId}`)).json.items;

test('bad templates and cycles are refused; only HR runs cycles', async () => {
  const t = await as.hr.post('/api/v1/review-templates', { name: 'x', kind: 'gossip', questions: [{ id: 'a', type: 'stars', text: 'q' }] });
  expectError(assert, t, 422, 'validation_failed');
  assert.ok('kind' in t.json.error.fields && 'questions[0]' in t.json.error.fields);
  expectError(assert, await as.manager.post('/api/v1/review-templates', { name: 'x', kind: 'self', questions: [] }), 403, 'forbidden');
  expectError(assert, await as.manager.post('/api/v1/review-cycles', { name: 'x' }), 403, 'forbidden');
  const c = await as.hr.post('/api/v1/review-cycles', { name: 'x', period_start: '2026-07-01', period_end: '2026-01-01', threshold: 1, peer_template_id: tpl.self });
  expectError(assert, c, 422, 'validation_failed');
  for (const f of ['period_end', 'threshold', 'peer_template_id']) assert.ok(f in c.json.error.fields, f);
  const empty = await cycle({ hired_before: '1900-01-01' });
  const l = await as.hr.post(`/api/v1/review-cycles/${empty.id}/launch`, {});
  expectError(assert, l, 422, 'validation_failed');
  assert.ok('participants' in l.json.error.fields);
  assert.equal((await as.self.get('/api/v1/reviews')).json.items.length, 0, 'nothing was assigned');
});

test('the whole loop: launch, self and manager reviews, release, acknowledge', async () => {
  const c = await cycle({ department_id: null });
  const launch = await as.hr.post(`/api/v1/review-cycles/${c.id}/launch`, {});
  assert.equal(launch.status, 200, launch.text);
  assert.equal(launch.json.cycle.status, 'active');
  assert.ok(launch.json.assignments >= 9 + 8, 'a self review for all 9 and a manager review for 8');
  expectError(assert, await as.hr.post(`/api/v1/review-cycles/${c.id}/launch`, {}), 409, 'conflict');

  const selfReview = (await mine('self', c.id)).find((r) => r.kind === 'self');
  assert.equal(selfReview.reviewee.id, ids.self);
  assert.deepEqual(selfReview.questions.map((q) => q.id), ['overall', 'highlights']);
  expectError(assert, await as.self.post(`/api/v1/reviews/${selfReview.id}/submit`, {}), 422, 'validation_failed');
  const out = await as.self.patch(`/api/v1/reviews/${selfReview.id}`, { answers: { overall: 6 } });
  expectError(assert, out, 422, 'validation_failed');
  expectError(assert, await as.self.patch(`/api/v1/reviews/${selfReview.id}`, { answers: { mood: 3 } }), 422, 'validation_failed');
  const draft = await as.self.patch(`/api/v1/reviews/${selfReview.id}`, { answers: { highlights: 'Shipped search' } });
  assert.equal(draft.json.status, 'draft');
  const sub = await as.self.post(`/api/v1/reviews/${selfReview.id}/submit`, { answers: { overall: 4 } });
  assert.equal(sub.status, 200, sub.text);
  assert.equal(sub.json.status, 'submitted');
  assert.deepEqual(sub.json.answers, { highlights: 'Shipped search', overall: 4 }, 'drafts accumulate');
  expectError(assert, await as.self.patch(`/api/v1/reviews/${selfReview.id}`, { answers: { overall: 5 } }), 409, 'conflict');
  expectError(assert, await as.peer.get(`/api/v1/reviews/${selfReview.id}`), 404, 'not_found');
  assert.equal((await as.manager.get(`/api/v1/reviews/${selfReview.id}`)).status, 200, 'the manager reads the self-review');

  const mgrReview = (await mine('manager', c.id)).find((r) => r.kind === 'manager' && r.reviewee.id === ids.self);
  expectError(assert, await as.self.get(`/api/v1/reviews/${mgrReview.id}`), 404, 'not_found');
  expectError(assert, await as.self.patch(`/api/v1/reviews/${mgrReview.id}`, { answers: { overall: 5 } }), 404, 'not_found');
  const m = await as.manager.post(`/api/v1/reviews/${mgrReview.id}/submit`, { answers: { overall: 4, summary: 'A strong year.' } });
  assert.equal(m.status, 200, m.text);

  const before = (await as.self.get(`/api/v1/review-outcomes?cycle=${c.id}`)).json.items;
  assert.equal(before.length, 0, 'nothing before release');
  const hrView = (await as.hr.get(`/api/v1/review-outcomes?cycle=${c.id}&person=${ids.self}`)).json.items[0];
  assert.equal(hrView.rating, 4);
  expectError(assert, await as.self.get(`/api/v1/review-outcomes/${hrView.id}`), 404, 'not_found');
  expectError(assert, await as.manager.post(`/api/v1/review-cycles/${c.id}/release`, {}), 403, 'forbidden');
  assert.equal((await as.hr.post(`/api/v1/review-cycles/${c.id}/release`, RELEASE_ALL)).json.status, 'released');
  const o = await as.self.get(`/api/v1/review-outcomes/${hrView.id}`);
  assert.equal(o.status, 200);
  assert.equal(o.json.rating, 4);
  assert.equal(o.json.manager_summary, 'A strong year.');
  assert.ok(o.json.released_at);
  assert.equal((await as.self.get(`/api/v1/reviews/${mgrReview.id}`)).status, 200, 'after release the manager review is the employee\'s to read');
  expectError(assert, await as.manager.post(`/api/v1/review-outcomes/${hrView.id}/acknowledge`, { comment: 'x' }), 403, 'forbidden');
  // two acknowledgements at once (two tabs): the write decides, so exactly one is recorded
  const [ack, twin] = await Promise.all([
    as.self.post(`/api/v1/review-outcomes/${hrView.id}/acknowledge`, { comment: 'Thanks — I want to grow into tech lead.' }),
    as.self.post(`/api/v1/review-outcomes/${hrView.id}/acknowledge`, { comment: 'Thanks — I want to grow into tech lead.' }),
  ].map((p, i) => p.then((r) => [r, i]))).then((rs) => rs.sort((x, y) => x[0].status - y[0].status).map(([r]) => r));
  assert.equal(ack.status, 200, ack.text);
  expectError(assert, twin, 409, 'conflict');
  const acks = (await as.hr.get(`/api/v1/audit?limit=200`)).json.items.filter((x) => x.action === 'review_outcome.acknowledge' && x.entity_id === hrView.id);
  assert.equal(acks.length, 1, 'one acknowledgement audited');
  assert.equal(acks[0].before.acknowledged_at, null);
  assert.equal(acks[0].after.employee_comment, 'Thanks — I want to grow into tech lead.');
  assert.ok(!('rating' in acks[0].after) && !('potential' in acks[0].after), 'the audit image holds no rating');
  assert.ok(ack.json.acknowledged_at);
  assert.equal((await as.manager.get(`/api/v1/review-outcomes/${hrView.id}`)).json.employee_comment, 'Thanks — I want to grow into tech lead.');
  expectError(assert, await as.self.post(`/api/v1/review-outcomes/${hrView.id}/acknowledge`, { comment: 'again' }), 409, 'conflict');
  const pendingPeer = (await mine('peer', c.id)).find((r) => r.status !== 'submitted');
  expectError(assert, await as.peer.patch(`/api/v1/reviews/${pendingPeer.id}`, { answers: {} }), 409, 'conflict');
});

test('360 anonymity: two responses show nothing, three show averages and comments without names', async () => {
  const c = await cycle({ threshold: 3 });
  assert.equal((await as.hr.post(`/api/v1/review-cycles/${c.id}/launch`, {})).status, 200);
  // the CEO's four reports are teammates: each is reviewed by the other three
  const reviewers = ['skip', 'hr', 'admin'];
  const peerReviews = [];
  for (const who of reviewers) {
    const r = (await mine(who, c.id)).find((x) => x.kind === 'peer' && x.reviewee.id === ids.other);
    assert.ok(r, `${who} reviews the sales peer`);
    peerReviews.push([who, r]);
  }
  const outcome = (await as.hr.get(`/api/v1/review-outcomes?cycle=${c.id}&person=${ids.other}`)).json.items[0];
  const submit = async ([who, r], collab, comment) => assert.equal((await as[who].post(`/api/v1/reviews/${r.id}/submit`, { answers: { collab, comment } })).status, 200);
  await submit(peerReviews[0], 5, 'Always helpful in deals');
  await submit(peerReviews[1], 3, 'Could share pipeline notes earlier');
  await as.hr.post(`/api/v1/review-cycles/${c.id}/release`, RELEASE_ALL);
  const two = (await as.other.get(`/api/v1/review-outcomes/${outcome.id}`)).json.peer_summary;
  assert.deepEqual(two, { responses: 2, below_threshold: true, questions: [] });
  for (const [who, r] of peerReviews) expectError(assert, await as.other.get(`/api/v1/reviews/${r.id}`), 404, 'not_found'), void who;

  const c2 = await cycle({ threshold: 3, name: 'Three responses' });
  await as.hr.post(`/api/v1/review-cycles/${c2.id}/launch`, {});
  const rs = [];
  for (const who of reviewers) rs.push([who, (await mine(who, c2.id)).find((x) => x.kind === 'peer' && x.reviewee.id === ids.other)]);
  await submit(rs[0], 5, 'Always helpful in deals');
  await submit(rs[1], 3, 'Could share pipeline notes earlier');
  await submit(rs[2], 4, 'Great at demos');
  await as.hr.post(`/api/v1/review-cycles/${c2.id}/release`, RELEASE_ALL);
  const o2 = (await as.hr.get(`/api/v1/review-outcomes?cycle=${c2.id}&person=${ids.other}`)).json.items[0];
  const three = (await as.other.get(`/api/v1/review-outcomes/${o2.id}`)).json;
  assert.equal(three.peer_summary.responses, 3);
  assert.equal(three.peer_summary.below_threshold, false);
  const collab = three.peer_summary.questions.find((q) => q.question_id === 'collab');
  assert.equal(collab.average, 4);
  const comments = three.peer_summary.questions.find((q) => q.question_id === 'comment').comments;
  assert.deepEqual([...comments].sort(), ['Always helpful in deals', 'Could share pipeline notes earlier', 'Great at demos']);
  const text = JSON.stringify(three);
  for (const who of reviewers) {
    const p = (await as.hr.get(`/api/v1/people?q=${encodeURIComponent(org.byKey[who])}`)).json.items[0];
    assert.ok(!text.includes(p.name), `the reviewee's view never names ${p.name}`);
    assert.ok(!new RegExp(`"(id|reviewer_id|author_id)":${p.id}[,}]`).test(text), `nor carries ${who}'s id`);
  }
  assert.ok(!('respondents' in three.peer_summary));
  const ceoView = (await as.ceo.get(`/api/v1/review-outcomes/${o2.id}`)).json.peer_summary;
  assert.ok(!('respondents' in ceoView), 'the manager sees no names when the cycle says so');
  const hrView = (await as.hr.get(`/api/v1/review-outcomes/${o2.id}`)).json.peer_summary;
  assert.equal(hrView.respondents.length, 3, 'HR sees who answered');
  expectError(assert, await as.peer.get(`/api/v1/review-outcomes/${o2.id}`), 404, 'not_found');
});

test('calibration: distributions, outliers, a justified change that keeps the original', async () => {
  const c = await cycle({ name: 'Calibration', peers_per_person: 0, peer_template_id: null });
  assert.equal((await as.hr.post(`/api/v1/review-cycles/${c.id}/launch`, {})).status, 200);
  const rate = async (who, reviewee, overall) => {
    const r = (await mine(who, c.id)).find((x) => x.kind === 'manager' && x.reviewee.id === ids[reviewee]);
    const s = await as[who].post(`/api/v1/reviews/${r.id}/submit`, { answers: { overall, summary: 'ok' } });
    assert.equal(s.status, 200, s.text);
  };
  await rate('ceo', 'skip', 5);
  await rate('skip', 'manager', 2);
  await rate('manager', 'self', 2);
  await rate('manager', 'peer', 2);
  await rate('self', 'report', 2);
  await rate('ceo', 'other', 3);
  const cal = await as.hr.get(`/api/v1/review-cycles/${c.id}/calibration`);
  assert.equal(cal.status, 200, cal.text);
  const eng = cal.json.by_department.find((d) => d.department?.name === 'Engineering');
  assert.equal(eng.count, 5);
  assert.deepEqual(eng.distribution, { 2: 4, 5: 1 });
  assert.equal(eng.average, 2.6);
  const byMia = cal.json.by_manager.find((m) => m.manager?.id === ids.manager);
  assert.equal(byMia.count, 2);
  assert.deepEqual(cal.json.outliers.map((o) => o.person.id), [ids.skip]);
  const scoped = await as.skip.get(`/api/v1/review-cycles/${c.id}/calibration`);
  assert.equal(scoped.json.outcomes, 4, 'a manager calibrates only the people below them');
  expectError(assert, await as.peer.get(`/api/v1/review-cycles/${c.id}/calibration`), 403, 'forbidden');

  const outcome = (await as.hr.get(`/api/v1/review-outcomes?cycle=${c.id}&person=${ids.skip}`)).json.items[0];
  const noWhy = await as.hr.patch(`/api/v1/review-outcomes/${outcome.id}`, { calibrated_rating: 4 });
  expectError(assert, noWhy, 422, 'validation_failed');
  assert.ok('justification' in noWhy.json.error.fields);
  expectError(assert, await as.hr.patch(`/api/v1/review-outcomes/${outcome.id}`, { calibrated_rating: 0, justification: 'Out of scale on purpose' }), 422, 'validation_failed');
  expectError(assert, await as.manager.patch(`/api/v1/review-outcomes/${outcome.id}`, { calibrated_rating: 4, justification: 'I am not HR at all' }), 403, 'forbidden');
  const ok = await as.hr.patch(`/api/v1/review-outcomes/${outcome.id}`, { calibrated_rating: 4, justification: 'Compared with peers in the calibration meeting' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.rating, 5, 'the original rating is kept');
  assert.equal(ok.json.calibrated_rating, 4);
  const audit = (await as.hr.get(`/api/v1/audit?entity=review_outcome&entity_id=${outcome.id}`)).json.items[0];
  assert.equal(audit.action, 'review_outcome.calibrate');
  assert.equal(audit.after.justification, 'Compared with peers in the calibration meeting');
  assert.equal(audit.before.calibrated_rating, null);
  const after = (await as.hr.get(`/api/v1/review-cycles/${c.id}/calibration`)).json;
  assert.deepEqual(after.by_department.find((d) => d.department?.name === 'Engineering').distribution, { 2: 4, 4: 1 });
  await as.hr.post(`/api/v1/review-cycles/${c.id}/release`, RELEASE_ALL);
  expectError(assert, await as.hr.patch(`/api/v1/review-outcomes/${outcome.id}`, { calibrated_rating: 3, justification: 'Too late for this one' }), 409, 'conflict');
});

test('the review packet: goals, the right accomplishments, feedback and the previous outcome', async () => {
  const h1 = await cycle({ name: 'Packet H1', period_start: iso(-330), period_end: iso(-151), peers_per_person: 0, peer_template_id: null });
  await as.hr.post(`/api/v1/review-cycles/${h1.id}/launch`, {});
  const m1 = (await mine('manager', h1.id)).find((x) => x.kind === 'manager' && x.reviewee.id === ids.self);
  await as.manager.post(`/api/v1/reviews/${m1.id}/submit`, { answers: { overall: 3, summary: 'Good first half.' } });
  await as.hr.post(`/api/v1/review-cycles/${h1.id}/release`, RELEASE_ALL);
  const h2 = await cycle({ name: 'Packet H2', peers_per_person: 0, peer_template_id: null });
  await as.hr.post(`/api/v1/review-cycles/${h2.id}/launch`, {});
  const goal = (await as.self.post('/api/v1/goals', { title: 'Packet goal', start_date: iso(-30), due_date: iso(30), key_results: [{ title: 'k', target: 4 }] })).json;
  await as.self.post(`/api/v1/goals/${goal.id}/checkins`, { key_result_id: goal.key_results[0].id, value: 2, confidence: 4, comment: 'halfway' });
  await as.self.post('/api/v1/accomplishments', { happened_on: iso(-20), title: 'Private packet win' });
  await as.self.post('/api/v1/accomplishments', { happened_on: iso(-19), title: 'Shared packet win', shared_with_manager: true });
  await as.self.post('/api/v1/accomplishments', { happened_on: iso(-400), title: 'Last year', shared_with_manager: true });
  await as.peer.post('/api/v1/feedback', { recipient_id: ids.self, visibility: 'managers', body: 'Packet praise' });
  await as.peer.post('/api/v1/feedback', { recipient_id: ids.self, visibility: 'private', body: 'Packet private note' });

  const selfReview = (await mine('self', h2.id)).find((x) => x.kind === 'self');
  const own = (await as.self.get(`/api/v1/reviews/${selfReview.id}/packet`)).json;
  assert.ok(own.goals.some((g) => g.id === goal.id && g.progress === 50 && g.recent_checkins[0].comment === 'halfway'));
  assert.deepEqual(own.accomplishments.map((a) => a.title).sort(), ['Private packet win', 'Shared packet win']);
  assert.deepEqual(own.feedback.map((f) => f.body).sort(), ['Packet praise', 'Packet private note']);
  assert.equal(own.previous_outcome.cycle, 'Packet H1');
  assert.equal(own.previous_outcome.rating, 3);

  const mgrReview = (await mine('manager', h2.id)).find((x) => x.kind === 'manager' && x.reviewee.id === ids.self);
  const mgr = (await as.manager.get(`/api/v1/reviews/${mgrReview.id}/packet`)).json;
  assert.deepEqual(mgr.accomplishments.map((a) => a.title), ['Shared packet win'], 'the manager sees only shared entries of the period');
  assert.deepEqual(mgr.feedback.map((f) => f.body), ['Packet praise'], 'and no private feedback');
  assert.equal(mgr.previous_outcome.manager_summary, 'Good first half.');
  expectError(assert, await as.peer.get(`/api/v1/reviews/${mgrReview.id}/packet`), 404, 'not_found');
});

test('a new template is one write: a failure at any statement stores nothing, and it is audited as created', async () => {
  const state = async () => JSON.stringify({
    templates: (await as.hr.get('/api/v1/review-templates')).json,
    audit: (await as.admin.get('/api/v1/audit?limit=200')).json.items.length,
  });
  const questions = [{ id: 'growth', type: 'text', text: 'Where did you grow?' }];
  const r = await everyFault(assert, state, as.hr, 'POST', '/api/v1/review-templates', { name: 'Growth check', kind: 'self', questions }, 'template', [403]);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.name, 'Growth check');
  assert.equal(r.json.questions[0].id, 'growth');
  const row = (await as.admin.get('/api/v1/audit?limit=20')).json.items.find((x) => x.action === 'review_template.create');
  assert.equal(row.after.name, 'Growth check');
  assert.equal(row.after.questions[0].text, 'Where did you grow?');
});
