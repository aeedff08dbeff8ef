// Disk full (SQLite): the database lives on a small tmpfs that a filler file fills up. Writes then
// answer 507 storage_full with a plain message and a log line (never 500), reads go on, nothing
// half-written is left, and once space returns writes succeed and the database checks clean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, writeSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, fixtureOrg, PASSWORD, STORE } from '../support/trellis.js';

function mountTmpfs() {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-full-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', dir], { stdio: 'pipe' });
  if (r.status !== 0) { rmSync(dir, { recursive: true, force: true }); return null; }
  return dir;
}

/** Fills the file system with one file until it refuses; returns its path. */
function fill(dir) {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try { for (;;) writeSync(fd, chunk); } catch (e) { if (e.code !== 'ENOSPC') throw e; }
  const small = Buffer.alloc(512, 1);
  try { for (;;) writeSync(fd, small); } catch (e) { if (e.code !== 'ENOSPC') throw e; }
  closeSync(fd);
  return path;
}

const canMount = STORE === 'sqlite' && process.getuid?.() === 0;

test('a full disk answers 507 to writes, keeps serving reads, and recovers when space returns', {
  skip: STORE !== 'sqlite' ? 'SQLite only (PostgreSQL answers 503 to its disk_full state)' : !canMount && 'needs root to mount a small tmpfs',
  timeout: 120000,
}, async () => {
  const dir = mountTmpfs();
  assert.ok(dir, 'a tmpfs was mounted');
  const org = fixtureOrg();
  const db = { url: `sqlite:${join(dir, 't.db')}`, dir, key: join(dir, 'server.key'), drop() {} };
  let srv;
  try {
    srv = await startServer({ db, people: org.csv, users: org.users });
    const me = await srv.login(org.byKey.self, PASSWORD);
    const before = await me.post('/api/v1/accomplishments', { happened_on: '2026-03-14', title: 'Before the disk filled' });
    assert.equal(before.status, 201, before.text);
    const filler = fill(dir);

    const impact = 'x'.repeat(4900);
    const statuses = [];
    let refused = 0;
    for (let i = 0; i < 300 && refused < 3; i++) {
      const r = await me.post('/api/v1/accomplishments', { happened_on: '2026-03-15', title: `While full ${i}`, impact });
      statuses.push(r.status);
      if (r.status === 507) {
        refused++;
        assert.equal(r.json.error.code, 'storage_full');
        assert.match(r.json.error.message, /disk is full/);
      }
    }
    assert.ok(refused > 0, `some write was refused for want of space (statuses ${[...new Set(statuses)]})`);
    assert.ok(!statuses.some((s) => s >= 500 && s !== 507), `no write answered another 5xx: ${[...new Set(statuses)]}`);
    const read = await me.get('/api/v1/accomplishments?limit=200');
    assert.equal(read.status, 200, 'reads go on while the disk is full');
    const titles = read.json.items.map((a) => a.title);
    assert.ok(titles.includes('Before the disk filled'));
    assert.equal(titles.filter((t) => t.startsWith('While full')).length, statuses.filter((s) => s === 201).length,
      'every acknowledged write is there and no refused one is');
    assert.ok(srv.logLines().some((l) => /disk is full/.test(l.msg || '')), 'the cause is in the log');

    rmSync(filler);
    const after = await me.post('/api/v1/accomplishments', { happened_on: '2026-03-16', title: 'After space returned' });
    assert.equal(after.status, 201, after.text);
    await srv.stop();
    srv = null;
    const check = execFileSync('sqlite3', [join(dir, 't.db'), 'PRAGMA integrity_check'], { encoding: 'utf8' }).trim();
    assert.equal(check, 'ok');
  } finally {
    if (srv) await srv.stop().catch(() => {});
    spawnSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  }
});
