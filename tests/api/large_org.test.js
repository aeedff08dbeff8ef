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
