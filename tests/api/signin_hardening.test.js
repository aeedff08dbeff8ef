// Sign-in that cannot lock the company out: throttling per account and address with a growing
// wait, the client address behind a trusted proxy only, JSON-only sign-in bodies, files
// readable by their owner only, and common passwords refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, fixtureOrg, expectError, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
const PG = !!process.env.TRELLIS_TEST_PG;
let srv;

before(async () => { srv = await startServer({ people: org.csv, users: org.users }); });
after(async () => { await srv?.stop(); });

/** POST /api/v1/session from a chosen loopback address, with extra headers. */
function signIn(base, { from = '127.0.0.1', email, password, headers = {}, body, type = 'application/json' }) {
  const url = new URL('/api/v1/session', base);
  const payload = body !== undefined ? body : JSON.stringify({ email, password });
  return new Promise((res, rej) => {
    const req = http.request({
      host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress: from,
      headers: { ...(type ? { 'content-type': type } : {}), 'content-length': Buffer.byteLength(payload), ...headers },
    }, (r) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (d) => { text += d; });
      r.on('end', () => {
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        res({ status: r.statusCode, headers: { get: (n) => r.headers[n.toLowerCase()] ?? null }, json, text });
      });
    });
    req.on('error', rej);
    req.end(payload);
  });
}

/** Wrong guesses for email; returns {unauthorized, limited: [retry-after values]}. */
async function guess(base, email, n, opts = {}) {
  const out = { unauthorized: 0, limited: [] };
  for (let i = 0; i < n; i++) {
    const h = typeof opts.headers === 'function' ? opts.headers(i) : opts.headers;
    const r = await signIn(base, { ...opts, headers: h, email, password: `wrong guess ${i}` });
    if (r.status === 401) out.unauthorized++;
    else {
      expectError(assert, r, 429, 'rate_limited');
      out.limited.push(Number(r.headers.get('retry-after')));
    }
  }
  return out;
}

test("an attacker's 50 wrong guesses from one address get 429 with a growing Retry-After, and the person still signs in from another address", async () => {
  const victim = org.byKey.report;
  const g = await guess(srv.base, victim, 50, { from: '127.0.0.1' });
  assert.ok(g.unauthorized >= 5 && g.unauthorized < 15, `only a few guesses are checked (${g.unauthorized})`);
  assert.ok(g.limited.length > 35, 'the rest are refused');
  assert.ok(g.limited.every((s) => s >= 1 && s <= 60), `Retry-After is 1 to 60 s: ${g.limited}`);
  // after the wait, one more wrong guess doubles it
  const first = g.limited.at(-1);
  await new Promise((r) => setTimeout(r, first * 1000 + 200));
  expectError(assert, await signIn(srv.base, { from: '127.0.0.1', email: victim, password: 'one more' }), 401, 'unauthenticated');
  const next = await signIn(srv.base, { from: '127.0.0.1', email: victim, password: 'and again' });
  expectError(assert, next, 429, 'rate_limited');
  assert.ok(Number(next.headers.get('retry-after')) >= first, 'the wait does not shrink');
  // the attacker's address waits even with the right password...
  expectError(assert, await signIn(srv.base, { from: '127.0.0.1', email: victim, password: PASSWORD }), 429, 'rate_limited');
  // ...but the real person, from their own address, is never refused
  const mine = await signIn(srv.base, { from: '127.0.0.2', email: victim, password: PASSWORD });
  assert.equal(mine.status, 200, mine.text);
});

test('without a trusted proxy a spoofed X-Forwarded-For changes nothing', async () => {
  const victim = org.byKey.peer;
  // a different forged address on every guess: still one address to the server
  const g = await guess(srv.base, victim, 12, { from: '127.0.0.3', headers: (i) => ({ 'x-forwarded-for': `203.0.113.${i + 1}` }) });
  assert.ok(g.limited.length > 0, 'the forged header does not escape the throttle');
  // forging the victim's address does not throttle the victim
  await guess(srv.base, victim, 8, { from: '127.0.0.3', headers: { 'x-forwarded-for': '127.0.0.4' } });
  assert.equal((await signIn(srv.base, { from: '127.0.0.4', email: victim, password: PASSWORD })).status, 200);
  const logged = srv.logLines().filter((l) => l.path === '/api/v1/session').map((l) => l.ip);
  assert.ok(!logged.some((ip) => ip.startsWith('203.0.113.')), 'the log shows the TCP peer');
});

test('behind a trusted proxy the right-most untrusted X-Forwarded-For address is the client', async () => {
  const s2 = await startServer({ people: org.csv, users: org.users, env: { TRELLIS_TRUSTED_PROXIES: '127.0.0.1/32, ::1/128' } });
  try {
    const victim = org.byKey.ceo;
    const g = await guess(s2.base, victim, 10, { from: '127.0.0.1', headers: { 'x-forwarded-for': '198.51.100.7' } });
    assert.ok(g.limited.length > 0, 'the forwarded address is throttled');
    // a client prepending a forged address is still the proxy's right-most entry
    expectError(assert, await signIn(s2.base, { from: '127.0.0.1', email: victim, password: PASSWORD, headers: { 'x-forwarded-for': '192.0.2.9, 198.51.100.7' } }), 429, 'rate_limited');
    // another client behind the same proxy signs in
    const other = await signIn(s2.base, { from: '127.0.0.1', email: victim, password: PASSWORD, headers: { 'x-forwarded-for': '198.51.100.8' } });
    assert.equal(other.status, 200, other.text);
    // a peer that is not a trusted proxy cannot claim to be that other client
    await guess(s2.base, victim, 8, { from: '127.0.0.5', headers: { 'x-forwarded-for': '198.51.100.9' } });
    assert.equal((await signIn(s2.base, { from: '127.0.0.1', email: victim, password: PASSWORD, headers: { 'x-forwarded-for': '198.51.100.9' } })).status, 200);
    const ips = new Set(s2.logLines().filter((l) => l.path === '/api/v1/session').map((l) => l.ip));
    assert.deepEqual([...ips].sort(), ['127.0.0.5', '198.51.100.7', '198.51.100.8', '198.51.100.9']);
  } finally { await s2.stop(); }
  // the flag form, and a bad block refused
  const bad = srv.cli(['serve', '--listen', '127.0.0.1:0', '--trusted-proxy', '10.0.0.0/33']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /trusted proxy '10\.0\.0\.0\/33'/);
});

test('sign-in takes only JSON bodies: forms and text/plain answer 415', async () => {
  const email = org.byKey.hr;
  const form = `email=${encodeURIComponent(email)}&password=${encodeURIComponent(PASSWORD)}`;
  const boundary = 'XyZ';
  const multipart = `--${boundary}\r\nContent-Disposition: form-data; name="email"\r\n\r\n${email}\r\n--${boundary}\r\nContent-Disposition: form-data; name="password"\r\n\r\n${PASSWORD}\r\n--${boundary}--\r\n`;
  const json = JSON.stringify({ email, password: PASSWORD });
  for (const [type, body] of [['application/x-www-form-urlencoded', form], [`multipart/form-data; boundary=${boundary}`, multipart], ['text/plain', json], ['text/plain;charset=UTF-8', json], [null, json]]) {
    const r = await signIn(srv.base, { from: '127.0.0.6', type, body });
    expectError(assert, r, 415, 'unsupported_media_type');
    assert.match(r.json.error.message, /JSON/);
    assert.equal(r.headers.get('set-cookie'), null, `${type}: no session`);
  }
  assert.equal((await signIn(srv.base, { from: '127.0.0.6', type: 'application/json; charset=utf-8', body: json })).status, 200);
});

test('the database, its -wal and -shm, the key file and backups are readable by the owner only', { skip: PG && 'SQLite files' }, async () => {
  const path = srv.db.url.slice('sqlite:'.length);
  assert.equal((await srv.anon().post('/api/v1/session', { email: org.byKey.hr, password: PASSWORD })).status, 200);
  const files = [path, `${path}-wal`, `${path}-shm`, srv.db.key].filter((f) => existsSync(f));
  assert.ok(files.includes(`${path}-wal`), 'the server runs in WAL mode');
  const backup = join(srv.db.dir, 'copy.db');
  const r = srv.cli(['backup', backup]);
  assert.equal(r.status, 0, r.stderr);
  for (const f of [...files, backup]) assert.equal(statSync(f).mode & 0o777, 0o600, f);
});

test('common passwords are refused with 422 and a human message, case-insensitively', async () => {
  const c = await srv.login(org.byKey.other, PASSWORD);
  for (const next of ['password123', 'QwertyUiop', 'Welcome2025']) {
    const r = await c.post('/api/v1/me/password', { current_password: PASSWORD, new_password: next });
    expectError(assert, r, 422, 'validation_failed');
    assert.match(r.json.error.fields.new_password, /most common passwords/);
  }
  const add = srv.cli(['user', 'add', '--email', org.byKey.self, '--role', 'employee', '--password-stdin'], { input: '1234567890\n' });
  assert.notEqual(add.status, 0);
  assert.match(add.stderr, /most common passwords/);
  const passwd = srv.cli(['user', 'passwd', '--email', org.byKey.self, '--password-stdin'], { input: 'Password1234\n' });
  assert.notEqual(passwd.status, 0);
  assert.match(passwd.stderr, /most common passwords/);
  // the old password still works; an uncommon one is taken
  assert.equal((await srv.anon().post('/api/v1/session', { email: org.byKey.self, password: PASSWORD })).status, 200);
  assert.equal((await c.post('/api/v1/me/password', { current_password: PASSWORD, new_password: 'lantern orchard violet' })).status, 204);
});

test('a burst of sign-ins waits for the hashing pool while other requests are answered at once', async () => {
  const s2 = await startServer({ people: org.csv, users: org.users, args: ['--threads', '2', '--quiet'] });
  try {
    const reader = s2.token(org.byKey.hr);
    const t0 = Date.now();
    const logins = [...org.users, ...org.users].map((u) => s2.anon().post('/api/v1/session', { email: u.email, password: PASSWORD }));
    const waits = [];
    let burst = null;
    Promise.all(logins).then(() => { burst = Date.now() - t0; });
    while (burst === null) {
      const t = Date.now();
      assert.equal((await reader.get('/api/v1/me')).status, 200);
      waits.push(Date.now() - t);
    }
    for (const r of await Promise.all(logins)) assert.equal(r.status, 200);
    const slowest = Math.max(...waits);
    assert.ok(waits.length >= 3, `requests were answered during the burst (${waits.length})`);
    assert.ok(slowest < burst / 4, `the slowest other request took ${slowest} ms of a ${burst} ms burst`);
  } finally { await s2.stop(); }
});
