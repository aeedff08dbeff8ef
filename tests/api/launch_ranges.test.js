// A large cycle's launch is written in ranges of whole teams, a transaction each, so that other
// writes go on meanwhile (at 1,000,000 people one transaction held the write lock for 45 s). The
// test server takes launch_batch = 2, so the nine people of the fixture launch in several ranges:
// the reviews are exactly those of a launch in one transaction (another server, same people), a
// launch stopped part-way (a fault in a later range) leaves the cycle marked launching with its
// progress shown, release waits for it, and launching again finishes it once it has stalled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, fixtureOrg, expectError, PG } from '../support/trellis.js';

const org = fixtureOrg();
let ranged, single;

before(async () => {
  [ranged, single] = await Promise.all([
    startServer({ people: org.csv, users: org.users, env: { TRELLIS_LAUNCH_BATCH: '2' } }),
    startServer({ people: org.csv, users: org.users }),
  ]);
});
after(async () => { await Promise.all([ranged?.stop(), single?.stop()]); });

/** Runs one statement on the server's database, ? replaced by args; its rows as arrays. */
function sql(srv, statement, ...args) {
  let i = 0;
  const text = statement.replace(/\?/g, () => {
    const v = args[i++];
    return typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`;
  });
  if (PG) {
    const out = execFileSync('psql', [srv.db.url, '-q', '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', text], { encoding: 'utf8' });
    return out.split('\n').filter((l) => l).map((l) => l.split('\t').map((f) => (/^-?\d+$/.test(f) ? Number(f) : f)));
  }
  const path = srv.db.url.replace(/^sqlite:/, '');
  const out = execFileSync('python3', ['-c',
    'import json, sqlite3, sys\nc = sqlite3.connect(sys.argv[1], timeout=10)\n' +
    'rows = c.execute(sys.argv[2]).fetchall()\nc.commit()\nprint(json.dumps(rows))', path, text], { encoding: 'utf8' });
  return JSON.parse(out);
}

async function draft(srv, name) {
  const hr = srv.token(org.byKey.hr);
  const mk = async (kind, questions) => {
    const r = await hr.post('/api/v1/review-templates', { name: `${name} ${kind}`, kind, questions });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  const rating = [{ id: 'overall', type: 'rating', text: 'Overall' }];
  const body = {
    name, period_start: '2026-07-01', period_end: '2026-12-31', peers_per_person: 2,
    self_template_id: await mk('self', rating), manager_template_id: await mk('manager', rating),
    peer_template_id: await mk('peer', rating), upward_template_id: await mk('upward', rating),
  };
  const c = await hr.post('/api/v1/review-cycles', body);
  assert.equal(c.status, 201, c.text);
  return { hr, id: c.json.id };
}

const reviewsOf = (srv, cycle) => sql(srv, 'SELECT kind, reviewee_id, reviewer_id, status FROM reviews' +
  ' WHERE cycle_id = ? ORDER BY kind, reviewee_id, reviewer_id', cycle);

test('a launch in ranges writes the reviews a launch in one transaction writes', async () => {
  const a = await draft(ranged, 'Ranged');
  const b = await draft(single, 'Single');
  const la = await a.hr.post(`/api/v1/review-cycles/${a.id}/launch`, {});
  const lb = await b.hr.post(`/api/v1/review-cycles/${b.id}/launch`, {});
  assert.equal(la.status, 200, la.text);
  assert.equal(lb.status, 200, lb.text);
  assert.equal(la.json.assignments, lb.json.assignments, 'the same number of reviews');
  assert.equal(la.json.cycle.launching, false, 'the launch is finished when it answers');
  assert.equal(la.json.cycle.status, 'active');
  assert.deepEqual(reviewsOf(ranged, a.id), reviewsOf(single, b.id), 'the same reviews, writer for writer');
  assert.ok(reviewsOf(ranged, a.id).some((r) => r[0] === 'peer'), 'teammates review each other');
  // every writer is told once, as by a launch in one transaction
  const told = (srv, id) => sql(srv, "SELECT person_id, COUNT(*) FROM notifications WHERE kind = 'review_assigned'" +
    " AND dedupe_key LIKE ? GROUP BY person_id ORDER BY person_id", `review-assigned:${id}:%`);
  assert.deepEqual(told(ranged, a.id), told(single, b.id));
  const audit = (await a.hr.get('/api/v1/audit?limit=20')).json.items.map((x) => x.action);
  assert.ok(audit.includes('review_cycle.launch') && audit.includes('review_cycle.launch_finished'),
    `the audit log has the launch's start and end: ${audit.join(', ')}`);
  const me = ranged.token(org.byKey.self);
  const mine = (await me.get(`/api/v1/reviews?cycle=${a.id}`)).json.items;
  assert.ok(mine.some((r) => r.kind === 'self'), 'an employee sees their self review');
});

test('a launch stopped part-way shows its progress, holds release back, and is finished by launching again', async () => {
  // a fault some statements into the launch, after its first ranges committed: each try on a
  // new draft, the fault later each time (a fault in the first range leaves nobody enrolled)
  let a, cycle, dry, stopped = null;
  for (let n = 40; !stopped && n < 1000; n += 20) {
    a = await draft(ranged, `Stopped ${n}`);
    cycle = `/api/v1/review-cycles/${a.id}`;
    dry = await a.hr.post(`${cycle}/dry-run`, {});
    assert.equal(dry.status, 200, dry.text);
    const r = await a.hr.post(`${cycle}/launch`, {}, { headers: { 'X-Trellis-Fault': String(n) } });
    assert.notEqual(r.status, 200, `the fault at statement ${n} came after the launch's end`);
    const got = (await a.hr.get(cycle)).json;
    if (got.launching && got.launch_progress.enrolled > 0) stopped = { r, got };
  }
  assert.ok(stopped, 'a fault stopped the launch after its first range');
  assert.ok(stopped.r.status >= 500 && stopped.r.json?.error, `the launch answered an error: ${stopped.r.text}`);
  const p = stopped.got.launch_progress;
  assert.equal(stopped.got.status, 'active');
  assert.equal(p.participants, dry.json.participants, 'the participants the launch found');
  assert.ok(p.enrolled > 0 && p.enrolled < p.participants, `some people enrolled, not all (${p.enrolled} of ${p.participants})`);
  assert.ok(p.last_written_at, 'when the last range was written');

  expectError(assert, await a.hr.post(`${cycle}/release`, { override: true, reason: 'test: release what is written so far' }), 409, 'conflict');
  expectError(assert, await a.hr.post(`${cycle}/sync`, {}), 409, 'conflict');
  // a range was written moments ago: the launch may still be running, so it is not doubled
  expectError(assert, await a.hr.post(`${cycle}/launch`, {}), 409, 'conflict');

  // as if its server had stopped two minutes ago
  sql(ranged, "UPDATE review_cycles SET launch_touched_at = '2000-01-01T00:00:00Z' WHERE id = ?", a.id);
  const done = await a.hr.post(`${cycle}/launch`, {});
  assert.equal(done.status, 200, done.text);
  assert.equal(done.json.cycle.launching, false);
  assert.equal(done.json.assignments, dry.json.reviews, 'every review the dry run counted, once');
  const got = (await a.hr.get(cycle)).json;
  assert.equal(got.launching, false);
  assert.equal(got.launch_progress, undefined, 'no progress once finished');
  const dup = sql(ranged, 'SELECT COUNT(*) FROM (SELECT 1 FROM reviews WHERE cycle_id = ?' +
    ' GROUP BY kind, reviewee_id, reviewer_id HAVING COUNT(*) > 1) d', a.id);
  assert.deepEqual(dup, [[0]], 'no review written twice');
  expectError(assert, await a.hr.post(`${cycle}/launch`, {}), 409, 'conflict');
});
