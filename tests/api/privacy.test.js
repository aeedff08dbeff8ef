// Privacy leaks of issue #10, each planted with a marker and looked for where it may not be:
// manager-only answers and the potential axis, the subject outranking the HR role (own peer
// reviews, calibration row, audit actors), feedback in the career record, private goals in the
// audit log, hidden children in a public parent's roll-up, per-question anonymity, mentors'
// manager-given ratings, and a leaver's calendar feed. SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, expectError, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
let srv;
const as = {};
const ids = {};
const Y = { start_date: '2026-01-01', due_date: '2026-12-31' };

before(async () => {
  srv = await startServer({ people: org.csv, users: org.users });
  for (const [k, email] of Object.entries(org.byKey)) as[k] = await srv.login(email, PASSWORD);
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
  await setUpCycle();
});
after(async () => { await srv?.stop(); });

const template = async (name, kind, questions) => {
  const r = await as.hr.post('/api/v1/review-templates', { name, kind, questions });
  assert.equal(r.status, 201, r.text);
  return r.json;
};
const mine = async (who, cycleId) => (await as[who].get(`/api/v1/reviews?cycle=${cycleId}`)).json.items;

// One cycle for the review tests: the manager template has the potential axis and a private
// manager note; the peer template an optional rating few will answer.
let cyc;
const tpl = {};
const rv = {};
async function setUpCycle() {
  tpl.self = (await template('Self', 'self', [{ id: 'overall', type: 'rating', text: 'Overall' }])).id;
  const mt = await template('Manager', 'manager', [
    { id: 'overall', type: 'rating', text: 'Overall', scale: 5 },
    { id: 'potential', type: 'rating', text: 'Potential', scale: 3 },
    { id: 'note', type: 'text', text: 'Private note for calibration', manager_only: true, required: false },
    { id: 'summary', type: 'text', text: 'Summary' },
  ]);
  assert.deepEqual(mt.questions.filter((q) => q.manager_only).map((q) => q.id), ['potential', 'note']);
  tpl.manager = mt.id;
  tpl.peer = (await template('Peer', 'peer', [
    { id: 'collab', type: 'rating', text: 'Collaboration', scale: 5 },
    { id: 'extra', type: 'rating', text: 'Mentoring others (optional)', scale: 5, required: false },
    { id: 'comment', type: 'text', text: 'Comment', required: false },
  ])).id;
  const c = await as.hr.post('/api/v1/review-cycles', { name: 'Privacy H2', period_start: '2026-07-01', period_end: '2026-12-31', threshold: 3, self_template_id: tpl.self, manager_template_id: tpl.manager, peer_template_id: tpl.peer });
  assert.equal(c.status, 201, c.text);
  cyc = c.json;
  assert.equal((await as.hr.post(`/api/v1/review-cycles/${cyc.id}/launch`, {})).status, 200);
  // the CEO's reports (skip, other, hr, admin) are peers: each reviewed by the other three
  rv.hrPeers = [];
  for (const who of ['skip', 'other', 'admin']) {
    const r = (await mine(who, cyc.id)).find((x) => x.kind === 'peer' && x.reviewee.id === ids.hr);
    assert.ok(r, `${who} reviews HR`);
    rv.hrPeers.push(r.id);
    const answers = { collab: 4, comment: `PEERMARK-${who}` };
    if (who === 'skip') answers.extra = 1; // one rater of three answers the optional question
    assert.equal((await as[who].post(`/api/v1/reviews/${r.id}/submit`, { answers })).status, 200);
  }
  const mgr = (await mine('manager', cyc.id)).find((x) => x.kind === 'manager' && x.reviewee.id === ids.self);
  rv.selfManager = mgr.id;
  const s = await as.manager.post(`/api/v1/reviews/${mgr.id}/submit`, { answers: { overall: 4, potential: 3, note: 'MGRNOTE-flight-risk', summary: 'A strong half.' } });
  assert.equal(s.status, 200, s.text);
  const ceoOnHr = (await mine('ceo', cyc.id)).find((x) => x.kind === 'manager' && x.reviewee.id === ids.hr);
  assert.equal((await as.ceo.post(`/api/v1/reviews/${ceoOnHr.id}/submit`, { answers: { overall: 3, potential: 2, summary: 'Solid.' } })).status, 200);
}

test('the reviewee never reads manager-only answers or the potential axis', async () => {
  assert.equal((await as.hr.post(`/api/v1/review-cycles/${cyc.id}/release`, { override: true, reason: 'privacy test: release now' })).status, 200);
  const r = await as.self.get(`/api/v1/reviews/${rv.selfManager}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.answers.overall, 4);
  assert.equal(r.json.answers.summary, 'A strong half.');
  assert.ok(!('potential' in r.json.answers), 'no potential answer');
  assert.ok(!('note' in r.json.answers), 'no private manager note');
  assert.deepEqual(r.json.questions.map((q) => q.id), ['overall', 'summary']);
  assert.ok(!r.text.includes('MGRNOTE'));
  // the manager and HR still read it whole
  const m = await as.manager.get(`/api/v1/reviews/${rv.selfManager}`);
  assert.equal(m.json.answers.potential, 3);
  assert.equal(m.json.answers.note, 'MGRNOTE-flight-risk');
  for (const path of ['/api/v1/review-outcomes', `/api/v1/review-outcomes?cycle=${cyc.id}`, `/api/v1/people/${ids.self}/career-record`, `/api/v1/people/${ids.self}/career-record?format=markdown`]) {
    const x = await as.self.get(path);
    assert.equal(x.status, 200, `${path}: ${x.text}`);
    assert.ok(!x.text.includes('MGRNOTE'), path);
    assert.ok(!/"potential"/.test(x.text), `${path} names no potential`);
  }
});

test('an HR reviewee is a reviewee first: own peer reviews, respondents, calibration, audit', async () => {
  for (const id of rv.hrPeers) expectError(assert, await as.hr.get(`/api/v1/reviews/${id}`), 404, 'not_found');
  for (const q of [`?cycle=${cyc.id}`, `?cycle=${cyc.id}&reviewee=${ids.hr}`, '']) {
    const listed = await as.hr.get(`/api/v1/reviews${q}`);
    assert.equal(listed.status, 200, listed.text);
    assert.ok(!listed.json.items.some((x) => rv.hrPeers.includes(x.id)), `the list ${q} shows none of HR's own peer reviews`);
  }
  const all = (await as.hr.get(`/api/v1/reviews?cycle=${cyc.id}`)).json.items;
  assert.ok(all.some((x) => x.kind === 'peer' && x.reviewee.id !== ids.hr), 'HR lists the other peer reviews of the cycle (the check above can fail)');
  const outs = (await as.hr.get(`/api/v1/review-outcomes?cycle=${cyc.id}&person=${ids.hr}`)).json.items;
  assert.equal(outs.length, 1);
  assert.ok(!('respondents' in outs[0].peer_summary), 'no names of peers');
  assert.ok(!('potential' in outs[0]), 'no potential');
  const cal = await as.hr.get(`/api/v1/review-cycles/${cyc.id}/calibration`);
  assert.equal(cal.status, 200);
  const names = JSON.stringify(cal.json.nine_box) + JSON.stringify(cal.json.outliers);
  assert.ok(!names.includes('Hana HR'), 'HR is not in their own calibration view');
  assert.ok(names.includes('Zoë') || cal.json.outcomes > 0);
  // nobody calibrates or reopens their own outcome
  expectError(assert, await as.hr.patch(`/api/v1/review-outcomes/${outs[0].id}`, { calibrated_rating: 5, justification: 'I deserve more than this.' }), 403, 'forbidden');
  // the audit names nobody as the writer of HR's own peer reviews
  const audit = (await as.hr.get('/api/v1/audit?entity=review&limit=200')).json.items;
  const rows = audit.filter((x) => rv.hrPeers.includes(x.entity_id));
  assert.ok(rows.length >= 3, 'the submissions are logged');
  for (const x of rows) assert.equal(x.actor, null, `audit row ${x.id} names its author`);
  for (const who of ['skip', 'other', 'admin']) {
    const byActor = (await as.hr.get(`/api/v1/audit?entity=review&actor=${ids[who]}&limit=200`)).json.items;
    assert.ok(!byActor.some((x) => rv.hrPeers.includes(x.entity_id)), `filtering by ${who} finds their review of HR`);
  }
  // the admin (not the subject) still sees who wrote them
  const adminView = (await as.admin.get('/api/v1/audit?entity=review&limit=200')).json.items.filter((x) => rv.hrPeers.includes(x.entity_id) && x.actor);
  assert.ok(adminView.length >= 2, 'another reader sees the actors');
});

test('anonymity holds per question: one rater of three shows nothing', async () => {
  const o = (await as.ceo.get(`/api/v1/review-outcomes?cycle=${cyc.id}&person=${ids.hr}`)).json.items[0];
  const q = Object.fromEntries(o.peer_summary.questions.map((x) => [x.question_id, x]));
  assert.equal(q.collab.average, 4, 'three raters: the average shows');
  assert.equal(q.extra.average, null, 'one rater: no average');
  assert.equal(q.extra.below_threshold, true);
  assert.equal(q.comment.comments.length, 3);
});

test('the career record lists only the feedback the reader may read', async () => {
  for (const [visibility, body] of [['private', 'FBMARK-private'], ['managers', 'FBMARK-managers'], ['public', 'FBMARK-public']]) {
    const r = await as.peer.post('/api/v1/feedback', { recipient_id: ids.self, kind: 'praise', visibility, body });
    assert.equal(r.status, 201, r.text);
  }
  const own = await as.self.get(`/api/v1/people/${ids.self}/career-record`);
  for (const m of ['FBMARK-private', 'FBMARK-managers', 'FBMARK-public']) assert.ok(own.text.includes(m), `the person reads ${m}`);
  for (const who of ['hr', 'admin']) {
    for (const q of ['', '?format=markdown']) {
      const r = await as[who].get(`/api/v1/people/${ids.self}/career-record${q}`);
      assert.equal(r.status, 200, r.text);
      if (!q) assert.ok(r.text.includes('FBMARK-public'), `${who} reads the public praise`);
      assert.ok(!r.text.includes('FBMARK-private'), `${who}${q} reads private feedback`);
      assert.ok(!r.text.includes('FBMARK-managers'), `${who}${q} reads managers-only feedback`);
    }
  }
});

test('the audit log shows a private goal to nobody but its owner', async () => {
  const g = await as.self.post('/api/v1/goals', { title: 'GOALMARK-private-title', visibility: 'private', ...Y, key_results: [{ title: 'GOALMARK-kr', start: 0, target: 10, current: 1 }] });
  assert.equal(g.status, 201, g.text);
  assert.equal((await as.self.patch(`/api/v1/goals/${g.json.id}`, { title: 'GOALMARK-renamed' })).status, 200);
  const m = await as.self.post('/api/v1/goals', { title: 'GOALMARK-managers', visibility: 'managers', ...Y });
  const pub = await as.self.post('/api/v1/goals', { title: 'Public goal title', visibility: 'public', ...Y });
  for (const who of ['hr', 'admin']) {
    const r = await as[who].get('/api/v1/audit?entity=goal&limit=200');
    assert.equal(r.status, 200);
    assert.ok(!r.text.includes('GOALMARK-private') && !r.text.includes('GOALMARK-kr') && !r.text.includes('GOALMARK-renamed'), `${who} reads the private goal in the audit`);
    const rows = r.json.items.filter((x) => x.entity_id === g.json.id);
    assert.ok(rows.length >= 2 && rows.every((x) => x.redacted && x.before === null && x.after === null));
    assert.ok(r.text.includes('Public goal title'), 'public goals stay readable');
    assert.ok(r.text.includes('GOALMARK-managers'), 'HR may read managers-only goals, and their audit');
  }
  assert.ok(pub.status === 201 && m.status === 201);
});

test('a public parent rolls up only its public children, and counts only them', async () => {
  const parent = (await as.self.post('/api/v1/goals', { title: 'Parent', visibility: 'public', ...Y, key_results: [{ title: 'p', start: 0, target: 10, current: 0 }] })).json;
  const pubKid = await as.self.post('/api/v1/goals', { title: 'Public child', parent_id: parent.id, ...Y, key_results: [{ title: 'k', start: 0, target: 10, current: 5 }] });
  assert.equal(pubKid.status, 201, pubKid.text);
  for (const visibility of ['managers', 'private']) {
    const r = await as.self.post('/api/v1/goals', { title: `Hidden ${visibility}`, parent_id: parent.id, visibility, ...Y, key_results: [{ title: 'k', start: 0, target: 10, current: 10 }] });
    assert.equal(r.status, 201, r.text);
  }
  for (const who of ['peer', 'other', 'manager', 'hr', 'self']) {
    const p = (await as[who].get(`/api/v1/goals/${parent.id}`)).json;
    assert.equal(p.children_count, 1, `${who} counts hidden children`);
    assert.equal(p.rollup_progress, 50, `${who} sees hidden progress in the roll-up`);
  }
});

test('mentor search shows what the mentor offered, not the manager\'s rating', async () => {
  const sk = (await as.hr.post('/api/v1/skills', { name: 'Kubernetes', category: 'Platform' })).json;
  assert.ok(sk.id);
  assert.equal((await as.peer.put('/api/v1/me/mentor-offer', { skill_ids: [sk.id], capacity: 2 })).status, 200);
  assert.equal((await as.manager.post(`/api/v1/people/${ids.peer}/ratings`, { subject: 'skill', subject_id: sk.id, rating: 1 })).status, 200);
  let m = (await as.other.get(`/api/v1/mentors?skill=${sk.id}`)).json.items.find((x) => x.id === ids.peer);
  assert.ok(m, 'the mentor is listed');
  assert.ok(m.rating === null || m.rating === undefined || m.rating === 0, `manager rating shown: ${JSON.stringify(m)}`);
  assert.equal((await as.peer.post(`/api/v1/people/${ids.peer}/ratings`, { subject: 'skill', subject_id: sk.id, rating: 4 })).status, 200);
  m = (await as.other.get(`/api/v1/mentors?skill=${sk.id}`)).json.items.find((x) => x.id === ids.peer);
  assert.equal(m.rating, 4, 'the mentor\'s own rating');
});

test('a leaver\'s calendar feed stops, and its token never reaches the log', async () => {
  const feed = await as.report.post('/api/v1/me/calendar', {});
  assert.equal(feed.status, 201, feed.text);
  const anon = srv.anon();
  assert.equal((await anon.get(feed.json.path)).status, 200);
  const token = feed.json.path.split('/').pop().replace(/\.ics$/, '');
  assert.ok(token.length >= 16);
  assert.equal((await as.hr.patch(`/api/v1/people/${ids.report}`, { status: 'terminated', reason: 'left the company' })).status, 200);
  expectError(assert, await anon.get(feed.json.path), 404, 'not_found');
  await new Promise((res) => setTimeout(res, 200));
  assert.ok(!srv.stderr.includes(token), 'the feed token is in the server log');
});
