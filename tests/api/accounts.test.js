// Sign-in, sessions, tokens, rate limiting and passwords against the real binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, expectError, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
let srv;

before(async () => { srv = await startServer({ people: org.csv, users: org.users, args: ['--session-idle', '2'] }); });
after(async () => { await srv?.stop(); });

test('login sets an HttpOnly SameSite=Lax cookie and returns the csrf token', async () => {
  const c = srv.anon();
  const r = await c.post('/api/v1/session', { email: org.byKey.self, password: PASSWORD });
  assert.equal(r.status, 200);
  const cookie = r.headers.get('set-cookie');
  assert.match(cookie, /trellis_session=[A-Za-z0-9_-]{40,}/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.match(cookie, /Path=\//);
  assert.equal(r.json.person.email, org.byKey.self);
  assert.equal(r.json.role, 'employee');
  assert.equal(typeof r.json.csrf, 'string');
  assert.ok(r.json.csrf.length >= 24);
  const upper = await srv.anon().post('/api/v1/session', { email: org.byKey.self.toUpperCase(), password: PASSWORD });
  assert.equal(upper.status, 200, 'emails match case-insensitively');
});

test('wrong password and unknown email answer the same 401', async () => {
  const a = await srv.anon().post('/api/v1/session', { email: org.byKey.peer, password: 'wrong password!' });
  const b = await srv.anon().post('/api/v1/session', { email: 'nobody@acme.example', password: 'wrong password!' });
  expectError(assert, a, 401, 'unauthenticated');
  expectError(assert, b, 401, 'unauthenticated');
  assert.equal(a.json.error.message, b.json.error.message);
  assert.equal(a.headers.get('set-cookie'), null);
});

test('login body errors', async () => {
  expectError(assert, await srv.anon().post('/api/v1/session', '{"email":'), 400, 'bad_json');
  const r = await srv.anon().post('/api/v1/session', { email: 5, extra: true });
  expectError(assert, r, 422, 'validation_failed');
  assert.deepEqual(Object.keys(r.json.error.fields).sort(), ['email', 'extra', 'password']);
});

test('logout ends the session', async () => {
  const c = await srv.login(org.byKey.manager, PASSWORD);
  const cookie = c.cookie;
  assert.equal((await c.get('/api/v1/me')).status, 200);
  const r = await c.del('/api/v1/session');
  assert.equal(r.status, 204);
  c.cookie = cookie; // replaying the old cookie must not work
  expectError(assert, await c.get('/api/v1/me'), 401, 'unauthenticated');
});

test('expired_session_is_401 after the idle timeout', async () => {
  const c = await srv.login(org.byKey.other, PASSWORD);
  assert.equal((await c.get('/api/v1/me')).status, 200);
  await new Promise((res) => setTimeout(res, 3200));
  expectError(assert, await c.get('/api/v1/me'), 401, 'unauthenticated');
});

test('rate limit: after 5 failures this address waits (429 with Retry-After), even with the right password', async () => {
  for (let i = 0; i < 5; i++) {
    expectError(assert, await srv.anon().post('/api/v1/session', { email: org.byKey.report, password: 'guess ' + i }), 401, 'unauthenticated');
  }
  // each failure past the fifth doubles the wait (1 s, 2 s ...): guess until it is 2 s or more
  let r;
  for (let i = 0; i < 10; i++) {
    r = await srv.anon().post('/api/v1/session', { email: org.byKey.report, password: 'more ' + i });
    if (r.status === 429 && Number(r.headers.get('retry-after')) >= 2) break;
    if (r.status === 429) await new Promise((res) => setTimeout(res, Number(r.headers.get('retry-after')) * 1000));
  }
  expectError(assert, r, 429, 'rate_limited');
  r = await srv.anon().post('/api/v1/session', { email: org.byKey.report, password: PASSWORD });
  expectError(assert, r, 429, 'rate_limited');
  assert.ok(Number(r.headers.get('retry-after')) > 0);
  // another account from the same address is not slowed down
  assert.equal((await srv.anon().post('/api/v1/session', { email: org.byKey.ceo, password: PASSWORD })).status, 200);
});

test('bearer tokens work without csrf; a bad token is 401', async () => {
  const t = srv.token(org.byKey.hr);
  const me = await t.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.csrf, null);
  t.bearer = t.bearer.slice(0, -2) + 'xx';
  expectError(assert, await t.get('/api/v1/me'), 401, 'unauthenticated');
  const raw = await fetch(srv.base + '/api/v1/me', { headers: { authorization: 'Basic Zm9vOmJhcg==' } });
  assert.equal(raw.status, 401);
});

test('change password: wrong current is 422, short new is 422, then the new one works', async () => {
  const c = await srv.login(org.byKey.peer, PASSWORD);
  const bad = await c.post('/api/v1/me/password', { current_password: 'nope nope nope', new_password: 'a much longer one' });
  expectError(assert, bad, 422, 'validation_failed');
  assert.ok('current_password' in bad.json.error.fields);
  const short = await c.post('/api/v1/me/password', { current_password: PASSWORD, new_password: 'short' });
  expectError(assert, short, 422, 'validation_failed');
  assert.ok('new_password' in short.json.error.fields);
  assert.equal((await c.post('/api/v1/me/password', { current_password: PASSWORD, new_password: 'a brand new passphrase' })).status, 204);
  expectError(assert, await srv.anon().post('/api/v1/session', { email: org.byKey.peer, password: PASSWORD }), 401, 'unauthenticated');
  assert.equal((await srv.anon().post('/api/v1/session', { email: org.byKey.peer, password: 'a brand new passphrase' })).status, 200);
});

test('admin password reset: admins only; the old sessions end', async () => {
  // sessions here end after 2 idle seconds: only the victim's is a session (a loaded machine
  // takes that long for a few sign-ins)
  const hr = srv.token(org.byKey.hr);
  const admin = srv.token(org.byKey.admin);
  const people = (await admin.get('/api/v1/people?limit=200')).json.items;
  const victim = await srv.login(org.byKey.skip, PASSWORD);
  const id = people.find((p) => p.email === org.byKey.skip).id;
  expectError(assert, await hr.post(`/api/v1/accounts/${id}/password-reset`, {}), 403, 'forbidden');
  expectError(assert, await victim.post(`/api/v1/accounts/${id}/password-reset`, {}), 403, 'forbidden');
  expectError(assert, await admin.post('/api/v1/accounts/999999/password-reset', {}), 404, 'not_found');
  const r = await admin.post(`/api/v1/accounts/${id}/password-reset`, {});
  assert.equal(r.status, 200);
  assert.ok(r.json.temporary_password.length >= 16);
  expectError(assert, await victim.get('/api/v1/me'), 401, 'unauthenticated');
  assert.equal((await srv.anon().post('/api/v1/session', { email: org.byKey.skip, password: r.json.temporary_password })).status, 200);
  const audit = await admin.get(`/api/v1/audit?entity=person&entity_id=${id}`);
  assert.ok(audit.json.items.some((x) => x.action === 'account.password_reset'));
  assert.ok(!JSON.stringify(audit.json).includes(r.json.temporary_password), 'the audit never holds a password');
});

test('behind HTTPS (--public-url https://…) the session cookie is Secure; /metrics can require a token', async () => {
  const s2 = await startServer({ people: org.csv, users: [org.users[0]], args: ['--public-url', 'https://trellis.example.com', '--metrics-token', 'm3tr1cs-s3cret'] });
  try {
    const r = await s2.anon().post('/api/v1/session', { email: org.users[0].email, password: PASSWORD });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('set-cookie'), /; Secure/);
    expectError(assert, await s2.anon().get('/metrics'), 401, 'unauthenticated');
    const wrong = await fetch(s2.base + '/metrics', { headers: { authorization: 'Bearer nope' } });
    assert.equal(wrong.status, 401);
    const ok = await fetch(s2.base + '/metrics', { headers: { authorization: 'Bearer m3tr1cs-s3cret' } });
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /trellis_http_requests_total/);
  } finally { await s2.stop(); }
  const plain = await srv.anon().post('/api/v1/session', { email: org.byKey.ceo, password: PASSWORD });
  assert.ok(!/Secure/.test(plain.headers.get('set-cookie')), 'plain HTTP keeps working locally');
});
