// Single sign-on in the browser (issue #13), against a real OpenID provider on loopback
// (tests/support/idp.js). The administrator opens Admin console → Single sign-on, copies the
// redirect URI, adds the provider (a wrong issuer is refused beside its field, what was typed
// stays); the sign-in page then offers "Sign in with Acme Okta", and a person signs in there by
// typing their email at the provider and lands in Trellis where they were going. A person the
// directory does not know comes back to the sign-in page with the reason in words. 1366 and
// 390 px, axe-core; screenshots go to TRELLIS_SHOTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, launch, newPage, loginAs, checkA11y, noProblems, org, goto } from './lib.js';
import { startIdp } from '../support/idp.js';

const shots = process.env.TRELLIS_SHOTS || mkdtempSync(join(tmpdir(), 'trellis-shots-'));
let srv, browser, idp;

before(async () => {
  idp = await startIdp({
    accounts: [
      { sub: 'idp-self', email: org.byKey.self, email_verified: true },
      { sub: 'idp-stranger', email: 'stranger@elsewhere.example', email_verified: true },
    ],
  });
  srv = await startApp();
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); await idp?.close(); });

test('the admin adds the identity provider and a person signs in through it', async () => {
  const page = await newPage(browser, srv.base, { width: 1366, height: 900 });
  await loginAs(page, org.byKey.admin);
  await goto(page, '#/admin/sso');
  await page.getByRole('heading', { name: 'Identity providers' }).waitFor();
  await page.getByText('No identity provider yet').waitFor();
  const redirect = await page.locator('#sso-redirect').textContent();
  assert.equal(redirect, `${srv.base}/api/v1/sso/callback`, 'the redirect URI to register is shown before anything is added');

  const add = page.getByRole('form', { name: 'Add an identity provider' });
  await add.getByLabel('Name on the sign-in button').fill('Acme Okta');
  await add.getByLabel('Issuer URL').fill('http://127.0.0.1:9');
  await add.getByLabel('Client ID').fill('trellis');
  await add.getByLabel('Client secret').fill('s3cret-for-the-e2e');
  await add.getByRole('button', { name: 'Add provider' }).click();
  await add.locator('.field-error').filter({ hasText: /cannot reach/ }).first().waitFor();
  assert.equal(await add.getByLabel('Issuer URL').getAttribute('aria-invalid'), 'true');
  assert.equal(await add.getByLabel('Client ID').inputValue(), 'trellis', 'what was typed is kept');

  await add.getByLabel('Issuer URL').fill(idp.issuer);
  await add.getByLabel('Client secret').fill('s3cret-for-the-e2e');
  await add.getByRole('button', { name: 'Add provider' }).click();
  await page.getByText('Acme Okta was added.').waitFor();
  await page.getByRole('heading', { name: 'Acme Okta', level: 3 }).waitFor();
  idp.setClient({ client_id: 'trellis', client_secret: 's3cret-for-the-e2e', redirect_uris: [redirect] });
  await checkA11y(page, assert, 'admin sso 1366');
  await page.screenshot({ path: `${shots}/admin-sso-1366.png`, fullPage: true });
  noProblems(page, assert);
  await page.context().close();

  // a person who was going to their goals signs in through the provider
  const p2 = await newPage(browser, srv.base, { width: 1366, height: 900 });
  await p2.goto('/#/goals');
  const button = p2.getByRole('link', { name: 'Sign in with Acme Okta' });
  await button.waitFor();
  await p2.getByText('or with your password').waitFor();
  await checkA11y(p2, assert, 'login with sso 1366');
  await p2.screenshot({ path: `${shots}/login-sso-1366.png`, fullPage: true });
  await button.click();
  await p2.getByRole('heading', { name: 'Test identity provider' }).waitFor();
  await p2.getByLabel('Email').fill(org.byKey.self);
  await p2.getByRole('button', { name: 'Continue' }).click();
  await p2.waitForURL(`${srv.base}/#/goals`, { timeout: 8000 }).catch(async (e) => { throw new Error(`at ${p2.url()}: ${(await p2.content()).slice(0, 600)}`); });
  await p2.getByRole('heading', { name: 'Goals', level: 1 }).waitFor();
  const me = await p2.evaluate(async () => (await (await fetch('/api/v1/me')).json()).person.email);
  assert.equal(me, org.byKey.self, 'signed in as the person the provider named');
  noProblems(p2, assert);
  await p2.context().close();
});

test('at 390 px a person the directory does not know comes back with the reason, and the admin page fits', async () => {
  const page = await newPage(browser, srv.base, { width: 390, height: 844 });
  await page.goto('/#/login');
  await page.getByRole('link', { name: 'Sign in with Acme Okta' }).click();
  await page.getByLabel('Email').fill('stranger@elsewhere.example');
  await page.getByRole('button', { name: 'Continue' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'Not signed in.' });
  await alert.waitFor();
  assert.match(await alert.textContent(), /Nobody with the email stranger@elsewhere\.example is in your organisation's directory/);
  await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  await checkA11y(page, assert, 'login sso error 390');
  await page.screenshot({ path: `${shots}/login-sso-error-390.png`, fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the sign-in page fits 390 px (overflow ${overflow})`);

  await loginAs(page, org.byKey.admin);
  await goto(page, '#/admin/sso');
  await page.getByRole('heading', { name: 'Acme Okta', level: 3 }).waitFor();
  const o2 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(o2 <= 0, `the admin page fits 390 px (overflow ${o2})`);
  await checkA11y(page, assert, 'admin sso 390');
  await page.screenshot({ path: `${shots}/admin-sso-390.png`, fullPage: true });
  noProblems(page, assert);
  await page.context().close();
});
