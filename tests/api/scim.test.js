// SCIM 2.0 provisioning (docs/api-scim.md) with requests shaped the way Okta and Microsoft Entra
// send them: userName probes before a create, Okta's PUT and its PATCH {op:"replace",
// value:{active:false}}, Entra's capitalised "Replace"/"Add" with paths such as name.givenName,
// emails[type eq "work"].value and the enterprise extension's manager; a manager provisioned
// after their report; Groups as departments; SCIM tokens of their own scope (CLI and admin API);
// every change in role history and the audit log. SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, expectError, PASSWORD, contractRecord } from '../support/trellis.js';

const org = fixtureOrg();
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCHOP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
let srv;
let token;
const as = {};
const ids = {};

/** A SCIM request as an identity provider sends it (application/scim+json, bearer token). */
async function scim(method, path, body, bearer = token) {
  const headers = { accept: 'application/scim+json' };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['content-type'] = 'application/scim+json; charset=utf-8';
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(srv.base + '/scim/v2' + path, { method, headers, body: payload });
  const text = await res.text();
  contractRecord(method, '/scim/v2' + path, payload, headers, res, text);
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, text, json };
}

function scimError(r, status, scimType) {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type'), /^application\/scim\+json/);
  assert.deepEqual(r.json.schemas, [ERROR]);
  assert.equal(r.json.status, String(status));
  assert.equal(typeof r.json.detail, 'string');
  if (scimType) assert.equal(r.json.scimType, scimType);
}

const q = (s) => encodeURIComponent(s);
const person = async (id) => (await as.hr.get(`/api/v1/people/${id}`)).json;
const audit = async (id) => (await as.hr.get(`/api/v1/audit?entity=person&entity_id=${id}&limit=100`)).json.items;

before(async () => {
  srv = await startServer({ people: org.csv, users: org.users });
  for (const k of ['self', 'hr', 'admin', 'peer']) as[k] = await srv.login(org.byKey[k], PASSWORD);
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
  const r = srv.cli(['scim', 'token', 'create', '--name', 'Okta']);
  assert.equal(r.status, 0, r.stderr);
  token = r.stdout.trim();
  assert.match(token, /^trscim_/);
});

after(async () => { await srv?.stop(); });

test('SCIM tokens: own scope, never an API token and never usable on /api/v1', async () => {
  scimError(await scim('GET', '/Users', undefined, null), 401);
  scimError(await scim('GET', '/Users', undefined, 'trscim_not-a-real-token'), 401);
  const api = srv.token(org.byKey.admin).bearer;
  scimError(await scim('GET', '/Users', undefined, api), 401);
  const viaApi = await fetch(srv.base + '/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
  assert.equal(viaApi.status, 401);
  const viaPeople = await fetch(srv.base + '/api/v1/people', { headers: { authorization: `Bearer ${token}` } });
  assert.equal(viaPeople.status, 401);
  // a signed-in admin's cookie is no SCIM credential either
  const res = await fetch(srv.base + '/scim/v2/Users', { headers: { cookie: as.admin.cookie } });
  assert.equal(res.status, 401);
  const list = srv.cli(['scim', 'token', 'list']);
  assert.equal(list.status, 0);
  assert.match(list.stdout, /\tOkta\t/);
  assert.ok(!list.stdout.includes(token), 'the secret is never listed');
});

test('admin API: only an admin lists, creates and revokes SCIM tokens; revoked tokens stop', async () => {
  expectError(assert, await as.hr.get('/api/v1/admin/scim-tokens'), 403, 'forbidden');
  expectError(assert, await as.self.post('/api/v1/admin/scim-tokens', { name: 'x' }), 403, 'forbidden');
  expectError(assert, await as.admin.post('/api/v1/admin/scim-tokens', {}), 422, 'validation_failed');
  const made = await as.admin.post('/api/v1/admin/scim-tokens', { name: 'Entra ID' });
  assert.equal(made.status, 201, made.text);
  assert.match(made.json.token, /^trscim_/);
  assert.match(made.json.base_url, /\/scim\/v2$/);
  assert.equal(made.json.created_by, 'Ada Admin');
  const listed = await as.admin.get('/api/v1/admin/scim-tokens');
  assert.deepEqual(listed.json.items.map((t) => t.name), ['Entra ID', 'Okta']);
  assert.ok(!listed.text.includes(made.json.token));
  assert.equal((await scim('GET', '/ServiceProviderConfig', undefined, made.json.token)).status, 200);
  const used = (await as.admin.get('/api/v1/admin/scim-tokens')).json.items.find((t) => t.id === made.json.id);
  assert.ok(used.last_used_at, 'last use recorded');
  assert.equal((await as.admin.del(`/api/v1/admin/scim-tokens/${made.json.id}`)).status, 204);
  scimError(await scim('GET', '/Users', undefined, made.json.token), 401);
  const revoked = (await as.admin.get('/api/v1/admin/scim-tokens')).json.items.find((t) => t.id === made.json.id);
  assert.ok(revoked.revoked_at);
  expectError(assert, await as.admin.del('/api/v1/admin/scim-tokens/999999'), 404, 'not_found');
  const logged = (await as.hr.get('/api/v1/audit?limit=50')).json.items.map((e) => e.action);
  assert.ok(logged.includes('scim.token.create') && logged.includes('scim.token.revoke'));
});

test('discovery: ServiceProviderConfig, Schemas and ResourceTypes', async () => {
  const c = await scim('GET', '/ServiceProviderConfig');
  assert.equal(c.status, 200);
  assert.match(c.headers.get('content-type'), /^application\/scim\+json/);
  assert.equal(c.json.patch.supported, true);
  assert.equal(c.json.filter.supported, true);
  assert.equal(c.json.bulk.supported, false);
  assert.equal(c.json.authenticationSchemes[0].type, 'oauthbearertoken');
  const s = await scim('GET', '/Schemas');
  assert.deepEqual(s.json.Resources.map((x) => x.id), [CORE, ENT, GROUP]);
  assert.ok(s.json.Resources[1].attributes.some((a) => a.name === 'manager'));
  const t = await scim('GET', '/ResourceTypes');
  assert.equal(t.json.totalResults, 2);
  assert.deepEqual(t.json.Resources.map((x) => x.endpoint), ['/Users', '/Groups']);
  assert.equal(t.json.Resources[0].schemaExtensions[0].schema, ENT);
  scimError(await scim('GET', '/Nothing'), 404);
});

test('Okta: probe, create, read, PUT, deactivate with PATCH, reactivate', async () => {
  const probe = await scim('GET', `/Users?filter=${q('userName eq "ana.lima@acme.example"')}&startIndex=1&count=100`);
  assert.equal(probe.status, 200);
  assert.deepEqual(probe.json.schemas, ['urn:ietf:params:scim:api:messages:2.0:ListResponse']);
  assert.equal(probe.json.totalResults, 0);
  assert.deepEqual(probe.json.Resources, []);
  const okta = {
    schemas: [CORE], userName: 'ana.lima@acme.example',
    name: { givenName: 'Ana', familyName: 'Lima' },
    emails: [{ primary: true, value: 'ana.lima@acme.example', type: 'work' }],
    displayName: 'Ana Lima', locale: 'en-US', externalId: '00ujl29u0le5T6Aj10h7', groups: [], password: '1mz050nq', active: true,
  };
  const made = await scim('POST', '/Users', okta);
  assert.equal(made.status, 201, made.text);
  assert.match(made.headers.get('content-type'), /^application\/scim\+json/);
  const id = made.json.id;
  assert.equal(made.headers.get('location'), `${srv.base}/scim/v2/Users/${id}`);
  assert.equal(made.json.userName, 'ana.lima@acme.example');
  assert.equal(made.json.externalId, '00ujl29u0le5T6Aj10h7');
  assert.equal(made.json.active, true);
  assert.deepEqual(made.json.name, { formatted: 'Ana Lima', givenName: 'Ana', familyName: 'Lima' });
  assert.equal(made.json.meta.resourceType, 'User');
  assert.ok(!made.text.includes('1mz050nq'), 'a password sent by the provider is neither kept nor echoed');
  // the same person again: a uniqueness conflict
  scimError(await scim('POST', '/Users', okta), 409, 'uniqueness');
  const found = await scim('GET', `/Users?filter=${q('userName eq "Ana.Lima@acme.example"')}`);
  assert.equal(found.json.totalResults, 1);
  assert.equal(found.json.Resources[0].id, id);
  const byExt = await scim('GET', `/Users?filter=${q('externalId eq "00ujl29u0le5T6Aj10h7"')}`);
  assert.equal(byExt.json.Resources[0].id, id);
  // HR sees the new person in the directory, hired by SCIM
  const p = await person(id);
  assert.equal(p.name, 'Ana Lima');
  assert.equal(p.role_history.at(-1).kind, 'hire');
  // Okta's PUT sends the whole profile
  const put = await scim('PUT', `/Users/${id}`, { ...okta, id, title: 'Data Analyst', name: { givenName: 'Ana', familyName: 'Lima Souza' } });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.title, 'Data Analyst');
  assert.equal(put.json.displayName, 'Ana Lima Souza');
  assert.equal((await person(id)).title, 'Data Analyst');
  // deactivation: Okta's PATCH with a value object and no path
  const off = await scim('PATCH', `/Users/${id}`, { schemas: [PATCHOP], Operations: [{ op: 'replace', value: { active: false } }] });
  assert.equal(off.status, 200, off.text);
  assert.equal(off.json.active, false);
  assert.equal((await scim('GET', `/Users/${id}`)).json.active, false);
  const after = await person(id);
  assert.equal(after.status, 'inactive');
  assert.equal(after.role_history[0].kind, 'status_change');
  assert.match(after.role_history[0].reason, /SCIM/);
  const on = await scim('PATCH', `/Users/${id}`, { schemas: [PATCHOP], Operations: [{ op: 'replace', value: { active: true } }] });
  assert.equal(on.json.active, true);
  const actions = (await audit(id)).map((e) => e.action);
  for (const a of ['person.create', 'scim.user.create', 'scim.user.update', 'person.update', 'scim.user.access_ended'])
    assert.ok(actions.includes(a), `${a} in ${actions}`);
});

test('deactivating a person who signs in ends their sessions and API tokens, as a termination does', async () => {
  const probe = await scim('GET', `/Users?filter=${q('userName eq "peer@acme.example"')}`);
  assert.equal(probe.json.totalResults, 1, 'people imported from the HRIS are found by their email');
  const id = probe.json.Resources[0].id;
  assert.equal(Number(id), ids.peer);
  const api = srv.token(org.byKey.peer);
  assert.equal((await api.get('/api/v1/me')).status, 200);
  assert.equal((await as.peer.get('/api/v1/me')).status, 200);
  const off = await scim('PATCH', `/Users/${id}`, { schemas: [PATCHOP], Operations: [{ op: 'replace', value: { active: false } }] });
  assert.equal(off.status, 200, off.text);
  expectError(assert, await as.peer.get('/api/v1/me'), 401, 'unauthenticated');
  expectError(assert, await api.get('/api/v1/me'), 401, 'unauthenticated');
  // back on: the old session and token stay ended; a new sign-in works
  await scim('PATCH', `/Users/${id}`, { schemas: [PATCHOP], Operations: [{ op: 'replace', path: 'active', value: true }] });
  expectError(assert, await api.get('/api/v1/me'), 401, 'unauthenticated');
  assert.equal((await (await srv.login(org.byKey.peer, PASSWORD)).get('/api/v1/me')).status, 200);
  const tokens = (await as.admin.get(`/api/v1/accounts/${ids.peer}/tokens`)).json.items;
  assert.ok(tokens.every((t) => t.revoked_at), 'every API token revoked');
});

test('Entra: probe, create with the enterprise extension, PATCH forms, manager, DELETE', async () => {
  const userName = 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1';
  const probe = await scim('GET', `/Users?filter=${q(`userName eq "${userName}"`)}`);
  assert.equal(probe.json.totalResults, 0);
  const entra = {
    schemas: [CORE, ENT], externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef', userName, active: true,
    emails: [{ primary: true, type: 'work', value: 'test.user.fd0e@acme.example' }],
    meta: { resourceType: 'User' },
    name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
    roles: [],
    [ENT]: { employeeNumber: 'EN-501', department: 'Finance' },
  };
  const made = await scim('POST', '/Users', entra);
  assert.equal(made.status, 201, made.text);
  const id = made.json.id;
  assert.equal(made.json.userName, userName.toLowerCase());
  assert.equal(made.json.emails[0].value, 'test.user.fd0e@acme.example');
  assert.equal(made.json[ENT].employeeNumber, 'EN-501');
  assert.equal(made.json[ENT].department, 'Finance');
  const patch = await scim('PATCH', `/Users/${id}`, {
    schemas: [PATCHOP],
    Operations: [
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updated.email@acme.example' },
      { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
      { op: 'Replace', path: 'name.givenName', value: 'Grace' },
      { op: 'Add', path: `${ENT}:manager`, value: String(ids.hr) },
      { op: 'Add', path: 'title', value: 'Controller' },
    ],
  });
  assert.equal(patch.status, 200, patch.text);
  assert.equal(patch.json.emails[0].value, 'updated.email@acme.example');
  assert.equal(patch.json.name.givenName, 'Grace');
  assert.equal(patch.json.name.familyName, 'updatedFamilyName');
  assert.equal(patch.json[ENT].manager.value, String(ids.hr));
  assert.equal(patch.json[ENT].manager.displayName, 'Hana HR');
  const p = await person(id);
  assert.equal(p.name, 'Grace updatedFamilyName', 'the name follows the parts Entra changed');
  assert.equal(p.manager.id, ids.hr);
  assert.equal(p.email, 'updated.email@acme.example');
  assert.ok(p.role_history.some((h) => h.kind === 'manager_change' || h.kind === 'title_change'));
  // Entra may send active as the string "False"
  const off = await scim('PATCH', `/Users/${id}`, { schemas: [PATCHOP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
  assert.equal(off.json.active, false);
  // removing the manager
  const rm = await scim('PATCH', `/Users/${id}`, { schemas: [PATCHOP], Operations: [{ op: 'Remove', path: `${ENT}:manager` }] });
  assert.equal(rm.json[ENT].manager, undefined);
  assert.equal((await person(id)).manager, null);
  // DELETE: gone for SCIM, terminated (with its history) in Trellis
  const del = await scim('DELETE', `/Users/${id}`);
  assert.equal(del.status, 204);
  scimError(await scim('GET', `/Users/${id}`), 404);
  assert.equal((await scim('GET', `/Users?filter=${q(`userName eq "${userName}"`)}`)).json.totalResults, 0);
  const gone = await person(id);
  assert.equal(gone.status, 'terminated');
  assert.ok((await audit(id)).some((e) => e.action === 'scim.user.delete'));
  scimError(await scim('DELETE', `/Users/${id}`), 404);
  // provisioned again after leaving: the same person comes back
  const again = await scim('POST', '/Users', entra);
  assert.equal(again.status, 201, again.text);
  assert.equal(again.json.id, id);
  assert.equal((await person(id)).status, 'active');
});

test('a manager provisioned after their report: the reference is kept and resolved', async () => {
  const report = await scim('POST', '/Users', {
    schemas: [CORE, ENT], userName: 'rita.report@acme.example', name: { givenName: 'Rita', familyName: 'Report' },
    emails: [{ primary: true, value: 'rita.report@acme.example', type: 'work' }], active: true,
    [ENT]: { employeeNumber: 'EN-700', manager: { value: 'EN-600' } },
  });
  assert.equal(report.status, 201, report.text);
  assert.equal(report.json[ENT].manager, undefined, 'nobody is EN-600 yet');
  assert.equal((await person(report.json.id)).manager, null);
  const boss = await scim('POST', '/Users', {
    schemas: [CORE, ENT], userName: 'max.boss@acme.example', name: { givenName: 'Max', familyName: 'Boss' },
    emails: [{ primary: true, value: 'max.boss@acme.example', type: 'work' }], active: true,
    [ENT]: { employeeNumber: 'EN-600' },
  });
  assert.equal(boss.status, 201, boss.text);
  const now = await scim('GET', `/Users/${report.json.id}`);
  assert.equal(now.json[ENT].manager.value, boss.json.id);
  const p = await person(report.json.id);
  assert.equal(p.manager.name, 'Max Boss');
  assert.equal(p.role_history[0].kind, 'manager_change');
  assert.ok((await audit(report.json.id)).some((e) => e.action === 'scim.user.manager_resolved'));
  // a reference to the report's own report is refused: no reporting cycles
  scimError(await scim('PATCH', `/Users/${boss.json.id}`, { schemas: [PATCHOP], Operations: [{ op: 'add', path: `${ENT}:manager`, value: report.json.id }] }), 400, 'invalidValue');
});

test('filters and pagination', async () => {
  const all = await scim('GET', '/Users');
  const total = all.json.totalResults;
  assert.ok(total >= 12, `${total}`);
  assert.equal(all.json.startIndex, 1);
  const page = await scim('GET', '/Users?startIndex=2&count=3');
  assert.equal(page.json.totalResults, total);
  assert.equal(page.json.itemsPerPage, 3);
  assert.equal(page.json.startIndex, 2);
  assert.deepEqual(page.json.Resources.map((u) => u.id), all.json.Resources.slice(1, 4).map((u) => u.id));
  const last = await scim('GET', `/Users?startIndex=${total}&count=10`);
  assert.equal(last.json.Resources.length, 1);
  const none = await scim('GET', '/Users?count=0');
  assert.equal(none.json.totalResults, total);
  assert.deepEqual(none.json.Resources, []);
  const byEmail = await scim('GET', `/Users?filter=${q('emails[type eq "work"].value eq "self@acme.example"')}`);
  assert.equal(byEmail.json.Resources[0].id, String(ids.self));
  assert.equal(byEmail.json.Resources[0].name.formatted, 'Zoë Ōtsuka');
  assert.equal(byEmail.json.Resources[0][ENT].manager.value, String(ids.manager));
  scimError(await scim('GET', `/Users?filter=${q('userName co "a"')}`), 400, 'invalidFilter');
  scimError(await scim('GET', `/Users?filter=${q('nickName eq "x"')}`), 400, 'invalidFilter');
  scimError(await scim('GET', '/Users?count=abc'), 400, 'invalidValue');
});

test('bad requests change nothing and answer in the SCIM error shape', async () => {
  const before = (await scim('GET', '/Users?count=0')).json.totalResults;
  scimError(await scim('POST', '/Users', '{"userName":'), 400, 'invalidSyntax');
  scimError(await scim('POST', '/Users', { schemas: [CORE], name: { givenName: 'No' } }), 400, 'invalidValue');
  scimError(await scim('POST', '/Users', { schemas: [CORE], userName: 'not-an-address' }), 400, 'invalidValue');
  scimError(await scim('POST', '/Users', { schemas: [CORE], userName: 'x@acme.example', active: 'maybe' }), 400, 'invalidValue');
  scimError(await scim('PATCH', `/Users/${ids.self}`, { schemas: [PATCHOP], Operations: [{ op: 'move', path: 'title', value: 'x' }] }), 400, 'invalidSyntax');
  scimError(await scim('PATCH', `/Users/${ids.self}`, { schemas: [PATCHOP], Operations: [] }), 400);
  scimError(await scim('PATCH', `/Users/${ids.self}`, { schemas: [PATCHOP], Operations: [{ op: 'remove' }] }), 400, 'noTarget');
  scimError(await scim('PATCH', `/Users/${ids.self}`, { schemas: [PATCHOP], Operations: [{ op: 'replace', path: 'userName', value: 'peer@acme.example' }] }), 409, 'uniqueness');
  scimError(await scim('GET', '/Users/999999'), 404);
  scimError(await scim('GET', '/Users/abc'), 404);
  scimError(await scim('PUT', '/Users/999999', { schemas: [CORE], userName: 'z@acme.example' }), 404);
  scimError(await scim('DELETE', '/Groups/1'), 405);
  assert.equal((await scim('GET', '/Users?count=0')).json.totalResults, before);
  assert.equal((await person(ids.self)).email, 'self@acme.example');
});

test('Groups are departments: Okta and Entra forms', async () => {
  const probe = await scim('GET', `/Groups?excludedAttributes=members&filter=${q('displayName eq "Design"')}`);
  assert.equal(probe.json.totalResults, 0);
  const g = await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Design', members: [] });
  assert.equal(g.status, 201, g.text);
  const gid = g.json.id;
  scimError(await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Design' }), 409, 'uniqueness');
  // Okta adds a member
  const add = await scim('PATCH', `/Groups/${gid}`, { schemas: [PATCHOP], Operations: [{ op: 'add', path: 'members', value: [{ value: String(ids.self), display: 'self@acme.example' }] }] });
  assert.equal(add.status, 204, add.text);
  // Entra adds another with capitalised op and $ref null
  const add2 = await scim('PATCH', `/Groups/${gid}`, { schemas: [PATCHOP], Operations: [{ op: 'Add', path: 'members', value: [{ $ref: null, value: String(ids.report) }] }] });
  assert.equal(add2.status, 204, add2.text);
  const read = await scim('GET', `/Groups/${gid}`);
  assert.deepEqual(read.json.members.map((m) => m.value).sort(), [String(ids.self), String(ids.report)].sort());
  assert.equal((await person(ids.self)).department.name, 'Design');
  assert.equal((await person(ids.self)).role_history[0].kind, 'transfer');
  const noMembers = await scim('GET', `/Groups/${gid}?excludedAttributes=members`);
  assert.equal(noMembers.json.members, undefined);
  // Okta removes one and renames the group
  assert.equal((await scim('PATCH', `/Groups/${gid}`, { schemas: [PATCHOP], Operations: [{ op: 'remove', path: `members[value eq "${ids.report}"]` }] })).status, 204);
  assert.equal((await scim('PATCH', `/Groups/${gid}`, { schemas: [PATCHOP], Operations: [{ op: 'replace', value: { id: gid, displayName: 'Product Design' } }] })).status, 204);
  const after = await scim('GET', `/Groups?filter=${q('displayName eq "Product Design"')}`);
  assert.equal(after.json.totalResults, 1);
  assert.deepEqual(after.json.Resources[0].members.map((m) => m.value), [String(ids.self)]);
  assert.equal((await person(ids.report)).department, null);
  const list = await scim('GET', '/Groups?startIndex=1&count=2&excludedAttributes=members');
  assert.equal(list.json.itemsPerPage, 2);
  assert.ok(list.json.totalResults >= 6);
  scimError(await scim('PATCH', `/Groups/${gid}`, { schemas: [PATCHOP], Operations: [{ op: 'add', path: 'members', value: [{ value: 'nobody' }] }] }), 400, 'invalidValue');
});
