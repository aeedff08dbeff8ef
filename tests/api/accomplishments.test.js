// The accomplishments journal: private by default, shared with the manager chain on request,
// filters, exports, links to goals, the access matrix. SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, expectError, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
let srv;
const as = {};
const ids = {};

before(async () => {
  srv = await startServer({ people: org.csv, users: org.users });
  for (const [k, email] of Object.entries(org.byKey)) as[k] = await srv.login(email, PASSWORD);
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
});
after(async () => { await srv?.stop(); });

test('record, read back, edit and delete an accomplishment', async () => {
  const goal = (await as.self.post('/api/v1/goals', { title: 'Ship search', start_date: '2026-01-01', due_date: '2026-12-31' })).json;
  const r = await as.self.post('/api/v1/accomplishments', {
    happened_on: '2026-03-14', title: 'Shipped search v2 — 3× faster', impact: 'Support tickets −40%',
    challenges: 'Index rebuild without downtime', links: ['https://example.com/pr/1'],
    tags: ['Delivery', 'Performance'], skills: ['PostgreSQL'], goal_ids: [goal.id],
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.shared_with_manager, false, 'private by default');
  assert.deepEqual(r.json.tags, ['delivery', 'performance']);
  assert.deepEqual(r.json.goal_ids, [goal.id]);
  const p = await as.self.patch(`/api/v1/accomplishments/${r.json.id}`, { title: 'Shipped search v2', goal_ids: [] });
  assert.equal(p.json.title, 'Shipped search v2');
  assert.deepEqual(p.json.goal_ids, []);
  assert.equal(p.json.impact, 'Support tickets −40%');
  assert.equal((await as.self.del(`/api/v1/accomplishments/${r.json.id}`)).status, 204);
  expectError(assert, await as.self.get(`/api/v1/accomplishments/${r.json.id}`), 404, 'not_found');
});

test('private entries are the author\'s alone; shared ones reach the manager chain only', async () => {
  const priv = (await as.self.post('/api/v1/accomplishments', { happened_on: '2026-04-01', title: 'Private win' })).json;
  const shared = (await as.self.post('/api/v1/accomplishments', { happened_on: '2026-05-01', title: 'Shared win', shared_with_manager: true })).json;
  const matrix = { self: [200, 200], manager: [404, 200], skip: [404, 200], ceo: [404, 200], peer: [404, 404], other: [404, 404], hr: [404, 404], admin: [404, 404], report: [404, 404] };
  for (const [who, [a, b]] of Object.entries(matrix)) {
    assert.equal((await as[who].get(`/api/v1/accomplishments/${priv.id}`)).status, a, `${who} private`);
    assert.equal((await as[who].get(`/api/v1/accomplishments/${shared.id}`)).status, b, `${who} shared`);
    const list = await as[who].get(`/api/v1/accomplishments?person=${ids.self}`);
    if (who === 'self') assert.ok(list.json.items.some((x) => x.id === priv.id));
    else if (b === 200) {
      assert.equal(list.status, 200);
      assert.ok(list.json.items.some((x) => x.id === shared.id));
      assert.ok(!list.json.items.some((x) => x.id === priv.id), `${who} must not list the private entry`);
    } else expectError(assert, list, 404, 'not_found');
  }
  expectError(assert, await as.manager.patch(`/api/v1/accomplishments/${shared.id}`, { title: 'edited by boss' }), 403, 'forbidden');
  expectError(assert, await as.manager.del(`/api/v1/accomplishments/${priv.id}`), 404, 'not_found');
  const audit = (await as.hr.get(`/api/v1/audit?entity=accomplishment&entity_id=${priv.id}`)).json.items;
  assert.equal(audit[0].action, 'accomplishment.create');
  assert.ok(!JSON.stringify(audit).includes('Private win'), 'the audit log does not copy the private text');
});

test('filters by period and tag, cursor pages, and exports', async () => {
  for (const [d, t, tags] of [['2026-01-10', 'Jan', ['q1']], ['2026-02-10', 'Feb', ['q1', 'team']], ['2026-07-01', 'Jul', ['q3']]]) {
    assert.equal((await as.peer.post('/api/v1/accomplishments', { happened_on: d, title: t, tags, impact: 'has "quotes", commas' })).status, 201);
  }
  const q1 = (await as.peer.get('/api/v1/accomplishments?from=2026-01-01&to=2026-03-31')).json.items.map((x) => x.title);
  assert.deepEqual(q1, ['Feb', 'Jan']);
  assert.deepEqual((await as.peer.get('/api/v1/accomplishments?tag=TEAM')).json.items.map((x) => x.title), ['Feb']);
  const p1 = await as.peer.get('/api/v1/accomplishments?limit=2');
  const p2 = await as.peer.get(`/api/v1/accomplishments?limit=2&cursor=${encodeURIComponent(p1.json.next_cursor)}`);
  assert.deepEqual([...p1.json.items, ...p2.json.items].map((x) => x.title), ['Jul', 'Feb', 'Jan']);
  const md = await as.peer.get('/api/v1/accomplishments/export?format=markdown&from=2026-01-01&to=2026-03-31');
  assert.equal(md.status, 200);
  assert.match(md.headers.get('content-type'), /text\/markdown/);
  assert.match(md.text, /## 2026-02-10 — Feb/);
  assert.ok(!md.text.includes('Jul'));
  const csv = await as.peer.get('/api/v1/accomplishments/export?format=csv');
  assert.match(csv.headers.get('content-disposition'), /accomplishments\.csv/);
  const lines = csv.text.trim().split('\r\n');
  assert.equal(lines.length, 4);
  assert.ok(lines[1].includes('"has ""quotes"", commas"'));
  expectError(assert, await as.peer.get('/api/v1/accomplishments/export?format=pdf'), 422, 'validation_failed');
});

test('bad input: dates, types, unknown fields, goals one cannot see', async () => {
  const hidden = (await as.peer.post('/api/v1/goals', { title: 'Peer private', visibility: 'private', start_date: '2026-01-01', due_date: '2026-12-31' })).json;
  const cases = [
    [{ title: 'x' }, 'happened_on'],
    [{ happened_on: '2026-13-01', title: 'x' }, 'happened_on'],
    [{ happened_on: '2026-01-01' }, 'title'],
    [{ happened_on: '2026-01-01', title: 'x', tags: 'one' }, 'tags'],
    [{ happened_on: '2026-01-01', title: 'x', tags: ['a,b'] }, 'tags'],
    [{ happened_on: '2026-01-01', title: 'x', links: ['javascript:alert(1)'] }, 'links'],
    [{ happened_on: '2026-01-01', title: 'x', goal_ids: [hidden.id] }, 'goal_ids'],
    [{ happened_on: '2026-01-01', title: 'x', shared_with_manager: 'yes' }, 'shared_with_manager'],
    [{ happened_on: '2026-01-01', title: 'x', person_id: 1 }, 'person_id'],
  ];
  const before = (await as.self.get('/api/v1/accomplishments?limit=200')).json.items.length;
  for (const [body, field] of cases) {
    const r = await as.self.post('/api/v1/accomplishments', body);
    expectError(assert, r, 422, 'validation_failed');
    assert.ok(field in r.json.error.fields, `${JSON.stringify(body)}: ${r.text}`);
  }
  assert.equal((await as.self.get('/api/v1/accomplishments?limit=200')).json.items.length, before);
  expectError(assert, await as.self.get('/api/v1/accomplishments?from=yesterday'), 422, 'validation_failed');
});
