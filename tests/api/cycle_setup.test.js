// Setting up a review cycle from the browser's API: templates read and edited (refused once a
// launched cycle uses them), weights that make the overall score, a draft cycle edited field by
// field, participant rules (departments, a manager's organisation, hired before, people included
// or left out) with a live count, and the dry run whose counts equal what the launch creates.
// Employees and managers are refused every one of these routes. SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, expectError, everyFault, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
let srv;
const as = {};
const ids = {};
const tpl = {};
const dept = {};

before(async () => {
  srv = await startServer({ people: org.csv, users: org.users });
  for (const [k, email] of Object.entries(org.byKey)) as[k] = await srv.login(email, PASSWORD);
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
  const walk = (nodes) => { for (const d of nodes || []) { dept[d.name] = d.id; walk(d.children); } };
  const deps = (await as.hr.get('/api/v1/departments')).json;
  walk(deps.items || deps);
  const mk = async (name, kind, questions) => {
    const r = await as.hr.post('/api/v1/review-templates', { name, kind, questions });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  tpl.self = await mk('Self', 'self', [{ id: 'year', type: 'rating', text: 'Your year' }]);
  tpl.manager = await mk('Manager', 'manager', [
    { id: 'delivery', type: 'rating', text: 'Delivery', weight: 3 },
    { id: 'craft', type: 'competency', competency: 'Technical skill', text: 'Craft', scale: 4, weight: 1 },
    { id: 'summary', type: 'text', text: 'Summary' }]);
  tpl.peer = await mk('Peer', 'peer', [{ id: 'collab', type: 'rating', text: 'Collaboration' }]);
  tpl.upward = await mk('Upward', 'upward', [{ id: 'support', type: 'rating', text: 'Support' }]);
});
after(async () => { await srv?.stop(); });

const base = (extra = {}) => ({ name: 'Set-up', period_start: '2026-01-01', period_end: '2026-12-31', self_template_id: tpl.self, manager_template_id: tpl.manager, ...extra });

test('a template is read and edited by HR, with errors named by field', async () => {
  const t = (await as.hr.get(`/api/v1/review-templates/${tpl.peer}`)).json;
  assert.equal(t.name, 'Peer');
  const r = await as.hr.patch(`/api/v1/review-templates/${tpl.peer}`, { name: 'Peer feedback' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.name, 'Peer feedback');
  assert.equal(r.json.questions[0].id, 'collab', 'questions not sent are kept');
  const q = await as.hr.patch(`/api/v1/review-templates/${tpl.peer}`, { questions: [{ id: 'collab', type: 'rating', text: 'Collaboration', scale: 4, labels: ['Rarely', 'Sometimes', 'Often', 'Always'] }, { id: 'note', type: 'text', text: 'Anything else?', required: false }] });
  assert.equal(q.status, 200, q.text);
  assert.deepEqual(q.json.questions[0].labels, ['Rarely', 'Sometimes', 'Often', 'Always']);
  const again = (await as.hr.get(`/api/v1/review-templates/${tpl.peer}`)).json;
  assert.equal(again.questions.length, 2);
  assert.equal(again.name, 'Peer feedback');
  const bad = await as.hr.patch(`/api/v1/review-templates/${tpl.peer}`, { questions: [{ id: 'collab', type: 'rating', text: 'C', scale: 3, labels: ['a', 'b'] }, { id: 'w', type: 'text', text: 'T', weight: 5 }] });
  expectError(assert, bad, 422, 'validation_failed');
  assert.match(bad.json.error.fields['questions[0]'], /one label per point of the scale \(3\)/);
  assert.match(bad.json.error.fields['questions[1]'], /weight/);
  assert.equal((await as.hr.get(`/api/v1/review-templates/${tpl.peer}`)).json.questions.length, 2, 'bad input changes nothing');
  expectError(assert, await as.hr.patch(`/api/v1/review-templates/${tpl.peer}`, { name: '' }), 422, 'validation_failed');
  expectError(assert, await as.hr.get('/api/v1/review-templates/999999'), 404, 'not_found');
  // the change is audited with before and after
  const audit = (await as.hr.get('/api/v1/audit?entity=review_template')).json.items || [];
  assert.ok(audit.some((a) => a.action === 'review_template.update'), 'audited');
});

test('employees and managers are refused every set-up route', async () => {
  const c = (await as.hr.post('/api/v1/review-cycles', base())).json;
  for (const who of ['self', 'manager']) {
    expectError(assert, await as[who].get(`/api/v1/review-templates/${tpl.self}`), 403, 'forbidden');
    expectError(assert, await as[who].patch(`/api/v1/review-templates/${tpl.self}`, { name: 'x' }), 403, 'forbidden');
    expectError(assert, await as[who].get(`/api/v1/review-cycles/${c.id}`), 403, 'forbidden');
    expectError(assert, await as[who].patch(`/api/v1/review-cycles/${c.id}`, { name: 'x' }), 403, 'forbidden');
    expectError(assert, await as[who].post(`/api/v1/review-cycles/${c.id}/dry-run`, {}), 403, 'forbidden');
    expectError(assert, await as[who].post('/api/v1/review-cycle-participants', {}), 403, 'forbidden');
  }
  assert.equal((await as.hr.get(`/api/v1/review-cycles/${c.id}`)).json.name, 'Set-up');
});

test('a draft keeps the fields an edit does not send, and every setting may change', async () => {
  const c = (await as.hr.post('/api/v1/review-cycles', base({ threshold: 4, peer_template_id: tpl.peer, deadlines: { self: '2026-11-01' } }))).json;
  const r = await as.hr.patch(`/api/v1/review-cycles/${c.id}`, { period_end: '2026-11-30', upward_template_id: tpl.upward, peer_selection: 'nominated', min_peers: 1, participants: { department_ids: [dept.Engineering] } });
  assert.equal(r.status, 200, r.text);
  const g = (await as.hr.get(`/api/v1/review-cycles/${c.id}`)).json;
  assert.equal(g.name, 'Set-up');
  assert.equal(g.threshold, 4);
  assert.equal(g.period_end, '2026-11-30');
  assert.equal(g.peer_template_id, tpl.peer);
  assert.equal(g.upward_template_id, tpl.upward);
  assert.equal(g.peer_selection, 'nominated');
  assert.equal(g.deadlines.self, '2026-11-01');
  assert.deepEqual(g.participants.department_ids, [dept.Engineering]);
  // a later edit without participants keeps them; null clears a template
  await as.hr.patch(`/api/v1/review-cycles/${c.id}`, { peer_template_id: null });
  const g2 = (await as.hr.get(`/api/v1/review-cycles/${c.id}`)).json;
  assert.equal(g2.peer_template_id, null);
  assert.deepEqual(g2.participants.department_ids, [dept.Engineering]);
  // bad input: named fields and nothing changed
  const bad = await as.hr.patch(`/api/v1/review-cycles/${c.id}`, { name: 'Renamed', period_end: '2025-01-01', threshold: 1, manager_template_id: tpl.self, participants: { include_ids: [999999] } });
  expectError(assert, bad, 422, 'validation_failed');
  for (const f of ['period_end', 'threshold', 'manager_template_id', 'participants.include_ids']) assert.ok(bad.json.error.fields[f], `${f} named: ${bad.text}`);
  assert.equal((await as.hr.get(`/api/v1/review-cycles/${c.id}`)).json.name, 'Set-up');
  const both = await as.hr.patch(`/api/v1/review-cycles/${c.id}`, { participants: { include_ids: [ids.other], exclude_ids: [ids.other] } });
  expectError(assert, both, 422, 'validation_failed');
  // once launched, only the name and deadlines change
  await as.hr.patch(`/api/v1/review-cycles/${c.id}`, { peer_selection: 'auto' });
  assert.equal((await as.hr.post(`/api/v1/review-cycles/${c.id}/launch`, {})).status, 200);
  expectError(assert, await as.hr.patch(`/api/v1/review-cycles/${c.id}`, { threshold: 5 }), 422, 'validation_failed');
  const blank = await as.hr.patch(`/api/v1/review-cycles/${c.id}`, { name: '' });
  expectError(assert, blank, 422, 'validation_failed');
  assert.ok(blank.json.error.fields.name, 'a launched cycle keeps a name');
  assert.equal((await as.hr.get(`/api/v1/review-cycles/${c.id}`)).json.name, 'Set-up');
  expectError(assert, await as.hr.post(`/api/v1/review-cycles/${c.id}/dry-run`, {}), 409, 'conflict');
});

test('participant rules: departments, a manager\'s organisation, hired before, include and exclude', async () => {
  const count = async (body) => {
    const r = await as.hr.post('/api/v1/review-cycle-participants', body);
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  assert.equal((await count({})).count, 9, 'everyone active');
  const eng = await count({ participants: { department_ids: [dept.Engineering] } });
  assert.equal(eng.count, 5);
  const orgOf = await count({ participants: { manager_ids: [ids.manager] } });
  assert.deepEqual(orgOf.people.map((p) => p.id).sort((a, b) => a - b), [ids.manager, ids.self, ids.peer, ids.report].sort((a, b) => a - b));
  assert.equal((await count({ participants: { department_ids: [dept.Sales], manager_ids: [ids.manager] } })).count, 5, 'a department or an organisation');
  assert.equal((await count({ hired_before: '2020-01-01' })).count, 5);
  assert.equal((await count({ hired_before: '2020-01-01', participants: { manager_ids: [ids.manager] } })).count, 1, 'the manager only was hired before 2020');
  const mixed = await count({ participants: { manager_ids: [ids.manager], include_ids: [ids.other], exclude_ids: [ids.report] } });
  assert.equal(mixed.count, 4);
  assert.ok(mixed.people.some((p) => p.id === ids.other) && !mixed.people.some((p) => p.id === ids.report));
  const bad = await as.hr.post('/api/v1/review-cycle-participants', { hired_before: 'soon', participants: { department_ids: [424242], manager_ids: ['x'] } });
  expectError(assert, bad, 422, 'validation_failed');
  for (const f of ['hired_before', 'participants.department_ids', 'participants.manager_ids']) assert.ok(bad.json.error.fields[f], f);
});

test('the dry run counts exactly what the launch creates, and writes nothing', async () => {
  const c = (await as.hr.post('/api/v1/review-cycles', base({ peer_template_id: tpl.peer, upward_template_id: tpl.upward, participants: { manager_ids: [ids.skip], include_ids: [ids.other] } }))).json;
  assert.deepEqual(c.participants.manager_ids, [ids.skip]);
  const unread = async () => (await as.self.get('/api/v1/notifications?limit=1')).json.unread;
  const before = await unread();
  const d1 = await as.hr.post(`/api/v1/review-cycles/${c.id}/dry-run`, {});
  assert.equal(d1.status, 200, d1.text);
  const d2 = (await as.hr.post(`/api/v1/review-cycles/${c.id}/dry-run`, {})).json;
  assert.deepEqual(d2, d1.json, 'running it twice gives the same counts');
  assert.equal(d1.json.participants, 6, 'engdir, manager, self, peer, report and the included salesperson');
  assert.equal(d1.json.reviews, Object.values(d1.json.by_kind).reduce((a, b) => a + b, 0));
  assert.equal(d1.json.by_kind.self, 6);
  assert.equal((await as.self.get(`/api/v1/reviews?cycle=${c.id}`)).json.items.length, 0, 'nothing written');
  assert.equal(await unread(), before, 'nobody is notified by a dry run');
  assert.equal((await as.hr.get(`/api/v1/review-cycles/${c.id}`)).json.status, 'draft');
  const l = await as.hr.post(`/api/v1/review-cycles/${c.id}/launch`, {});
  assert.equal(l.status, 200, l.text);
  assert.equal(l.json.assignments, d1.json.reviews, 'the launch creates what the dry run said');
  const p = (await as.hr.get(`/api/v1/review-cycles/${c.id}/progress`)).json;
  for (const [k, n] of Object.entries(d1.json.by_kind)) assert.equal(p.overall[k]?.total ?? 0, n, `${k} reviews as counted`);
  assert.ok((await as.hr.get(`/api/v1/review-outcomes?cycle=${c.id}&person=${ids.other}`)).json.items.length, 'the included person takes part');
  assert.equal((await as.hr.get(`/api/v1/review-outcomes?cycle=${c.id}&person=${ids.ceo}`)).json.items.length, 0, 'outside the organisation');
});

test('two launches of one cycle at once: one creates the reviews, the other is told it was launched', async () => {
  const c = (await as.hr.post('/api/v1/review-cycles', base({ participants: { manager_ids: [ids.skip] } }))).json;
  const d = (await as.hr.post(`/api/v1/review-cycles/${c.id}/dry-run`, {})).json;
  const [a, b] = await Promise.all([as.hr.post(`/api/v1/review-cycles/${c.id}/launch`, {}), as.hr.post(`/api/v1/review-cycles/${c.id}/launch`, {})]);
  assert.deepEqual([a.status, b.status].sort(), [200, 409], `one launch wins: ${a.text} ${b.text}`);
  const p = (await as.hr.get(`/api/v1/review-cycles/${c.id}/progress`)).json;
  const total = Object.values(p.overall).reduce((sum, k) => sum + (k.total ?? 0), 0);
  assert.equal(total, d.reviews, 'one set of reviews, as the dry run counted');
});

test('a launch with no participants is refused, and the dry run says so', async () => {
  const c = (await as.hr.post('/api/v1/review-cycles', base({ hired_before: '2000-01-01' }))).json;
  const d = await as.hr.post(`/api/v1/review-cycles/${c.id}/dry-run`, {});
  expectError(assert, d, 422, 'validation_failed');
  assert.ok(d.json.error.fields.participants);
  expectError(assert, await as.hr.post(`/api/v1/review-cycles/${c.id}/launch`, {}), 422, 'validation_failed');
  assert.equal((await as.hr.get(`/api/v1/review-cycles/${c.id}`)).json.status, 'draft');
});

test('the weights of the manager template make the overall score', async () => {
  const c = (await as.hr.post('/api/v1/review-cycles', base({ participants: { include_ids: [ids.self] }, hired_before: '2000-01-01' }))).json;
  assert.equal((await as.hr.post(`/api/v1/review-cycles/${c.id}/launch`, {})).status, 200);
  const rv = (await as.manager.get(`/api/v1/reviews?cycle=${c.id}`)).json.items.find((x) => x.kind === 'manager');
  // delivery 5/5 (weight 3) and craft 2/4 -> 1 + 4 * 1/3 = 2.33 (weight 1): (15 + 2.333) / 4 = 4.33
  const s = await as.manager.post(`/api/v1/reviews/${rv.id}/submit`, { answers: { delivery: 5, craft: 2, summary: 'Strong year.' } });
  assert.equal(s.status, 200, s.text);
  const o = (await as.hr.get(`/api/v1/review-outcomes?cycle=${c.id}&person=${ids.self}`)).json.items[0];
  assert.equal(o.rating, 4.33);
});

test('editing a template a launched cycle uses is refused', async () => {
  const r = await as.hr.patch(`/api/v1/review-templates/${tpl.self}`, { name: 'Changed' });
  expectError(assert, r, 409, 'conflict');
  const t = (await as.hr.get(`/api/v1/review-templates/${tpl.self}`)).json;
  assert.equal(t.name, 'Self');
  assert.ok(t.launched_cycle_id, 'the editor is told which launched cycle uses it');
  const fresh = (await as.hr.post('/api/v1/review-templates', { name: 'Unused', kind: 'self', questions: [{ id: 'q', type: 'text', text: 'Anything?' }] })).json;
  assert.equal((await as.hr.get(`/api/v1/review-templates/${fresh.id}`)).json.launched_cycle_id, null);
});

test('joiners and leavers by name, a submitted review reopened with a reason, a person\'s reviews', async () => {
  const c = (await as.hr.post('/api/v1/review-cycles', base({ participants: { manager_ids: [ids.manager] } }))).json;
  assert.equal((await as.hr.post(`/api/v1/review-cycles/${c.id}/launch`, {})).status, 200);
  // a late joiner: included by name, enrolled by the sync
  const inc = await as.hr.patch(`/api/v1/review-cycles/${c.id}`, { participants: { manager_ids: [ids.manager], include_ids: [ids.other] } });
  assert.equal(inc.status, 200, inc.text);
  assert.deepEqual(inc.json.participants.include_ids, [ids.other]);
  let s = (await as.hr.post(`/api/v1/review-cycles/${c.id}/sync`, {})).json;
  assert.equal(s.joined, 1);
  assert.ok((await as.other.get(`/api/v1/reviews?cycle=${c.id}`)).json.items.some((x) => x.kind === 'self'), 'the joiner writes a self-review');
  // a leaver: left out by name, withdrawn by the sync; their reviews leave every list
  await as.hr.patch(`/api/v1/review-cycles/${c.id}`, { participants: { manager_ids: [ids.manager], include_ids: [ids.other], exclude_ids: [ids.peer] } });
  s = (await as.hr.post(`/api/v1/review-cycles/${c.id}/sync`, {})).json;
  assert.equal(s.left, 1);
  const peer = (await as.hr.get(`/api/v1/review-cycles/${c.id}/people/${ids.peer}`)).json;
  assert.ok(peer.outcome.withdrawn_at, 'withdrawn');
  assert.equal(peer.reviews.length, 0);
  assert.equal((await as.peer.get(`/api/v1/reviews?cycle=${c.id}`)).json.items.length, 0);
  // reopen a submitted self-review
  const mine = (await as.self.get(`/api/v1/reviews?cycle=${c.id}`)).json.items.find((x) => x.kind === 'self');
  assert.equal((await as.self.post(`/api/v1/reviews/${mine.id}/submit`, { answers: { year: 4 } })).status, 200);
  const who = (await as.hr.get(`/api/v1/review-cycles/${c.id}/people/${ids.self}`)).json;
  assert.equal(who.person.name, 'Zoë Ōtsuka');
  assert.equal(who.reviews.find((x) => x.id === mine.id).status, 'submitted');
  assert.equal(who.reviews.find((x) => x.kind === 'manager').reviewer.id, ids.manager);
  expectError(assert, await as.self.post(`/api/v1/reviews/${mine.id}/reopen`, { reason: 'I want to change it' }), 403, 'forbidden');
  expectError(assert, await as.manager.post(`/api/v1/reviews/${mine.id}/reopen`, { reason: 'I want to change it' }), 403, 'forbidden');
  expectError(assert, await as.self.get(`/api/v1/review-cycles/${c.id}/people/${ids.self}`), 403, 'forbidden');
  const short = await as.hr.post(`/api/v1/reviews/${mine.id}/reopen`, { reason: 'oops' });
  expectError(assert, short, 422, 'validation_failed');
  assert.ok(short.json.error.fields.reason);
  const ok = await as.hr.post(`/api/v1/reviews/${mine.id}/reopen`, { reason: 'Submitted the wrong rating by mistake' });
  assert.equal(ok.status, 200, ok.text);
  const back = (await as.self.get(`/api/v1/reviews/${mine.id}`)).json;
  assert.equal(back.status, 'draft');
  assert.equal(back.answers.year, 4, 'answers kept');
  expectError(assert, await as.hr.post(`/api/v1/reviews/${mine.id}/reopen`, { reason: 'Submitted the wrong rating by mistake' }), 409, 'conflict');
  const audit = (await as.hr.get('/api/v1/audit?entity=review')).json.items || [];
  const entry = audit.find((a) => a.action === 'review.reopen');
  assert.ok(entry, 'audited');
  assert.equal(entry.after.reason, 'Submitted the wrong rating by mistake');
  assert.equal(entry.before.status, 'submitted');
});

test('two HR partners editing one cycle at once: both changes stay, in draft and after launch', async () => {
  const c = (await as.hr.post('/api/v1/review-cycles', base({ name: 'Race', participants: { include_ids: [ids.self] } }))).json;
  const url = `/api/v1/review-cycles/${c.id}`;
  const lost = [];
  for (let i = 0; i < 10; i++) {
    const [a, b] = await Promise.all([
      as.hr.patch(url, { name: `Race ${i}` }),
      as.hr.patch(url, { threshold: 3 + (i % 3), period_end: `2026-12-${String(10 + i).padStart(2, '0')}` }),
    ]);
    assert.equal(a.status, 200, a.text);
    assert.equal(b.status, 200, b.text);
    const g = (await as.hr.get(url)).json;
    if (g.name !== `Race ${i}` || g.threshold !== 3 + (i % 3) || g.period_end !== `2026-12-${String(10 + i).padStart(2, '0')}`) lost.push(`draft round ${i}`);
  }
  assert.equal((await as.hr.post(`${url}/launch`, {})).status, 200);
  for (let i = 0; i < 10; i++) {
    const day = `2027-01-${String(10 + i).padStart(2, '0')}`;
    const [a, b] = await Promise.all([
      as.hr.patch(url, { name: `Launched ${i}` }),
      as.hr.patch(url, { deadlines: { self: day } }),
    ]);
    assert.equal(a.status, 200, a.text);
    assert.equal(b.status, 200, b.text);
    const g = (await as.hr.get(url)).json;
    if (g.name !== `Launched ${i}` || g.deadlines.self !== day) lost.push(`launched round ${i}`);
  }
  assert.deepEqual(lost, [], 'no round lost a change');
});

test('two HR partners editing one template at once: the name and the questions both stay', async () => {
  const t = await as.hr.post('/api/v1/review-templates', { name: 'Race', kind: 'peer', questions: [{ id: 'q0', type: 'rating', text: 'Start' }] });
  assert.equal(t.status, 201, t.text);
  const url = `/api/v1/review-templates/${t.json.id}`;
  const lost = [];
  for (let i = 0; i < 10; i++) {
    const [a, b] = await Promise.all([
      as.hr.patch(url, { name: `Race ${i}` }),
      as.hr.patch(url, { questions: [{ id: `q${i}`, type: 'rating', text: `Question ${i}` }] }),
    ]);
    assert.equal(a.status, 200, a.text);
    assert.equal(b.status, 200, b.text);
    const g = (await as.hr.get(url)).json;
    if (g.name !== `Race ${i}` || g.questions[0].text !== `Question ${i}`) lost.push(`round ${i}`);
  }
  assert.deepEqual(lost, [], 'no round lost a change');
});

test('a cycle created, edited in draft and after launch, and a template edited: a failure at any statement leaves nothing, and each is audited', async () => {
  const cycles = async () => JSON.stringify({
    cycles: (await as.hr.get('/api/v1/review-cycles')).json,
    audit: (await as.admin.get('/api/v1/audit?limit=200')).json.items.length,
  });
  const made = await everyFault(assert, cycles, as.hr, 'POST', '/api/v1/review-cycles', base({ name: 'Faulty', participants: { include_ids: [ids.self, ids.peer] } }), 'cycle create');
  assert.equal(made.status, 201, made.text);
  assert.ok(made.json.participants, made.text);
  assert.deepEqual(made.json.participants.include_ids, [ids.self, ids.peer].sort((x, y) => x - y));
  const url = `/api/v1/review-cycles/${made.json.id}`;
  const one = async () => JSON.stringify({ cycle: (await as.hr.get(url)).json, audit: (await as.admin.get('/api/v1/audit?limit=200')).json.items.length });
  const draft = await everyFault(assert, one, as.hr, 'PATCH', url, { name: 'Faulty draft', participants: { include_ids: [ids.self] } }, 'draft edit');
  assert.equal(draft.json.name, 'Faulty draft');
  assert.deepEqual(draft.json.participants.include_ids, [ids.self]);
  const audited = (await as.admin.get('/api/v1/audit?limit=20')).json.items.find((x) => x.action === 'review_cycle.update');
  assert.equal(audited.before.name, 'Faulty');
  assert.equal(audited.after.name, 'Faulty draft');
  assert.equal((await as.hr.post(`${url}/launch`, {})).status, 200);
  const live = await everyFault(assert, one, as.hr, 'PATCH', url, { name: 'Faulty live', deadlines: { self: '2027-02-01' } }, 'launched edit');
  assert.equal(live.json.name, 'Faulty live');
  assert.equal(live.json.deadlines.self, '2027-02-01');
  expectError(assert, await as.hr.patch(url, { threshold: 4 }), 422, 'validation_failed');

  const t = (await as.hr.post('/api/v1/review-templates', { name: 'Faulty', kind: 'peer', questions: [{ id: 'q', type: 'rating', text: 'Q' }] })).json;
  const turl = `/api/v1/review-templates/${t.id}`;
  const tstate = async () => JSON.stringify({ t: (await as.hr.get(turl)).json, audit: (await as.admin.get('/api/v1/audit?limit=200')).json.items.length });
  const edited = await everyFault(assert, tstate, as.hr, 'PATCH', turl, { name: 'Faulty edited' }, 'template edit');
  assert.equal(edited.json.name, 'Faulty edited');
  assert.equal(edited.json.questions[0].id, 'q', 'questions not sent are kept');
  const row = (await as.admin.get('/api/v1/audit?limit=20')).json.items.find((x) => x.action === 'review_template.update');
  assert.equal(row.before.name, 'Faulty');
  assert.equal(row.after.name, 'Faulty edited');
});
