// Faults an operator meets, injected for real: PostgreSQL restarted and stopped under a running
// server (503 with Retry-After meanwhile, never 401 or a crash; the same session and the
// scheduler carry on once it is back), a SQLite write lock held past the busy timeout, a second
// server on a taken port, a restore while a server runs, and migrations started in parallel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, STORE, PG, cli, freshDb, startServer, fixtureOrg, expectError, PASSWORD, runSql } from '../support/trellis.js';
import { startSmtp } from '../support/smtp.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const org = fixtureOrg();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// the restart test's own cluster, beside the suite's (which other test files are using)
const PRIVATE_PG_PORT = String(Number(process.env.TRELLIS_PG_PORT || 54329) + 500);
const pg = (cmd) => execFileSync(join(root, 'scripts', 'pg.sh'), [cmd], { env: { ...process.env, TRELLIS_PG_PORT: PRIVATE_PG_PORT }, encoding: 'utf8', timeout: 60000 }).trim();

/** Runs the CLI without waiting (for parallel runs), ended after ms: resolves {status, stdout,
 * stderr}. */
function run(args, { env = {}, ms = 30000 } = {}) {
  return new Promise((res) => {
    const child = spawn(BIN, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGTERM'), ms);
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    // 'close', not 'exit': exit can come before the last of stdout has been read
    child.on('close', (status) => { clearTimeout(timer); res({ status, stdout, stderr }); });
  });
}

/** Asks until the answer is not 503 (at most ms); every answer meanwhile must be 503 with
 * Retry-After and the unavailable code: never 401, 500 or a dropped connection. */
async function untilAvailable(call, ms = 20000) {
  const until = Date.now() + ms;
  for (;;) {
    const r = await call();
    if (r.status !== 503 || Date.now() > until) return r;
    assertUnavailable(r);
    await sleep(250);
  }
}

function assertUnavailable(r) {
  expectError(assert, r, 503, 'unavailable');
  assert.match(r.headers.get('retry-after') || '', /^[1-9][0-9]*$/, 'a 503 says when to retry');
}

const win = (title) => ({ happened_on: '2026-04-01', title });

test('PostgreSQL restarted and stopped: 503 with Retry-After meanwhile, then the same session, writes and email carry on', { skip: STORE !== 'postgres' && 'runs in the PostgreSQL pass, on a private cluster', timeout: 110000 }, async () => {
  const url = pg('start');
  const dir = mkdtempSync(join(tmpdir(), 'trellis-faults-'));
  const smtp = await startSmtp();
  let srv;
  try {
    srv = await startServer({
      db: { url, dir, key: join(dir, 'server.key'), drop() {} }, people: org.csv, users: org.users, args: ['--quiet'],
      env: { TRELLIS_SMTP_URL: smtp.url, TRELLIS_SMTP_FROM: 'trellis@acme.example', TRELLIS_SCHEDULER_INTERVAL: '1', TRELLIS_SMTP_RETRY_SECONDS: '1' },
    });
    const self = await srv.login(org.byKey.self, PASSWORD);
    const manager = await srv.login(org.byKey.manager, PASSWORD);
    assert.equal((await self.get('/api/v1/me')).status, 200);

    // a restart: the connections the workers hold are closed under them
    pg('restart');
    for (let i = 0; i < 6; i++) {
      const r = await untilAvailable(() => self.get('/api/v1/me'));
      assert.equal(r.status, 200, `after a restart the session still works: ${r.status} ${r.text}`);
    }
    let w = await untilAvailable(() => self.post('/api/v1/accomplishments', win('After the restart')));
    assert.equal(w.status, 201, w.text);

    // an outage: every request answers 503 with Retry-After, the process stays up
    pg('down');
    for (let i = 0; i < 4; i++) assertUnavailable(await self.get('/api/v1/me'));
    assertUnavailable(await self.post('/api/v1/accomplishments', win('During the outage')));
    assertUnavailable(await srv.anon().post('/api/v1/session', { email: org.byKey.peer, password: PASSWORD }));
    assertUnavailable(await srv.anon().get('/healthz'));
    await sleep(2500); // the scheduler passes meanwhile
    assert.equal(srv.child.exitCode, null, 'the server is still running');

    pg('up');
    const me = await untilAvailable(() => self.get('/api/v1/me'));
    assert.equal(me.status, 200, `the same session works again: ${me.status} ${me.text}`);
    w = await untilAvailable(() => self.post('/api/v1/accomplishments', win('After the outage')));
    assert.equal(w.status, 201, w.text);
    const titles = (await self.get(`/api/v1/accomplishments?person=${me.json.person.id}`)).json.items.map((a) => a.title);
    assert.ok(titles.includes('After the restart') && titles.includes('After the outage'), titles.join(', '));
    assert.ok(!titles.includes('During the outage'), 'a 503 write did not happen');

    // the scheduler resumed by itself: the summary of a meeting completed now is emailed
    const day = new Date(Date.now() + 3 * 86400000);
    const weekday = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'][day.getUTCDay()];
    const s = await manager.post('/api/v1/one-on-ones', { with: me.json.person.id, weekday, first_date: day.toISOString().slice(0, 10), time: '09:00', timezone: 'Europe/Paris' });
    assert.equal(s.status, 201, s.text);
    assert.equal((await manager.post(`/api/v1/one-on-ones/meetings/${s.json.next_meeting.id}/complete`, {})).status, 200);
    const got = await smtp.waitFor((m) => /One-on-one summary/.test(m.subject), 2);
    assert.equal(got.length, 2, 'the scheduler delivers again after the outage');
  } finally {
    await srv?.stop();
    await smtp.close();
    pg('stop');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SQLite locked past the busy timeout: a write answers 503 with Retry-After, then succeeds', { skip: STORE !== 'sqlite' && 'SQLite only', timeout: 60000 }, async () => {
  const srv = await startServer({ people: org.csv, users: org.users, args: ['--quiet'] });
  try {
    const self = srv.token(org.byKey.self);
    // a read needs no lock: the bookkeeping of a token's first use (a write) is skipped, not
    // waited for, so the read answers at once instead of 503 after the busy timeout
    const reader = srv.token(org.byKey.peer);
    assert.equal((await self.post('/api/v1/accomplishments', win('Before the lock'))).status, 201);
    const holder = spawn('/usr/bin/python3', ['-c',
      'import sqlite3,sys\nc=sqlite3.connect(sys.argv[1],isolation_level=None)\nc.execute("BEGIN IMMEDIATE")\nprint("locked",flush=True)\nsys.stdin.read()',
      srv.db.url.slice(7)], { stdio: ['pipe', 'pipe', 'inherit'] });
    await new Promise((res, rej) => { holder.stdout.once('data', res); holder.once('exit', rej); });
    const read = await reader.get('/api/v1/me');
    const r = await self.post('/api/v1/accomplishments', win('While locked'));
    holder.stdin.end();
    assert.equal(read.status, 200, `a read behind another writer's lock: ${read.status} ${read.text}`);
    await new Promise((res) => holder.once('exit', res));
    assertUnavailable(r);
    const ok = await self.post('/api/v1/accomplishments', win('After the lock'));
    assert.equal(ok.status, 201, ok.text);
  } finally {
    await srv.stop();
  }
});

// PostgreSQL ends one of two transactions that wait for each other (a deadlock) or cannot be
// serialised; the work did not happen and a retry succeeds: 503 with Retry-After, not 500. The
// conflicts are raised by a trigger, as PostgreSQL raises them, on the next journal entry.
test('PostgreSQL breaking a deadlock or a serialization conflict: the write answers 503 with Retry-After, then succeeds', { skip: STORE !== 'postgres' && 'PostgreSQL only', timeout: 60000 }, async () => {
  const srv = await startServer({ people: org.csv, users: org.users, args: ['--quiet'] });
  try {
    const self = srv.token(org.byKey.self);
    assert.equal((await self.post('/api/v1/accomplishments', win('Before the conflicts'))).status, 201);
    for (const code of ['40P01', '40001']) {
      runSql(srv, `CREATE FUNCTION walk_conflict() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '${code}'; END $$;
        CREATE TRIGGER walk_conflict BEFORE INSERT ON accomplishments FOR EACH ROW EXECUTE FUNCTION walk_conflict();`);
      const r = await self.post('/api/v1/accomplishments', win(`During ${code}`));
      runSql(srv, 'DROP TRIGGER walk_conflict ON accomplishments; DROP FUNCTION walk_conflict();');
      assertUnavailable(r);
      const ok = await self.post('/api/v1/accomplishments', win(`After ${code}`));
      assert.equal(ok.status, 201, ok.text);
    }
    const mine = (await self.get('/api/v1/accomplishments?limit=50')).json.items.map((a) => a.title);
    assert.deepEqual(mine.filter((t) => /During/.test(t)), [], 'nothing of the refused writes was kept');
    assert.equal(mine.filter((t) => /After/.test(t)).length, 2);
  } finally {
    await srv.stop();
  }
});

test('a second server on a port in use refuses to start and the first keeps serving', { skip: STORE !== 'sqlite' && 'store-independent: runs once', timeout: 30000 }, async () => {
  const srv = await startServer({ users: [{ email: 'a@acme.example', role: 'admin', password: PASSWORD }], args: ['--quiet'] });
  const other = freshDb();
  try {
    const second = await run(['serve', '--db', other.url, '--key-file', other.key, '--listen', srv.base.slice(7), '--quiet'], { ms: 8000 });
    assert.notEqual(second.status, 0);
    assert.match(second.stderr, /already in use/);
    assert.doesNotMatch(second.stdout, /listening/);
    for (let i = 0; i < 6; i++) assert.equal((await srv.anon().get('/healthz')).status, 200, 'every request reaches the first server');
  } finally {
    await srv.stop();
    other.drop();
  }
});

test('restore refuses while a server uses the database, and works once it is stopped', { skip: STORE !== 'sqlite' && 'restore is for SQLite; PostgreSQL uses pg_restore', timeout: 60000 }, async () => {
  const srv = await startServer({ people: org.csv, users: org.users, args: ['--quiet'], keepDb: true });
  const backup = join(srv.db.dir, 'backup.db');
  try {
    const self = srv.token(org.byKey.self);
    assert.equal(srv.cli(['backup', backup]).status, 0);
    assert.equal((await self.post('/api/v1/accomplishments', win('After the backup'))).status, 201);
    const refused = cli(['restore', '--db', srv.db.url, backup]);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /a trellis server is using .*stop/);
    const me = (await self.get('/api/v1/me')).json;
    const items = (await self.get(`/api/v1/accomplishments?person=${me.person.id}`)).json.items;
    assert.ok(items.some((a) => a.title === 'After the backup'), 'the live database is intact');
    await srv.stop();
    const done = cli(['restore', '--db', srv.db.url, backup]);
    assert.equal(done.status, 0, done.stderr);
    assert.match(done.stdout, /restored/);
  } finally {
    await srv.stop();
    srv.db.drop();
  }
});

test('eight migrations started together on a new database all succeed and apply each version once', { timeout: 60000 }, async () => {
  const db = freshDb();
  try {
    const runs = await Promise.all(Array.from({ length: 8 }, () => run(['migrate', '--db', db.url])));
    for (const r of runs) assert.equal(r.status, 0, r.stderr);
    const versions = runs.map((r) => r.stdout.trim());
    assert.ok(versions.every((v) => v === versions[0] && /^schema version [1-9]/.test(v)), versions.join(' / '));
    const q = 'SELECT COUNT(*), COUNT(DISTINCT version), MAX(version) FROM schema_version';
    const row = PG
      ? execFileSync('psql', [db.url, '-At', '-F', ' ', '-c', q], { encoding: 'utf8' }).trim()
      : execFileSync('/usr/bin/python3', ['-c', 'import sqlite3,sys\nprint(*sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone())', db.url.slice(7), q], { encoding: 'utf8' }).trim();
    const [rows, distinct, max] = row.split(' ').map(Number);
    assert.equal(rows, distinct, 'no version applied twice');
    assert.equal(`schema version ${max}`, versions[0]);
    assert.equal(cli(['migrate', '--db', db.url]).stdout.trim(), versions[0], 'the schema is complete');
  } finally {
    db.drop();
  }
});

test('every 500 writes its cause to the log (also with request lines off), and the client sees none of it', async () => {
  const srv = await startServer({ users: [{ email: 'a@acme.example', role: 'admin', password: PASSWORD }], args: ['--quiet'] });
  try {
    const admin = await srv.login('a@acme.example', PASSWORD);
    const r = await admin.post('/api/v1/accomplishments', { title: 'Faulted win', happened_on: '2026-03-01' }, { headers: { 'x-trellis-fault': '1' } });
    assert.equal(r.status, 500, r.text);
    assert.equal(r.json.error.code, 'internal');
    assert.equal(r.json.error.message, 'something went wrong on our side');
    await new Promise((res) => setTimeout(res, 200));
    const line = srv.logLines().find((l) => l.msg === 'internal error');
    assert.ok(line, `no cause in the log: ${srv.stderr.slice(-2000)}`);
    assert.equal(line.level, 'error');
    assert.equal(line.method, 'POST');
    assert.equal(line.route, '/api/v1/accomplishments');
    assert.equal(line.status, 500);
    assert.ok(line.cause.length > 5, line.cause);
  } finally {
    await srv.stop();
  }
});
