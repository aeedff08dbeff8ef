// The admin console's accounts: an invitation by email (a one-time link through the real outbox
// and SMTP, stored hashed, refused once used, expired or replaced), role changes that take effect
// on the next request, deactivation that ends sessions and API tokens (old session 401, no
// sign-in) and reactivation, ending one session, and every route refused to non-admins.
// SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, fixtureOrg, expectError, PASSWORD, PG } from '../support/trellis.js';
import { startSmtp } from '../support/smtp.js';

const org = fixtureOrg();
const csv = org.csv + 'E10,Nia Newcomer,nia@acme.example,Designer,Engineering,E3,P2,2026-11-30\n' +
  'E11,Owen Other,owen@acme.example,Designer,Engineering,E3,P2,2026-11-30\n';
let srv, smtp;
const as = {};
const ids = {};

function sql(statement) {
  if (PG) {
    execFileSync('psql', [srv.db.url, '-q', '-v', 'ON_ERROR_STOP=1', '-c', statement], { stdio: 'pipe' });
    return '';
  }
  const path = srv.db.url.replace(/^sqlite:/, '');
  return execFileSync('python3', ['-c', 'import sqlite3, sys\nc = sqlite3.connect(sys.argv[1], timeout=10)\nr = c.execute(sys.argv[2]).fetchall()\nc.commit()\nprint(r)', path, statement], { encoding: 'utf8' });
}

before(async () => {
  smtp = await startSmtp();
  srv = await startServer({
    people: csv, users: org.users,
    env: { TRELLIS_SMTP_URL: smtp.url, TRELLIS_SMTP_FROM: 'trellis@acme.example', TRELLIS_SCHEDULER_INTERVAL: '1', TRELLIS_SMTP_RETRY_SECONDS: '1' },
  });
  for (const k of ['self', 'peer', 'hr', 'admin', 'manager']) as[k] = await srv.login(org.byKey[k], PASSWORD);
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
});
after(async () => { await srv?.stop(); await smtp?.close(); });

/** Invites email as the admin and returns the token from the email that arrives. */
async function invite(email, body = {}) {
  const before = smtp.messages().filter((m) => m.to.includes(email)).length;
  const r = await as.admin.post(`/api/v1/accounts/${ids[email]}/invitation`, body);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.email, email);
  assert.ok(Date.parse(r.json.expires_at) > Date.now() + 6 * 86400e3, 'valid for a week');
  assert.equal(r.json.token, undefined, 'the admin never sees the secret');
  const got = await smtp.waitFor((m) => m.to.includes(email), before + 1, 20000);
  const m = got[got.length - 1];
  assert.match(m.subject, /invited to Trellis/);
  const link = m.body.match(/(http\S+)#\/invite\/([A-Za-z0-9_-]+)/);
  assert.ok(link, `a link in the email: ${m.body}`);
  assert.equal(link[1], `${srv.base}/`, 'the link leads to this server');
  return link[2];
}

test('an invitation: the email, the link shows who it is for, sets a password once', async () => {
  const token = await invite('nia@acme.example');
  const anon = srv.anon();
  const shown = await anon.get(`/api/v1/invitations/${token}`);
  assert.equal(shown.status, 200, shown.text);
  assert.equal(shown.json.name, 'Nia Newcomer');
  assert.equal(shown.json.email, 'nia@acme.example');

  const acc = await as.admin.get(`/api/v1/accounts/${ids['nia@acme.example']}`);
  assert.equal(acc.status, 200, acc.text);
  assert.equal(acc.json.account.role, 'employee');
  assert.equal(acc.json.account.has_password, false);
  assert.equal(acc.json.invitation.state, 'pending');

  // nothing of the secret is stored: neither the token nor its plain form in any table
  assert.ok(!sql('SELECT token_hash FROM invitations').includes(token));
  // a weak password is refused and the link still works
  expectError(assert, await anon.post(`/api/v1/invitations/${token}`, { password: 'short' }), 422, 'validation_failed');
  const ok = await anon.post(`/api/v1/invitations/${token}`, { password: 'a brand new passphrase' });
  assert.equal(ok.status, 200, ok.text);
  const nia = await srv.login('nia@acme.example', 'a brand new passphrase');
  assert.equal((await nia.get('/api/v1/me')).json.role, 'employee');

  // used once: both reading and using it again are refused, and the password stays
  expectError(assert, await anon.get(`/api/v1/invitations/${token}`), 404, 'invitation_used');
  expectError(assert, await anon.post(`/api/v1/invitations/${token}`, { password: 'somebody elses pass' }), 404, 'invitation_used');
  await srv.login('nia@acme.example', 'a brand new passphrase');
  expectError(assert, await anon.post('/api/v1/session', { email: 'nia@acme.example', password: 'somebody elses pass' }), 401, 'unauthenticated');
  const state = await as.admin.get(`/api/v1/accounts/${ids['nia@acme.example']}`);
  assert.equal(state.json.invitation.state, 'used');
  assert.equal(state.json.account.has_password, true);

  const audit = (await as.admin.get(`/api/v1/audit?entity=person&entity_id=${ids['nia@acme.example']}`)).json.items;
  const inv = audit.find((x) => x.action === 'account.invite');
  assert.ok(inv, 'the invitation is audited');
  assert.equal(inv.actor.id, ids.admin);
  assert.ok(!JSON.stringify(audit).includes(token), 'the audit never holds the secret');
  assert.ok(audit.find((x) => x.action === 'account.invitation_accept'));
});

test('an expired link and a replaced link are refused; garbage is 404', async () => {
  const email = 'owen@acme.example';
  const first = await invite(email, { role: 'hr' });
  const second = await invite(email);
  expectError(assert, await srv.anon().get(`/api/v1/invitations/${first}`), 404, 'invitation_expired');
  expectError(assert, await srv.anon().post(`/api/v1/invitations/${first}`, { password: 'a brand new passphrase' }), 404, 'invitation_expired');
  sql(`UPDATE invitations SET expires_at = '2020-01-01T00:00:00Z' WHERE person_id = ${ids[email]}`);
  expectError(assert, await srv.anon().post(`/api/v1/invitations/${second}`, { password: 'a brand new passphrase' }), 404, 'invitation_expired');
  expectError(assert, await srv.anon().post('/api/v1/session', { email, password: 'a brand new passphrase' }), 401, 'unauthenticated');
  expectError(assert, await srv.anon().get('/api/v1/invitations/not-a-real-token'), 404, 'not_found');
  const acc = await as.admin.get(`/api/v1/accounts/${ids[email]}`);
  assert.equal(acc.json.invitation.state, 'expired');
  assert.equal(acc.json.account.role, 'hr', 'the first invitation made the account with its role');
  // a fresh link works again
  const third = await invite(email);
  assert.equal((await srv.anon().post(`/api/v1/invitations/${third}`, { password: 'a brand new passphrase' })).status, 200);
  assert.equal((await (await srv.login(email, 'a brand new passphrase')).get('/api/v1/me')).json.role, 'hr');
});

test('a role change takes effect on the next request of the person\'s session', async () => {
  expectError(assert, await as.peer.get('/api/v1/audit'), 403, 'forbidden');
  const r = await as.admin.patch(`/api/v1/accounts/${ids.peer}`, { role: 'hr' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.account.role, 'hr');
  assert.equal((await as.peer.get('/api/v1/me')).json.role, 'hr');
  assert.equal((await as.peer.get('/api/v1/audit')).status, 200);
  const back = await as.admin.patch(`/api/v1/accounts/${ids.peer}`, { role: 'employee' });
  assert.equal(back.json.account.role, 'employee');
  expectError(assert, await as.peer.get('/api/v1/audit'), 403, 'forbidden');
  const audit = (await as.admin.get(`/api/v1/audit?entity=person&entity_id=${ids.peer}`)).json.items.filter((x) => x.action === 'account.role');
  assert.deepEqual(audit.map((x) => [x.before.role, x.after.role]), [['hr', 'employee'], ['employee', 'hr']]);
  expectError(assert, await as.admin.patch(`/api/v1/accounts/${ids.peer}`, { role: 'owner' }), 422, 'validation_failed');
  expectError(assert, await as.admin.patch(`/api/v1/accounts/${ids.peer}`, { role: 'hr', email: 'x@y' }), 422, 'validation_failed');
  expectError(assert, await as.admin.patch(`/api/v1/accounts/${ids.admin}`, { role: 'employee' }), 409, 'conflict');
  assert.equal((await as.admin.get('/api/v1/me')).json.role, 'admin', 'the admin kept their role');
});

test('deactivating ends the sessions and tokens; sign-in refused; reactivation restores sign-in', async () => {
  const token = srv.token(org.byKey.manager);
  assert.equal((await token.get('/api/v1/me')).status, 200);
  const other = await srv.login(org.byKey.manager, PASSWORD);
  const seen = await as.admin.get(`/api/v1/accounts/${ids.manager}`);
  assert.ok(seen.json.sessions.length >= 2, 'both sessions are listed');
  assert.ok(seen.json.sessions.every((s) => s.id && s.created_at && !('csrf' in s) && !('token_hash' in s)));

  const r = await as.admin.post(`/api/v1/accounts/${ids.manager}/deactivate`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.account.active, false);
  assert.deepEqual(r.json.sessions, []);
  expectError(assert, await as.manager.get('/api/v1/me'), 401, 'unauthenticated');
  expectError(assert, await other.get('/api/v1/me'), 401, 'unauthenticated');
  expectError(assert, await token.get('/api/v1/me'), 401, 'unauthenticated');
  expectError(assert, await srv.anon().post('/api/v1/session', { email: org.byKey.manager, password: PASSWORD }), 401, 'unauthenticated');
  expectError(assert, await as.admin.post(`/api/v1/accounts/${ids.manager}/invitation`, {}), 409, 'conflict');
  const toks = (await as.admin.get(`/api/v1/accounts/${ids.manager}/tokens`)).json.items;
  assert.ok(toks.length >= 1 && toks.every((t) => t.revoked_at), 'every token revoked');
  const audit = (await as.admin.get(`/api/v1/audit?entity=person&entity_id=${ids.manager}`)).json.items.find((x) => x.action === 'account.deactivate');
  assert.equal(audit.before.disabled_at, null);
  assert.ok(audit.after.disabled_at);
  assert.equal(audit.after.tokens_revoked, toks.length);

  const again = await as.admin.post(`/api/v1/accounts/${ids.manager}/reactivate`);
  assert.equal(again.json.account.active, true);
  as.manager = await srv.login(org.byKey.manager, PASSWORD);
  assert.equal((await as.manager.get('/api/v1/me')).status, 200);
  expectError(assert, await as.admin.post(`/api/v1/accounts/${ids.admin}/deactivate`), 409, 'conflict');
  expectError(assert, await as.admin.post(`/api/v1/accounts/${ids['nia@acme.example'] + 1000}/deactivate`), 404, 'not_found');
});

test('an admin ends one session; the others go on', async () => {
  const a = await srv.login(org.byKey.self, PASSWORD);
  const b = await srv.login(org.byKey.self, PASSWORD);
  const list = (await as.admin.get(`/api/v1/accounts/${ids.self}`)).json.sessions;
  assert.ok(list.length >= 3);
  const r = await as.admin.del(`/api/v1/accounts/${ids.self}/sessions/${list[0].id}`);
  assert.equal(r.status, 204, r.text);
  expectError(assert, await b.get('/api/v1/me'), 401, 'unauthenticated');
  assert.equal((await a.get('/api/v1/me')).status, 200);
  expectError(assert, await as.admin.del(`/api/v1/accounts/${ids.peer}/sessions/${list[1].id}`), 404, 'not_found');
  assert.equal((await a.get('/api/v1/me')).status, 200, 'another person\'s id in the path ended nothing');
});

test('only admins: HR and employees get 403 and change nothing; anonymous 401', async () => {
  for (const c of [as.hr, as.self]) {
    expectError(assert, await c.get(`/api/v1/accounts/${ids.peer}`), 403, 'forbidden');
    expectError(assert, await c.patch(`/api/v1/accounts/${ids.peer}`, { role: 'admin' }), 403, 'forbidden');
    expectError(assert, await c.post(`/api/v1/accounts/${ids.peer}/deactivate`), 403, 'forbidden');
    expectError(assert, await c.post(`/api/v1/accounts/${ids.peer}/invitation`, {}), 403, 'forbidden');
    expectError(assert, await c.del(`/api/v1/accounts/${ids.peer}/sessions/1`), 403, 'forbidden');
  }
  expectError(assert, await srv.anon().get(`/api/v1/accounts/${ids.peer}`), 401, 'unauthenticated');
  assert.equal((await as.peer.get('/api/v1/me')).json.role, 'employee');
  assert.equal((await as.peer.get('/api/v1/me')).status, 200, 'the peer is still signed in');
});

test('the audit log: kind and date filters, the subject and the names an entry holds', async () => {
  assert.equal((await as.hr.patch(`/api/v1/people/${ids.report}`, { manager_id: ids.manager })).status, 200);
  const all = (await as.admin.get(`/api/v1/audit?entity=person&entity_id=${ids.report}`)).json.items;
  const move = all.find((x) => x.action === 'person.update');
  assert.equal(move.subject.name, 'Rex Report');
  assert.equal(move.names[String(ids.self)], 'Zoë Ōtsuka', 'the old manager by name');
  assert.equal(move.names[String(ids.manager)], 'Mia Manager', 'the new manager by name');
  const accounts = (await as.admin.get('/api/v1/audit?kind=account&limit=200')).json.items;
  assert.ok(accounts.length > 0 && accounts.every((x) => x.action.startsWith('account.')));
  const today = new Date().toISOString().slice(0, 10);
  assert.ok((await as.admin.get(`/api/v1/audit?from=${today}&to=${today}`)).json.items.length > 0);
  assert.deepEqual((await as.admin.get('/api/v1/audit?from=2020-01-01&to=2020-12-31')).json.items, []);
  expectError(assert, await as.admin.get('/api/v1/audit?kind=account%25'), 422, 'validation_failed');
  expectError(assert, await as.admin.get('/api/v1/audit?from=yesterday'), 422, 'validation_failed');
  // a redacted image names nobody: the reviewee-hidden and private items keep their rules
  const priv = (await as.self.post('/api/v1/goals', { title: 'Secret plan', visibility: 'private', start_date: '2026-01-01', due_date: '2026-12-31', key_results: [{ title: 'k', start: 0, target: 1, current: 0 }] })).json;
  const rows = (await as.hr.get('/api/v1/audit?entity=goal&entity_id=' + priv.id)).json.items;
  assert.ok(rows.length && rows.every((x) => x.after === null && Object.keys(x.names).length === 0), JSON.stringify(rows));
});

test('a test email goes out at once and answers with the SMTP server\'s answer', async () => {
  const before = smtp.messages().filter((m) => m.subject === 'Trellis test email').length;
  const r = await as.admin.post('/api/v1/admin/test-email', { to: 'it-desk@acme.example' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.to, 'it-desk@acme.example');
  assert.match(r.json.answer, /accepted/);
  const got = await smtp.waitFor((m) => m.subject === 'Trellis test email', before + 1, 10000);
  assert.ok(got.some((m) => m.to.includes('it-desk@acme.example')));
  const mine = await as.admin.post('/api/v1/admin/test-email', {});
  assert.equal(mine.json.to, org.byKey.admin, 'to the admin when no address is given');
  expectError(assert, await as.admin.post('/api/v1/admin/test-email', { to: 'not an address' }), 422, 'validation_failed');
  expectError(assert, await as.hr.post('/api/v1/admin/test-email', {}), 403, 'forbidden');
  const audit = (await as.admin.get('/api/v1/audit?kind=email')).json.items;
  assert.ok(audit.some((x) => x.action === 'email.test' && x.after.to === 'it-desk@acme.example' && x.after.accepted === true));

  // a server that refuses: its answer is shown
  await smtp.stop();
  await smtp.start({ fail: 'always' });
  const refused = await as.admin.post('/api/v1/admin/test-email', { to: 'it-desk@acme.example' });
  expectError(assert, refused, 503, 'smtp_failed');
  assert.match(refused.json.error.message, /SMTP 5\d\d|SMTP 4\d\d/);
  await smtp.stop();
  await smtp.start();
});

test('without an SMTP server the test email says so', async () => {
  const bare = await startServer({ people: org.csv, users: org.users.filter((u) => u.role === 'admin') });
  try {
    const admin = await bare.login(org.byKey.admin, PASSWORD);
    const r = await admin.post('/api/v1/admin/test-email', {});
    expectError(assert, r, 409, 'conflict');
    assert.match(r.json.error.message, /no SMTP server is configured/);
  } finally { await bare.stop(); }
});
