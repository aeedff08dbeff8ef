// Sign in and out in the browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, launch, newPage, loginAs, checkA11y, noProblems, org, PASSWORD } from './lib.js';

let srv, browser;
before(async () => { srv = await startApp(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.stop(); });

test('a wrong password shows an alert and stays on sign in', async () => {
  const page = await newPage(browser, srv.base);
  await page.goto('/');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await checkA11y(page, assert, 'sign in');
  await page.getByLabel('Work email').fill(org.byKey.self);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /email or password is not correct/);
  assert.match(page.url(), /#\/login/);
  noProblems(page, assert);
});

test('signing in lands on home with the name; signing out returns to sign in', async () => {
  const page = await newPage(browser, srv.base);
  await loginAs(page, org.byKey.self);
  await page.getByRole('heading', { name: 'Welcome, Zoë' }).waitFor();
  assert.equal(await page.locator('.user-name').textContent(), 'Zoë Ōtsuka');
  await page.getByRole('heading', { name: 'Your manager' }).waitFor();
  assert.ok(await page.getByText('Mia Manager').isVisible());
  await checkA11y(page, assert, 'home');
  await page.reload();
  await page.getByRole('heading', { name: 'Welcome, Zoë' }).waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.goto('/#/people');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  noProblems(page, assert);
  void PASSWORD;
});
