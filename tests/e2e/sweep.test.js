// Every page as each demo persona would see it (issues #11 and #12), on the demo organisation
// (`trellis demo`: realistic goals, reviews, one-on-ones, feedback, careers): Sofia (employee),
// Marcus (her manager), Priya (HR) and Helena (admin) open each page of the navigation at
// 1366 px and at 390 px. Each page must show its heading (never the error state or "Page not
// found"), fit the screen width, pass axe-core (no serious or critical violation) and log no
// console error. Pages a persona may not use must say so in words, not break. Screenshots of
// every page go to TRELLIS_SHOTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, newPage, loginAs, checkA11y, noProblems, goto } from './lib.js';
import { startServer, freshDb, cli } from '../support/trellis.js';

const shots = process.env.TRELLIS_SHOTS || mkdtempSync(join(tmpdir(), 'trellis-shots-'));
const DEMO_PASSWORD = 'trellis-demo';
const PERSONAS = {
  sofia: 'sofia.alvarez@northwind.example',
  marcus: 'marcus.webb@northwind.example',
  priya: 'priya.raman@northwind.example',
  helena: 'helena.marsh@northwind.example',
};
const COMMON = ['#/', '#/people', '#/org', '#/goals', '#/journal', '#/feedback', '#/reviews', '#/development', '#/one-on-ones', '#/notifications', '#/account'];
const PAGES = {
  sofia: COMMON,
  marcus: COMMON,
  priya: [...COMMON, '#/analytics', '#/audit', '#/templates', '#/cycles/new'],
  helena: [...COMMON, '#/audit', '#/admin', '#/admin/people', '#/admin/organisation', '#/admin/email', '#/admin/sso', '#/integrations', '#/integrations/webhooks'],
};
let srv, browser;

before(async () => {
  const db = freshDb();
  const r = cli(['demo', '--db', db.url, '--key-file', db.key]);
  if (r.status !== 0) throw new Error(`demo: ${r.stderr}`);
  srv = await startServer({ db });
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

for (const [who, email] of Object.entries(PERSONAS)) {
  for (const width of [1366, 390]) {
    test(`${who} at ${width} px: every page shows its heading, fits, passes axe and logs no error`, async () => {
      const page = await newPage(browser, srv.base, { width, height: width > 600 ? 900 : 844 });
      await loginAs(page, email, DEMO_PASSWORD);
      const problems = [];
      const seen = new Set();
      const visit = [...PAGES[who]];
      // and the first detail page each list links to (a goal, a review, a profile, a meeting…)
      const DETAIL = /^#\/(goals|reviews|people|one-on-ones|one-on-ones\/meetings|admin\/accounts|cycles)\/\d+(\/calibration)?$/;
      for (let i = 0; i < visit.length; i++) {
        const hash = visit[i];
        if (seen.has(hash)) continue;
        seen.add(hash);
        await goto(page, hash);
        const h1 = page.locator('main h1').first();
        await h1.waitFor({ timeout: 10000 });
        const title = (await h1.textContent()).trim();
        if (/^(Page not found|Something went wrong)/.test(title)) problems.push(`${hash}: "${title}"`);
        const errorState = await page.locator('main .state-error').count();
        if (errorState) problems.push(`${hash}: an error state: ${(await page.locator('main .state-error').first().textContent()).slice(0, 160)}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (overflow > 0) problems.push(`${hash}: ${overflow} px wider than the screen`);
        await checkA11y(page, assert, `${who} ${hash} ${width}`);
        const name = hash.replace(/^#\/?/, '').replace(/\//g, '-') || 'home';
        await page.screenshot({ path: `${shots}/sweep-${who}-${name}-${width}.png`, fullPage: true });
        if (!DETAIL.test(hash)) {
          const links = await page.locator('main a[href^="#/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
          for (const l of links) {
            const kind = l.replace(/\d+.*$/, '');
            if (DETAIL.test(l) && ![...seen, ...visit].some((v) => DETAIL.test(v) && v.replace(/\d+.*$/, '') === kind)) visit.push(l);
          }
        }
      }
      assert.ok(seen.size > PAGES[who].length, `detail pages were visited too: ${[...seen].filter((h) => DETAIL.test(h)).join(' ')}`);
      assert.deepEqual(problems, [], `${who} at ${width} px`);
      noProblems(page, assert);
      await page.context().close();
    });
  }
}
