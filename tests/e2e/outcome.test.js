// A released outcome in the browser (issue #11): Zoë (an employee) at 1366 px reads her manager's
// review by question text with the scale's labels and the manager's summary, acknowledges it
// with a written response after a confirmation, and sees it acknowledged after a reload; Mia (her
// manager) at 390 px is told in the bell and opens the outcome from the notification. axe-core
// at both widths; screenshots go to TRELLIS_SHOTS.
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
    name: 'Spring 2027 reviews', period_start: '2026-07-01', period_end: '2027-06-30', peers_per_person: 0,
    self_template_id: await t('Self', 'self', [{ id: 'overall', type: 'rating', text: 'How well did the half go?', labels: LABELS }]),
    manager_template_id: await t('Manager', 'manager', [{ id: 'overall', type: 'rating', text: 'Overall performance', labels: LABELS }, { id: 'growth', type: 'text', text: 'Where to grow next' }, { id: 'summary', type: 'text', text: 'Summary' }]),
  });
  assert.equal(c.status, 201, c.text);
  assert.equal((await hr.post(`/api/v1/review-cycles/${c.json.id}/launch`, {})).status, 200);
  const mia = await srv.login(org.byKey.manager, PASSWORD);
  const rev = (await mia.get('/api/v1/reviews')).json.items.find((r) => r.kind === 'manager' && r.reviewee.name === 'Zoë Ōtsuka');
  assert.equal((await mia.post(`/api/v1/reviews/${rev.id}/submit`, { answers: { overall: 4, growth: 'Lead a cross-team design.', summary: 'A strong half with search v2.' } })).status, 200);
  const rel = await hr.post(`/api/v1/review-cycles/${c.json.id}/release`, { override: true, reason: 'Released for the outcome test' });
  assert.equal(rel.status, 200, rel.text);
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('Zoë reads her outcome and acknowledges it with a response at 1366 px', async () => {
  const page = await newPage(browser, srv.base, { width: 1366, height: 900 });
  await loginAs(page, org.byKey.self);
  await goto(page, '#/reviews?tab=outcomes');
  const card = page.locator('li.card', { hasText: 'Spring 2027 reviews' });
  await card.waitFor();
  const text = await card.textContent();
  assert.match(text, /Manager summary: A strong half with search v2\./);
  assert.match(text, /Manager review by Mia Manager/);
  assert.match(text, /Overall performance4 of 5 — Above/, 'question text and the scale label');
  assert.match(text, /Where to grow nextLead a cross-team design\./);
  assert.ok(!/\bgrowth\b|\boverall\b/.test(text), 'no internal ids');
  await checkA11y(page, assert, 'outcome 1366');
  await page.screenshot({ path: `${shots}/outcome-1366.png`, fullPage: true });

  await page.getByLabel('Your comments for your manager').fill('Thank you. I would like to lead the next design review.');
  await page.getByRole('button', { name: 'Acknowledge' }).click();
  const dlg = page.getByRole('dialog');
  await dlg.getByText(/reads your response/).waitFor();
  await dlg.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await page.getByLabel('Your comments for your manager').inputValue(), 'Thank you. I would like to lead the next design review.', 'cancelling keeps what was typed');
  await page.getByRole('button', { name: 'Acknowledge' }).click();
  await dlg.getByRole('button', { name: 'Acknowledge' }).click();
  await page.getByText('Acknowledged. Your manager has been told.').waitFor();
  await page.screenshot({ path: `${shots}/outcome-acknowledged-1366.png`, fullPage: true });
  await page.reload();
  await page.getByText(/Acknowledged .*: Thank you\. I would like to lead the next design review\./).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Acknowledge' }).count(), 0, 'acknowledged once');
  noProblems(page, assert);
  await page.context().close();
});

test('Mia is told of the response in the bell at 390 px', async () => {
  const page = await newPage(browser, srv.base, { width: 390, height: 844 });
  await loginAs(page, org.byKey.manager);
  await goto(page, '#/notifications');
  const n = page.getByRole('link', { name: 'Zoë Ōtsuka acknowledged their review outcome for Spring 2027 reviews and wrote a response.' });
  await n.waitFor();
  await checkA11y(page, assert, 'notifications 390');
  await page.screenshot({ path: `${shots}/manager-told-390.png`, fullPage: true });
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scroll <= 390, `no sideways scrolling (${scroll})`);
  noProblems(page, assert);
  await page.context().close();
});
