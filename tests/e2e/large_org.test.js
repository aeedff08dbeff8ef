// HR reads a large organisation (441 people, 220 managers, one report each, under one chief):
// calibration names the 200 largest managers' distributions and the 200 most telling leniency
// rows, cadence health the 200 managers furthest behind, and each says how many there are in all. At 1366 and 390 px with axe-core; screenshots go to
// TRELLIS_SHOTS (a temporary directory by default).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, runSql, flatOrg } from '../support/trellis.js';
import { launch, newPage, loginAs, goto, checkA11y, noProblems } from './lib.js';

const shots = process.env.TRELLIS_SHOTS || mkdtempSync(join(tmpdir(), 'trellis-shots-'));
const MANAGERS = 220;
const PASSWORD = 'correct horse battery';
let srv, browser, cycle;

before(async () => {
  const csv = flatOrg(MANAGERS);
  srv = await startServer({ people: csv, users: [{ email: 'chief@big.example', role: 'hr', password: PASSWORD }] });
  browser = await launch();
  const hr = srv.token('chief@big.example');
  const tpl = await hr.post('/api/v1/review-templates', { name: 'Manager', kind: 'manager', questions: [{ id: 'overall', type: 'rating', text: 'Overall' }] });
  const c = await hr.post('/api/v1/review-cycles', { name: 'Big year', period_start: '2026-01-01', period_end: '2026-12-31', manager_template_id: tpl.json.id, peers_per_person: 0 });
  cycle = c.json.id;
  assert.equal((await hr.post(`/api/v1/review-cycles/${cycle}/launch`, {})).status, 200);
  // the ratings the manager reviews would give: 5, 1, 3, 3 by person id
  runSql(srv, `UPDATE review_outcomes SET rating = CASE person_id % 4 WHEN 0 THEN 5 WHEN 1 THEN 1 ELSE 3 END WHERE cycle_id = ${cycle}`);
});
after(async () => { await browser?.close(); await srv?.stop(); });

for (const viewport of [{ width: 1366, height: 900 }, { width: 390, height: 844 }]) {
  test(`HR reads a large calibration's 200 most telling rows and the totals at ${viewport.width} px`, async () => {
    const page = await newPage(browser, srv.base, viewport);
    await loginAs(page, 'chief@big.example', PASSWORD);
    await goto(page, `#/cycles/${cycle}/calibration`);
    await page.getByRole('heading', { name: `By manager (the 200 largest of ${MANAGERS + 1})` }).waitFor();
    await page.getByText(`The 200 most telling of ${MANAGERS + 1} managers: those flagged first, then the largest |z|.`).waitFor();
    const flags = page.getByRole('region', { name: 'Manager flags' });
    assert.equal(await flags.getByRole('row').count(), 201, 'a header and 200 managers');
    assert.match(await flags.getByRole('row').nth(1).textContent(), /Chief Zero/, 'the one manager with enough ratings first');
    await checkA11y(page, assert, `large calibration ${viewport.width}`);
    await page.screenshot({ path: `${shots}/calibration-large-${viewport.width}.png` });
    // the top of the flags card: its note and first rows
    const box = await page.locator('section', { has: page.getByRole('heading', { name: 'Manager leniency and severity' }) }).boundingBox();
    await page.screenshot({ path: `${shots}/calibration-large-flags-${viewport.width}.png`, fullPage: true, clip: { x: 0, y: box.y - 20, width: viewport.width, height: 600 } });
    noProblems(page, assert);
  });
}

for (const viewport of [{ width: 1366, height: 900 }, { width: 390, height: 844 }]) {
  test(`HR reads the cadence health of the 200 managers furthest behind at ${viewport.width} px`, async () => {
    const page = await newPage(browser, srv.base, viewport);
    await loginAs(page, 'chief@big.example', PASSWORD);
    await goto(page, '#/one-on-ones?tab=health');
    await page.getByRole('heading', { name: 'Cadence health' }).waitFor();
    await page.getByText(`The 200 managers furthest behind of ${MANAGERS + 1}: the lowest share met first.`).waitFor();
    await page.getByText(`0 of ${2 * MANAGERS} people met their manager in the last six weeks (0%).`).waitFor();
    const rows = page.locator('table tbody tr');
    assert.equal(await rows.count(), 200);
    assert.match(await rows.first().textContent(), /Chief Zero/, 'no one met: the most reports first');
    await checkA11y(page, assert, `large cadence health ${viewport.width}`);
    await page.screenshot({ path: `${shots}/cadence-large-${viewport.width}.png` });
    noProblems(page, assert);
  });
}
