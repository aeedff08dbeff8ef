// Browser test helpers: Debian's Chromium driven by playwright-core, a real trellis server with
// the fixture organisation, and axe-core for accessibility (cockpit's testlib in spirit).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { startServer, fixtureOrg, PASSWORD } from '../support/trellis.js';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export { PASSWORD };
export const org = fixtureOrg();

/** Starts a server with the fixture organisation (one name is HTML-looking on purpose). */
export async function startApp(opts = {}) {
  const csv = org.csv.replace('Sam Sales', '"<b>Sam</b> & ""Sales"""');
  return startServer({ people: csv, users: org.users, ...opts });
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** A fresh context and page; console errors and CSP violations fail the test at the end. */
export async function newPage(browser, base, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ baseURL: base, viewport });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of (401|404|409|412|422)/.test(m.text())) page.problems.push(m.text());
  });
  page.on('pageerror', (e) => page.problems.push(String(e)));
  return page;
}

export async function loginAs(page, email, password = PASSWORD) {
  await page.goto('/#/login');
  await page.getByLabel('Work email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

export async function goto(page, hash) {
  await page.goto('/' + hash);
  await page.locator('main .loading').first().waitFor({ state: 'detached', timeout: 10000 }).catch(() => {});
}

/** Fails on any serious or critical axe-core violation. */
export async function checkA11y(page, assert, label) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => ['serious', 'critical'].includes(v.impact))
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(result, [], `accessibility violations on ${label}`);
}

export function noProblems(page, assert) {
  assert.deepEqual(page.problems, [], 'browser console errors');
}
