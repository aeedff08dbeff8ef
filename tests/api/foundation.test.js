// The foundation API against the real binary: people, departments, audit, session basics,
// service endpoints, error shapes, the access matrix and fault injection. Runs on SQLite, and on
// PostgreSQL when TRELLIS_TEST_PG is set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, fixtureOrg, expectError, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
let srv;
const as = {};
const ids = {};

before(async () => {
  srv = await startServer({ people: org.csv, users: org.users });
  for (const [k, email] of Object.entries(org.byKey)) as[k] = await srv.login(email, PASSWORD);
  as.anon = srv.anon();
  const all = await as.hr.get('/api/v1/people?limit=200');
  for (const p of all.json.items) ids[p.email] = p.id;
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
});
after(async () => { await srv?.stop(); });

test('me returns the caller with role, is_manager and csrf', async () => {
  const r = await as.manager.get('/api/v1/me');
  assert.equal(r.status, 200);
  assert.equal(r.json.person.email, org.byKey.manager);
  assert.equal(r.json.role, 'employee');
  assert.equal(r.json.is_manager, true);
  assert.equal(r.json.csrf, as.manager.csrf);
  assert.equal((await as.hr.get('/api/v1/me')).json.role, 'hr');
  assert.equal((await as.peer.get('/api/v1/me')).json.is_manager, false);
});

test('every protected route refuses anonymous callers with 401', async () => {
  for (const [m, p] of [['GET', '/api/v1/me'], ['GET', '/api/v1/people'], ['GET', '/api/v1/people/1'],
    ['PATCH', '/api/v1/people/1'], ['GET', '/api/v1/departments'], ['GET', '/api/v1/audit'],
    ['DELETE', '/api/v1/session'], ['POST', '/api/v1/me/password'], ['POST', '/api/v1/accounts/1/password-reset']]) {
    expectError(assert, await as.anon.req(m, p, m === 'GET' || m === 'DELETE' ? undefined : {}), 401, 'unauthenticated');
  }
});

test('directory lists people by name, searches and filters', async () => {
  const all = await as.peer.get('/api/v1/people?limit=200');
  assert.equal(all.status, 200);
  assert.equal(all.json.items.length, 9);
  const names = all.json.items.map((p) => p.name);
  assert.deepEqual(names, [...names].sort((a, b) => a.toLowerCase() < b.toLowerCase() ? -1 : 1));
  const p = all.json.items.find((x) => x.email === org.byKey.self);
  assert.deepEqual(Object.keys(p).sort(), ['department', 'email', 'employee_id', 'id', 'manager_id', 'name', 'reports_count', 'status', 'title']);
  assert.equal(p.department.name, 'Engineering');
  assert.equal(p.reports_count, 1);
  assert.ok(!('level' in p) && !('hire_date' in p), 'summaries carry no private fields');

  const q = await as.peer.get('/api/v1/people?q=ZOË');
  assert.deepEqual(q.json.items.map((x) => x.email), [org.byKey.self], 'case-insensitive on ASCII, exact on Unicode');
  const byTitle = await as.peer.get('/api/v1/people?q=software%20engineer');
  assert.equal(byTitle.json.items.length, 2);
  const byEid = await as.peer.get('/api/v1/people?q=e9');
  assert.ok(byEid.json.items.some((x) => x.employee_id === 'E9'));
  const dept = p.department.id;
  const inDept = await as.peer.get(`/api/v1/people?department=${dept}`);
  assert.equal(inDept.json.items.length, 5);
  assert.ok(inDept.json.items.every((x) => x.department.id === dept));
  const reports = await as.peer.get(`/api/v1/people?manager=${ids.manager}`);
  assert.deepEqual(reports.json.items.map((x) => x.email).sort(), [org.byKey.peer, org.byKey.self].sort());
  const roots = await as.peer.get('/api/v1/people?manager=none');
  assert.deepEqual(roots.json.items.map((x) => x.email), [org.byKey.ceo]);
  const none = await as.peer.get('/api/v1/people?q=nobody-has-this');
  assert.deepEqual(none.json, { items: [], next_cursor: null });
});

test('LIKE metacharacters in q match literally', async () => {
  for (const q of ['%', '_', '\\', '%25']) {
    const r = await as.peer.get('/api/v1/people?q=' + encodeURIComponent(q));
    assert.equal(r.status, 200);
    assert.equal(r.json.items.length, 0, `q=${q} must not match everyone`);
  }
});

test('cursor pagination walks every person once', async () => {
  const seen = [];
  let cursor = null;
  for (let i = 0; i < 20; i++) {
    const r = await as.peer.get('/api/v1/people?limit=2' + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''));
    assert.equal(r.status, 200);
    assert.ok(r.json.items.length <= 2);
    seen.push(...r.json.items.map((x) => x.id));
    cursor = r.json.next_cursor;
    if (!cursor) break;
  }
  assert.equal(seen.length, 9);
  assert.equal(new Set(seen).size, 9);
});

test('bad query parameters are 422 naming the field', async () => {
  for (const [qs, field] of [['limit=0', 'limit'], ['limit=201', 'limit'], ['limit=abc', 'limit'],
    ['department=x', 'department'], ['manager=-1', 'manager'], ['cursor=%%%', 'cursor'],
    ['cursor=bm90LWEtY3Vyc29y', 'cursor'], ['status=retired', 'status']]) {
    const r = await as.peer.get('/api/v1/people?' + qs);
    expectError(assert, r, 422, 'validation_failed');
    assert.ok(field in r.json.error.fields, `${qs}: ${r.text}`);
  }
});

test('person detail has manager chain (nearest first), reports and role history', async () => {
  const r = await as.hr.get(`/api/v1/people/${ids.report}`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.manager_chain.map((x) => x.email),
    [org.byKey.self, org.byKey.manager, org.byKey.skip, org.byKey.ceo]);
  assert.equal(r.json.manager.email, org.byKey.self);
  const m = await as.hr.get(`/api/v1/people/${ids.manager}`);
  assert.deepEqual(m.json.reports.map((x) => x.email).sort(), [org.byKey.peer, org.byKey.self].sort());
  assert.equal(m.json.level, 'M4');
  assert.equal(m.json.hire_date, '2018-03-01');
  assert.equal(m.json.role_history.length, 1);
  assert.equal(m.json.role_history[0].kind, 'hire');
  assert.equal(m.json.role_history[0].effective_date, '2018-03-01');
});

test('private fields follow the access matrix', async () => {
  const matrix = { self: true, manager: true, skip: true, ceo: true, hr: true, admin: true, peer: false, other: false, report: false };
  for (const [who, sees] of Object.entries(matrix)) {
    const r = await as[who].get(`/api/v1/people/${ids.self}`);
    assert.equal(r.status, 200, who);
    for (const f of ['level', 'hire_date', 'role_history']) assert.equal(f in r.json, sees, `${who} ${sees ? 'sees' : 'must not see'} ${f}`);
    assert.equal(r.json.name, 'Zoë Ōtsuka');
  }
});

test('bad ids are 404 not_found', async () => {
  for (const id of ['abc', '0', '-1', '99999999999999999999', '1.5', '999999']) {
    expectError(assert, await as.hr.get(`/api/v1/people/${id}`), 404, 'not_found');
  }
  expectError(assert, await as.hr.patch('/api/v1/people/999999', { title: 'x' }), 404, 'not_found');
});

test('hr edits a person: role history and audit record the change', async () => {
  const r = await as.hr.patch(`/api/v1/people/${ids.peer}`, { title: 'Senior Software Engineer', level: 'P4', reason: 'Promotion H2' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.title, 'Senior Software Engineer');
  assert.equal(r.json.role_history[0].kind, 'promotion');
  assert.equal(r.json.role_history[0].reason, 'Promotion H2');
  const audit = await as.hr.get(`/api/v1/audit?entity=person&entity_id=${ids.peer}`);
  const row = audit.json.items.find((x) => x.action === 'person.update');
  assert.ok(row, 'audit row written');
  assert.equal(row.actor.id, ids.hr);
  assert.equal(row.before.title, 'Software Engineer');
  assert.equal(row.after.title, 'Senior Software Engineer');
  const admin = await as.admin.patch(`/api/v1/people/${ids.peer}`, { department_id: null });
  assert.equal(admin.status, 200);
  assert.equal(admin.json.department, null);
  assert.equal(admin.json.role_history[0].kind, 'transfer');
});

test('employees and managers cannot edit people (403)', async () => {
  for (const who of ['self', 'manager', 'skip', 'peer', 'ceo']) {
    const before = (await as.hr.get(`/api/v1/people/${ids.self}`)).json;
    expectError(assert, await as[who].patch(`/api/v1/people/${ids.self}`, { title: 'Hacker' }), 403, 'forbidden');
    assert.deepEqual((await as.hr.get(`/api/v1/people/${ids.self}`)).json, before);
  }
});

test('a reporting cycle is refused and nothing changes', async () => {
  const before = (await as.hr.get(`/api/v1/people/${ids.skip}`)).json;
  for (const mgr of [ids.report, ids.self, ids.skip]) {
    const r = await as.hr.patch(`/api/v1/people/${ids.skip}`, { manager_id: mgr, title: 'Changed' });
    expectError(assert, r, 422, 'validation_failed');
    assert.match(r.json.error.fields.manager_id, /cycle/);
  }
  assert.deepEqual((await as.hr.get(`/api/v1/people/${ids.skip}`)).json, before);
});

test('write bodies: malformed JSON, wrong types, unknown fields, too large', async () => {
  const p = `/api/v1/people/${ids.other}`;
  for (const body of ['{', '[]', '"x"', 'null', '{"title":"a","title":"b"}', '{"title":"\\u0000"}']) {
    expectError(assert, await as.hr.patch(p, body), 400, 'bad_json');
  }
  expectError(assert, await as.hr.patch(p, Buffer.from('{"title":"\xff"}', 'latin1')), 400, 'bad_json');
  const types = await as.hr.patch(p, { title: 5, manager_id: '3', email: 'not-an-email', hire_date: '2024-02-30', status: 'retired', name: '', nope: 1 });
  expectError(assert, types, 422, 'validation_failed');
  assert.deepEqual(Object.keys(types.json.error.fields).sort(), ['email', 'hire_date', 'manager_id', 'name', 'nope', 'status', 'title']);
  const big = await as.hr.patch(p, { title: 'x'.repeat(70 * 1024) });
  expectError(assert, big, 413, 'too_large');
  const dup = await as.hr.patch(p, { email: org.byKey.peer });
  assert.ok([409, 422].includes(dup.status));
  const after = (await as.hr.get(p)).json;
  assert.equal(after.title, 'Account Executive', 'nothing was written');
});

test('SQL metacharacters and Unicode round-trip in every string field', async () => {
  const values = ["Robert'); DROP TABLE people;--", 'Zoë 😀 ñ 中文', '%_\\', '"quoted" <b>tags</b>'];
  for (const v of values) {
    const r = await as.hr.patch(`/api/v1/people/${ids.other}`, { name: v, title: v, level: v.slice(0, 20) });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.name, v);
    assert.equal(r.json.title, v);
    const found = await as.peer.get('/api/v1/people?q=' + encodeURIComponent(v.slice(0, 6)));
    assert.ok(found.json.items.some((x) => x.id === ids.other), `search finds ${v}`);
  }
  assert.equal((await as.hr.get('/api/v1/people?limit=200')).json.items.length, 9, 'the table is still there');
});

test('csrf_missing_on_cookie_write_is_403 and bearer needs no csrf', async () => {
  expectError(assert, await as.hr.patch(`/api/v1/people/${ids.other}`, { title: 'x' }, { csrf: false }), 403, 'csrf_failed');
  expectError(assert, await as.hr.patch(`/api/v1/people/${ids.other}`, { title: 'x' }, { headers: { 'x-csrf-token': 'wrong' }, csrf: false }), 403, 'csrf_failed');
  const tok = srv.token(org.byKey.hr);
  const r = await tok.patch(`/api/v1/people/${ids.other}`, { title: 'Enterprise Account Executive' });
  assert.equal(r.status, 200, r.text);
  const bad = srv.anon();
  bad.bearer = 'trl_not-a-real-token';
  expectError(assert, await bad.get('/api/v1/me'), 401, 'unauthenticated');
});

test('departments come as a tree with people counts', async () => {
  const r = await as.peer.get('/api/v1/departments');
  assert.equal(r.status, 200);
  const byName = Object.fromEntries(r.json.items.map((d) => [d.name, d]));
  assert.ok(byName.Engineering && byName.Sales && byName.People);
  assert.equal(byName.Sales.people_count, 1);
  for (const d of r.json.items) {
    assert.equal(d.parent_id, null);
    assert.ok(Array.isArray(d.children));
  }
});

test('audit is for hr and admins only, filterable by actor', async () => {
  for (const who of ['self', 'manager', 'ceo', 'peer']) expectError(assert, await as[who].get('/api/v1/audit'), 403, 'forbidden');
  const all = await as.admin.get('/api/v1/audit?limit=200');
  assert.equal(all.status, 200);
  assert.ok(all.json.items.length > 5);
  const byHr = await as.admin.get(`/api/v1/audit?actor=${ids.hr}&limit=200`);
  assert.ok(byHr.json.items.length > 0);
  assert.ok(byHr.json.items.every((x) => x.actor?.id === ids.hr));
  const ids1 = all.json.items.map((x) => x.id);
  assert.deepEqual(ids1, [...ids1].sort((a, b) => b - a), 'newest first');
  const page = await as.admin.get('/api/v1/audit?limit=2');
  const next = await as.admin.get('/api/v1/audit?limit=2&cursor=' + page.json.next_cursor);
  assert.ok(next.json.items[0].id < page.json.items[1].id);
});

test('no partial writes: a failure at every statement leaves the person unchanged', async () => {
  const p = `/api/v1/people/${ids.report}`;
  const before = (await as.hr.get(p)).json;
  const auditBefore = (await as.hr.get(`/api/v1/audit?entity=person&entity_id=${ids.report}`)).json.items.length;
  let n = 1;
  for (; n < 40; n++) {
    const r = await as.hr.patch(p, { title: 'Engineer II', level: 'P2', reason: 'promotion' }, { headers: { 'x-trellis-fault': String(n) } });
    if (r.status === 200) break;
    expectError(assert, r, 500, 'internal');
    const now = (await as.hr.get(p)).json;
    assert.deepEqual(now, before, `fault at statement ${n} left a partial write`);
    assert.equal((await as.hr.get(`/api/v1/audit?entity=person&entity_id=${ids.report}`)).json.items.length, auditBefore);
  }
  assert.ok(n > 3 && n < 40, `the write succeeded once faults ran out (n=${n})`);
  assert.equal((await as.hr.get(p)).json.title, 'Engineer II');
});

test('service endpoints: healthz, metrics, openapi, security headers', async () => {
  const h = await as.anon.get('/healthz');
  assert.equal(h.status, 200);
  assert.deepEqual(h.json, { status: 'ok' });
  for (const path of ['/api/v1/people', '/', '/healthz']) {
    const r = path === '/' ? await as.anon.get('/') : await as.peer.get(path);
    const csp = r.headers.get('content-security-policy');
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /default-src 'self'/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(r.headers.get('referrer-policy'));
  }
  const m = await as.anon.get('/metrics');
  assert.equal(m.status, 200);
  assert.match(m.text, /trellis_http_requests_total\{route="\/api\/v1\/people",method="GET",status="200"\} \d+/);
  assert.match(m.text, /trellis_http_request_duration_seconds_bucket\{route="\/api\/v1\/people\/\{id\}",method="GET",le="\+Inf"\} \d+/);
  assert.match(m.text, /trellis_db_seconds_total \d/);
});

test('openapi documents every route of the route table', async () => {
  const doc = (await as.anon.get('/api/v1/openapi.json')).json;
  assert.equal(doc.openapi, '3.1.0');
  const table = readFileSync(new URL('../../src/api/routes.c', import.meta.url), 'utf8');
  const routes = [...table.matchAll(/\{"(GET|POST|PUT|PATCH|DELETE)", "([^"]+)"/g)].map((m) => [m[1], m[2]]);
  assert.ok(routes.length >= 13);
  for (const [method, path] of routes) {
    assert.ok(doc.paths[path]?.[method.toLowerCase()], `${method} ${path} missing from openapi.json`);
  }
});

test('unknown routes, wrong methods and static traversal', async () => {
  expectError(assert, await as.peer.get('/api/v1/nope'), 404, 'not_found');
  expectError(assert, await as.peer.req('PUT', '/api/v1/people'), 405, 'method_not_allowed');
  expectError(assert, await as.peer.req('DELETE', '/api/v1/departments'), 405, 'method_not_allowed');
  for (const p of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd', '/web/index.html', '/missing.js']) {
    const r = await as.anon.get(p);
    assert.equal(r.status, 404, p);
    assert.ok(!r.text.includes('root:'), p);
  }
  const index = await as.anon.get('/');
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type'), /text\/html/);
});

test('one JSON log line per request with method, path, status and duration', async () => {
  await as.peer.get('/api/v1/people?q=log-line-probe');
  const lines = srv.logLines().filter((l) => l.msg === 'request');
  assert.ok(lines.length > 50);
  const probe = lines.find((l) => l.path === '/api/v1/people' && l.route === '/api/v1/people');
  assert.ok(probe);
  for (const k of ['at', 'method', 'status', 'duration_ms', 'ip']) assert.ok(k in probe, k);
  assert.ok(!srv.logLines().some((l) => l.unparsed), 'every stderr line is JSON');
  assert.ok(!srv.logLines().some((l) => l.level === 'warn' && !/database: /.test(l.msg)), 'no unexpected warnings: ' +
    srv.logLines().filter((l) => l.level === 'warn').map((l) => l.msg).join('; '));
});
