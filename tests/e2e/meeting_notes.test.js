// The meeting page keeps what people type: shared and private notes save themselves (debounced
// and on blur) with a visible state, survive adding talking points and action items and marking
// one done, show "Not saved" with a retry when the server cannot be reached, and leaving the page
// with a save pending asks first. Part 2 lists the member's development plan actions, and the
// member adds one from the meeting. Screenshots at 1366 and 390 px go to TRELLIS_SHOTS (a
// temporary directory by default).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, launch, newPage, loginAs, goto, checkA11y, noProblems, org, PASSWORD } from './lib.js';

const shots = process.env.TRELLIS_SHOTS || mkdtempSync(join(tmpdir(), 'trellis-shots-'));
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const dayOf = (offset) => new Date(Date.now() + offset * 86400000);
const iso = (d) => d.toISOString().slice(0, 10);
let srv, browser, meeting;

before(async () => {
  srv = await startApp();
  browser = await launch();
  const hr = await srv.login(org.byKey.hr, PASSWORD);
  const people = (await hr.get('/api/v1/people?limit=50')).json.items;
  const id = (email) => people.find((p) => p.email === email).id;
  const mgr = await srv.login(org.byKey.manager, PASSWORD);
  const first = dayOf(5);
  const s = await mgr.post('/api/v1/one-on-ones', { with: id(org.byKey.self), weekday: WEEKDAYS[first.getUTCDay()], first_date: iso(first), time: '10:00', timezone: 'UTC' });
  assert.equal(s.status, 201, s.text);
  meeting = `#/one-on-ones/meetings/${s.json.next_meeting.id}`;
  // Zoë's plan: one action due before the next meeting, one open, one done lately
  const me = await srv.login(org.byKey.self, PASSWORD);
  const selfId = id(org.byKey.self);
  assert.equal((await me.put(`/api/v1/people/${selfId}/idp`, { short_term: 'Own the search service', strengths: 'Calm under pressure' })).status, 200);
  const add = async (b) => (await me.post(`/api/v1/people/${selfId}/idp/actions`, b)).json;
  await add({ kind: 'certification', title: 'Postgres certification', due_date: iso(dayOf(12)), success_measure: 'Pass the exam', support_needed: 'The exam fee' });
  await add({ kind: 'reading', title: 'Read Designing Data-Intensive Applications' });
  const done = await add({ kind: 'course', title: 'SQL tuning course' });
  assert.equal((await me.patch(`/api/v1/idp-actions/${done.id}`, { status: 'done' })).status, 200);
});
after(async () => { await browser?.close(); await srv?.stop(); });

const SHARED = 'Zoë leads the Q1 indexing project. We talk again about the budget.';
const PRIVATE = 'Check in on workload next time';

test('typed notes survive every other action and save themselves', async () => {
  const mgr = await newPage(browser, srv.base, { width: 1366, height: 900 });
  await loginAs(mgr, org.byKey.manager);
  await goto(mgr, meeting);
  await mgr.getByRole('heading', { name: 'One-on-one with Zoë Ōtsuka' }).waitFor();
  const shared = mgr.getByLabel(/^Shared notes/);
  const mine = mgr.getByLabel('My private notes (only you can ever read them)');
  const state = mgr.locator('#notes-state');

  // type, then straight away add a point, an action item, and mark it done
  await shared.pressSequentially(SHARED.slice(0, 20));
  await shared.pressSequentially(SHARED.slice(20), { delay: 5 });
  await mine.fill(PRIVATE);
  await mgr.getByLabel('New talking point').fill('Budget for the offsite');
  await mgr.getByRole('button', { name: 'Add point' }).click();
  await mgr.getByText('Budget for the offsite', { exact: true }).waitFor();
  assert.equal(await shared.inputValue(), SHARED, 'the shared notes are still there after adding a point');
  assert.equal(await mine.inputValue(), PRIVATE);
  assert.equal(await mgr.getByLabel('New talking point').inputValue(), '', 'the point form is ready for the next one');
  await mgr.getByLabel('Action').fill('Book the offsite venue');
  await mgr.getByLabel('Owner').selectOption({ label: 'Mia Manager' });
  await mgr.getByRole('button', { name: 'Add action item' }).click();
  await mgr.getByRole('button', { name: 'Done: Book the offsite venue' }).click();
  await mgr.getByRole('button', { name: 'Done: Book the offsite venue' }).waitFor({ state: 'detached' });
  await mgr.getByRole('button', { name: 'Discussed: Budget for the offsite' }).click();
  await mgr.getByRole('button', { name: 'Discussed: Budget for the offsite' }).waitFor({ state: 'detached' });
  assert.equal(await shared.inputValue(), SHARED, 'the shared notes are still there after the actions');
  assert.equal(await mine.inputValue(), PRIVATE);

  // typing again: the state says so, and after the pause it is saved
  await shared.focus();
  await shared.press('End');
  await shared.pressSequentially(' Done.');
  await state.getByText('Saving…').waitFor();
  await state.getByText('Saved', { exact: true }).waitFor();
  assert.equal(await shared.evaluate((t) => document.activeElement === t), true, 'the cursor stays in the notes');
  await mgr.reload();
  await mgr.getByRole('heading', { name: 'One-on-one with Zoë Ōtsuka' }).waitFor();
  assert.equal(await shared.inputValue(), `${SHARED} Done.`);
  assert.equal(await mine.inputValue(), PRIVATE);

  // part 2: the plan's actions, for the manager to read; the form is the member's
  const dev = mgr.locator('section.agenda-section', { has: mgr.getByRole('heading', { name: '2. Development plan' }) });
  await dev.getByText('Postgres certification', { exact: true }).waitFor();
  await dev.getByText('Read Designing Data-Intensive Applications', { exact: true }).waitFor();
  await dev.getByText('SQL tuning course', { exact: true }).waitFor();
  assert.equal(await dev.getByText('The exam fee').count(), 0, 'the plan beyond its actions is not shown');
  assert.equal(await mgr.getByRole('button', { name: 'Add to my plan' }).count(), 0, 'only the member adds to their plan');

  // the server cannot be reached: the text stays, the state says why, a retry saves it
  await mgr.route('**/api/v1/one-on-ones/meetings/*', (route) => (route.request().method() === 'PATCH' ? route.abort() : route.continue()));
  await shared.pressSequentially(' Offline line.');
  await state.getByText(/^Not saved: Cannot reach the server/).waitFor();
  assert.equal(await shared.inputValue(), `${SHARED} Done. Offline line.`);
  const dialog = mgr.waitForEvent('dialog');
  await mgr.close({ runBeforeUnload: true });
  const d = await dialog;
  assert.equal(d.type(), 'beforeunload', 'leaving with unsaved notes asks first');
  await d.dismiss();
  await mgr.unroute('**/api/v1/one-on-ones/meetings/*');
  mgr.problems = mgr.problems.filter((p) => !/net::ERR_FAILED/.test(p)); // the refused request, on purpose
  await mgr.getByRole('button', { name: 'Retry' }).click();
  await state.getByText('Saved', { exact: true }).waitFor();
  assert.equal(await mgr.getByRole('button', { name: 'Retry' }).isVisible(), false);
  for (const width of [1366, 390]) {
    await mgr.setViewportSize({ width, height: 900 });
    await checkA11y(mgr, assert, `meeting at ${width} px`);
    await mgr.screenshot({ path: `${shots}/meeting-manager-${width}.png`, fullPage: true });
    assert.ok(await mgr.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), `no sideways scroll at ${width} px`);
  }
  await mgr.reload();
  await mgr.getByRole('heading', { name: 'One-on-one with Zoë Ōtsuka' }).waitFor();
  assert.equal(await shared.inputValue(), `${SHARED} Done. Offline line.`);
  noProblems(mgr, assert);
  await mgr.close();
});

test('the member adds an IDP action from the meeting; their notes stay', async () => {
  const me = await newPage(browser, srv.base, { width: 390, height: 844 });
  await loginAs(me, org.byKey.self);
  await goto(me, meeting);
  await me.getByRole('heading', { name: 'One-on-one with Mia Manager' }).waitFor();
  const dev = me.locator('section.agenda-section', { has: me.getByRole('heading', { name: '2. Development plan' }) });
  await dev.getByText('Postgres certification', { exact: true }).waitFor();
  assert.equal(await me.getByLabel(/^Shared notes/).inputValue(), `${SHARED} Done. Offline line.`, 'the other side\'s shared notes');
  assert.equal(await me.getByLabel('My private notes (only you can ever read them)').inputValue(), '', 'never the other side\'s private note');
  await me.getByLabel('My private notes (only you can ever read them)').fill('Ask about the staff path');
  await me.getByLabel('Plan item').fill('Pair with a staff engineer weekly');
  await me.getByLabel('Kind').selectOption('mentorship');
  await me.getByLabel('Target date').fill(iso(dayOf(20)));
  await me.getByRole('button', { name: 'Add to my plan' }).click();
  await me.getByText('Added to your development plan: Pair with a staff engineer weekly').waitFor();
  await dev.locator('li', { hasText: 'Pair with a staff engineer weekly' }).getByText(/mentorship · due/).waitFor();
  assert.equal(await me.getByLabel('Plan item').inputValue(), '');
  assert.equal(await me.getByLabel('My private notes (only you can ever read them)').inputValue(), 'Ask about the staff path');
  // an empty title is not sent
  await me.getByRole('button', { name: 'Add to my plan' }).click();
  assert.equal(await me.getByText('Pair with a staff engineer weekly', { exact: true }).count(), 1);
  await me.locator('#notes-state').getByText('Saved', { exact: true }).waitFor();
  for (const width of [390, 1366]) {
    await me.setViewportSize({ width, height: 900 });
    await checkA11y(me, assert, `meeting (member) at ${width} px`);
    await me.screenshot({ path: `${shots}/meeting-member-${width}.png`, fullPage: true });
    assert.ok(await me.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), `no sideways scroll at ${width} px`);
  }
  await me.reload();
  await dev.getByText('Pair with a staff engineer weekly', { exact: true }).waitFor();
  assert.equal(await me.getByLabel('My private notes (only you can ever read them)').inputValue(), 'Ask about the staff path');
  noProblems(me, assert);
});
