// Single sign-on through OpenID Connect (issue #13), against a real OpenID provider on loopback
// (tests/support/idp.js: the oidc-provider package). The admin registers the provider (its issuer
// must answer discovery; the client secret is write-only and never in a response or the audit
// log); a person signs in through it with the code flow and PKCE and lands where they started; a
// person of the directory without an account gets one; an email the directory does not know, an
// answer used twice, an answer brought by another browser and a deactivated account are refused
// with words on the sign-in page; password sign-in can be turned off per role. Both stores.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, expectError, PASSWORD, client } from '../support/trellis.js';
import { startIdp } from '../support/idp.js';

const org = fixtureOrg();
// a person in the directory without a Trellis account, and the IdP's accounts
const people = org.csv + 'E10,Nina Newcomer,nina@acme.example,Software Engineer,Engineering,E3,P2,2026-11-02\n';
const SECRET = 'SSOSECRETMARK-5521';
let srv, idp;
const as = {};
let provider;

const accounts = [
  { sub: 'idp-self', email: 'self@acme.example', email_verified: true, name: 'Zoë Ōtsuka' },
  { sub: 'idp-nina', email: 'Nina@Acme.example', email_verified: true, name: 'Nina Newcomer' },
  { sub: 'idp-stranger', email: 'stranger@elsewhere.example', email_verified: true },
  { sub: 'idp-unverified', email: 'peer@acme.example', email_verified: false },
  { sub: 'idp-admin', email: 'admin@acme.example', email_verified: true },
  { sub: 'idp-sales', email: 'sales@acme.example', email_verified: true },
];

before(async () => {
  idp = await startIdp({ accounts });
  srv = await startServer({ people, users: org.users });
  for (const k of ['self', 'hr', 'admin']) as[k] = await srv.login(org.byKey[k], PASSWORD);
});
after(async () => { await srv?.stop(); await idp?.close(); });

function cookieOf(r, name) {
  for (const c of r.headers.getSetCookie()) {
    const m = c.match(new RegExp(`^${name}=([^;]*)`));
    if (m) return m[1];
  }
  return null;
}

/** The browser's whole trip: start at Trellis, sign in at the provider, come back. Returns the
 * callback's answer, the session cookie (or null) and where the browser was sent. */
async function signIn(email, { next = '#/goals', otherBrowser = false, keepCallback } = {}) {
  const start = await fetch(`${srv.base}/api/v1/sso/${provider.id}/start?next=${encodeURIComponent(next)}`, { redirect: 'manual' });
  assert.equal(start.status, 302, await start.text());
  const browser = cookieOf(start, 'trellis_sso');
  assert.ok(browser, 'the start binds the sign-in to this browser');
  const back = await idp.signIn(start.headers.get('location'), email);
  assert.ok(back.startsWith(`${srv.base}/api/v1/sso/callback?`), back);
  if (keepCallback) keepCallback.url = back;
  const cb = await fetch(back, { redirect: 'manual', headers: otherBrowser ? {} : { cookie: `trellis_sso=${browser}` } });
  assert.equal(cb.status, 302, await cb.text());
  return { location: cb.headers.get('location'), session: cookieOf(cb, 'trellis_session'), browser };
}

function errorOf(location) {
  const hash = new URL(location).hash;
  return new URLSearchParams(hash.slice(hash.indexOf('?') + 1)).get('sso_error');
}

test('only admins register a provider; the issuer must answer discovery and bad fields are named', async () => {
  expectError(assert, await as.hr.get('/api/v1/settings/sso'), 403, 'forbidden');
  expectError(assert, await as.self.post('/api/v1/settings/sso/providers', { name: 'X', issuer: idp.issuer, client_id: 'c', client_secret: 's' }), 403, 'forbidden');
  let r = await as.admin.post('/api/v1/settings/sso/providers', { name: '', issuer: 'ftp://idp.example', client_id: '' });
  expectError(assert, r, 422, 'validation_failed');
  assert.deepEqual(Object.keys(r.json.error.fields).sort(), ['client_id', 'client_secret', 'issuer', 'name']);
  r = await as.admin.post('/api/v1/settings/sso/providers', { name: 'Nowhere', issuer: 'http://127.0.0.1:9/', client_id: 'c', client_secret: 's' });
  expectError(assert, r, 422, 'validation_failed');
  assert.match(r.json.error.fields.issuer, /cannot reach/);
  const list = await as.admin.get('/api/v1/settings/sso');
  assert.deepEqual(list.json.providers, [], 'nothing was written');
  assert.deepEqual((await srv.anon().get('/api/v1/sso/providers')).json.items, []);
});

test('the admin registers the provider; the secret is write-only; the sign-in page lists it', async () => {
  const list0 = await as.admin.get('/api/v1/settings/sso');
  const r = await as.admin.post('/api/v1/settings/sso/providers', { name: 'Acme Okta', issuer: idp.issuer, client_id: 'trellis', client_secret: SECRET });
  assert.equal(r.status, 201, r.text);
  provider = r.json;
  assert.equal(provider.redirect_uri, `${srv.base}/api/v1/sso/callback`, 'one redirect URI for every provider, known before the provider is');
  assert.equal(list0.json.redirect_uri, provider.redirect_uri);
  assert.equal(provider.client_secret_set, true);
  idp.setClient({ client_id: 'trellis', client_secret: SECRET, redirect_uris: [provider.redirect_uri] });
  const pub = await srv.anon().get('/api/v1/sso/providers');
  assert.deepEqual(pub.json.items, [{ id: provider.id, name: 'Acme Okta' }]);
  for (const res of [r, await as.admin.get('/api/v1/settings/sso'), await as.admin.get('/api/v1/audit?limit=50')]) {
    assert.ok(!res.text.includes(SECRET), 'the client secret never comes back');
  }
});

test('a person signs in through the provider and lands where they started', async () => {
  const { location, session } = await signIn('self@acme.example', { next: '#/goals' });
  assert.equal(location, `${srv.base}/#/goals`);
  assert.ok(session, 'a session cookie is set');
  const c = client(srv.base);
  c.cookie = `trellis_session=${session}`;
  const me = await c.get('/api/v1/me');
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.person.email, 'self@acme.example');
  assert.equal(me.json.role, 'employee');
  // a second sign-in finds the person by the provider's subject
  const again = await signIn('self@acme.example', { next: 'https://evil.example/' });
  assert.equal(again.location, `${srv.base}/#/`, 'only a web-app route is a place to go back to');
  const crlf = await signIn('self@acme.example', { next: '#/goals\r\nSet-Cookie: x=1' });
  assert.equal(crlf.location, `${srv.base}/#/`, 'no line break reaches the Location header');
  // signing out ends the local session
  const csrf = me.json.csrf;
  const out = await c.req('DELETE', '/api/v1/session', undefined, { headers: { 'x-csrf-token': csrf } });
  assert.equal(out.status, 204, out.text);
  assert.equal((await c.get('/api/v1/me')).status, 401);
});

test('a person of the directory without an account gets one (employee) on first sign-in; the email is matched case-insensitively', async () => {
  const nina = (await as.admin.get('/api/v1/people?q=Nina')).json.items[0];
  const { session, location } = await signIn('Nina@Acme.example');
  assert.ok(session, `signed in: ${location}`);
  const acc = await as.admin.get(`/api/v1/accounts/${nina.id}`);
  assert.equal(acc.status, 200, acc.text);
  assert.equal(acc.json.account.role, 'employee');
  assert.equal(acc.json.account.has_password, false, 'an account without a password');
  assert.deepEqual(acc.json.single_sign_on.map((x) => [x.provider, x.email]), [['Acme Okta', 'Nina@Acme.example']], 'the admin sees the link');
  const audit = await as.admin.get('/api/v1/audit?limit=100');
  assert.ok(audit.text.includes('sso.link') || audit.text.includes('linked'), 'the link is audited');
});

test('refusals land on the sign-in page in words and sign nobody in', async () => {
  let r = await signIn('stranger@elsewhere.example');
  assert.equal(r.session, null);
  assert.match(errorOf(r.location), /nobody with the email stranger@elsewhere\.example/);
  r = await signIn('peer@acme.example');
  assert.equal(r.session, null);
  assert.match(errorOf(r.location), /did not send a verified email/);
  r = await signIn('self@acme.example', { otherBrowser: true });
  assert.equal(r.session, null, 'an answer brought by another browser is refused');
  assert.match(errorOf(r.location), /another browser/);
  // an answer used twice
  const keep = {};
  r = await signIn('self@acme.example', { keepCallback: keep });
  assert.ok(r.session);
  const replay = await fetch(keep.url, { redirect: 'manual', headers: { cookie: `trellis_sso=${r.browser}` } });
  assert.equal(replay.status, 302);
  assert.equal(cookieOf(replay, 'trellis_session'), null);
  assert.match(errorOf(replay.headers.get('location')), /already used/);
  // a forged state
  const forged = await fetch(`${srv.base}/api/v1/sso/callback?code=x&state=forged`, { redirect: 'manual' });
  assert.equal(cookieOf(forged, 'trellis_session'), null);
  assert.match(errorOf(forged.headers.get('location')), /not known/);
  // the provider's own refusal is shown in its words
  const denied = await fetch(`${srv.base}/api/v1/sso/callback?error=access_denied&error_description=User+cancelled`, { redirect: 'manual' });
  assert.match(errorOf(denied.headers.get('location')), /access_denied: User cancelled/);
});

test('a deactivated account cannot sign in through the provider either', async () => {
  const sales = (await as.admin.get('/api/v1/people?q=Sam')).json.items[0];
  assert.equal((await as.admin.post(`/api/v1/accounts/${sales.id}/deactivate`, {})).status, 200);
  const r = await signIn('sales@acme.example');
  assert.equal(r.session, null);
  assert.match(errorOf(r.location), /deactivated/);
});

test('password sign-in turned off for employees: they must use the provider, admins still may use a password', async () => {
  expectError(assert, await as.admin.patch('/api/v1/settings/sso', { password_off_roles: ['boss'] }), 422, 'validation_failed');
  const r = await as.admin.patch('/api/v1/settings/sso', { password_off_roles: ['employee'] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.password_off_roles, ['employee']);
  const refused = await srv.anon().post('/api/v1/session', { email: org.byKey.peer, password: PASSWORD });
  expectError(assert, refused, 403, 'forbidden');
  assert.match(refused.json.error.message, /single sign-on/);
  // a wrong password still says only that it is wrong (nothing learnt about the account)
  expectError(assert, await srv.anon().post('/api/v1/session', { email: org.byKey.peer, password: 'wrong password here' }), 401, 'unauthenticated');
  await srv.login(org.byKey.admin, PASSWORD);
  assert.ok((await signIn('self@acme.example')).session, 'the provider still signs employees in');
  // the last provider cannot be removed while password sign-in is off
  expectError(assert, await as.admin.del(`/api/v1/settings/sso/providers/${provider.id}`), 409, 'conflict');
  // the operator's way back (the provider down, nobody able to sign in): the command line
  const cli = srv.cli(['sso', 'password-on']);
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stdout, /password sign-in is on for every role/);
  assert.deepEqual((await as.admin.get('/api/v1/settings/sso')).json.password_off_roles, []);
  const audited = (await as.admin.get('/api/v1/audit?limit=20')).json.items.find((x) => x.action === 'settings.sso');
  assert.deepEqual([audited.actor, audited.before, audited.after], [null, ['employee'], []]);
  await srv.login(org.byKey.peer, PASSWORD);
});

test('ID tokens signed ES256 verify too; email from userinfo when the ID token has none', async () => {
  // oidc-provider keeps email out of the ID token of the code flow (conformIdTokenClaims):
  // every sign-in above already read it from the userinfo endpoint. Now ES256.
  idp.setClient({ client_id: 'trellis', client_secret: SECRET, redirect_uris: [provider.redirect_uri], id_token_signed_response_alg: 'ES256' });
  const r = await signIn('self@acme.example');
  assert.ok(r.session, `ES256 sign-in: ${r.location}`);
});

test('a changed secret is used; a wrong one is refused by the provider and said in words; no secret or code reaches the log', async () => {
  let r = await as.admin.patch(`/api/v1/settings/sso/providers/${provider.id}`, { client_secret: 'not-the-secret' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.name, 'Acme Okta', 'fields not sent stay');
  r = await signIn('self@acme.example');
  assert.equal(r.session, null);
  assert.match(errorOf(r.location), /did not accept/);
  r = await as.admin.patch(`/api/v1/settings/sso/providers/${provider.id}`, { client_secret: SECRET, name: 'Acme SSO' });
  assert.equal(r.status, 200, r.text);
  assert.ok((await signIn('self@acme.example')).session);
  assert.ok(!srv.stderr.includes(SECRET), 'the secret is not logged');
  assert.ok(!/code=|state=|id_token/.test(srv.stderr), 'no code, state or token in the log');
  assert.match(srv.stderr, /sso: provider \d+: sign-in refused/, 'each refusal logs its cause');
  // removing the provider removes it from the sign-in page
  assert.equal((await as.admin.del(`/api/v1/settings/sso/providers/${provider.id}`)).status, 204);
  assert.deepEqual((await srv.anon().get('/api/v1/sso/providers')).json.items, []);
  const gone = await fetch(`${srv.base}/api/v1/sso/${provider.id}/start`, { redirect: 'manual' });
  assert.match(errorOf(gone.headers.get('location')), /no such identity provider/);
});
