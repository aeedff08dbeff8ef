// The career framework editor in the browser, as HR (issue #12): on an empty server HR names the
// first track, its levels and a competency, sets the expected rating of each level in the
// competency × level matrix, saves, and after a reload everything is there (and the API has it).
// A level without a title is refused in words beside its field and nothing is written. The JSON
// export shows the same document. 1366 and 390 px, axe-core; screenshots go to TRELLIS_SHOTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, launch, newPage, loginAs, checkA11y, noProblems, org, goto } from './lib.js';
import { PASSWORD } from '../support/trellis.js';

const shots = process.env.TRELLIS_SHOTS || mkdtempSync(join(tmpdir(), 'trellis-shots-'));
let srv, browser;

before(async () => {
  srv = await startApp();
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('HR builds a framework in the form: a track, its levels, a competency and the matrix', async () => {
  const page = await newPage(browser, srv.base, { width: 1366, height: 900 });
  await loginAs(page, org.byKey.hr);
  await goto(page, '#/development?tab=framework');
  await page.getByRole('heading', { name: 'Career framework' }).waitFor();

  await page.getByRole('button', { name: 'Add a competency' }).click();
  await page.getByLabel('New competency').fill('Systems thinking');
  await page.getByLabel('Its description').fill('Sees how the parts of a system affect each other');
  await page.getByLabel('Track name').fill('Engineering');
  await page.getByLabel('Code of level 1').fill('E1');
  await page.getByLabel('Title of level 1').fill('Engineer');
  await page.getByRole('button', { name: 'Add a level' }).click();
  await page.getByLabel('Code of level 2').fill('E2');
  await page.getByLabel('Title of level 2').fill('Senior engineer');
  await page.getByRole('button', { name: 'Add a level' }).click();
  await page.getByLabel('Code of level 3').fill('E3');
  // the matrix appears for the named competency and the levels
  await page.getByLabel('Systems thinking at E1').selectOption('2');
  await page.getByLabel('Systems thinking at E2').selectOption('3');
  await page.getByRole('button', { name: 'Save the framework' }).click();
  // level 3 has no title: refused beside it, in words, and nothing is written
  await page.locator('.field-error').filter({ hasText: 'Level 3 of Engineering needs a code and a title' }).waitFor();
  assert.equal(await page.getByLabel('Title of level 3').getAttribute('aria-invalid'), 'true');
  const api = await srv.login(org.byKey.hr, PASSWORD);
  assert.equal((await api.get('/api/v1/career/framework')).json.tracks.length, 0, 'nothing was written');
  assert.equal(await page.getByLabel('Systems thinking at E2').inputValue(), '3', 'what was chosen is kept');

  await page.getByLabel('Title of level 3').fill('Staff engineer');
  await page.getByLabel('Systems thinking at E3').selectOption('4');
  await page.getByRole('button', { name: 'Save the framework' }).click();
  await page.getByText('Saved. Gaps, plans and reviews use the framework now.').waitFor();
  await checkA11y(page, assert, 'framework 1366');
  await page.screenshot({ path: `${shots}/framework-1366.png`, fullPage: true });

  await page.reload();
  await page.getByRole('heading', { name: 'Career framework' }).waitFor();
  assert.equal(await page.getByLabel('Track', { exact: true }).locator('option:checked').textContent(), 'Engineering');
  assert.equal(await page.getByLabel('Title of level 2').inputValue(), 'Senior engineer', 'kept after a reload');
  assert.equal(await page.getByLabel('Systems thinking at E3').inputValue(), '4');
  assert.equal(await page.getByLabel('Systems thinking at E1').inputValue(), '2');
  const fw = (await api.get('/api/v1/career/framework')).json;
  assert.deepEqual(fw.tracks[0].levels.map((l) => [l.code, l.title, l.expectations.map((e) => e.rating)]),
    [['E1', 'Engineer', [2]], ['E2', 'Senior engineer', [3]], ['E3', 'Staff engineer', [4]]]);
  assert.equal(fw.competencies[0].description, 'Sees how the parts of a system affect each other');
  // the JSON export is the same document
  await page.getByText('Import or export as JSON').click();
  const doc = JSON.parse(await page.getByLabel('Framework document (JSON)').inputValue());
  assert.equal(doc.tracks[0].levels[2].code, 'E3');
  const audit = (await api.get('/api/v1/audit?limit=20')).json.items.find((x) => x.action === 'career_framework.import');
  assert.ok(audit && audit.after.tracks.length === 1 && audit.before.tracks.length === 0, 'audited before and after');
  noProblems(page, assert);
  await page.context().close();
});

test('at 390 px the matrix scrolls within itself and a rating changes', async () => {
  const page = await newPage(browser, srv.base, { width: 390, height: 844 });
  await loginAs(page, org.byKey.hr);
  await goto(page, '#/development?tab=framework');
  await page.getByRole('heading', { name: 'Career framework' }).waitFor();
  await page.getByLabel('Systems thinking at E3').selectOption('5');
  await page.getByRole('button', { name: 'Save the framework' }).click();
  await page.getByText('Saved. Gaps, plans and reviews use the framework now.').waitFor();
  assert.equal(await page.getByLabel('Systems thinking at E3').inputValue(), '5');
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 390, `no sideways scrolling of the page (${wide}px)`);
  await checkA11y(page, assert, 'framework 390');
  await page.screenshot({ path: `${shots}/framework-390.png`, fullPage: true });
  noProblems(page, assert);
  await page.context().close();
});
