// The reporting lines are answered from a closure table (people_ancestors) that triggers keep with
// every change of a manager. This walks an organisation through imports in any order, re-imports
// that move whole teams, edits by HR and cycles refused, and after each step compares every
// person's manager chain, and "is X my manager" as the policy sees it, with the chain computed
// from the manager ids themselves. Runs on SQLite, and on PostgreSQL when TRELLIS_TEST_PG is set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, PASSWORD, runSql } from '../support/trellis.js';

const dir = mkdtempSync(join(tmpdir(), 'trellis-closure-'));
let srv;
let hr;

const header = 'employee_id,name,email,title,department,manager_id,level,hire_date,status\n';
const row = (i, m) => `E${i},Person ${i},p${i}@closure.example,Engineer,Engineering,${m ? `E${m}` : ''},P2,2020-01-01,active\n`;

// 40 people: E1 at the top, a tree three to five levels deep; rows written bottom-up so that many
// people arrive before their managers
function tree() {
  const m = { 1: 0 };
  for (let i = 2; i <= 40; i++) m[i] = Math.max(1, Math.floor(i / 3));
  return m;
}

async function importOrg(managers, name, status = {}) {
  const ids = Object.keys(managers).map(Number).sort((a, b) => b - a);
  const file = join(dir, `${name}.csv`);
  writeFileSync(file, header + ids.map((i) => row(i, managers[i]).replace(/active\n$/, `${status[i] || 'active'}\n`)).join(''));
  const r = await srv.cli(['import', 'people', file]);
  assert.equal(r.status, 0, r.stderr);
}

async function ids() {
  const byEid = {};
  let page = await hr.get('/api/v1/people?limit=200&status=all');
  for (;;) {
    assert.equal(page.status, 200);
    for (const p of page.json.items) byEid[p.employee_id] = p;
    if (!page.json.next_cursor) return byEid;
    page = await hr.get(`/api/v1/people?limit=200&status=all&cursor=${encodeURIComponent(page.json.next_cursor)}`);
  }
}

// every person's chain from the API equals the walk of manager_id, nearest first, and their
// reports_count and reports are their active direct reports
async function checkChains() {
  const people = await ids();
  const byId = {};
  for (const p of Object.values(people)) byId[p.id] = p;
  for (const p of Object.values(people)) {
    const want = [];
    for (let m = p.manager_id; m; m = byId[m].manager_id) want.push(m);
    const got = await hr.get(`/api/v1/people/${p.id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.json.manager_chain.map((x) => x.id), want, `chain of ${p.employee_id}`);
    const reports = Object.values(people).filter((x) => x.manager_id === p.id && x.status === 'active');
    assert.equal(p.reports_count, reports.length, `reports_count of ${p.employee_id}`);
    assert.deepEqual(got.json.reports.map((x) => x.id).sort(), reports.map((x) => x.id).sort());
  }
  return people;
}

before(async () => {
  srv = await startServer({ people: header + row(900, 0).replace('E900,Person 900,p900', 'E900,Helen HR,hr'), users: [{ email: 'hr@closure.example', role: 'hr', password: PASSWORD }] });
  hr = await srv.login('hr@closure.example', PASSWORD);
});
after(async () => { await srv?.stop(); rmSync(dir, { recursive: true, force: true }); });

test('an import whose people arrive before their managers gives every chain', async () => {
  await importOrg(tree(), 'first');
  const people = await checkChains();
  assert.equal(Object.keys(people).length, 41);
  const deep = await hr.get(`/api/v1/people/${people.E40.id}`);
  assert.deepEqual(deep.json.manager_chain.map((x) => x.employee_id), ['E13', 'E4', 'E1']);
});

test('a re-import that moves whole teams moves everyone below them', async () => {
  const m = tree();
  m[4] = 2; // E4 and its organisation (E12..E14, E36..E40) move under E2
  m[13] = 30; // E13 and its reports move under E30, in another branch
  m[3] = 0; // E3 becomes a second top
  await importOrg(m, 'moved', { 12: 'terminated', 31: 'terminated' });
  const people = await checkChains();
  const deep = await hr.get(`/api/v1/people/${people.E40.id}`);
  assert.deepEqual(deep.json.manager_chain.map((x) => x.employee_id), ['E13', 'E30', 'E10', 'E3']);
});

test('HR edits move a team, a cycle is refused and changes nothing', async () => {
  let people = await ids();
  const r = await hr.patch(`/api/v1/people/${people.E10.id}`, { manager_id: people.E5.id });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  people = await checkChains();
  // E5 is now above E40 (E40 < E13 < E30 < E10 < E5): making E5 report to E40 is a cycle
  const cyc = await hr.patch(`/api/v1/people/${people.E5.id}`, { manager_id: people.E40.id });
  assert.equal(cyc.status, 422);
  assert.match(cyc.json.error.fields.manager_id, /cycle/);
  const top = await hr.patch(`/api/v1/people/${people.E30.id}`, { manager_id: null });
  assert.equal(top.status, 200, JSON.stringify(top.json));
  people = await checkChains();
  const deep = await hr.get(`/api/v1/people/${people.E40.id}`);
  assert.deepEqual(deep.json.manager_chain.map((x) => x.employee_id), ['E13', 'E30']);
});

test('a manager reads the private fields of everyone below them and of nobody else', async () => {
  const people = await ids();
  const e30 = { email: 'p30@closure.example' };
  const add = await srv.cli(['user', 'add', '--email', e30.email, '--role', 'employee', '--password-stdin'], { input: `${PASSWORD}\n` });
  assert.equal(add.status, 0, add.stderr);
  const m = await srv.login(e30.email, PASSWORD);
  const below = await m.get(`/api/v1/people/${people.E40.id}`);
  assert.equal(below.json.hire_date, '2020-01-01', 'E40 is below E30');
  const beside = await m.get(`/api/v1/people/${people.E12.id}`);
  assert.equal(beside.status, 200);
  assert.ok(!('hire_date' in beside.json), 'E12 is not below E30');
});

test('a large import (built at its end, not row by row) and a large re-import that moves teams give every chain and count', async () => {
  // 1,200 rows: more than a quarter of the organisation, so the import writes the closure
  // table, the reports counts and the search index once at its end
  const m = { 1: 0 };
  for (let i = 2; i <= 1200; i++) m[i] = Math.max(1, Math.floor(i / 4));
  await importOrg(m, 'large');
  let people = await checkChains();
  // each created person's hire entry, written in one statement at the end of the import
  const hired = (await hr.get(`/api/v1/people/${people.E1100.id}`)).json.role_history;
  assert.deepEqual(hired.map((h) => [h.kind, h.effective_date, h.manager?.id, h.title]), [['hire', '2020-01-01', people.E275.id, 'Engineer']]);
  assert.equal(Object.keys(people).length, 1200, 'E1..E1200 (E900 was there already)');
  // and each person's career figures, written at the end too: the live dashboard counts them
  const heads = async () => (await hr.get('/api/v1/career/dashboard?fresh=1')).json.departments.reduce((n, d) => n + d.headcount, 0);
  const active = (ps) => Object.values(ps).filter((p) => p.status === 'active' && p.department).length;
  assert.equal(await heads(), active(people), 'the career dashboard counts everyone hired');
  m[5] = 3; // E5's organisation (E20.., E80.., ...) moves under E3
  m[7] = 0; // E7 becomes a top
  await importOrg(m, 'large-moved', { 21: 'terminated', 600: 'terminated' });
  people = await checkChains();
  assert.equal(await heads(), active(people), 'and no leaver');
  assert.equal(await heads(), active(people), 'and no leaver');
  const deep = await hr.get(`/api/v1/people/${people.E1200.id}`);
  assert.deepEqual(deep.json.manager_chain.map((x) => x.employee_id), ['E300', 'E75', 'E18', 'E4', 'E1']);
  const moved = await hr.get(`/api/v1/people/${people.E81.id}`);
  assert.deepEqual(moved.json.manager_chain.map((x) => x.employee_id), ['E20', 'E5', 'E3', 'E1']);
  const found = (await hr.get('/api/v1/people?q=p1199@closure')).json.items;
  assert.deepEqual(found.map((p) => p.employee_id), ['E1199'], 'and the search index');
});

// A person read keeps copies of the managers it reads (the chain's upper levels are shared by
// everyone below them): a manager's edit, made through the server or straight into the database by
// another process, shows in the next read of everyone below them, in the chain and in the names of
// their role history.
test('a manager edited by HR or by another process shows at once in the chain and role history of everyone below', async () => {
  const people = await ids();
  const below = [people.E1100.id, people.E1101.id, people.E1102.id]; // E275's reports since hire
  const read = async (id) => (await hr.get(`/api/v1/people/${id}`)).json;
  for (let i = 0; i < 3; i++) for (const id of below) assert.equal((await read(id)).status, 'active');
  const r = await hr.patch(`/api/v1/people/${people.E275.id}`, { name: 'Renamed Manager', title: 'Director' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  for (const id of below) {
    const p = await read(id);
    const m = p.manager_chain.find((m) => m.id === people.E275.id);
    assert.deepEqual([m.name, m.title], ['Renamed Manager', 'Director'], `chain of ${id}`);
  }
  const hired = (await read(people.E1100.id)).role_history.find((h) => h.manager?.id === people.E275.id);
  assert.equal(hired?.manager.name, 'Renamed Manager', 'the hire entry names the manager as they are now');
  // another process writes the database: the server's copies do not outlive the commit
  runSql(srv, `UPDATE people SET title = 'Vice President' WHERE id = ${people.E275.id}`);
  for (const id of below) {
    const m = (await read(id)).manager_chain.find((m) => m.id === people.E275.id);
    assert.equal(m.title, 'Vice President', `chain of ${id} after the outside write`);
  }
  assert.equal((await read(people.E275.id)).title, 'Vice President');
});
