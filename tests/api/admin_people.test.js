// People in the admin console: adding a person (role history records the hire, audited; bad or
// duplicate fields refused, nothing written), terminating one ends their sessions and API tokens
// for good (a later reactivation of the record brings none back), and the people import's dry
// run reports every row error and writes nothing. Non-HR callers get 403. SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, expectError, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
let srv;
const as = {};
const ids = {};

before(async () => {
  srv = await startServer({ people: org.csv, users: org.users });
  for (const k of ['self', 'peer', 'hr', 'admin', 'manager']) as[k] = await srv.login(org.byKey[k], PASSWORD);
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
});
after(async () => { await srv?.stop(); });

const count = async () => (await as.admin.get('/api/v1/people?status=all&limit=200')).json.items.length;

test('an admin adds a person: in the directory, a hire in role history, audited', async () => {
  const dept = (await as.admin.get('/api/v1/departments')).json.items.flatMap(function all(d) { return [d, ...d.children.flatMap(all)]; }).find((d) => d.name === 'Engineering');
  const r = await as.admin.post('/api/v1/people', { name: 'Lena Laine', email: 'Lena.Laine@acme.example', employee_id: 'E42', title: 'QA Engineer', department_id: dept.id, manager_id: ids.manager, level: 'P2', hire_date: '2026-12-01' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.email, 'lena.laine@acme.example');
  assert.equal(r.json.department.name, 'Engineering');
  assert.equal(r.json.manager_id, ids.manager);
  const detail = (await as.admin.get(`/api/v1/people/${r.json.id}`)).json;
  assert.equal(detail.role_history.length, 1);
  assert.equal(detail.role_history[0].kind, 'hire');
  assert.equal(detail.role_history[0].effective_date, '2026-12-01');
  const audit = (await as.admin.get(`/api/v1/audit?entity=person&entity_id=${r.json.id}`)).json.items;
  assert.equal(audit[0].action, 'person.create');
  assert.equal(audit[0].after.name, 'Lena Laine');
  const reports = (await as.manager.get(`/api/v1/people/${ids.manager}`)).json.reports.map((p) => p.name);
  assert.ok(reports.includes('Lena Laine'), 'the manager sees the new report');
});

test('bad or duplicate fields are refused and nothing is written; only HR and admins add', async () => {
  const n = await count();
  let r = await as.admin.post('/api/v1/people', { name: 'Dup', email: org.byKey.peer });
  expectError(assert, r, 422, 'validation_failed');
  assert.ok(r.json.error.fields.email);
  r = await as.admin.post('/api/v1/people', { name: 'Dup', email: 'dup@acme.example', employee_id: 'E4' });
  expectError(assert, r, 422, 'validation_failed');
  assert.ok(r.json.error.fields.employee_id);
  r = await as.admin.post('/api/v1/people', { name: '', email: 'not-an-email', manager_id: 999999, hire_date: '2026-13-45' });
  expectError(assert, r, 422, 'validation_failed');
  assert.ok(r.json.error.fields.name && r.json.error.fields.email && r.json.error.fields.hire_date);
  r = await as.admin.post('/api/v1/people', { name: 'Ghost', email: 'ghost@acme.example', manager_id: 999999 });
  assert.ok(r.json.error.fields.manager_id);
  expectError(assert, await as.admin.post('/api/v1/people', { name: 'X', email: 'x@acme.example', salary: 1 }), 422, 'validation_failed');
  expectError(assert, await as.self.post('/api/v1/people', { name: 'Sneaky', email: 'sneaky@acme.example' }), 403, 'forbidden');
  assert.equal((await as.hr.post('/api/v1/people', { name: 'Hired By HR', email: 'byhr@acme.example' })).status, 201);
  assert.equal(await count(), n + 1, 'only the good one was written');
});

test('terminating a person ends their sessions and API tokens for good', async () => {
  const token = srv.token(org.byKey.peer);
  assert.equal((await token.get('/api/v1/me')).status, 200);
  const r = await as.admin.patch(`/api/v1/people/${ids.peer}`, { status: 'terminated', reason: 'left the company' });
  assert.equal(r.status, 200, r.text);
  expectError(assert, await as.peer.get('/api/v1/me'), 401, 'unauthenticated');
  expectError(assert, await token.get('/api/v1/me'), 401, 'unauthenticated');
  const acc = (await as.admin.get(`/api/v1/accounts/${ids.peer}`)).json;
  assert.deepEqual(acc.sessions, [], 'the sessions are gone, not only refused');
  assert.ok((await as.admin.get(`/api/v1/accounts/${ids.peer}/tokens`)).json.items.every((t) => t.revoked_at));
  // a rehire does not bring the old credentials back
  assert.equal((await as.admin.patch(`/api/v1/people/${ids.peer}`, { status: 'active', reason: 'rehired' })).status, 200);
  expectError(assert, await as.peer.get('/api/v1/me'), 401, 'unauthenticated');
  expectError(assert, await token.get('/api/v1/me'), 401, 'unauthenticated');
  const hist = (await as.admin.get(`/api/v1/people/${ids.peer}`)).json.role_history.map((x) => x.status);
  assert.ok(hist.includes('terminated'));
});

test('the import dry run shows every row error and writes nothing; the fixed file applies', async () => {
  const n = await count();
  const bad = 'employee_id,name,email,manager_id\nN1,New One,new1@acme.example,E3\nN2,,new2@acme.example,E3\nN3,New Three,not-an-email,NOPE\n';
  const r = await as.admin.req('POST', '/api/v1/people/import?dry_run=true', bad, { headers: { 'content-type': 'text/csv' } });
  expectError(assert, r, 422, 'validation_failed');
  const fields = Object.keys(r.json.error.fields);
  assert.ok(fields.some((f) => f.startsWith('row 3')), `row 3 reported: ${fields}`);
  assert.ok(fields.some((f) => f.startsWith('row 4')), `row 4 reported: ${fields}`);
  assert.equal(await count(), n, 'nothing written');
  const good = 'employee_id,name,email,manager_id\nN1,New One,new1@acme.example,E3\nN2,New Two,new2@acme.example,E3\n';
  const dry = await as.admin.req('POST', '/api/v1/people/import?dry_run=true', good, { headers: { 'content-type': 'text/csv' } });
  assert.equal(dry.status, 200, dry.text);
  assert.equal(dry.json.dry_run, true);
  assert.equal(dry.json.created, 2);
  assert.equal(await count(), n, 'a good dry run writes nothing either');
  const done = await as.admin.req('POST', '/api/v1/people/import', good, { headers: { 'content-type': 'text/csv' } });
  assert.equal(done.json.created, 2);
  assert.equal(await count(), n + 2);
  expectError(assert, await as.self.req('POST', '/api/v1/people/import?dry_run=true', good, { headers: { 'content-type': 'text/csv' } }), 403, 'forbidden');
});
