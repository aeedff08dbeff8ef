// Home as the task inbox: an employee sees her self-review and follows it to the review page,
// someone with nothing to do is told so, a manager sees their team's status (cards on a phone),
// and the bell in the top bar counts unread notifications until the list is opened.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { startApp, launch, newPage, loginAs, goto, checkA11y, noProblems, org, PASSWORD } from './lib.js';

const shots = process.env.TRELLIS_SHOTS || '/tmp/trellis-shots';
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
let srv, browser;
before(async () => {
  mkdirSync(shots, { recursive: true });
  srv = await startApp({ env: { TRELLIS_SCHEDULER_INTERVAL: '1' } });
  browser = await launch();
  const hr = await srv.login(org.byKey.hr, PASSWORD);
  const eng = (await hr.get('/api/v1/departments')).json.items.find((d) => d.name === 'Engineering');
  const t = async (name, kind, questions) => (await hr.post('/api/v1/review-templates', { name, kind, questions })).json.id;
  const self = await t('Self', 'self', [{ id: 'overall', type: 'rating', text: 'How was your half?' }]);
  const mgr = await t('Manager', 'manager', [{ id: 'overall', type: 'rating', text: 'Overall rating' }]);
  const c = await hr.post('/api/v1/review-cycles', { name: 'H2 2026 reviews', period_start: '2026-07-01', period_end: '2026-12-31', self_template_id: self, manager_template_id: mgr, peers_per_person: 0, department_id: eng.id, deadlines: { self: '2099-01-15', manager: '2099-01-29' } });
  assert.equal(c.status, 201, c.text);
  assert.equal((await hr.post(`/api/v1/review-cycles/${c.json.id}/launch`, {})).status, 200);
  // a one-on-one within a day with an empty agenda: the scheduler notifies both sides
  const m = await srv.login(org.byKey.manager, PASSWORD);
  const ids = Object.fromEntries((await m.get('/api/v1/people?limit=200')).json.items.map((p) => [p.email, p.id]));
  const d = new Date(Date.now() + 86400000);
  const hh = String(Math.max(0, new Date().getUTCHours() - 1)).padStart(2, '0');
  const s = await m.post('/api/v1/one-on-ones', { with: ids[org.byKey.self], weekday: WEEKDAYS[d.getUTCDay()], first_date: d.toISOString().slice(0, 10), time: `${hh}:00`, timezone: 'UTC' });
  assert.equal(s.status, 201, s.text);
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('an employee sees her self-review on Home and follows it to the review', async () => {
  for (const [width, height] of [[1366, 900], [390, 844]]) {
    const me = await newPage(browser, srv.base, { width, height });
    await loginAs(me, org.byKey.self);
    await goto(me, '#/');
    const reviews = me.getByRole('region', { name: /Reviews/ });
    const task = reviews.getByRole('link', { name: /Write your self-review/ });
    await task.waitFor();
    assert.match(await task.textContent(), /H2 2026 reviews/);
    assert.match(await task.textContent(), /Due Jan 15, 2099/);
    await me.getByRole('region', { name: /One-on-ones/ }).getByRole('link', { name: /One-on-one with Mia Manager/ }).waitFor();
    // Zoë manages Rex: her team block shows him, and only him
    const team = me.getByRole('table', { name: 'Status of your direct reports' });
    assert.deepEqual(await team.getByRole('rowheader').locator('.task-title').allTextContents(), ['Rex Report']);
    assert.ok(await me.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `no sideways scroll at ${width}`);
    await me.screenshot({ path: `${shots}/home-employee-${width}.png`, fullPage: true });
    await checkA11y(me, assert, `home at ${width}`);
    if (width === 1366) {
      await task.click();
      await me.getByText('How was your half?').waitFor();
      assert.match(me.url(), /#\/reviews\/\d+$/);
    }
    noProblems(me, assert);
    await me.context().close();
  }
});

test('with nothing to do, Home says so', async () => {
  const page = await newPage(browser, srv.base);
  await loginAs(page, org.byKey.other);
  await goto(page, '#/');
  await page.getByRole('heading', { name: 'Nothing needs you right now' }).waitFor();
  assert.equal(await page.getByRole('table').count(), 0, 'no team block without reports');
  noProblems(page, assert);
});

test('a manager sees the status of each direct report', async () => {
  for (const [width, height] of [[1366, 900], [390, 844]]) {
    const page = await newPage(browser, srv.base, { width, height });
    await loginAs(page, org.byKey.manager);
    await goto(page, '#/');
    await page.getByRole('heading', { name: 'Your team (2)' }).waitFor();
    const team = page.getByRole('table', { name: 'Status of your direct reports' });
    const rows = team.locator('tbody tr');
    assert.deepEqual(await team.getByRole('rowheader').locator('.task-title').allTextContents(), ['Pat Peer', 'Zoë Ōtsuka'], 'not Rex, who reports to Zoë');
    const zoe = rows.filter({ hasText: 'Zoë Ōtsuka' });
    assert.match(await zoe.textContent(), /Self: not started · Manager: not started/);
    assert.match(await zoe.textContent(), /No plan/);
    await zoe.getByRole('link', { name: /\w{3} \d+, \d{4}/ }).waitFor(); // the next one-on-one
    await page.getByRole('link', { name: /Write the manager review of Zoë Ōtsuka/ }).waitFor();
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `no sideways scroll at ${width}`);
    await page.screenshot({ path: `${shots}/home-manager-${width}.png`, fullPage: true });
    await checkA11y(page, assert, `manager home at ${width}`);
    noProblems(page, assert);
    await page.context().close();
  }
});

test('the bell counts unread notifications and clears when the list is opened', async () => {
  const page = await newPage(browser, srv.base);
  await loginAs(page, org.byKey.self);
  const bell = page.getByRole('link', { name: /^Notifications/ });
  // the scheduler's first pass writes its reminders in several commits: wait until it has ended,
  // or one written after the list was opened keeps the bell lit
  for (let i = 0; i < 120; i++) {
    const metrics = await (await fetch(`${srv.base}/metrics`)).text();
    if (/^trellis_scheduler_passes_total [1-9]/m.test(metrics)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  // reload until the page shows what the pass wrote (the same address again changes nothing)
  await goto(page, '#/');
  for (let i = 0; i < 40 && !/unread/.test(await bell.getAttribute('aria-label')); i++) {
    await new Promise((r) => setTimeout(r, 500));
    await page.reload();
    await page.locator('main .loading').first().waitFor({ state: 'detached', timeout: 10000 }).catch(() => {});
  }
  const unread = (await bell.getAttribute('aria-label')).match(/^Notifications, (\d+) unread$/)[1];
  assert.equal(await page.locator('.bell-count').textContent(), unread);
  await bell.click();
  await page.getByRole('heading', { name: 'Notifications' }).waitFor();
  const item = page.getByRole('listitem').filter({ hasText: /agenda is empty/ });
  await item.getByText('New').waitFor();
  assert.equal(String(await page.getByText('New', { exact: true }).count()), unread, 'what was unread is marked new');
  await page.waitForFunction(() => document.querySelector('.bell-count').hidden);
  assert.equal(await bell.getAttribute('aria-label'), 'Notifications');
  await checkA11y(page, assert, 'notification list');
  await goto(page, '#/');
  await page.getByRole('link', { name: /Write your self-review/ }).waitFor();
  assert.equal(await bell.getAttribute('aria-label'), 'Notifications', 'still read after a reload');
  noProblems(page, assert);
});
