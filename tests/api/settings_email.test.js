// SMTP settings an admin changes without a restart (issue #12): a server started with no SMTP
// server at all sends nothing; the admin sets a real SMTP server (tests/support/smtp.js) through
// PATCH /api/v1/settings/email and the test email and the outbox's next message use it at once;
// a bad value is refused beside its field and changes nothing; the password is write-only, sealed
// in the database, and never in a response or the audit log; clearing a value goes back to the
// configuration. Both stores.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, fixtureOrg, expectError, PASSWORD, PG } from '../support/trellis.js';
import { startSmtp } from '../support/smtp.js';

const org = fixtureOrg();
const MARK = 'SMTPPASSMARK-7781';
let srv, smtp;
const as = {};

before(async () => {
  smtp = await startSmtp();
  srv = await startServer({ people: org.csv, users: org.users, env: { TRELLIS_SCHEDULER_INTERVAL: '1', TRELLIS_SMTP_RETRY_SECONDS: '1' } });
  for (const k of ['self', 'hr', 'admin']) as[k] = await srv.login(org.byKey[k], PASSWORD);
});
after(async () => { await srv?.stop(); await smtp?.close(); });

test('only admins read and change the email settings; with none set the configuration applies', async () => {
  const r = await as.admin.get('/api/v1/settings/email');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.smtp_url, null);
  assert.equal(r.json.smtp_password_set, false);
  assert.equal(r.json.config.smtp_url, null, 'the configuration names no server');
  expectError(assert, await as.hr.get('/api/v1/settings/email'), 403, 'forbidden');
  expectError(assert, await as.self.patch('/api/v1/settings/email', { smtp_url: smtp.url }), 403, 'forbidden');
  expectError(assert, await as.admin.post('/api/v1/admin/test-email', {}), 409, 'conflict');
});

test('bad values are refused beside their fields and change nothing', async () => {
  const r = await as.admin.patch('/api/v1/settings/email', { smtp_url: 'http://mail.example.com', smtp_from: 'not an address', smtp_starttls: 'maybe', smtp_user: 'ok' });
  expectError(assert, r, 422, 'validation_failed');
  const fields = Object.keys(r.json.error.fields || {}).sort();
  assert.deepEqual(fields, ['smtp_from', 'smtp_starttls', 'smtp_url']);
  expectError(assert, await as.admin.patch('/api/v1/settings/email', { smtp_port: 25 }), 422, 'validation_failed');
  const now = (await as.admin.get('/api/v1/settings/email')).json;
  assert.equal(now.smtp_user, null, 'the good field of a refused request was not saved either');
});

test('the admin sets the SMTP server: the test email and the outbox use it at once, and the password never comes back', async () => {
  const set = await as.admin.patch('/api/v1/settings/email', {
    smtp_url: smtp.url, smtp_from: 'Acme People <people@acme.example>', smtp_starttls: 'off', smtp_user: 'trellis', smtp_password: MARK,
  });
  assert.equal(set.status, 200, set.text);
  assert.equal(set.json.smtp_url, smtp.url);
  assert.equal(set.json.smtp_password_set, true);
  assert.ok(!set.text.includes(MARK), 'the password is write-only');
  // the sink takes no AUTH: remove the user and password again (null), the rest stays
  const cleared = await as.admin.patch('/api/v1/settings/email', { smtp_user: null, smtp_password: '' });
  assert.equal(cleared.status, 200, cleared.text);
  assert.equal(cleared.json.smtp_user, null);
  assert.equal(cleared.json.smtp_password_set, false);
  assert.equal(cleared.json.smtp_from, 'Acme People <people@acme.example>', 'fields not sent stay');

  const before = smtp.messages().length;
  const t = await as.admin.post('/api/v1/admin/test-email', { to: 'it-desk@acme.example' });
  assert.equal(t.status, 200, t.text);
  const got = await smtp.waitFor((m) => m.subject === 'Trellis test email', 1, 10000);
  assert.ok(got.some((m) => m.to.includes('it-desk@acme.example') && /people@acme\.example/.test(m.headers.from || '')));

  // the outbox (a scheduler pass, no restart) sends an invitation through the same server
  const person = (await as.hr.get(`/api/v1/people?q=${encodeURIComponent(org.byKey.peer)}`)).json.items[0];
  const inv = await as.admin.post(`/api/v1/accounts/${person.id}/invitation`, {});
  assert.equal(inv.status, 201, inv.text);
  await smtp.waitFor((m) => m.to.includes(org.byKey.peer), 1, 15000);
  assert.ok(smtp.messages().length >= before + 2);

  // the password is in neither the audit log nor (as text) the database
  await as.admin.patch('/api/v1/settings/email', { smtp_password: MARK });
  const audit = await as.admin.get('/api/v1/audit?limit=200');
  assert.equal(audit.status, 200);
  assert.ok(audit.json.items.some((x) => x.action === 'settings.email.update' && x.after.smtp_url === smtp.url));
  assert.ok(!audit.text.includes(MARK), 'no password in the audit log');
  assert.ok(!(await as.admin.get('/api/v1/settings/email')).text.includes(MARK));
  if (!PG) {
    const row = execFileSync('python3', ['-c', 'import sqlite3, sys\nprint(sqlite3.connect(sys.argv[1]).execute("SELECT value FROM settings WHERE key = \'smtp_password\'").fetchone()[0])', srv.db.url.replace(/^sqlite:/, '')], { encoding: 'utf8' });
    assert.ok(row.trim().length > 40 && !row.includes(MARK), 'sealed with the server key');
  }
  await as.admin.patch('/api/v1/settings/email', { smtp_password: null });
});

test('emptying the server goes back to the configuration (none here): the test email says so', async () => {
  const r = await as.admin.patch('/api/v1/settings/email', { smtp_url: '' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.smtp_url, null);
  expectError(assert, await as.admin.post('/api/v1/admin/test-email', {}), 409, 'conflict');
});
