// Calibration as a picture and HR analytics in Chromium (issue #12). Priya (HR, the fixture's
// HR partner) opens the 9-box of a cycle, picks a person by name, is told that a justification
// is required, moves the rating and sees it saved after a reload; sets a target distribution;
// the person's manager reads the justification; then Priya reads the analytics and downloads a
// report as CSV. axe-core at each step, screenshots at 1366 and 390 px (TRELLIS_SHOTS).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, launch, newPage, loginAs, goto, checkA11y, noProblems, org, PASSWORD } from './lib.js';

const shots = process.env.TRELLIS_SHOTS || mkdtempSync(join(tmpdir(), 'trellis-shots-'));
const RATINGS = [
  ['ceo', 'engdir', 5, 3], ['ceo', 'sales', 5, 2], ['ceo', 'hr', 5, 2], ['ceo', 'admin', 5, 3],
  ['engdir', 'manager', 2, 2], ['manager', 'self', 2, 3], ['manager', 'peer', 2, 1], ['self', 'report', 3, 2],
];
let srv, browser, cycleId;

before(async () => {
  srv = await startApp();
  browser = await launch();
  const as = {};
  const login = async (local) => (as[local] ??= await srv.login(`${local}@acme.example`, PASSWORD));
  const hr = await login('hr');
  const ids = Object.fromEntries((await hr.get('/api/v1/people?limit=200')).json.items.map((p) => [p.email.split('@')[0], p.id]));
  const t = async (name, kind, questions) => (await hr.post('/api/v1/review-templates', { name, kind, questions })).json.id;
  const self = await t('Self', 'self', [{ id: 'overall', type: 'rating', text: 'How was your year?' }]);
  const mgr = await t('Manager', 'manager', [{ id: 'overall', type: 'rating', text: 'Overall rating' }, { id: 'potential', type: 'rating', text: 'Potential', scale: 3 }, { id: 'summary', type: 'text', text: 'Summary' }]);
  const c = await hr.post('/api/v1/review-cycles', { name: '2026 annual review', period_start: '2026-01-01', period_end: '2026-12-31', self_template_id: self, manager_template_id: mgr, threshold: 3 });
  cycleId = c.json.id;
  assert.equal((await hr.post(`/api/v1/review-cycles/${cycleId}/launch`, {})).status, 200);
  for (const [m, who, overall, potential] of RATINGS) {
    const writer = await login(m);
    const r = (await writer.get(`/api/v1/reviews?cycle=${cycleId}`)).json.items.find((x) => x.kind === 'manager' && x.reviewee.id === ids[who]);
    assert.equal((await writer.post(`/api/v1/reviews/${r.id}/submit`, { answers: { overall, potential, summary: `About ${who}` } })).status, 200);
  }
  const pub = await login('peer');
  for (const [to, body] of [['self', 'Great demo'], ['manager', 'Clear plan'], ['report', 'Fast fixes']]) {
    assert.equal((await pub.post('/api/v1/feedback', { recipient_id: ids[to], kind: 'praise', visibility: 'public', body })).status, 201);
  }
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('Priya calibrates on the 9-box: picks a name, justifies, moves the rating; the manager reads why', async () => {
  const priya = await newPage(browser, srv.base, { width: 1366, height: 900 });
  await loginAs(priya, org.byKey.hr);
  await goto(priya, '#/reviews?tab=cycles');
  await priya.getByRole('link', { name: 'Calibration' }).first().click();
  await priya.getByRole('heading', { name: 'Calibration: 2026 annual review' }).waitFor();
  const grid = priya.locator('.nine-box');
  // every name is a button in its box, with the box's count
  const highPot = grid.getByRole('region', { name: /High potential, high performance/ });
  assert.equal(await highPot.locator('.box-count').textContent(), '2');
  assert.deepEqual(await highPot.getByRole('button').allTextContents(), ['Eli Engdir', 'Ada Admin']);
  assert.equal(await grid.getByRole('button', { name: 'Hana HR' }).count(), 0, 'Priya never sees her own row');
  // the leniency flag with its statistic
  const flags = priya.getByRole('region', { name: 'Manager flags' });
  const cora = flags.getByRole('row', { name: /Cora Chief/ });
  assert.match(await cora.textContent(), /Cora Chief3.*5.*1\.8.*Lenient/);
  await checkA11y(priya, assert, 'calibration');
  await priya.screenshot({ path: `${shots}/calibration-1366.png`, fullPage: true });

  // the keyboard reaches a name; the form says what is missing
  await grid.getByRole('button', { name: 'Zoë Ōtsuka' }).focus();
  await priya.keyboard.press('Enter');
  const form = priya.locator('form.adjust');
  await form.getByRole('heading', { name: 'Adjust Zoë Ōtsuka' }).waitFor();
  await form.getByLabel(/New rating/).fill('4');
  await form.getByRole('button', { name: 'Save calibration' }).click();
  assert.match(await form.getByRole('alert').textContent(), /justification is required/);
  await form.getByLabel(/Justification/).fill('Cross-team panel: checkout work had company-level impact.');
  await form.getByRole('button', { name: 'Save calibration' }).click();
  await priya.getByText('Zoë Ōtsuka: rating 4 saved.').waitFor();
  await priya.reload();
  await priya.getByRole('heading', { name: 'Calibrated ratings' }).waitFor();
  const adjusted = priya.locator('ul.adjusted');
  assert.match(await adjusted.textContent(), /Zoë Ōtsuka: 2 → 4Cross-team panel/);
  // Zoë moved from low to high performance, medium... potential high
  assert.ok(await grid.getByRole('region', { name: /High potential, high performance/ }).getByRole('button', { name: 'Zoë Ōtsuka' }).isVisible());

  // a target distribution beside the company's
  await priya.getByLabel('Rating 1', { exact: true }).fill('10');
  await priya.getByLabel('Rating 2', { exact: true }).fill('20');
  await priya.getByLabel('Rating 3', { exact: true }).fill('40');
  await priya.getByLabel('Rating 4', { exact: true }).fill('20');
  await priya.getByRole('button', { name: 'Save target' }).click();
  assert.match(await priya.locator('form.target-form').getByRole('alert').textContent(), /add up to 90/);
  await priya.getByLabel('Rating 5', { exact: true }).fill('10');
  await priya.getByRole('button', { name: 'Save target' }).click();
  await priya.getByRole('img', { name: /^Target: rating 1 10%, rating 2 20%, rating 3 40%/ }).waitFor();
  await priya.reload();
  assert.equal(await priya.getByLabel('Rating 3', { exact: true }).inputValue(), '40');
  await checkA11y(priya, assert, 'calibration after changes');
  await priya.screenshot({ path: `${shots}/calibration-adjusted-1366.png`, fullPage: true });
  await priya.setViewportSize({ width: 390, height: 844 });
  await priya.reload();
  await priya.getByRole('heading', { name: 'Performance × potential' }).waitFor();
  const overflow = await priya.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no sideways scrolling at 390 px (${overflow})`);
  await checkA11y(priya, assert, 'calibration at 390 px');
  await priya.screenshot({ path: `${shots}/calibration-390.png`, fullPage: true });
  noProblems(priya, assert);

  // Mia, Zoë's manager, reads the justification; Zoë does not see her own row
  const mia = await newPage(browser, srv.base);
  await loginAs(mia, org.byKey.manager);
  await goto(mia, '#/reviews');
  await mia.getByRole('region', { name: 'Calibration of your organisation' }).getByRole('link', { name: '2026 annual review' }).click();
  await mia.getByText('Cross-team panel: checkout work had company-level impact.').waitFor();
  assert.equal(await mia.getByRole('button', { name: 'Save calibration' }).count(), 0);
  const zoe = await newPage(browser, srv.base);
  await loginAs(zoe, org.byKey.self);
  await goto(zoe, `#/cycles/${cycleId}/calibration`);
  await zoe.locator('.nine-box').getByRole('button', { name: 'Rex Report' }).waitFor();
  assert.equal(await zoe.locator('.nine-box').getByRole('button', { name: 'Zoë Ōtsuka' }).count(), 0, 'her own row is not hers to see');
  assert.deepEqual(await zoe.locator('.nine-box .box-name').allTextContents(), ['Rex Report']);
  assert.equal(await zoe.getByText('Cross-team panel').count(), 0);
  noProblems(mia, assert);
  noProblems(zoe, assert);
});

test('Priya reads the analytics, sees suppressed groups said so, and downloads a report as CSV', async () => {
  for (const width of [1366, 390]) {
    const priya = await newPage(browser, srv.base, { width, height: 900 });
    await loginAs(priya, org.byKey.hr);
    await priya.getByRole('link', { name: 'Analytics' }).first().click().catch(async () => goto(priya, '#/analytics'));
    await priya.getByRole('heading', { name: 'Analytics', level: 1 }).waitFor();
    const completion = priya.getByRole('region', { name: 'Review completion by cycle' });
    await completion.getByText('8 of 8 submitted (100%)').waitFor();
    assert.ok(await completion.getByText('0 of 9 submitted (0%)').isVisible());
    const ratings = priya.getByRole('region', { name: 'Rating distributions over cycles' });
    assert.ok(await ratings.getByText(/average 3\.71 of 7/).isVisible(), 'Priya\'s own rating is not counted');
    const goals = priya.getByRole('region', { name: 'Goal attainment by department and level' });
    assert.ok(await goals.getByText('Nothing to show yet.').isVisible());
    const promotions = priya.getByRole('region', { name: 'Promotion rate and time in level' });
    assert.match(await promotions.locator('.suppressed').textContent(), /too small to show \(fewer than 3\)/);
    const cadence = priya.getByRole('region', { name: 'One-on-one cadence health, by risk' });
    assert.ok(await cadence.getByText(/0 of 4 met in 6 weeks · 4 never/).isVisible());
    const overflow = await priya.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `no sideways scrolling at ${width} px (${overflow})`);
    await checkA11y(priya, assert, `analytics at ${width}`);
    await priya.screenshot({ path: `${shots}/analytics-${width}.png`, fullPage: true });
    if (width === 1366) {
      const [download] = await Promise.all([priya.waitForEvent('download'), completion.getByRole('link', { name: /Download CSV/ }).click()]);
      assert.equal(download.suggestedFilename(), 'trellis-completion.csv');
      const text = readFileSync(await download.path(), 'utf8');
      assert.match(text, /^"Cycle","Kind","Reviews","Submitted","Share submitted"\r\n/);
      assert.ok(text.includes('"2026 annual review","manager",8,8,1.000'));
    }
    noProblems(priya, assert);
  }
});
