// The manager review in the browser (issue #11): Mia (a manager) finds each review to write with
// its cycle and due date, and writes Zoë's manager review beside what Zoë submitted in her
// self-review (question text, the answer with its scale label), the anonymous peer summary (too
// few answers yet) and the evidence: two columns at 1366 px, one column at 390 px. axe-core at
// both widths; screenshots go to TRELLIS_SHOTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, launch, newPage, loginAs, goto, checkA11y, noProblems, org, PASSWORD } from './lib.js';

const shots = process.env.TRELLIS_SHOTS || mkdtempSync(join(tmpdir(), 'trellis-shots-'));
const LABELS = ['Far below', 'Below', 'Meets', 'Above', 'Far above'];
let srv, browser;

before(async () => {
  srv = await startApp();
  browser = await launch();
  const hr = await srv.login(org.byKey.hr, PASSWORD);
  const t = async (name, kind, questions) => (await hr.post('/api/v1/review-templates', { name, kind, questions })).json.id;
  const c = await hr.post('/api/v1/review-cycles', {
    name: 'Spring 2027 reviews', period_start: '2026-07-01', period_end: '2027-06-30', threshold: 2,
    self_template_id: await t('Self', 'self', [{ id: 'overall', type: 'rating', text: 'How well did the half go?', labels: LABELS }, { id: 'wins', type: 'text', text: 'What are you proudest of?' }]),
    manager_template_id: await t('Manager', 'manager', [{ id: 'overall', type: 'rating', text: 'Overall performance', labels: LABELS }, { id: 'summary', type: 'text', text: 'Summary for the employee' }]),
    peer_template_id: await t('Peer', 'peer', [{ id: 'collab', type: 'rating', text: 'Collaboration' }]),
    deadlines: { self: '2099-01-15', peer: '2099-01-22', manager: '2099-01-29' },
  });
  assert.equal(c.status, 201, c.text);
  assert.equal((await hr.post(`/api/v1/review-cycles/${c.json.id}/launch`, {})).status, 200);
  const zoe = await srv.login(org.byKey.self, PASSWORD);
  const own = (await zoe.get('/api/v1/reviews')).json.items.find((r) => r.kind === 'self');
  assert.equal((await zoe.post(`/api/v1/reviews/${own.id}/submit`, { answers: { overall: 4, wins: 'Shipped search v2 with zero downtime.' } })).status, 200);
});
after(async () => { await browser?.close(); await srv?.stop(); });

for (const viewport of [{ width: 1366, height: 900 }, { width: 390, height: 844 }]) {
  test(`Mia writes Zoë's manager review beside her self-review at ${viewport.width} px`, async () => {
    const page = await newPage(browser, srv.base, viewport);
    await loginAs(page, org.byKey.manager);
    await goto(page, '#/reviews');
    const item = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Manager review: Zoë Ōtsuka' }) });
    await item.waitFor();
    assert.match(await item.textContent(), /Spring 2027 reviews · Due /, 'the cycle and the due date');
    await checkA11y(page, assert, `to write ${viewport.width}`);
    await page.screenshot({ path: `${shots}/reviews-to-write-${viewport.width}.png`, fullPage: true });

    await page.getByRole('link', { name: 'Manager review: Zoë Ōtsuka' }).click();
    const self = page.getByRole('region', { name: 'Self-review by Zoë Ōtsuka' });
    await self.waitFor();
    const selfText = await self.textContent();
    assert.match(selfText, /How well did the half go\?/, 'question text, not its id');
    assert.match(selfText, /4 of 5 — Above/, 'the answer with its scale label');
    assert.match(selfText, /Shipped search v2 with zero downtime\./);
    assert.ok(!/\boverall\b|\bwins\b/.test(selfText), 'no internal ids');
    const peers = page.getByRole('region', { name: 'Peer feedback summary' });
    assert.match(await peers.textContent(), /Too few responses to show yet \(0\)/);
    await page.getByRole('heading', { name: /^Evidence from/ }).waitFor();
    // the form's scale carries the labels
    await page.getByLabel('4 Above').check();

    const form = await page.locator('form.card').boundingBox();
    const side = await self.boundingBox();
    if (viewport.width >= 1000) assert.ok(side.x > form.x + form.width - 1, 'two columns: the self-review beside the form');
    else assert.ok(side.y >= form.y + form.height - 1, 'one column: the self-review below the form');
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scroll <= viewport.width, `no sideways scrolling (${scroll})`);
    await checkA11y(page, assert, `manager review ${viewport.width}`);
    await page.screenshot({ path: `${shots}/manager-review-${viewport.width}.png`, fullPage: true });

    await page.getByLabel('Summary for the employee').fill('A strong half: search v2 landed cleanly.');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Draft saved.').waitFor();
    await page.reload();
    await page.getByRole('region', { name: 'Self-review by Zoë Ōtsuka' }).waitFor();
    assert.equal(await page.getByLabel('Summary for the employee').inputValue(), 'A strong half: search v2 landed cleanly.', 'saved after a reload');
    assert.equal(await page.getByLabel('4 Above').isChecked(), true);
    noProblems(page, assert);
    await page.context().close();
  });
}
