// SMTP settings in the browser (issue #12): on a server started without any SMTP server, the
// administrator opens Admin console → Email, a wrong server address is refused beside its field
// and nothing is saved, then sets a real SMTP server (tests/support/smtp.js), the sender and the
// STARTTLS mode; after a reload the values are kept, and a test email goes out through them
// at once, without a restart. 1366 and 390 px, axe-core; screenshots go to TRELLIS_SHOTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, launch, newPage, loginAs, checkA11y, noProblems, org, goto } from './lib.js';
import { startSmtp } from '../support/smtp.js';

const shots = process.env.TRELLIS_SHOTS || mkdtempSync(join(tmpdir(), 'trellis-shots-'));
let srv, browser, smtp;

before(async () => {
  smtp = await startSmtp();
  srv = await startApp();
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); await smtp?.close(); });

test('the admin sets the SMTP server in the browser and a test email goes through it at once', async () => {
  const page = await newPage(browser, srv.base, { width: 1366, height: 900 });
  await loginAs(page, org.byKey.admin);
  await goto(page, '#/admin/email');
  await page.getByRole('heading', { name: 'Mail server' }).waitFor();
  await page.getByText('Empty: no server, so email waits in the outbox.').waitFor();

  await page.getByLabel('SMTP server').fill('mail.acme.example');
  await page.getByLabel('Sender').fill('Acme People <people@acme.example>');
  await page.getByRole('button', { name: 'Save email settings' }).click();
  await page.locator('.field-error').filter({ hasText: /smtp:\/\/ or smtps:\/\// }).first().waitFor();
  assert.equal(await page.getByLabel('SMTP server').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByLabel('Sender').inputValue(), 'Acme People <people@acme.example>', 'what was typed is kept');

  await page.getByLabel('SMTP server').fill(smtp.url);
  await page.getByLabel('STARTTLS on smtp://').selectOption('off');
  await page.getByRole('button', { name: 'Save email settings' }).click();
  await page.getByText('Saved. The next email goes out through these settings, on every server.').waitFor();
  await checkA11y(page, assert, 'email settings 1366');
  await page.screenshot({ path: `${shots}/settings-email-1366.png`, fullPage: true });

  await page.reload();
  await page.getByRole('heading', { name: 'Mail server' }).waitFor();
  assert.equal(await page.getByLabel('SMTP server').inputValue(), smtp.url, 'kept after a reload');
  assert.equal(await page.getByLabel('Sender').inputValue(), 'Acme People <people@acme.example>');
  assert.equal(await page.getByLabel('STARTTLS on smtp://').inputValue(), 'off');

  await page.getByLabel('Send to').fill('it-desk@acme.example');
  await page.getByRole('button', { name: 'Send a test email' }).click();
  await page.getByText('Sent to it-desk@acme.example.').waitFor();
  const got = await smtp.waitFor((m) => m.to.includes('it-desk@acme.example'), 1, 10000);
  assert.match(got[0].headers.from, /people@acme\.example/, 'from the sender set in the browser');
  noProblems(page, assert);
  await page.context().close();
});

test('at 390 px the saved password is kept unless removed, and the form fits the screen', async () => {
  const page = await newPage(browser, srv.base, { width: 390, height: 844 });
  await loginAs(page, org.byKey.admin);
  await goto(page, '#/admin/email');
  await page.getByRole('heading', { name: 'Mail server' }).waitFor();
  await page.getByLabel('Password', { exact: true }).fill('an-smtp-password');
  await page.getByRole('button', { name: 'Save email settings' }).click();
  await page.getByText('A password is saved. Leave this empty to keep it.').waitFor();
  assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '', 'a password is never shown again');
  await page.getByLabel('Remove the saved password').check();
  await page.getByRole('button', { name: 'Save email settings' }).click();
  await page.getByText('None is saved.').waitFor();
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 390, `no sideways scrolling (${wide}px)`);
  await checkA11y(page, assert, 'email settings 390');
  await page.screenshot({ path: `${shots}/settings-email-390.png`, fullPage: true });
  noProblems(page, assert);
  await page.context().close();
});
