// Organisation settings in the browser (issue #12): the administrator names the organisation,
// lists the company values and sets the default anonymity threshold from the admin console; the
// name shows in the top bar (on wide screens) and the window title, a bad threshold is refused beside its field and changes
// nothing, and an employee giving praise then chooses one of the listed values. 1366 and 390 px,
// axe-core; screenshots go to TRELLIS_SHOTS (a temporary directory by default).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, launch, newPage, loginAs, checkA11y, noProblems, org, goto } from './lib.js';

const shots = process.env.TRELLIS_SHOTS || mkdtempSync(join(tmpdir(), 'trellis-shots-'));
let srv, browser;

before(async () => {
  srv = await startApp();
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('the admin sets the name, the values and the threshold; a wrong threshold is refused beside its field', async () => {
  const page = await newPage(browser, srv.base, { width: 1366, height: 900 });
  await loginAs(page, org.byKey.admin);
  await goto(page, '#/admin/organisation');
  await page.getByRole('heading', { name: 'Organisation settings' }).waitFor();
  assert.equal(await page.getByLabel('Anonymity threshold for new review cycles').inputValue(), '3');
  await page.getByLabel('Organisation name').fill('Acme Rockets');
  await page.getByLabel('Company values').fill('Customer first\nOwnership\nBetter together');
  await page.getByLabel('Anonymity threshold for new review cycles').fill('1');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.locator('.field-error').filter({ hasText: /2 to 20/ }).first().waitFor();
  assert.equal(await page.locator('.brand-org').count(), 0, 'nothing was saved');
  await page.getByLabel('Anonymity threshold for new review cycles').fill('4');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Saved. The settings apply now, for everyone.').waitFor();
  assert.equal(await page.locator('.brand-org').textContent(), 'Acme Rockets');
  await checkA11y(page, assert, 'organisation settings 1366');
  await page.screenshot({ path: `${shots}/settings-1366.png`, fullPage: true });
  await page.reload();
  await page.getByRole('heading', { name: 'Organisation settings' }).waitFor();
  assert.equal(await page.getByLabel('Organisation name').inputValue(), 'Acme Rockets', 'kept after a reload');
  assert.equal(await page.title(), 'Admin console · Trellis · Acme Rockets');
  assert.equal(await page.getByLabel('Company values').inputValue(), 'Customer first\nOwnership\nBetter together');
  assert.equal(await page.getByLabel('Anonymity threshold for new review cycles').inputValue(), '4');
  noProblems(page, assert);
  await page.context().close();
});

test('an employee gives praise for one of the listed values, at 390 px', async () => {
  const page = await newPage(browser, srv.base, { width: 390, height: 844 });
  await loginAs(page, org.byKey.self);
  assert.equal(await page.locator('.brand-org').textContent(), 'Acme Rockets');
  await goto(page, '#/feedback');
  await page.getByRole('button', { name: 'Give feedback' }).click();
  const value = page.getByLabel('Company value (praise)');
  await page.waitForFunction(() => document.querySelector('#fb-value')?.tagName === 'SELECT');
  assert.deepEqual(await value.locator('option').allTextContents(), ['None', 'Customer first', 'Ownership', 'Better together']);
  await page.getByLabel('Find Recipient').fill('Pat');
  await page.locator('#fb-to option', { hasText: 'Pat Peer' }).waitFor({ state: 'attached' });
  await page.getByLabel('Who sees it').selectOption('public');
  await value.selectOption('Ownership');
  await page.getByLabel('Message').fill('You owned the launch end to end.');
  await page.getByRole('button', { name: 'Send feedback' }).click();
  // sent: the page reloads without the form (leaving before that would abort the send)
  await page.locator('#fb-body').waitFor({ state: 'detached' });
  await goto(page, '#/feedback?tab=wall');
  await page.getByText('You owned the launch end to end.').waitFor();
  await checkA11y(page, assert, 'feedback 390');
  await page.screenshot({ path: `${shots}/settings-praise-390.png`, fullPage: true });
  noProblems(page, assert);
  await page.context().close();
});

test('the admin switches a reminder off and changes a threshold; a wrong one is refused beside its field, at 390 px', async () => {
  const page = await newPage(browser, srv.base, { width: 390, height: 844 });
  await loginAs(page, org.byKey.admin);
  await goto(page, '#/admin/organisation');
  await page.getByRole('heading', { name: 'Reminders' }).waitFor();
  const rule = page.getByLabel('An action item from a one-on-one is due');
  assert.equal(await rule.isChecked(), true);
  await rule.uncheck();
  await page.getByLabel('No one-on-one for (weeks)').fill('1');
  await page.getByRole('button', { name: 'Save reminders' }).click();
  await page.locator('.field-error').filter({ hasText: /2 to 26/ }).first().waitFor();
  assert.equal(await page.getByLabel('No one-on-one for (weeks)').getAttribute('aria-invalid'), 'true');
  assert.equal(await rule.isChecked(), false, 'what was chosen is kept');
  await page.getByLabel('No one-on-one for (weeks)').fill('4');
  await page.getByLabel('Send reminders at').selectOption('9');
  await page.getByRole('button', { name: 'Save reminders' }).click();
  await page.getByText('Saved. The next reminder pass follows these rules.').waitFor();
  await checkA11y(page, assert, 'reminders 390');
  await page.screenshot({ path: `${shots}/settings-reminders-390.png`, fullPage: true });
  await page.reload();
  await page.getByRole('heading', { name: 'Reminders' }).waitFor();
  assert.equal(await page.getByLabel('An action item from a one-on-one is due').isChecked(), false, 'kept after a reload');
  assert.equal(await page.getByLabel('No one-on-one for (weeks)').inputValue(), '4');
  assert.equal(await page.getByLabel('Send reminders at').inputValue(), '9');
  assert.equal(await page.getByLabel('Organisation name').inputValue(), 'Acme Rockets', 'the other settings stay');
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 390, `no sideways scrolling (${wide}px)`);
  noProblems(page, assert);
  await page.context().close();
});

test('the admin uploads the organisation logo, everyone sees it in the top bar, and removing it asks first', async () => {
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYPj/HwADBwIAMCbHYQAAAABJRU5ErkJggg==', 'base64');
  const page = await newPage(browser, srv.base, { width: 1366, height: 900 });
  await loginAs(page, org.byKey.admin);
  await goto(page, '#/admin/organisation');
  await page.getByRole('heading', { name: 'Logo' }).waitFor();
  await page.getByText('No logo yet.').waitFor();
  // not an image: refused beside the field
  await page.getByLabel('Logo image').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image') });
  await page.getByRole('button', { name: 'Upload the logo' }).click();
  await page.locator('.field-error').filter({ hasText: /PNG, JPEG or WebP/ }).first().waitFor();
  assert.equal(await page.locator('.brand-logo').count(), 0);
  await page.getByLabel('Logo image').setInputFiles({ name: 'acme.png', mimeType: 'image/png', buffer: png });
  await page.getByRole('button', { name: 'Upload the logo' }).click();
  await page.getByText('Saved. Everyone sees the new logo from their next page.').waitFor();
  await page.getByRole('img', { name: 'The current logo' }).waitFor();
  await page.locator('.brand-logo').waitFor();
  await checkA11y(page, assert, 'logo 1366');
  await page.screenshot({ path: `${shots}/settings-logo-1366.png`, fullPage: true });

  const other = await newPage(browser, srv.base, { width: 1366, height: 900 });
  await loginAs(other, org.byKey.self);
  await other.getByRole('img', { name: 'Acme Rockets logo' }).waitFor();
  assert.ok(await other.locator('.brand-logo').evaluate((img) => img.complete && img.naturalWidth === 1), 'the image loads');
  await other.screenshot({ path: `${shots}/settings-logo-topbar-1366.png` });
  await other.setViewportSize({ width: 390, height: 844 });
  assert.equal(await other.locator('.brand-logo').isVisible(), false, 'a phone\'s top bar keeps its room, as for the name');
  noProblems(other, assert);
  await other.context().close();

  await page.getByRole('button', { name: 'Remove the logo' }).click();
  const dlg = page.getByRole('dialog', { name: 'Remove the logo?' });
  await dlg.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('img', { name: 'The current logo' }).waitFor();
  await page.getByRole('button', { name: 'Remove the logo' }).click();
  await dlg.getByRole('button', { name: 'Remove the logo' }).click();
  await page.getByText('The logo was removed.').waitFor();
  assert.equal(await page.locator('.brand-logo').count(), 0);
  page.problems = page.problems.filter((p) => !/status of 422/.test(p));
  noProblems(page, assert);
  await page.context().close();
});
