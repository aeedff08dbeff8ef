// Goal versions (issue #10): a goal carries `version` and an ETag; an edit made from an old
// copy (If-Match, or `version` in the body as the web UI sends it) answers 412
// precondition_failed with the current version and changes nothing, so nobody overwrites a
// change they never saw; two editors starting from one version at once: exactly one wins.
// Check-ins do not count as edits. An edit without a version still writes only the fields sent.
// SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, expectError, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
let srv, self, manager, goal;

before(async () => {
  srv = await startServer({ people: org.csv, users: org.users });
  self = await srv.login(org.byKey.self, PASSWORD);
  manager = await srv.login(org.byKey.manager, PASSWORD);
  const r = await self.post('/api/v1/goals', { title: 'Cut p95 latency', description: 'first', start_date: '2026-01-01', due_date: '2026-12-31', visibility: 'public' });
  assert.equal(r.status, 201, r.text);
  goal = r.json;
});
after(async () => { await srv?.stop(); });

test('a goal starts at version 1 with a matching ETag; each edit counts one', async () => {
  const g = await self.get(`/api/v1/goals/${goal.id}`);
  assert.equal(g.json.version, 1);
  assert.equal(g.headers.get('etag'), '"1"');
  const e = await self.patch(`/api/v1/goals/${goal.id}`, { title: 'Cut p95 latency to 200 ms' }, { headers: { 'if-match': '"1"' } });
  assert.equal(e.status, 200, e.text);
  assert.equal(e.json.version, 2);
  assert.equal(e.headers.get('etag'), '"2"');
});

test('an edit from an old copy is refused with 412 and the current version, and changes nothing', async () => {
  let r = await manager.patch(`/api/v1/goals/${goal.id}`, { description: 'from the old copy' }, { headers: { 'if-match': 'W/"1"' } });
  expectError(assert, r, 412, 'precondition_failed');
  assert.equal(r.json.error.current_version, 2);
  assert.match(r.json.error.message, /someone changed this goal/);
  r = await self.patch(`/api/v1/goals/${goal.id}`, { description: 'from the old copy' , version: 1 });
  expectError(assert, r, 412, 'precondition_failed');
  expectError(assert, await self.patch(`/api/v1/goals/${goal.id}`, { description: 'x' }, { headers: { 'if-match': 'garbage' } }), 412, 'precondition_failed');
  expectError(assert, await self.patch(`/api/v1/goals/${goal.id}`, { description: 'x', version: 'two' }), 422, 'validation_failed');
  const g = await self.get(`/api/v1/goals/${goal.id}`);
  assert.equal(g.json.description, 'first', 'nothing was written');
  assert.equal(g.json.version, 2);
});

test('two editors from the same version at once: exactly one is saved, the other told', async () => {
  for (let round = 0; round < 10; round++) {
    const v = (await self.get(`/api/v1/goals/${goal.id}`)).json.version;
    const [a, b] = await Promise.all([
      self.patch(`/api/v1/goals/${goal.id}`, { title: `A ${round}`, version: v }),
      manager.patch(`/api/v1/goals/${goal.id}`, { title: `B ${round}`, version: v }),
    ]);
    const codes = [a.status, b.status].sort();
    assert.deepEqual(codes, [200, 412], `round ${round}: ${a.text} / ${b.text}`);
    const winner = a.status === 200 ? `A ${round}` : `B ${round}`;
    const now = (await self.get(`/api/v1/goals/${goal.id}`)).json;
    assert.equal(now.title, winner);
    assert.equal(now.version, v + 1);
  }
});

test('a check-in is not an edit; an edit without a version writes only its fields', async () => {
  const v = (await self.get(`/api/v1/goals/${goal.id}`)).json.version;
  const c = await self.post(`/api/v1/goals/${goal.id}/checkins`, { status: 'on_track', confidence: 4, comment: 'going well' });
  assert.ok([200, 201].includes(c.status), c.text);
  assert.equal((await self.get(`/api/v1/goals/${goal.id}`)).json.version, v, 'a check-in leaves the version');
  const r = await self.patch(`/api/v1/goals/${goal.id}`, { description: 'no version sent' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, v + 1);
  assert.equal(r.json.description, 'no version sent');
});
