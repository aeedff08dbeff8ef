// Test harness: a real `trellis serve` on a fresh database (SQLite, or PostgreSQL when
// TRELLIS_TEST_PG names a server), people imported and accounts added through the real CLI,
// and small HTTP clients that keep a session cookie and CSRF token.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.TRELLIS_BIN ? resolve(root, process.env.TRELLIS_BIN) : join(root, 'build', 'trellis');
export const PG = process.env.TRELLIS_TEST_PG || '';
export const STORE = PG ? 'postgres' : 'sqlite';

/** Runs the CLI; returns {status, stdout, stderr}. */
export function cli(args, { input = '', env = {} } = {}) {
  try {
    const stdout = execFileSync(BIN, args, { input, env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], timeout: 60000 });
    return { status: 0, stdout, stderr: '' };
  } catch (e) {
    return { status: e.status ?? -1, stdout: e.stdout?.toString() ?? '', stderr: e.stderr?.toString() ?? '' };
  }
}

function pgUrl(db) {
  const u = new URL(PG);
  u.pathname = '/' + db;
  return u.toString();
}

/** A fresh empty database: {url, dir, key, drop()}. */
export function freshDb() {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-test-'));
  const key = join(dir, 'server.key');
  if (!PG) return { url: `sqlite:${join(dir, 't.db')}`, dir, key, drop() { rmSync(dir, { recursive: true, force: true }); } };
  const name = 't_' + randomBytes(6).toString('hex');
  execFileSync('psql', [PG, '-q', '-c', `CREATE DATABASE ${name}`], { stdio: 'pipe' });
  return {
    url: pgUrl(name), dir, key,
    drop() {
      try { execFileSync('psql', [PG, '-q', '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`], { stdio: 'pipe' }); } catch { /* best effort */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts a server: opts.people (CSV text), opts.users ([{email, role, password}]), opts.args,
 * opts.env (extra environment, e.g. TRELLIS_SMTP_URL). */
export async function startServer(opts = {}) {
  const db = opts.db || freshDb();
  const common = ['--db', db.url, '--key-file', db.key];
  if (opts.people) {
    const file = join(db.dir, 'people.csv');
    writeFileSync(file, opts.people);
    const r = cli(['import', 'people', ...common, file]);
    if (r.status !== 0) throw new Error(`import failed: ${r.stderr}`);
  }
  for (const u of opts.users || []) {
    const r = cli(['user', 'add', ...common, '--email', u.email, '--role', u.role, '--password-stdin'], { input: u.password + '\n' });
    if (r.status !== 0) throw new Error(`user add ${u.email} failed: ${r.stderr}`);
  }
  const child = spawn(BIN, ['serve', ...common, '--listen', '127.0.0.1:0', '--test-faults', ...(opts.args || [])], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(opts.env || {}) } });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const base = await new Promise((res, rej) => {
    let out = '';
    const timer = setTimeout(() => rej(new Error('server did not start: ' + stderr)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); res(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); rej(new Error(`server exited ${code}: ${stderr}`)); });
  });
  const srv = {
    base, db, common, child,
    get stderr() { return stderr; },
    logLines() { return stderr.split('\n').filter(Boolean).map((l) => { try { return JSON.parse(l); } catch { return { unparsed: l }; } }); },
    anon() { return client(base, {}); },
    async login(email, password) {
      const c = client(base, {});
      const r = await c.post('/api/v1/session', { email, password });
      if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${r.text}`);
      return c;
    },
    token(email) {
      const r = cli(['user', 'token', ...common, '--email', email]);
      if (r.status !== 0) throw new Error(`token ${email}: ${r.stderr}`);
      return client(base, { bearer: r.stdout.trim() });
    },
    cli(args, o) { return cli([...args, ...common], o); },
    async stop() {
      if (child.exitCode === null) {
        const done = new Promise((res) => child.on('exit', (code, sig) => res({ code, sig })));
        child.kill('SIGTERM');
        const { code } = await done;
        if (!opts.keepDb) db.drop();
        if (code !== 0) throw new Error(`server exited with ${code} on SIGTERM: ${stderr.slice(-2000)}`);
      }
    },
  };
  return srv;
}

// TRELLIS_CONTRACT_LOG: every exchange the suite makes is appended (one JSON line each) for
// tests/contract, which checks each accepted request and each reply against the OpenAPI document.
const CONTRACT_LOG = process.env.TRELLIS_CONTRACT_LOG || '';
export function contractRecord(method, path, payload, headers, res, text) {
  const type = res.headers.get('content-type') || '';
  if (!CONTRACT_LOG || res.status >= 300 || text.length > 262144) return;
  const reqType = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] || '';
  const body = typeof payload === 'string' && /^application\/(scim\+)?json/.test(reqType) ? payload : null;
  appendFileSync(CONTRACT_LOG, JSON.stringify({ method, path, status: res.status, type, body, reply: /^application\/(scim\+)?json/.test(type) ? text : null }) + '\n');
}

/** An HTTP client; cookie-authenticated writes send the CSRF token unless {csrf:false}. */
export function client(base, { bearer } = {}) {
  const c = {
    cookie: null, csrf: null, bearer,
    async req(method, path, body, o = {}) {
      const headers = { ...(o.headers || {}) };
      if (c.bearer) headers.authorization = `Bearer ${c.bearer}`;
      if (c.cookie) headers.cookie = c.cookie;
      if (c.csrf && o.csrf !== false && method !== 'GET') headers['x-csrf-token'] = c.csrf;
      let payload;
      if (body !== undefined) {
        payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
        if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
      }
      const res = await fetch(base + path, { method, headers, body: payload, redirect: 'manual', signal: AbortSignal.timeout(30000) });
      const text = await res.text();
      contractRecord(method, path, payload, headers, res, text);
      let json = null;
      try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
      const setCookie = res.headers.get('set-cookie');
      if (setCookie) {
        const m = setCookie.match(/trellis_session=([^;]*)/);
        if (m) c.cookie = m[1] ? `trellis_session=${m[1]}` : null;
      }
      if (json && typeof json.csrf === 'string' && path === '/api/v1/session') c.csrf = json.csrf;
      return { status: res.status, headers: res.headers, text, json };
    },
    get(p, o) { return c.req('GET', p, undefined, o); },
    post(p, b, o) { return c.req('POST', p, b, o); },
    patch(p, b, o) { return c.req('PATCH', p, b, o); },
    put(p, b, o) { return c.req('PUT', p, b, o); },
    del(p, o) { return c.req('DELETE', p, undefined, o); },
  };
  return c;
}

/** Runs one SQL statement on srv's database, for a test that moves a clock into the past or
 * plants what no API writes (psql on PostgreSQL, Python's sqlite3 on SQLite). */
export function runSql(srv, statement) {
  if (PG) {
    execFileSync('psql', [srv.db.url, '-q', '-v', 'ON_ERROR_STOP=1', '-c', statement], { stdio: 'pipe' });
    return;
  }
  const path = srv.db.url.replace(/^sqlite:/, '');
  execFileSync('python3', ['-c', 'import sqlite3, sys\nc = sqlite3.connect(sys.argv[1], timeout=10)\nc.execute(sys.argv[2])\nc.commit()', path, statement], { stdio: 'pipe' });
}

/** The rows of one query as objects keyed by column name (SQLite or PostgreSQL). */
export function querySql(srv, statement) {
  if (PG) {
    const out = execFileSync('psql', [srv.db.url, '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-c',
      `SELECT COALESCE(json_agg(t), '[]') FROM (${statement}) t`], { stdio: 'pipe' }).toString();
    return JSON.parse(out);
  }
  const path = srv.db.url.replace(/^sqlite:/, '');
  const out = execFileSync('python3', ['-c', 'import json, sqlite3, sys\nc = sqlite3.connect(sys.argv[1], timeout=10)\nq = c.execute(sys.argv[2])\nn = [d[0] for d in q.description]\nprint(json.dumps([dict(zip(n, r)) for r in q]))', path, statement], { stdio: 'pipe' }).toString();
  return JSON.parse(out);
}

/** A flat organisation in one department: a chief (chief@big.example) with `managers` managers
 * under them, each with one report; the people CSV. */
export function flatOrg(managers) {
  const rows = [['C0', 'Chief Zero', 'chief@big.example', '']];
  for (let i = 1; i <= managers; i++) {
    rows.push([`M${i}`, `Manager ${i}`, `m${i}@big.example`, 'C0']);
    rows.push([`R${i}`, `Report ${i}`, `r${i}@big.example`, `M${i}`]);
  }
  return 'employee_id,name,email,title,department,manager_id,level,hire_date\n' +
    rows.map(([id, name, email, boss]) => `${id},${name},${email},Staff,Operations,${boss},,2020-01-01`).join('\n') + '\n';
}

/** Asserts the docs/api.md error shape and code. */
export function expectError(assert, r, status, code) {
  assert.equal(r.status, status, `expected ${status} ${code}, got ${r.status}: ${r.text}`);
  assert.ok(r.json && r.json.error, `no error object: ${r.text}`);
  assert.equal(r.json.error.code, code);
  assert.equal(typeof r.json.error.message, 'string');
  assert.ok(r.json.error.message.length > 0);
}

/**
 * Sends a write with a fault injected at statement 1, 2, … (X-Trellis-Fault) until it succeeds
 * and returns that reply. Each failed try must be a 500 (or a refusal in `refusals`: a failed
 * read of the caller's relation fails closed) and leave `state()` exactly as it was before; the
 * write must have failed with 500 at least twice before it lands.
 */
export async function everyFault(assert, state, c, method, path, body, name, refusals = [403, 404, 422]) {
  const before0 = await state();
  let failed = 0;
  for (let n = 1; n < 80; n++) {
    const r = await c.req(method, path, body, { headers: { 'x-trellis-fault': String(n) } });
    if (r.status < 300) {
      assert.ok(n > 2 && failed > 0, `${name}: the write failed with 500 before it succeeded (n=${n}, ${failed} × 500)`);
      return r;
    }
    assert.ok(r.status === 500 || refusals.includes(r.status), `${name}: fault ${n}: ${r.status} ${r.text}`);
    if (r.status === 500) failed++;
    expectError(assert, r, r.status, r.status === 500 ? 'internal' : r.json.error.code);
    assert.equal(await state(), before0, `${name}: a fault at statement ${n} (${r.status} ${r.text}) left a partial write`);
  }
  assert.fail(`${name}: never succeeded`);
}

export const PASSWORD = 'correct horse battery';

/**
 * The fixture organisation: a CEO; two departments; managers; peers; so that every actor of the
 * access matrix exists. Returns {csv, users, byKey} where byKey maps a role name to an email.
 */
export function fixtureOrg() {
  const rows = [
    ['E1', 'Cora Chief', 'ceo@acme.example', 'CEO', 'Executive', '', 'E9', '2015-01-10'],
    ['E2', 'Eli Engdir', 'engdir@acme.example', 'VP Engineering', 'Engineering', 'E1', 'M6', '2016-02-01'],
    ['E3', 'Mia Manager', 'manager@acme.example', 'Engineering Manager', 'Engineering', 'E2', 'M4', '2018-03-01'],
    ['E4', 'Zoë Ōtsuka', 'self@acme.example', 'Software Engineer', 'Engineering', 'E3', 'P3', '2021-04-12'],
    ['E5', 'Pat Peer', 'peer@acme.example', 'Software Engineer', 'Engineering', 'E3', 'P3', '2022-05-01'],
    ['E6', 'Sam Sales', 'sales@acme.example', 'Account Executive', 'Sales', 'E1', 'P2', '2023-06-01'],
    ['E7', 'Hana HR', 'hr@acme.example', 'HR Partner', 'People', 'E1', 'P4', '2019-07-01'],
    ['E8', 'Ada Admin', 'admin@acme.example', 'IT Admin', 'IT', 'E1', 'P4', '2017-08-01'],
    ['E9', 'Rex Report', 'report@acme.example', 'Associate Engineer', 'Engineering', 'E4', 'P1', '2024-09-01'],
  ];
  const csv = 'employee_id,name,email,title,department,manager_id,level,hire_date\n' +
    rows.map((r) => r.map((f) => (/[",\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',')).join('\n') + '\n';
  const byKey = {
    self: 'self@acme.example', manager: 'manager@acme.example', skip: 'engdir@acme.example',
    peer: 'peer@acme.example', other: 'sales@acme.example', hr: 'hr@acme.example', admin: 'admin@acme.example',
    report: 'report@acme.example', ceo: 'ceo@acme.example',
  };
  const role = (k) => (k === 'hr' ? 'hr' : k === 'admin' ? 'admin' : 'employee');
  const users = Object.entries(byKey).map(([k, email]) => ({ email, role: role(k), password: PASSWORD }));
  return { csv, users, byKey };
}
