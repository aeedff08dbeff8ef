// A one-on-one series in the browser, as the manager: start it, edit its cadence, weekday and
// time (the next meeting moves, the change survives a reload, a bad value is named beside its
// field), pause and resume it, end it behind a confirmation, and start a separate career
// conversation series with the same report. axe-core and screenshots at 1366 and 390 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startApp, launch, newPage, loginAs, goto, checkA11y, noProblems, org } from './lib.js';

const shots = process.env.TRELLIS_SHOTS || `${tmpdir()}/trellis-shots`;
let srv, browser;
before(async () => {
  mkdirSync(shots, { recursive: true });
  srv = await startApp();
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('the manager edits, pauses, resumes and ends a series, then starts a career series', async () => {
  const first = new Date(Date.now() + 5 * 86400000).toISOString().slice(0, 10);
  const page = await newPage(browser, srv.base, { width: 1366, height: 900 });
  await loginAs(page, org.byKey.manager);
  await goto(page, '#/one-on-ones');
  await page.getByLabel('With').selectOption({ label: 'Zoë Ōtsuka' });
  await page.getByLabel('Every how many weeks').fill('2');
  await page.getByLabel('First meeting').fill(first);
  await page.getByLabel('Time zone').fill('UTC');
  await page.getByRole('button', { name: 'Start the series' }).click();
  await page.getByRole('link', { name: 'One-on-ones with Zoë Ōtsuka' }).click();
  await page.getByRole('heading', { name: 'One-on-ones with Zoë Ōtsuka' }).waitFor();
  await page.getByText('Every 2 weeks on').waitFor();

  // a bad cadence is named beside its field and nothing changes
  const form = page.locator('#series-form');
  await form.getByLabel('Every how many weeks').fill('13');
  await form.getByRole('button', { name: 'Save schedule' }).click();
  await page.locator('.field-error').getByText('must be 1 to 12 weeks').waitFor();
  assert.equal(await form.getByLabel('Every how many weeks').inputValue(), '13', 'what was typed stays');
  await page.getByText('Every 2 weeks on').waitFor();

  // every 6 weeks on Thursday at 15:30
  await form.getByLabel('Every how many weeks').fill('6');
  await form.getByLabel('Weekday').selectOption('thursday');
  await form.getByLabel(/^Time/).fill('15:30');
  await form.getByRole('button', { name: 'Save schedule' }).click();
  await page.getByText('Schedule saved.').waitFor();
  await page.locator('#series-state').getByText('Every 6 weeks on thursday at 15:30 (UTC)').waitFor();
  const next = await page.locator('.goal-card', { hasText: 'Scheduled' }).first().locator('.goal-title').textContent();
  assert.match(next, /15:30$/);
  assert.equal(new Date(`${next.slice(0, 10)}T12:00:00Z`).getUTCDay(), 4, 'the next meeting is on a Thursday');
  await page.reload();
  await page.locator('#series-state').getByText('Every 6 weeks on thursday at 15:30 (UTC)').waitFor();
  assert.equal(await page.locator('#series-form').getByLabel('Every how many weeks').inputValue(), '6');
  await checkA11y(page, assert, 'series at 1366');
  await page.screenshot({ path: `${shots}/oneonone-series-1366.png`, fullPage: true });

  // pause, then resume
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByText('The series is paused').waitFor();
  await page.locator('#series-state').getByText('Paused', { exact: true }).waitFor();
  assert.equal(await page.locator('.goal-card', { hasText: 'Scheduled' }).count(), 0);
  await page.getByRole('button', { name: 'Resume' }).click();
  await page.getByText('The series is running again').waitFor();
  await page.locator('.goal-card', { hasText: 'Scheduled' }).first().waitFor();

  // ending asks first; cancelling changes nothing
  await page.getByRole('button', { name: 'End series' }).click();
  const dlg = page.getByRole('dialog', { name: 'End this series?' });
  await dlg.waitFor();
  await checkA11y(page, assert, 'end dialog');
  await dlg.getByRole('button', { name: 'Cancel' }).click();
  await page.locator('#series-state').getByText('Every 6 weeks').waitFor();
  await page.getByRole('button', { name: 'End series' }).click();
  await page.getByRole('dialog', { name: 'End this series?' }).getByRole('button', { name: 'End series' }).click();
  await page.getByText('The series has ended.').waitFor();
  await page.getByText('This series has ended. Its held meetings').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Save schedule' }).count(), 0, 'no form for an ended series');

  // a career conversation series with the same report
  await goto(page, '#/one-on-ones');
  await page.getByLabel('With').selectOption({ label: 'Zoë Ōtsuka' });
  await page.getByLabel('Every how many weeks').fill('6');
  await page.getByLabel('First meeting').fill(first);
  await page.getByLabel('Time zone').fill('UTC');
  await page.getByRole('button', { name: 'Start a career conversation series' }).click();
  await page.getByRole('link', { name: 'Career conversations with Zoë Ōtsuka' }).waitFor();
  await page.reload();
  await page.getByRole('link', { name: 'Career conversations with Zoë Ōtsuka' }).click();
  await page.getByRole('heading', { name: 'Career conversations with Zoë Ōtsuka' }).waitFor();
  noProblems(page, assert);

  const small = await newPage(browser, srv.base, { width: 390, height: 844 });
  await loginAs(small, org.byKey.manager);
  await goto(small, page.url().replace(/^[^#]*/, ''));
  await small.getByRole('heading', { name: 'Career conversations with Zoë Ōtsuka' }).waitFor();
  await checkA11y(small, assert, 'series at 390');
  await small.screenshot({ path: `${shots}/oneonone-series-390.png`, fullPage: true });
  await goto(small, '#/one-on-ones');
  await small.getByRole('link', { name: 'Career conversations with Zoë Ōtsuka' }).waitFor();
  await small.screenshot({ path: `${shots}/oneonone-list-390.png`, fullPage: true });
  noProblems(small, assert);
});
