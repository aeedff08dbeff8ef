// The command line of docs/api.md: import (HRIS quirks, all-or-nothing, row errors, dry run,
// re-import), user, export, backup/restore, --help and exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN, cli, freshDb, startServer, STORE, PASSWORD, querySql } from '../support/trellis.js';

function withDb(fn) {
  return async () => {
    const db = freshDb();
    try { await fn(db, ['--db', db.url, '--key-file', db.key]); } finally { db.drop(); }
  };
}

function file(db, name, text) {
  const p = join(db.dir, name);
  writeFileSync(p, text);
  return p;
}

test('every subcommand has --help (exit 0) and bad usage exits 2', () => {
  assert.equal(cli(['--help']).status, 0);
  assert.match(cli(['version']).stdout, /^trellis \d+\.\d+/);
  for (const sub of [['serve'], ['migrate'], ['user'], ['import', 'people'], ['demo'], ['backup'], ['restore'], ['export', 'person'], ['version']]) {
    const r = cli([...sub, '--help']);
    assert.equal(r.status, 0, `${sub.join(' ')} --help`);
    assert.match(r.stdout, /usage: trellis/);
  }
  for (const bad of [[], ['frobnicate'], ['serve', '--nope'], ['user', 'add', '--email', 'x@y.z'], ['import'], ['import', 'people'], ['export', 'person', 'abc'], ['serve', '--threads', '0']]) {
    assert.equal(cli(bad).status, 2, `${bad.join(' ')} is bad usage`);
  }
});

test('import of an HRIS export: BOM, CRLF, quoting, aliases, managers after reports', withDb(async (db, common) => {
  const csv = '\ufeffEmployee Number,Full Name,Work Email,Job Title,Department,Supervisor Email,Start Date,Shoe Size\r\n' +
    'E2,"Lee, Ann",ann@x.example,"Engineer, ""Senior""",Eng,BOSS@x.example,2020-01-05,42\r\n' +
    'E3,Mo Multi,multi@x.example,QA,Eng,ann@x.example,2021-01-05,"two\r\nlines, quoted"\r\n' +
    'E1,Bob Boss,boss@x.example,CEO,Exec,,2019-03-01,44\r\n';
  const r = cli(['import', 'people', ...common, file(db, 'a.csv', csv)]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /3 rows: 3 created/);
  assert.match(r.stdout, /ignored columns \(not imported\): Shoe Size/);
  const srv = await startServer({ db, users: [{ email: 'boss@x.example', role: 'hr', password: 'long enough pw' }], keepDb: true });
  try {
    const c = await srv.login('boss@x.example', 'long enough pw');
    const ann = (await c.get('/api/v1/people?q=ann@x')).json.items[0];
    assert.equal(ann.name, 'Lee, Ann');
    assert.equal(ann.title, 'Engineer, "Senior"');
    const detail = (await c.get(`/api/v1/people/${ann.id}`)).json;
    assert.equal(detail.manager.email, 'boss@x.example');
    assert.equal(detail.hire_date, '2020-01-05');
    assert.equal(detail.reports[0].name, 'Mo Multi');
  } finally { await srv.stop(); }
}));

test('a bad file is refused whole with one line per problem', withDb(async (db, common) => {
  const good = 'employee_id,name,email,manager_id\nA,Ann,a@x.example,\n';
  assert.equal(cli(['import', 'people', ...common, file(db, 'g.csv', good)]).status, 0);
  const bad = 'employee_id,name,email,manager_id,hire_date,status\n' +
    'B,Bea,b@x.example,A,2020-01-01,active\n' +     // row 2: fine
    'C,Cy,c@x.example,A,2020-02-30,active\n' +      // row 3: bad date
    'D,Di,not-an-email,A,,\n' +                     // row 4: bad email
    'E,Ed,e@x.example,ZZ,,\n' +                     // row 5: unknown manager
    'B,Bo,bo@x.example,A,,\n' +                     // row 6: duplicate key
    'F,Fay,f@x.example,A,,retired\n';               // row 7: bad status
  const r = cli(['import', 'people', ...common, file(db, 'b.csv', bad)]);
  assert.equal(r.status, 1);
  for (const line of [/row 3: hire_date: /, /row 4: email: /, /row 5: manager_id: /, /row 6: employee_id: duplicate of row 2/, /row 7: status: /]) {
    assert.match(r.stderr, line);
  }
  assert.match(r.stderr, /nothing was written/);
  const cyc = 'employee_id,name,email,manager_id\nA,Ann,a@x.example,C\nB,Bea,b@x.example,A\nC,Cy,c@x.example,B\n';
  const rc = cli(['import', 'people', ...common, file(db, 'c.csv', cyc)]);
  assert.equal(rc.status, 1);
  assert.match(rc.stderr, /reporting cycle/);
  const broken = 'employee_id,name,email\nA,"Ann,a@x.example\n';
  const rb = cli(['import', 'people', ...common, file(db, 'd.csv', broken)]);
  assert.equal(rb.status, 1);
  assert.match(rb.stderr, /unterminated quoted field/);
  const out = cli(['export', 'person', ...common, '1']);
  assert.equal(JSON.parse(out.stdout).person.name, 'Ann', 'the first import is intact');
  const dry = cli(['import', 'people', '--dry-run', ...common, file(db, 'e.csv', 'employee_id,name,email\nZ,Zed,z@x.example\n')]);
  assert.equal(dry.status, 0);
  assert.match(dry.stdout, /dry run, nothing written: 1 rows: 1 created/);
  assert.equal(cli(['export', 'person', ...common, '2']).status, 1, 'the dry run wrote nothing');
}));

test('re-import updates and records role history; export holds everything', withDb(async (db, common) => {
  const v1 = 'employee_id,name,email,title,level\nA,Ann,a@x.example,Engineer,P2\n';
  const v2 = 'employee_id,name,email,title,level\nA,Ann,a@x.example,Senior Engineer,P3\n';
  assert.equal(cli(['import', 'people', ...common, file(db, '1.csv', v1)]).status, 0);
  const again = cli(['import', 'people', ...common, file(db, '1.csv', v1)]);
  assert.match(again.stdout, /1 unchanged/);
  const r = cli(['import', 'people', ...common, file(db, '2.csv', v2)]);
  assert.match(r.stdout, /1 updated/);
  const ex = JSON.parse(cli(['export', 'person', ...common, '1']).stdout);
  assert.equal(ex.person.title, 'Senior Engineer');
  assert.deepEqual(ex.role_history.map((h) => h.kind), ['promotion', 'hire']);
  assert.ok(ex.audit_about.some((a) => a.action === 'person.import' && a.before.title === 'Engineer'));
  assert.equal(cli(['export', 'person', ...common, '99']).status, 1);
}));

test('user add needs an imported person (except the first admin); token prints a token', withDb(async (db, common) => {
  const first = cli(['user', 'add', ...common, '--email', 'root@x.example', '--role', 'admin', '--password-stdin'], { input: 'first admin pw\n' });
  assert.equal(first.status, 0, first.stderr);
  const second = cli(['user', 'add', ...common, '--email', 'ghost@x.example', '--role', 'admin', '--password-stdin'], { input: 'second admin pw\n' });
  assert.equal(second.status, 1);
  assert.match(second.stderr, /import people first/);
  const weak = cli(['user', 'add', ...common, '--email', 'root@x.example', '--role', 'admin', '--password-stdin'], { input: 'short\n' });
  assert.equal(weak.status, 1);
  const tok = cli(['user', 'token', ...common, '--email', 'root@x.example']);
  assert.equal(tok.status, 0);
  assert.match(tok.stdout.trim(), /^trl_[A-Za-z0-9_-]{40,}$/);
}));

test('demo builds an organisation of about 150 people once', withDb(async (db, common) => {
  const r = cli(['demo', ...common]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /helena\.marsh@northwind\.example/);
  assert.equal(cli(['demo', ...common]).status, 1, 'refuses a database with people');
  const srv = await startServer({ db, keepDb: true });
  try {
    const c = await srv.login('priya.raman@northwind.example', 'trellis-demo');
    let n = 0; let cursor = null;
    do {
      const page = (await c.get('/api/v1/people?limit=200' + (cursor ? '&cursor=' + cursor : ''))).json;
      n += page.items.length; cursor = page.next_cursor;
    } while (cursor);
    assert.ok(n >= 130 && n <= 170, `${n} people`);
    const depts = (await c.get('/api/v1/departments')).json.items;
    assert.ok(depts.length >= 6 && depts.length <= 9, `${depts.length} departments`);
    const sofia = (await c.get('/api/v1/people?q=sofia.alvarez')).json.items[0];
    const chain = (await c.get(`/api/v1/people/${sofia.id}`)).json.manager_chain;
    assert.ok(chain.length >= 4, 'four levels of management above an engineer');
    // Sofia, the showcase employee, starts with what a year in the product leaves behind
    const s = await srv.login('sofia.alvarez@northwind.example', 'trellis-demo');
    const received = (await s.get('/api/v1/feedback')).json.items;
    assert.ok(received.length >= 3, `${received.length} pieces of feedback received`);
    assert.deepEqual(new Set(received.map((f) => f.visibility)), new Set(['public', 'managers', 'private']));
    const wall = (await s.get('/api/v1/feedback?wall=1&limit=100')).json.items;
    const dates = wall.map((f) => f.created_at);
    assert.deepEqual(dates, [...dates].sort().reverse(), 'the wall is in date order, newest first');
    assert.ok(new Set(wall.map((f) => f.body)).size >= 10, 'praise on the wall is varied');
    const goals = (await s.get(`/api/v1/goals?owner=${sofia.id}`)).json.items;
    assert.ok(goals.length >= 2, `${goals.length} goals`);
    const fast = goals.find((g) => /checkout/i.test(g.title));
    const detail = (await s.get(`/api/v1/goals/${fast.id}`)).json;
    assert.ok(detail.key_results.some((k) => k.direction === 'decrease'), 'a decreasing metric');
    assert.ok((await s.get(`/api/v1/goals/${fast.id}/checkins`)).json.items.length >= 4, 'check-ins');
    const series = (await s.get('/api/v1/one-on-ones')).json.items[0];
    const held = (await s.get(`/api/v1/one-on-ones/${series.id}`)).json.meetings.filter((m) => m.status === 'held');
    assert.ok(held.length >= 3, `${held.length} one-on-ones held`);
    const last = (await s.get(`/api/v1/one-on-ones/meetings/${held[0].id}`)).json;
    assert.ok(last.shared_notes.length > 20, 'the last one-on-one has notes');
    assert.ok(last.agenda.development.open.length >= 1, 'an IDP in progress');
  } finally { await srv.stop(); }
}));

// With no server on the database, a large import writes the database file itself (through the
// WAL every page was written twice); the database is in WAL mode again after it. With a server
// running, the import goes through the WAL as the server's own writes do.
test('a large import alone writes the database file directly; beside a server it uses the WAL (SQLite)', { skip: STORE !== 'sqlite' && 'the journal is SQLite\'s' }, withDb(async (db, common) => {
  // namesakes among them (every fifth person is an Ann Lee), written after their managers
  const rows = (from, n) => Array.from({ length: n }, (_, i) => `L${from + i},${i % 5 === 3 ? 'Ann Lee' : `Person ${from + i}`},l${from + i}@x.example,${i ? `L${from + Math.floor(i / 7)}` : ''}\n`).join('');
  // the name keys that search walks: unique and in (sort name, id) order, for everyone
  const keysInOrder = (srv) => querySql(srv, 'SELECT COUNT(*) AS n, COUNT(DISTINCT name_key) AS keys, SUM(CASE WHEN name_key <= prev THEN 1 ELSE 0 END) AS out_of_order FROM (SELECT name_key, LAG(name_key) OVER (ORDER BY sort_name, id) AS prev FROM people)')[0];
  const header = 'employee_id,name,email,manager_id\n';
  const r = spawnSync(BIN, ['import', 'people', ...common, file(db, 'big.csv', header + rows(1, 1500))], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /committed in [0-9.]+ s \(to the database file\)/);
  assert.doesNotMatch(r.stderr, /name keys spread/, 'an import into an empty directory gives the keys as it writes');
  const srv = await startServer({ db, keepDb: true });
  try {
    assert.deepEqual(querySql(srv, 'PRAGMA journal_mode'), [{ journal_mode: 'wal' }]);
    assert.deepEqual(keysInOrder(srv), { n: 1500, keys: 1500, out_of_order: 0 });
    const admin = cli(['user', 'add', ...common, '--email', 'l1@x.example', '--role', 'admin', '--password-stdin'], { input: `${PASSWORD}\n` });
    assert.equal(admin.status, 0, admin.stderr);
    const c = await srv.login('l1@x.example', PASSWORD);
    const top = await c.get('/api/v1/people?q=l1500@&limit=5');
    assert.equal(top.json.items.length, 1, 'the last person is found');
    assert.equal((await c.get(`/api/v1/people/${top.json.items[0].id}`)).json.manager_chain[0].employee_id, 'L215');
    // the server holds the database: the next large import goes through the WAL
    const again = spawnSync(BIN, ['import', 'people', ...common, file(db, 'more.csv', header + rows(2001, 1500))], { encoding: 'utf8' });
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /committed in [0-9.]+ s"/);
    assert.match(again.stderr, /name keys spread/, 'beside the first 1,500 the keys are spread again');
    assert.deepEqual(keysInOrder(srv), { n: 3000, keys: 3000, out_of_order: 0 });
    const anns = (await c.get('/api/v1/people?q=ann%20lee&limit=100')).json.items;
    assert.equal(anns.length, 100);
    assert.deepEqual(anns.map((p) => p.id), [...anns.map((p) => p.id)].sort((a, b) => a - b), 'namesakes in id order');
    assert.deepEqual(querySql(srv, 'PRAGMA journal_mode'), [{ journal_mode: 'wal' }]);
    assert.equal((await c.get('/api/v1/people?q=l3500@&limit=5')).json.items.length, 1);
  } finally { await srv.stop(); }
}));

test('backup and restore round-trip (SQLite)', { skip: STORE !== 'sqlite' && 'backup/restore are for SQLite; PostgreSQL uses pg_dump' }, withDb(async (db, common) => {
  assert.equal(cli(['import', 'people', ...common, file(db, 'a.csv', 'employee_id,name,email\nA,Ann,a@x.example\n')]).status, 0);
  const backup = join(db.dir, 'backup.db');
  const b = cli(['backup', '--db', db.url, backup]);
  assert.equal(b.status, 0, b.stderr);
  assert.ok(existsSync(backup));
  assert.equal(cli(['backup', '--db', db.url, backup]).status, 1, 'never overwrites');
  assert.equal(cli(['import', 'people', ...common, file(db, 'b.csv', 'employee_id,name,email\nB,Bea,b@x.example\n')]).status, 0);
  const r = cli(['restore', '--db', db.url, backup]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(cli(['export', 'person', ...common, '2']).status, 1, 'the later person is gone');
  assert.equal(JSON.parse(cli(['export', 'person', ...common, '1']).stdout).person.name, 'Ann');
  assert.equal(cli(['restore', '--db', db.url, file(db, 'junk.db', 'not a database')]).status, 1);
}));

test('settings: flags, then TRELLIS_* variables, then the config file', withDb(async (db, common) => {
  const csv = file(db, 'p.csv', 'employee_id,name,email\nA,Ann,a@x.example\n');
  const conf = file(db, 'trellis.conf', `# a comment\ndb = ${db.url}\nkey_file = ${db.key}\n`);
  const viaFile = cli(['import', 'people', csv], { env: { TRELLIS_CONFIG: conf, TRELLIS_DB: '' } });
  assert.equal(viaFile.status, 0, viaFile.stderr);
  const out = cli(['export', 'person', '1'], { env: { TRELLIS_CONFIG: conf, TRELLIS_DB: '' } });
  assert.equal(JSON.parse(out.stdout).person.name, 'Ann', 'the config file named the database');
  const envWins = cli(['export', 'person', '1'], { env: { TRELLIS_CONFIG: conf, TRELLIS_DB: `sqlite:${join(db.dir, 'other.db')}` } });
  assert.equal(envWins.status, 1, 'the environment overrides the file (an empty database has no person 1)');
  const flagWins = cli(['export', 'person', ...common, '1'], { env: { TRELLIS_CONFIG: conf, TRELLIS_DB: `sqlite:${join(db.dir, 'other.db')}` } });
  assert.equal(flagWins.status, 0, 'a flag overrides both');
  const bad = cli(['migrate'], { env: { TRELLIS_CONFIG: file(db, 'bad.conf', 'colour = blue\n') } });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown setting 'colour'/);
  assert.equal(cli(['migrate'], { env: { TRELLIS_CONFIG: join(db.dir, 'missing.conf') } }).status, 2);
}));
