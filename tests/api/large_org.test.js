// A large organisation's company-wide views stay small: calibration names at most 200 managers'
// distributions, 200 leniency rows and 200 outliers, and cadence health 200 managers, the most
// telling first, beside their totals (at 1,000,000 people the whole lists made answers of 74 MB
// and 16 MB: 100,726 managers, 400,000 outliers). Here 441 people in one department: a chief
// executive with 220 managers under them, each with one report; ratings 5, 1, 3, 3 in turn
// (every 5 and 1 is an outlier of its department). The counts and totals stay whole. SQLite and
// PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, runSql, flatOrg } from '../support/trellis.js';

const MANAGERS = 220;
let srv, hr, cycle;

before(async () => {
  const csv = flatOrg(MANAGERS);
  srv = await startServer({ people: csv, users: [{ email: 'chief@big.example', role: 'hr', password: 'correct horse battery' }] });
  hr = srv.token('chief@big.example');
  const tpl = await hr.post('/api/v1/review-templates', { name: 'Manager', kind: 'manager', questions: [{ id: 'overall', type: 'rating', text: 'Overall' }] });
  assert.equal(tpl.status, 201, tpl.text);
  const c = await hr.post('/api/v1/review-cycles', { name: 'Big', period_start: '2026-01-01', period_end: '2026-12-31', manager_template_id: tpl.json.id, peers_per_person: 0 });
  assert.equal(c.status, 201, c.text);
  cycle = c.json.id;
  assert.equal((await hr.post(`/api/v1/review-cycles/${cycle}/launch`, {})).status, 200);
  // the ratings the manager reviews would give: 5, 1, 3, 3 by person id
  runSql(srv, `UPDATE review_outcomes SET rating = CASE person_id % 4 WHEN 0 THEN 5 WHEN 1 THEN 1 ELSE 3 END WHERE cycle_id = ${cycle}`);
});
after(async () => { await srv?.stop(); });

test('a large organisation\'s calibration lists the most telling 200 beside whole totals', async () => {
  const r = await hr.get(`/api/v1/review-cycles/${cycle}/calibration`);
  assert.equal(r.status, 200, r.text);
  const c = r.json;
  assert.equal(c.outcomes, 2 * MANAGERS, 'every outcome but the reader\'s own');
  assert.equal(c.company.count, 2 * MANAGERS, 'the company distribution is whole (without the reader)');

  assert.equal(c.by_manager.length, 200);
  assert.equal(c.by_manager_total, MANAGERS + 1, 'the chief and every manager (the reader, without a manager, is not counted)');
  assert.equal(c.by_manager[0].manager.name, 'Chief Zero', 'the largest group first');
  assert.equal(c.by_manager[0].count, MANAGERS - 0, 'the chief\'s 220 managers');
  assert.equal(c.by_department.length, 1);
  assert.equal(c.by_department[0].count, 2 * MANAGERS);

  assert.equal(c.flags.managers.length, 200);
  assert.equal(c.flags.managers_total, MANAGERS + 1);
  assert.equal(c.flags.managers[0].manager.name, 'Chief Zero', 'the only manager with enough ratings to be judged comes first');

  const expected = [];
  for (const o of c.outliers) expected.push(o.rating);
  assert.equal(c.outliers.length, 200);
  assert.ok(c.outliers_total > 200, `every outlier counted (${c.outliers_total})`);
  assert.ok(expected.every((x) => x === 5 || x === 1), 'only the ratings far from the department\'s average');
  assert.ok(r.text.length < 200000, `the answer stays small (${r.text.length} bytes)`);
});

test('a large organisation\'s cadence health lists the 200 furthest behind beside whole totals', async () => {
  // nobody has met yet: the chief, with the most reports, is the furthest behind
  const r = await hr.get('/api/v1/one-on-ones/health');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.managers_total, MANAGERS + 1, 'the chief and every manager');
  assert.equal(r.json.managers.length, 200);
  assert.equal(r.json.managers[0].manager.name, 'Chief Zero', 'no one met, the most reports first');
  assert.equal(r.json.total.reports, 2 * MANAGERS, 'the total counts everyone');
  assert.ok(r.text.length < 100000, `the answer stays small (${r.text.length} bytes)`);
});

test('the company\'s cadence health past 200 managers merges those who met with those who did not', async () => {
  // managers 1-30 met their report 10 days ago (manager 2 without a career discussion); manager
  // 31 met them 100 and 70 days ago (not within six weeks, a gap of 30 days); the others have no
  // series. The chief and 190 managers met no one: the chief (220 reports) first, then by id;
  // after them the first 9 who met, by id.
  const day = (n) => new Date(Date.now() - n * 86400000).toISOString().slice(0, 10);
  const emails = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => `'m${from + i}@big.example'`).join(',');
  runSql(srv, `INSERT INTO oneonone_series (lead_id, member_id, relation, cadence_weeks, weekday, start_time, timezone,
    duration_minutes, first_date, status, created_by, created_at)
    SELECT m.id, r.id, 'manager', 4, 1, '10:00', 'UTC', 30, '2026-01-05', 'active', m.id, '2026-01-01T00:00:00Z'
    FROM people m JOIN people r ON r.manager_id = m.id WHERE m.email IN (${emails(1, 31)})`);
  const meet = (d, who, career) => runSql(srv, `INSERT INTO oneonone_meetings (series_id, occurrence_date, starts_at,
    local_start, status, career_discussed, held_at, completed_by)
    SELECT s.id, '${d}', '${d}T10:00:00Z', '${d}T10:00', 'held', ${career}, '${d}T10:30:00Z', s.lead_id
    FROM oneonone_series s JOIN people m ON m.id = s.lead_id WHERE m.email IN (${who})`);
  meet(day(10), emails(1, 1), 1);
  meet(day(10), emails(2, 2), 0);
  meet(day(10), emails(3, 30), 1);
  meet(day(100), emails(31, 31), 1);
  meet(day(70), emails(31, 31), 1);

  const r = await hr.get('/api/v1/one-on-ones/health');
  assert.equal(r.status, 200, r.text);
  const h = r.json;
  assert.equal(h.managers_total, MANAGERS + 1);
  assert.deepEqual(h.total, { reports: 2 * MANAGERS, met_last_6_weeks: 30, share_met: 30 / (2 * MANAGERS) });
  assert.equal(h.managers.length, 200);
  assert.equal(h.managers[0].manager.name, 'Chief Zero');
  assert.equal(h.managers[0].reports, MANAGERS);
  const unmet = h.managers.slice(1, 191), met = h.managers.slice(191);
  assert.ok(unmet.every((m) => m.met_last_6_weeks === 0 && m.share_met === 0 && m.reports === 1), 'then everyone who met no one');
  assert.ok(met.every((m) => m.met_last_6_weeks === 1 && m.share_met === 1 && m.median_gap_days === null), 'then those who met');
  for (const part of [unmet, met])
    for (let i = 1; i < part.length; i++) assert.ok(part[i - 1].manager.id < part[i].manager.id, 'each part by id');
  const names = (part) => part.map((m) => m.manager.name);
  assert.ok(!names(unmet).some((n) => /^Manager ([1-9]|[12][0-9]|30)$/.test(n)), 'no one who met among those who did not');
  assert.deepEqual(names(met), ['Manager 1', 'Manager 2', 'Manager 3', 'Manager 4', 'Manager 5', 'Manager 6', 'Manager 7', 'Manager 8', 'Manager 9']);
  assert.equal(met[1].meetings_without_career_discussion, 1, 'manager 2 did not discuss careers');
  assert.equal(met[0].meetings_without_career_discussion, 0);
  const m31 = h.managers.find((m) => m.manager.name === 'Manager 31');
  assert.ok(m31, 'a manager whose meetings are older than six weeks is among those who met no one');
  assert.equal(m31.median_gap_days, 30, 'with the gap between their meetings');
  assert.equal(m31.met_last_6_weeks, 0);
  const m32 = h.managers.find((m) => m.manager.name === 'Manager 32');
  assert.equal(m32.median_gap_days, null, 'a manager with no series has no gap');
});
