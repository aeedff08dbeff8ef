// The plan test: every statement the server prepared during the API suite (TRELLIS_PLAN_LOG,
// collected by tests/run.sh) is planned by SQLite on an analyzed database of realistic shape
// (3,000 people from the bench generator with goals, check-ins, one-on-ones, careers, feedback,
// notifications, audit and a launched review cycle). It fails on a full scan of a large table, a
// Bloom filter or automatic index inside a recursive step, or an automatic index anywhere (an
// index is missing). Statements that read the whole company by design are listed below with the
// reason. Plans are deterministic for a given database, so this guards speed without timing.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = process.env.TRELLIS_BIN || 'build/trellis';
const log = process.env.TRELLIS_PLAN_LOG_IN;
// statements that read a whole large table on purpose: company-wide HR views, exports, batch
// passes of the scheduler, and maintenance commands
const WHOLE_COMPANY = [
  ['WITH f AS (SELECT department_id d, SUM(head) head', "HR career dashboard: the kept sums by department and date in level added up (a few thousand rows whatever the company's size)"],
  ["SELECT id, manager_id, department_id, name, hire_date, CASE WHEN status = 'active' THEN 1 ELSE 0 END FROM people ORDER BY id", 'review cycle participant rules (set-up count, dry run, launch, sync): every person of the company, walked up their managers in memory'],
  ['SELECT id, manager_id FROM people ORDER BY id', "a large import builds everyone's reporting lines again: every person's manager, read once"],
  ['SELECT COUNT(*) FROM people', 'trellis demo (is the database empty) and the reminder pass (is the company larger than one range): a count of the whole table'],
  ['SELECT id, reports_count FROM people ORDER BY id', "the reminder pass cuts a company larger than one range into ranges of people, once per pass (a company within one range reads no row)"],
  ["SELECT id FROM people WHERE status <> 'terminated' ORDER BY id LIMIT", 'SCIM: an identity provider pages through every User (a walk of the primary key that stops at the page)'],
  ["SELECT x.id, x.at, x.actor_id, p.name, x.action, x.entity, x.entity_id, x.before_json, x.after_json FROM audit x LEFT JOIN people p ON p.id = x.actor_id WHERE ($1 = ''", 'the newest page of the whole audit log: a backward walk that stops at the limit'],
  ['SELECT p.id, p.employee_id, p.email, p.name, p.title, p.level, p.hire_date, p.status, p.department_id, d.name, p.manager_id, 0, p.sort_name FROM people p', 'import and export: every person'],
  ["INSERT INTO notifications (person_id, kind, body, link, dedupe_key, pass, created_at) SELECT r.manager_id, 'no_one_on_one'", 'the scheduler\'s reminder pass over every report'],
  ["INSERT INTO notifications (person_id, kind, body, link, dedupe_key, pass, created_at) SELECT r.reviewer_id, 'review_overdue'", 'the scheduler\'s reminder pass over every open review'],
  ["INSERT INTO notifications (person_id, kind, body, link, dedupe_key, pass, created_at) SELECT r.reviewer_id, 'review_deadline'", 'the scheduler\'s reminder pass over every open review (deadline near)'],
  ["SELECT p.id, p.employee_id, p.email, p.name, p.title, p.level, p.hire_date, p.status, p.department_id, d.name, p.manager_id, p.reports_count, p.sort_name FROM people p LEFT JOIN departments d ON d.id = p.department_id WHERE $1 >= 0", 'the directory: a paged walk of the name index (a search walks it only when many people match; fewer go to the trigram index)'],
  ['SELECT p.id, p.employee_id, p.email, p.name, p.title, p.level, p.hire_date, p.status, p.department_id, d.name, p.manager_id, p.reports_count, p.sort_name FROM (SELECT p.id, p.search_text FROM people p WHERE $1 >= 0', 'a directory search tries the first 2,048 rows of the name index (a bounded walk) before the trigram index'],
  ['SELECT g.id, g.title, g.description, g.level, g.kind, g.status, g.visibility, g.start_date, g.due_date, g.created_at, g.updated_at, g.last_checkin_at, g.owner_id, g.department_id, g.parent_id, g.proposed_by, g.created_by, o.name, d.name, o.manager_id, g.weight, g.accepted, g.progress, g.rollup, g.kr', 'trellis goals recompute: every goal'],
  ['SELECT kr.id, kr.goal_id, kr.title, kr.type, kr.start_value, kr.target_value, kr.current_value, kr.weight, kr.unit, kr.direction, kr.done FROM key_results kr JOIN goals g ON g.id = kr.goal_id WHERE ($1', 'trellis goals recompute: every key result'],
  ["SELECT g.manager_id, g.n, m.name FROM (SELECT manager_id, COUNT(*) AS n FROM people WHERE status = 'active' AND manager_id IS NOT NULL AND $1 = $1", 'HR cadence health of a company of at most 200 managers: every manager with their active reports counted, one pass of the (manager_id, status) index'],
  ["SELECT s.id, s.lead_id, s.member_id, l.reports_count, l.name FROM oneonone_series s JOIN people r ON r.id = s.member_id AND r.manager_id = s.lead_id AND r.status = 'active' JOIN people l ON l.id = s.lead_id WHERE s.relation = 'manager' AND $1 = $1", 'HR cadence health: every manager series of the company in index order, with its lead (the managers without one are read from the managers\' index only as far as the list goes)'],
  ['SELECT o.id, o.person_id, p.name, p.department_id, d.name, p.manager_id, m.name, o.rating, o.calibrated_rating, o.potential, o.calibration_note FROM review_outcomes o JOIN people p ON p.id = o.person_id LEFT JOIN departments d ON d.id = p.department_id LEFT JOIN people m ON m.id = p.manager_id WHERE o.cycle_id = $1 AND $2 = 0', 'HR company calibration: every outcome of the cycle'],
  ['SELECT /* HR analytics */', 'HR analytics (issue #12): company-wide reports, grouped after reading'],
];
let plans = [];
let large = new Set();

before(() => {
  assert.ok(log && existsSync(log), 'TRELLIS_PLAN_LOG_IN names the plan log of the API suite (tests/run.sh collects it)');
  const dir = mkdtempSync(join(tmpdir(), 'trellis-plans-'));
  const db = join(dir, 'plans.db');
  writeFileSync(join(dir, 'people.csv'), execFileSync('python3', ['bench/gen_people.py', '3000']));
  execFileSync(bin, ['import', 'people', '--db', `sqlite:${db}`, '--key-file', join(dir, 'key'), join(dir, 'people.csv')]);
  execFileSync('python3', ['bench/gen_goals.py', db]);
  execFileSync('python3', ['bench/gen_oneonones.py', db, '1500']);
  execFileSync('python3', ['bench/gen_careers.py', db, '0.5']);
  execFileSync('python3', ['tests/plans/gen_activity.py', db]);
  const counts = execFileSync('python3', ['-c', `
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for (t,) in c.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"):
    print(t, c.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0])`, db]).toString();
  for (const line of counts.trim().split('\n')) {
    const [t, n] = line.split(' ');
    if (Number(n) >= 1000) large.add(t);
  }
  const out = execFileSync(bin, ['explain', '--db', `sqlite:${db}`, log], { maxBuffer: 1 << 28 }).toString();
  plans = out.trim().split('\n').map((l) => JSON.parse(l));
  rmSync(dir, { recursive: true, force: true }); // 117 MB each run, left in /tmp before
});

// The rows of a plan under a "RECURSIVE STEP" node.
function recursiveRows(plan) {
  const inside = new Set();
  for (const r of plan) {
    if (/^RECURSIVE STEP/.test(r.detail) || inside.has(r.parent)) inside.add(r.id);
  }
  return plan.filter((r) => inside.has(r.id) && !/^RECURSIVE STEP/.test(r.detail));
}

const KEYWORDS = new Set(['WHERE', 'JOIN', 'LEFT', 'INNER', 'CROSS', 'ON', 'USING', 'GROUP', 'ORDER', 'LIMIT', 'UNION', 'SET', 'VALUES', 'AND', 'OR', 'NOT', 'AS', 'WITH', 'SELECT', 'HAVING', 'RETURNING', 'NATURAL', 'OUTER']);

// The table behind each name a plan row may use: the table itself or its alias in the statement.
function tablesOf(sql) {
  const m = new Map();
  for (const x of sql.matchAll(/\b(?:FROM|JOIN|UPDATE|INTO)\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?/gi)) {
    m.set(x[1], x[1]);
    if (x[2] && !KEYWORDS.has(x[2].toUpperCase())) m.set(x[2], x[1]);
  }
  return m;
}

function problems(p) {
  const out = [];
  const names = tablesOf(p.sql);
  // an INSERT of values plans a scan of each child table for deferred foreign-key violations,
  // which runs only while such a violation is outstanding: not a cost of the statement
  const fkOnly = /^INSERT\b/.test(p.sql) && !/\bSELECT\b/.test(p.sql);
  for (const r of p.plan) {
    if (fkOnly) break;
    // a MATCH on a full-text table is its index, not a scan
    const m = /VIRTUAL TABLE INDEX \d+:M/.test(r.detail) ? null : /^SCAN (\w+)/.exec(r.detail);
    if (m && large.has(names.get(m[1]) || m[1])) out.push(`full scan: ${r.detail}`);
    if (/AUTOMATIC/.test(r.detail)) out.push(`automatic index (an index is missing): ${r.detail}`);
  }
  for (const r of recursiveRows(p.plan)) {
    if (/BLOOM FILTER|AUTOMATIC/.test(r.detail)) out.push(`in a recursive step: ${r.detail}`);
  }
  return out;
}

test('the API suite prepared the statements of every area', () => {
  assert.ok(plans.length > 200, `only ${plans.length} statements were logged`);
  for (const t of ['people', 'goals', 'goal_checkins', 'feedback', 'reviews', 'oneonone_meetings', 'notifications', 'audit']) {
    assert.ok(large.has(t), `the plan database has many ${t}`);
  }
});

test('no hot statement scans a large table or walks a chain with a Bloom filter', () => {
  const bad = [];
  for (const p of plans) {
    if (WHOLE_COMPANY.some(([prefix]) => p.sql.startsWith(prefix))) continue;
    const found = problems(p);
    if (found.length) bad.push(`${found.join('; ')}\n    ${p.sql.slice(0, 300)}`);
  }
  assert.equal(bad.length, 0, `${bad.length} statements plan badly:\n  ${bad.join('\n  ')}`);
});

test('reporting lines are read from the closure table by its keys', () => {
  // the manager chain, 'is A above B', a manager's calibration scope and cadence organisation
  const closure = plans.filter((p) => p.sql.includes('FROM people_ancestors'));
  assert.ok(closure.length >= 3, `the closure-table statements were prepared (${closure.length})`);
  for (const p of closure) {
    const used = p.plan.map((r) => r.detail).filter((d) => /people_ancestors|\bc\b/.test(d));
    assert.ok(used.length > 0 && used.every((d) => /^SEARCH .*USING (PRIMARY KEY|COVERING INDEX|INDEX)/.test(d)),
      `${p.sql}\n${p.plan.map((r) => r.detail).join('\n')}`);
  }
});
