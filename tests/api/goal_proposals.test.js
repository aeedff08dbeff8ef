// Goal proposals and the "can" object: a manager proposes a goal to a report, the report accepts
// it; who may propose (403s); what each role is told it may do with a goal, and that the server
// agrees with it. SQLite and PostgreSQL.
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
});
after(async () => { await srv?.stop(); });

test('a manager proposes; only the report may accept; the audit keeps before and after', async () => {
  const p = await as.manager.post('/api/v1/goals', { title: 'Run the design review', owner_id: ids.self, ...Y });
  assert.equal(p.status, 201, p.text);
  assert.equal(p.json.proposed_by, ids.manager);
  assert.equal(p.json.accepted, false);
  assert.equal(p.json.status, 'draft');
  assert.equal(p.json.can.accept, false, 'the proposer is not offered accept');
  const seen = await as.self.get(`/api/v1/goals/${p.json.id}`);
  assert.equal(seen.status, 200, seen.text);
  assert.equal(seen.json.can.accept, true, 'the report is offered accept');
  expectError(assert, await as.manager.patch(`/api/v1/goals/${p.json.id}`, { accepted: true }), 422, 'validation_failed');
  expectError(assert, await as.self.patch(`/api/v1/goals/${p.json.id}`, { accepted: false }), 422, 'validation_failed');
  const acc = await as.self.patch(`/api/v1/goals/${p.json.id}`, { accepted: true });
  assert.equal(acc.status, 200, acc.text);
  assert.equal(acc.json.accepted, true);
  assert.equal(acc.json.can.accept, false, 'accept is offered once');
  const audit = (await as.hr.get(`/api/v1/audit?entity=goal&entity_id=${p.json.id}`)).json.items;
  assert.deepEqual(audit.map((a) => a.action), ['goal.update', 'goal.create']);
});

test('who may propose: managers of the owner, not peers, not the report upward, not other teams', async () => {
  expectError(assert, await as.peer.post('/api/v1/goals', { title: 'For you', owner_id: ids.self, ...Y }), 403, 'forbidden');
  expectError(assert, await as.self.post('/api/v1/goals', { title: 'For my boss', owner_id: ids.manager, ...Y }), 403, 'forbidden');
  expectError(assert, await as.other.post('/api/v1/goals', { title: 'Across', owner_id: ids.self, ...Y }), 403, 'forbidden');
  const skip = await as.skip.post('/api/v1/goals', { title: 'From two levels up', owner_id: ids.self, ...Y });
  assert.equal(skip.status, 201, skip.text);
  assert.equal(skip.json.accepted, false);
});

test('"can" per role on a public goal, and the server agrees with every false', async () => {
  const g = (await as.self.post('/api/v1/goals', { title: 'Ship the importer', visibility: 'public', ...Y })).json;
  const want = {
    self: { edit: true, delete: true, check_in: true, accept: false },
    manager: { edit: true, delete: true, check_in: true, accept: false },
    skip: { edit: true, delete: true, check_in: true, accept: false },
    hr: { edit: true, delete: true, check_in: false, accept: false },
    peer: { edit: false, delete: false, check_in: false, accept: false },
    other: { edit: false, delete: false, check_in: false, accept: false },
  };
  for (const [k, can] of Object.entries(want)) {
    const r = await as[k].get(`/api/v1/goals/${g.id}`);
    assert.equal(r.status, 200, `${k}: ${r.text}`);
    assert.deepEqual(r.json.can, can, k);
  }
  for (const k of ['peer', 'other']) {
    expectError(assert, await as[k].patch(`/api/v1/goals/${g.id}`, { title: 'Mine now' }), 403, 'forbidden');
    expectError(assert, await as[k].post(`/api/v1/goals/${g.id}/checkins`, { confidence: 3 }), 403, 'forbidden');
    expectError(assert, await as[k].del(`/api/v1/goals/${g.id}`), 403, 'forbidden');
  }
  assert.equal((await as.self.get(`/api/v1/goals/${g.id}`)).json.title, 'Ship the importer');
});
