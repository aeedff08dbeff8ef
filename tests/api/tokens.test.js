// API tokens as named, listable, revocable credentials: created from a signed-in session (the
// secret shown once, never listed or audited), revoked from the API, the CLI and by an admin,
// optional expiry, last use written at most once a minute; an admin password reset, `trellis
// user passwd` and termination all end them. SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, expectError, client, runSql, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
let srv;
const as = {};
const ids = {};

/** Runs one SQL statement on the server's database (to move a token's clock into the past). */
function sql(statement) {
  runSql(srv, statement);
}

const iso = (secondsAgo) => new Date(Date.now() - secondsAgo * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

async function create(c, body) {
  const r = await c.post('/api/v1/me/tokens', body);
  assert.equal(r.status, 201, r.text);
  return r.json;
}

const mine = async (c) => (await c.get('/api/v1/me/tokens')).json.items;

before(async () => {
  srv = await startServer({ people: org.csv, users: org.users });
  for (const k of ['self', 'peer', 'other', 'hr', 'admin', 'report', 'manager']) as[k] = await srv.login(org.byKey[k], PASSWORD);
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
});
after(async () => { await srv?.stop(); });

test('create a named token with an expiry, see it listed without its secret, revoke it', async () => {
  const t = await create(as.self, { name: 'CI script', expires_in_days: 30 });
  assert.match(t.token, /^trl_[A-Za-z0-9_-]{40,}$/);
  assert.equal(t.name, 'CI script');
  assert.equal(t.last_used_at, null);
  assert.equal(t.revoked_at, null);
  const days = (Date.parse(t.expires_at) - Date.parse(t.created_at)) / 86400000;
  assert.equal(days, 30);

  const bearer = client(srv.base, { bearer: t.token });
  const me = await bearer.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.person.email, org.byKey.self);

  const list = await as.self.get('/api/v1/me/tokens');
  assert.equal(list.status, 200);
  assert.ok(!list.text.includes(t.token), 'the list never shows the secret');
  const row = list.json.items.find((x) => x.id === t.id);
  assert.deepEqual(Object.keys(row).sort(), ['created_at', 'expires_at', 'id', 'last_used_at', 'name', 'revoked_at']);
  assert.equal(row.name, 'CI script');
  assert.equal(row.expires_at, t.expires_at);

  assert.equal((await as.self.del(`/api/v1/me/tokens/${t.id}`)).status, 204);
  expectError(assert, await bearer.get('/api/v1/me'), 401, 'unauthenticated');
  const revoked = (await mine(as.self)).find((x) => x.id === t.id);
  assert.ok(revoked.revoked_at, 'the list shows when it was revoked');
  assert.equal((await as.self.del(`/api/v1/me/tokens/${t.id}`)).status, 204, 'revoking twice changes nothing');

  // every create and revoke is audited, by name and id, never with the secret
  const audit = await as.hr.get(`/api/v1/audit?entity=person&entity_id=${ids.self}&limit=200`);
  assert.equal(audit.status, 200);
  assert.ok(!audit.text.includes(t.token), 'the audit log never holds the secret');
  const actions = audit.json.items.map((a) => a.action);
  assert.ok(actions.includes('token.issue'), JSON.stringify(actions));
  assert.equal(actions.filter((a) => a === 'token.revoke').length, 1, 'one revoke row');
  assert.ok(audit.text.includes('CI script'));
  assert.ok(!srv.stderr.includes(t.token), 'nor does the request log');
});

test('token bodies: name required (1-100 characters), expires_in_days 1-365, nothing else', async () => {
  for (const [body, field] of [[{}, 'name'], [{ name: '' }, 'name'], [{ name: '   ' }, 'name'], [{ name: 'x'.repeat(101) }, 'name'],
    [{ name: 'a\nb' }, 'name'], [{ name: 'ok', expires_in_days: 0 }, 'expires_in_days'], [{ name: 'ok', expires_in_days: 366 }, 'expires_in_days'],
    [{ name: 'ok', expires_in_days: '5' }, 'expires_in_days'], [{ name: 'ok', secret: 'x' }, 'secret']]) {
    const r = await as.self.post('/api/v1/me/tokens', body);
    expectError(assert, r, 422, 'validation_failed');
    assert.ok(r.json.error.fields[field], `${JSON.stringify(body)}: ${r.text}`);
  }
  const over = await as.self.post('/api/v1/me/tokens', { name: 'é'.repeat(250) });
  expectError(assert, over, 422, 'validation_failed');
  assert.equal(over.json.error.fields.name, 'must be at most 100 characters');
  const long = await create(as.self, { name: 'é'.repeat(100), expires_in_days: null });
  assert.equal(long.name, 'é'.repeat(100), '100 characters, not bytes');
  assert.equal(long.expires_at, null, 'no expiry unless asked');
  const year = await create(as.self, { name: 'a year', expires_in_days: 365 });
  assert.ok(year.expires_at);
});

test('a token cannot mint tokens; only a signed-in session can', async () => {
  const t = await create(as.self, { name: 'minting' });
  const bearer = client(srv.base, { bearer: t.token });
  expectError(assert, await bearer.post('/api/v1/me/tokens', { name: 'child' }), 403, 'forbidden');
  assert.equal((await bearer.get('/api/v1/me/tokens')).status, 200, 'but it may list');
  expectError(assert, await srv.anon().get('/api/v1/me/tokens'), 401, 'unauthenticated');
});

test("someone else's token is 404 and keeps working; admins list and revoke anyone's", async () => {
  const t = await create(as.peer, { name: 'peer script' });
  const bearer = client(srv.base, { bearer: t.token });
  expectError(assert, await as.other.del(`/api/v1/me/tokens/${t.id}`), 404, 'not_found');
  expectError(assert, await as.self.del('/api/v1/me/tokens/999999'), 404, 'not_found');
  assert.ok(!(await mine(as.other)).some((x) => x.id === t.id), 'not in anyone else\'s list');
  assert.equal((await bearer.get('/api/v1/me')).status, 200);

  for (const who of ['hr', 'peer', 'manager']) {
    expectError(assert, await as[who].get(`/api/v1/accounts/${ids.peer}/tokens`), 403, 'forbidden');
    expectError(assert, await as[who].del(`/api/v1/accounts/${ids.peer}/tokens/${t.id}`), 403, 'forbidden');
  }
  const list = await as.admin.get(`/api/v1/accounts/${ids.peer}/tokens`);
  assert.equal(list.status, 200);
  assert.ok(list.json.items.some((x) => x.id === t.id && x.name === 'peer script'));
  assert.ok(!list.text.includes(t.token));
  expectError(assert, await as.admin.get('/api/v1/accounts/999999/tokens'), 404, 'not_found');
  expectError(assert, await as.admin.del(`/api/v1/accounts/${ids.other}/tokens/${t.id}`), 404, 'not_found');
  assert.equal((await bearer.get('/api/v1/me')).status, 200);

  assert.equal((await as.admin.del(`/api/v1/accounts/${ids.peer}/tokens/${t.id}`)).status, 204);
  expectError(assert, await bearer.get('/api/v1/me'), 401, 'unauthenticated');
  const audit = await as.admin.get(`/api/v1/audit?entity=person&entity_id=${ids.peer}&actor=${ids.admin}`);
  assert.ok(audit.json.items.some((a) => a.action === 'token.revoke'), audit.text);
});

test('an expired token answers 401 unauthenticated', async () => {
  const t = await create(as.self, { name: 'short lived', expires_in_days: 1 });
  const bearer = client(srv.base, { bearer: t.token });
  assert.equal((await bearer.get('/api/v1/me')).status, 200);
  sql(`UPDATE api_tokens SET expires_at = '${iso(5)}' WHERE id = ${t.id}`);
  expectError(assert, await bearer.get('/api/v1/me'), 401, 'unauthenticated');
  const row = (await mine(as.self)).find((x) => x.id === t.id);
  assert.equal(row.revoked_at, null, 'expired, not revoked');
});

test('last_used_at is set on use and written at most once a minute', async () => {
  const t = await create(as.self, { name: 'usage' });
  const bearer = client(srv.base, { bearer: t.token });
  assert.equal((await mine(as.self)).find((x) => x.id === t.id).last_used_at, null);
  const before = Date.now() - 2000;
  assert.equal((await bearer.get('/api/v1/me')).status, 200);
  const used = (await mine(as.self)).find((x) => x.id === t.id).last_used_at;
  assert.ok(used && Date.parse(used) >= before - 1000, `last_used_at ${used}`);

  const recent = iso(30);
  sql(`UPDATE api_tokens SET last_used_at = '${recent}' WHERE id = ${t.id}`);
  assert.equal((await bearer.get('/api/v1/me')).status, 200);
  assert.equal((await mine(as.self)).find((x) => x.id === t.id).last_used_at, recent, 'used 30 s ago: not written again');

  sql(`UPDATE api_tokens SET last_used_at = '${iso(120)}' WHERE id = ${t.id}`);
  assert.equal((await bearer.get('/api/v1/me')).status, 200);
  const now = (await mine(as.self)).find((x) => x.id === t.id).last_used_at;
  assert.ok(Date.parse(now) >= Date.now() - 10000, `used 2 minutes ago: moved to now (${now})`);
});

test("an admin password reset revokes the person's tokens as well as their sessions", async () => {
  const session = await srv.login(org.byKey.manager, PASSWORD);
  const t = await create(session, { name: 'before reset' });
  const bearer = client(srv.base, { bearer: t.token });
  const cli = srv.token(org.byKey.manager);
  assert.equal((await bearer.get('/api/v1/me')).status, 200);
  assert.equal((await cli.get('/api/v1/me')).status, 200);
  const r = await as.admin.post(`/api/v1/accounts/${ids.manager}/password-reset`, {});
  assert.equal(r.status, 200);
  expectError(assert, await bearer.get('/api/v1/me'), 401, 'unauthenticated');
  expectError(assert, await cli.get('/api/v1/me'), 401, 'unauthenticated');
  expectError(assert, await session.get('/api/v1/me'), 401, 'unauthenticated');
  const list = (await as.admin.get(`/api/v1/accounts/${ids.manager}/tokens`)).json.items;
  assert.ok(list.length >= 2 && list.every((x) => x.revoked_at), JSON.stringify(list));
  const audit = await as.admin.get(`/api/v1/audit?entity=person&entity_id=${ids.manager}`);
  const reset = audit.json.items.find((a) => a.action === 'account.password_reset');
  assert.ok(reset, audit.text);
  assert.ok(!audit.text.includes(r.json.temporary_password));
});

test('the CLI creates, lists and revokes tokens; `user passwd` ends sessions and revokes tokens', async () => {
  const made = srv.cli(['user', 'token', '--email', org.byKey.other, '--name', 'nightly export', '--expires-in-days', '7']);
  assert.equal(made.status, 0, made.stderr);
  const secret = made.stdout.trim();
  const bearer = client(srv.base, { bearer: secret });
  assert.equal((await bearer.get('/api/v1/me')).status, 200);
  const row = (await mine(as.other)).find((x) => x.name === 'nightly export');
  assert.ok(row && row.expires_at, 'named and expiring');

  const listed = srv.cli(['user', 'tokens', '--email', org.byKey.other.toUpperCase()]);
  assert.equal(listed.status, 0, listed.stderr);
  assert.match(listed.stdout, /^id\tname\tcreated_at\texpires_at\tlast_used_at\trevoked_at\n/);
  assert.match(listed.stdout, new RegExp(`^${row.id}\tnightly export\t`, 'm'));
  assert.ok(!listed.stdout.includes(secret));

  const bad = srv.cli(['user', 'token', '--email', org.byKey.other, '--expires-in-days', '400']);
  assert.equal(bad.status, 2);
  assert.equal(srv.cli(['user', 'revoke-token', '--email', org.byKey.other]).status, 2, '--id is needed');
  const wrong = srv.cli(['user', 'revoke-token', '--email', org.byKey.self, '--id', String(row.id)]);
  assert.equal(wrong.status, 1, 'another person\'s token');
  assert.match(wrong.stderr, /no such token/);
  assert.equal((await bearer.get('/api/v1/me')).status, 200);
  const revoked = srv.cli(['user', 'revoke-token', '--email', org.byKey.other, '--id', String(row.id)]);
  assert.equal(revoked.status, 0, revoked.stderr);
  expectError(assert, await bearer.get('/api/v1/me'), 401, 'unauthenticated');

  // `user passwd`: the help says it ends sessions; it also revokes tokens
  const help = srv.cli(['user', '--help']);
  assert.match(help.stdout, /passwd +set a new password, end the person's sessions and revoke their API tokens/);
  const session = await srv.login(org.byKey.report, PASSWORD);
  const tok = srv.token(org.byKey.report);
  assert.equal((await tok.get('/api/v1/me')).status, 200);
  const pw = srv.cli(['user', 'passwd', '--email', org.byKey.report, '--password-stdin'], { input: 'a brand new passphrase\n' });
  assert.equal(pw.status, 0, pw.stderr);
  expectError(assert, await session.get('/api/v1/me'), 401, 'unauthenticated');
  expectError(assert, await tok.get('/api/v1/me'), 401, 'unauthenticated');
  const again = await srv.anon().post('/api/v1/session', { email: org.byKey.report, password: 'a brand new passphrase' });
  assert.equal(again.status, 200, 'the new password works');
  const short = srv.cli(['user', 'passwd', '--email', org.byKey.report, '--password-stdin'], { input: 'short\n' });
  assert.equal(short.status, 1);
});

test("a terminated person's tokens stop working", async () => {
  const t = await create(as.peer, { name: 'leaver' });
  const bearer = client(srv.base, { bearer: t.token });
  assert.equal((await bearer.get('/api/v1/me')).status, 200);
  assert.equal((await as.hr.patch(`/api/v1/people/${ids.peer}`, { status: 'terminated', reason: 'left the company' })).status, 200);
  expectError(assert, await bearer.get('/api/v1/me'), 401, 'unauthenticated');
  expectError(assert, await bearer.get('/api/v1/me/tokens'), 401, 'unauthenticated');
});
