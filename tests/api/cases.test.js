// Promotion, raise and responsibility cases: opened by managers with the person's own evidence,
// requested by the person and endorsed, decided by HR; an approved promotion changes the record.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, expectError, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
let srv;
const as = {};
const ids = {};
const WHY = 'Led search v2 end to end and mentors a new engineer every week.';

before(async () => {
  srv = await startServer({ people: org.csv, users: org.users });
  for (const [k, email] of Object.entries(org.byKey)) as[k] = await srv.login(email, PASSWORD);
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
});
after(async () => { await srv?.stop(); });

test('a manager opens a promotion case with evidence; HR approves; title, level and role history change', async () => {
  const goal = (await as.self.post('/api/v1/goals', { title: 'Ship search v2', start_date: '2026-01-01', due_date: '2026-12-31' })).json;
  const acc = (await as.self.post('/api/v1/accomplishments', { happened_on: '2026-05-01', title: 'Search v2 live', shared_with_manager: true })).json;
  const r = await as.manager.post('/api/v1/promotion-cases', {
    person_id: ids.self, kind: 'promotion', proposed_title: 'Senior Software Engineer', proposed_level: 'P4',
    justification: WHY, evidence: { goal_ids: [goal.id], accomplishment_ids: [acc.id] },
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'open');
  assert.deepEqual(r.json.evidence, { goal_ids: [goal.id], accomplishment_ids: [acc.id] });
  for (const who of ['peer', 'other', 'report']) expectError(assert, await as[who].get(`/api/v1/promotion-cases/${r.json.id}`), 404, 'not_found');
  for (const who of ['self', 'skip', 'ceo', 'hr']) assert.equal((await as[who].get(`/api/v1/promotion-cases/${r.json.id}`)).status, 200, who);
  expectError(assert, await as.manager.post(`/api/v1/promotion-cases/${r.json.id}/decide`, { decision: 'approved' }), 403, 'forbidden');
  expectError(assert, await as.hr.post(`/api/v1/promotion-cases/${r.json.id}/decide`, { decision: 'maybe' }), 422, 'validation_failed');
  const d = await as.hr.post(`/api/v1/promotion-cases/${r.json.id}/decide`, { decision: 'approved', note: 'Well evidenced.' });
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.status, 'approved');
  const person = (await as.hr.get(`/api/v1/people/${ids.self}`)).json;
  assert.equal(person.title, 'Senior Software Engineer');
  assert.equal(person.level, 'P4');
  assert.equal(person.role_history[0].kind, 'promotion');
  assert.match(person.role_history[0].reason, /case #/);
  expectError(assert, await as.hr.post(`/api/v1/promotion-cases/${r.json.id}/decide`, { decision: 'rejected' }), 409, 'conflict');
});

test('one\'s own request waits for the manager; evidence must be the person\'s; peers cannot open cases', async () => {
  const req = await as.peer.post('/api/v1/promotion-cases', { person_id: ids.peer, kind: 'raise', justification: 'I took over the on-call rotation and its tooling this year.' });
  assert.equal(req.status, 201, req.text);
  assert.equal(req.json.status, 'requested');
  expectError(assert, await as.hr.post(`/api/v1/promotion-cases/${req.json.id}/decide`, { decision: 'approved' }), 409, 'conflict');
  expectError(assert, await as.self.post(`/api/v1/promotion-cases/${req.json.id}/endorse`, {}), 404, 'not_found');
  const e = await as.manager.post(`/api/v1/promotion-cases/${req.json.id}/endorse`, {});
  assert.equal(e.json.status, 'open');
  assert.equal((await as.hr.post(`/api/v1/promotion-cases/${req.json.id}/decide`, { decision: 'rejected', note: 'Next cycle.' })).json.status, 'rejected');
  const othersGoal = (await as.other.post('/api/v1/goals', { title: 'Not yours', start_date: '2026-01-01', due_date: '2026-12-31' })).json;
  const bad = await as.manager.post('/api/v1/promotion-cases', { person_id: ids.self, proposed_level: 'P5', justification: WHY, evidence: { goal_ids: [othersGoal.id] } });
  expectError(assert, bad, 422, 'validation_failed');
  assert.ok('evidence' in bad.json.error.fields);
  expectError(assert, await as.peer.post('/api/v1/promotion-cases', { person_id: ids.self, proposed_level: 'P5', justification: WHY }), 403, 'forbidden');
  const cases = [
    [{ person_id: ids.self, justification: WHY }, 'proposed_level'],
    [{ person_id: ids.self, kind: 'bonus', justification: WHY }, 'kind'],
    [{ person_id: ids.self, proposed_level: 'P5', justification: 'short' }, 'justification'],
    [{ person_id: 999999, proposed_level: 'P5', justification: WHY }, 'person_id'],
  ];
  for (const [body, field] of cases) {
    const r = await as.manager.post('/api/v1/promotion-cases', body);
    expectError(assert, r, 422, 'validation_failed');
    assert.ok(field in r.json.error.fields, `${JSON.stringify(body)}: ${r.text}`);
  }
  const listed = (await as.peer.get('/api/v1/promotion-cases')).json.items;
  assert.ok(listed.every((c) => c.person.id === ids.peer), 'people list only their own cases');
});
