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
  const told = (await as.self.get('/api/v1/notifications?limit=50')).json.items.filter((n) => n.kind === 'goal_proposal');
  assert.ok(told.some((n) => /Mia Manager proposed a goal to you: Run the design review/.test(n.body) && n.link === `#/goals/${p.json.id}`), JSON.stringify(told));
  const acc = await as.self.patch(`/api/v1/goals/${p.json.id}`, { accepted: true });
  assert.equal(acc.status, 200, acc.text);
  assert.equal(acc.json.accepted, true);
  assert.equal(acc.json.can.accept, false, 'accept is offered once');
  const audit = (await as.hr.get(`/api/v1/audit?entity=goal&entity_id=${p.json.id}`)).json.items;
  assert.deepEqual(audit.map((a) => a.action), ['goal.update', 'goal.create']);
  const back = (await as.manager.get('/api/v1/notifications?limit=50')).json.items.filter((n) => n.kind === 'goal_proposal');
  assert.ok(back.some((n) => /accepted the goal you proposed: Run the design review/.test(n.body)), JSON.stringify(back));
});

test('the report declines a proposal with a reason: abandoned, the reason kept, the proposer told', async () => {
  const p = (await as.manager.post('/api/v1/goals', { title: 'Rewrite the billing service', owner_id: ids.self, ...Y })).json;
  assert.equal((await as.self.get(`/api/v1/goals/${p.id}`)).json.can.decline, true);
  assert.equal((await as.manager.get(`/api/v1/goals/${p.id}`)).json.can.decline, false);
  expectError(assert, await as.self.post(`/api/v1/goals/${p.id}/decline`, {}), 422, 'validation_failed');
  expectError(assert, await as.self.post(`/api/v1/goals/${p.id}/decline`, { reason: '' }), 422, 'validation_failed');
  expectError(assert, await as.manager.post(`/api/v1/goals/${p.id}/decline`, { reason: 'Not mine' }), 403, 'forbidden');
  expectError(assert, await as.other.post(`/api/v1/goals/${p.id}/decline`, { reason: 'Nosy' }), 403, 'forbidden');
  assert.equal((await as.self.get(`/api/v1/goals/${p.id}`)).json.status, 'draft', 'refusals changed nothing');
  const d = await as.self.post(`/api/v1/goals/${p.id}/decline`, { reason: 'The migration team owns billing this half.' });
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.status, 'abandoned');
  assert.equal(d.json.can.accept || d.json.can.decline, false, 'nothing left to answer');
  const history = (await as.self.get(`/api/v1/goals/${p.id}/checkins`)).json.items;
  assert.ok(history.some((c) => c.comment === 'Declined: The migration team owns billing this half.'), JSON.stringify(history));
  const told = (await as.manager.get('/api/v1/notifications?limit=50')).json.items.filter((n) => n.kind === 'goal_proposal');
  assert.ok(told.some((n) => /declined the goal you proposed: Rewrite the billing service\. Their reason: The migration team owns billing this half\./.test(n.body)), JSON.stringify(told));
  expectError(assert, await as.self.post(`/api/v1/goals/${p.id}/decline`, { reason: 'Again' }), 409, 'conflict');
  expectError(assert, await as.self.patch(`/api/v1/goals/${p.id}`, { accepted: true }), 422, 'validation_failed');
  // a goal of one's own was never proposed: nothing to decline
  const own = (await as.self.post('/api/v1/goals', { title: 'My own', ...Y })).json;
  expectError(assert, await as.self.post(`/api/v1/goals/${own.id}/decline`, { reason: 'Hmm' }), 409, 'conflict');
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
    self: { edit: true, delete: true, check_in: true, accept: false, decline: false },
    manager: { edit: true, delete: true, check_in: true, accept: false, decline: false },
    skip: { edit: true, delete: true, check_in: true, accept: false, decline: false },
    hr: { edit: true, delete: true, check_in: false, accept: false, decline: false },
    peer: { edit: false, delete: false, check_in: false, accept: false, decline: false },
    other: { edit: false, delete: false, check_in: false, accept: false, decline: false },
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
