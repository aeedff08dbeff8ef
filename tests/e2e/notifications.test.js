// The notification centre and the calendar address in the browser: a reminder created by the
// scheduler shows up and is marked read; the private calendar address is handed out once and
// serves an iCalendar feed; HR reads cadence health.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, launch, newPage, loginAs, goto, checkA11y, noProblems, org, PASSWORD } from './lib.js';

let srv, browser;
before(async () => {
  srv = await startApp({ env: { TRELLIS_SCHEDULER_INTERVAL: '1' } });
  browser = await launch();
  // a one-on-one within a day with an empty agenda: the scheduler reminds both sides
  const mgr = await srv.login(org.byKey.manager, PASSWORD);
  const ids = Object.fromEntries((await mgr.get('/api/v1/people?limit=200')).json.items.map((p) => [p.email, p.id]));
  const t = new Date(Date.now() + 86400000);
  const hh = String(Math.max(0, new Date().getUTCHours() - 1)).padStart(2, '0');
  const wd = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'][t.getUTCDay()];
  const r = await mgr.post('/api/v1/one-on-ones', { with: ids[org.byKey.self], weekday: wd, first_date: t.toISOString().slice(0, 10), time: `${hh}:00`, timezone: 'UTC' });
  assert.equal(r.status, 201, r.text);
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('a reminder in the notification centre; the calendar address; cadence health', async () => {
  const me = await newPage(browser, srv.base);
  await loginAs(me, org.byKey.self);
  // the scheduler's first pass may come after the first load: reload until it has run (going
  // to the same address again changes nothing in the page)
  await goto(me, '#/one-on-ones?tab=notifications');
  for (let i = 0; i < 40 && !(await me.getByText(/agenda is empty/).count()); i++) {
    await new Promise((res) => setTimeout(res, 500));
    await me.reload();
    await me.locator('main .loading').first().waitFor({ state: 'detached', timeout: 10000 }).catch(() => {});
  }
  await me.getByText(/starts within a day and its agenda is empty/).waitFor();
  await checkA11y(me, assert, 'notifications');
  await me.getByRole('button', { name: 'Mark read' }).first().click();
  await me.getByText(/· read/).first().waitFor();

  await goto(me, '#/one-on-ones');
  await me.getByRole('button', { name: 'Get my calendar address' }).click();
  const text = await me.getByText(/Your private calendar address/).textContent();
  const url = text.match(/(https?:\/\/\S+\.ics)/)[1];
  const feed = await (await fetch(url)).text();
  assert.match(feed, /BEGIN:VCALENDAR/);
  assert.match(feed, /RRULE:FREQ=WEEKLY;INTERVAL=4/);
  await me.getByRole('button', { name: 'Revoke it' }).click();
  await me.getByText('The calendar address no longer works.').waitFor();
  assert.equal((await fetch(url)).status, 404);

  const hr = await newPage(browser, srv.base);
  await loginAs(hr, org.byKey.hr);
  await goto(hr, '#/one-on-ones?tab=health');
  await hr.getByRole('heading', { name: 'Cadence health' }).waitFor();
  await hr.getByRole('rowheader', { name: 'Mia Manager' }).waitFor();
  await checkA11y(hr, assert, 'cadence health');
  noProblems(me, assert);
  noProblems(hr, assert);
});
