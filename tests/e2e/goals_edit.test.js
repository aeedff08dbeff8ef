// Goals the way people keep them (issue #11): a falling metric (latency 800 → 200 ms) and a
// milestone, editing the title and who can see it (saved after a reload), errors beside the
// field in plain words, deleting after a confirmation, a manager proposing a goal that the
// report accepts, only the buttons the server allows, and the company tree folded and searched.
// At 1366 and 390 px with axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, launch, newPage, loginAs, goto, checkA11y, noProblems, org, PASSWORD } from './lib.js';

const shots = process.env.TRELLIS_SHOTS || mkdtempSync(join(tmpdir(), 'trellis-shots-'));
let srv, browser;
before(async () => { srv = await startApp(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.stop(); });

for (const viewport of [{ width: 1366, height: 900 }, { width: 390, height: 844 }]) {
  test(`a falling metric, an edit, a refused save and a confirmed delete at ${viewport.width} px`, async () => {
    const page = await newPage(browser, srv.base, viewport);
    await loginAs(page, org.byKey.peer);
    await goto(page, '#/goals');
    await page.getByRole('button', { name: 'New goal' }).click();
    await page.locator('#goal-title').fill(`Faster search ${viewport.width}`);
    await page.locator('#kr-title-0').fill('p95 latency');
    await page.locator('#kr-dir-0').selectOption('decrease');
    await page.locator('#kr-start-0').fill('800');
    await page.locator('#kr-target-0').fill('200');
    await page.locator('#kr-unit-0').fill('ms');
    await page.getByRole('button', { name: 'Add key result' }).click();
    await page.locator('#kr-title-1').fill('Ship the new index');
    await page.locator('#kr-type-1').selectOption('milestone');
    assert.equal(await page.locator('#kr-target-1').isVisible(), false, 'a milestone has no numbers');
    await checkA11y(page, assert, `new goal form ${viewport.width}`);
    await page.getByRole('button', { name: 'Create goal' }).click();
    await page.getByRole('heading', { name: `Faster search ${viewport.width}`, level: 1 }).waitFor();
    await page.getByText('down 800 → 200 ms, now 800').waitFor();
    // the check-in moves a falling metric forward
    await page.getByLabel('Key result').selectOption({ label: 'p95 latency (now 800 ms)' });
    await page.getByLabel('New value').fill('500');
    await page.getByRole('button', { name: 'Save check-in' }).click();
    await page.getByText('Check-in saved.').waitFor();
    assert.equal(await page.getByRole('progressbar', { name: 'Progress of p95 latency' }).getAttribute('aria-valuenow'), '50');

    // edit: an empty title is refused beside the field, then the title and visibility change
    await page.getByRole('button', { name: 'Edit goal' }).click();
    await page.locator('#goal-title').fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Title cannot be empty').waitFor();
    assert.equal(await page.locator('#goal-title').getAttribute('aria-invalid'), 'true');
    await page.locator('#goal-title').fill(`Search under 200 ms ${viewport.width}`);
    await page.getByLabel('Who can see it').selectOption('managers');
    await page.getByText('You, your managers and HR.').waitFor();
    await checkA11y(page, assert, `edit goal form ${viewport.width}`);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Goal saved.').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: `Search under 200 ms ${viewport.width}`, level: 1 }).waitFor();
    await page.getByText('visible to managers and HR').waitFor();
    await page.getByText('down 800 → 200 ms, now 500').waitFor();

    // someone else edits the goal while the form is open: nothing is overwritten, what was typed
    // stays, and a second Save knowingly saves over their change
    await page.getByRole('button', { name: 'Edit goal' }).click();
    await page.locator('#goal-desc').fill(`My description ${viewport.width}`);
    const id = Number(page.url().match(/goals\/(\d+)/)[1]);
    const other = await srv.login(org.byKey.peer, PASSWORD);
    assert.equal((await other.patch(`/api/v1/goals/${id}`, { description: 'Their description' })).status, 200);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Someone else changed this goal after you opened it').waitFor();
    assert.equal(await page.locator('#goal-desc').inputValue(), `My description ${viewport.width}`, 'what was typed is kept');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Goal saved.').waitFor();
    assert.equal((await other.get(`/api/v1/goals/${id}`)).json.description, `My description ${viewport.width}`);

    // delete: cancel keeps it, confirm removes it
    await page.getByRole('button', { name: 'Delete goal' }).click();
    await page.getByRole('dialog', { name: 'Delete this goal?' }).waitFor();
    await checkA11y(page, assert, `delete confirmation ${viewport.width}`);
    await page.getByRole('button', { name: 'Cancel' }).click();
    assert.ok(await page.getByRole('heading', { name: `Search under 200 ms ${viewport.width}`, level: 1 }).isVisible());
    await page.getByRole('button', { name: 'Delete goal' }).click();
    await page.getByRole('button', { name: 'Delete goal' }).last().click();
    await page.getByText('Goal deleted.').waitFor();
    assert.equal(await page.getByText(`Search under 200 ms ${viewport.width}`).count(), 0);
    noProblems(page, assert);
  });
}

test('a manager proposes a goal to a report, who accepts it; a peer gets no edit buttons', async () => {
  const mgr = await newPage(browser, srv.base);
  await loginAs(mgr, org.byKey.manager);
  await goto(mgr, '#/goals');
  await mgr.getByRole('button', { name: 'New goal' }).click();
  await mgr.getByLabel('For').selectOption({ label: 'Zoë Ōtsuka (propose to them)' });
  await mgr.locator('#goal-title').fill('Mentor the new hire');
  await mgr.locator('#kr-title-0').fill('Weekly pairing sessions');
  await mgr.locator('#kr-target-0').fill('12');
  await mgr.getByRole('button', { name: 'Create goal' }).click();
  await mgr.getByRole('heading', { name: 'Mentor the new hire', level: 1 }).waitFor();
  await mgr.getByText('Proposed: waiting for the owner to accept it.').waitFor();
  const url = mgr.url();

  const me = await newPage(browser, srv.base);
  await loginAs(me, org.byKey.self);
  await me.goto(url.replace(/^.*#/, '/#'));
  await me.getByText('Your manager proposed this goal').waitFor();
  await checkA11y(me, assert, 'proposed goal');
  await me.getByRole('button', { name: 'Accept goal' }).click();
  await me.getByText('You accepted the goal.').waitFor();
  assert.equal(await me.getByRole('button', { name: 'Accept goal' }).count(), 0);

  const peer = await newPage(browser, srv.base);
  await loginAs(peer, org.byKey.other);
  await peer.goto(url.replace(/^.*#/, '/#'));
  await peer.getByRole('heading', { name: 'Mentor the new hire', level: 1 }).waitFor();
  assert.equal(await peer.getByRole('button', { name: 'Edit goal' }).count(), 0, 'no edit form for someone the server refuses');
  assert.equal(await peer.getByRole('button', { name: 'Delete goal' }).count(), 0);
  assert.equal(await peer.getByRole('button', { name: 'Save check-in' }).count(), 0);
  for (const p of [mgr, me, peer]) noProblems(p, assert);
});

test('a report declines a proposed goal with a reason, after a confirmation; the manager is told why', async () => {
  const mgr = await newPage(browser, srv.base, { width: 390, height: 844 });
  await loginAs(mgr, org.byKey.manager);
  await goto(mgr, '#/goals');
  await mgr.getByRole('button', { name: 'New goal' }).click();
  await mgr.getByLabel('For').selectOption({ label: 'Zoë Ōtsuka (propose to them)' });
  await mgr.locator('#goal-title').fill('Rewrite the billing service');
  await mgr.locator('#kr-title-0').fill('Services moved');
  await mgr.locator('#kr-target-0').fill('4');
  await mgr.getByRole('button', { name: 'Create goal' }).click();
  await mgr.getByRole('heading', { name: 'Rewrite the billing service', level: 1 }).waitFor();
  const url = mgr.url().replace(/^.*#/, '/#');

  const me = await newPage(browser, srv.base, { width: 390, height: 844 });
  await loginAs(me, org.byKey.self);
  await me.goto(url);
  await me.getByRole('button', { name: 'Decline…' }).click();
  await me.getByRole('button', { name: 'Decline goal' }).click();
  await me.locator('.field-error').filter({ hasText: /say why/ }).first().waitFor();
  await me.getByLabel(/^Why\?/).fill('The migration team owns billing this half.');
  await me.getByRole('button', { name: 'Decline goal' }).click();
  await me.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await me.getByLabel(/^Why\?/).inputValue(), 'The migration team owns billing this half.', 'cancel keeps what was typed');
  await me.getByRole('button', { name: 'Decline goal' }).click();
  await me.getByRole('dialog').getByRole('button', { name: 'Decline goal' }).click();
  await me.getByText('You declined the goal; the person who proposed it is told.').waitFor();
  await me.getByText('Declined: The migration team owns billing this half.').waitFor();
  assert.equal(await me.getByRole('button', { name: 'Accept goal' }).count(), 0, 'nothing left to answer');
  assert.equal(await me.getByRole('button', { name: 'Decline…' }).count(), 0);
  await checkA11y(me, assert, 'declined goal 390');

  await goto(mgr, '#/notifications');
  await mgr.getByText(/declined the goal you proposed: Rewrite the billing service\. Their reason: The migration team owns billing this half\./).waitFor();
  for (const p of [mgr, me]) noProblems(p, assert);
});

test('the company tree folds aligned goals and finds a goal by title or owner', async () => {
  const hr = await newPage(browser, srv.base);
  await loginAs(hr, org.byKey.hr);
  await goto(hr, '#/goals');
  await hr.getByRole('button', { name: 'New goal' }).click();
  await hr.locator('#goal-level').selectOption('company');
  await hr.locator('#goal-title').fill('Grow revenue 30%');
  await hr.getByRole('button', { name: 'Create goal' }).click();
  await hr.getByRole('heading', { name: 'Grow revenue 30%', level: 1 }).waitFor();
  const company = Number(hr.url().split('/').pop());
  const mgr = srv.token(org.byKey.manager);
  const year = new Date().getFullYear();
  const team = await mgr.post('/api/v1/goals', { title: 'Platform reliability', level: 'team', parent_id: company, start_date: `${year}-01-01`, due_date: `${year}-12-31` });
  assert.equal(team.status, 201, team.text);
  const self = srv.token(org.byKey.self);
  assert.equal((await self.post('/api/v1/goals', { title: 'On-call runbooks', parent_id: team.json.id, start_date: `${year}-01-01`, due_date: `${year}-12-31` })).status, 201);

  const page = await newPage(browser, srv.base, { width: 390, height: 844 });
  await loginAs(page, org.byKey.peer);
  await goto(page, '#/goals?tab=company');
  await page.getByText('Grow revenue 30%').waitFor();
  await page.getByText('Platform reliability').waitFor();
  assert.equal(await page.getByText('On-call runbooks').count(), 0, 'the tree stops two levels down: deeper goals load when opened');
  await page.getByRole('button', { name: 'Show 1 aligned goal' }).click();
  await page.getByText('On-call runbooks').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Show 1 aligned goal' }).count(), 0, 'the button now folds them');
  await page.getByLabel('Find in the goals shown').fill('runbooks');
  await page.getByText('1 matching goal among those shown').waitFor();
  assert.ok(await page.getByText('On-call runbooks').isVisible(), 'the match and its parents open');
  await checkA11y(page, assert, 'company tree search');
  await page.getByLabel('Find in the goals shown').fill('nothing like this');
  await page.getByText('0 matching goals among those shown').waitFor();
  assert.equal(await page.getByText('Grow revenue 30%').isVisible(), false);

  // one department's tree starts at its own team goals
  await page.getByLabel('Goals of').selectOption({ label: 'Engineering' });
  await page.waitForURL(/department=/);
  await page.getByText('Platform reliability').waitFor();
  assert.equal(await page.getByText('Grow revenue 30%').count(), 0, 'the company goal above it is not part of the department tree');
  assert.ok(await page.getByText('On-call runbooks').isVisible(), 'what aligns to a top goal shows opened');
  await page.screenshot({ path: `${shots}/goals-department-390.png`, fullPage: true });
  noProblems(page, assert);
});

test('a long tree shows its first goals and the next ones on request', async () => {
  const hr = srv.token(org.byKey.hr);
  const year = new Date().getFullYear();
  for (let i = 1; i <= 51; i++) {
    const r = await hr.post('/api/v1/goals', { title: `Quarterly priority ${String(i).padStart(2, '0')}`, level: 'company', start_date: `${year}-01-01`, due_date: `${year}-12-31` });
    assert.equal(r.status, 201, r.text);
  }
  const page = await newPage(browser, srv.base, { width: 1366, height: 900 });
  await loginAs(page, org.byKey.peer);
  await goto(page, '#/goals?tab=company');
  await page.getByText('Quarterly priority 01').waitFor();
  assert.equal(await page.getByText('Quarterly priority 51').count(), 0, 'fifty goals to a page');
  await page.getByRole('button', { name: 'Show more goals' }).click();
  await page.getByText('Quarterly priority 51').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Show more goals' }).count(), 0, 'no button after the last page');
  assert.equal(await page.getByText('Quarterly priority 01').count(), 1, 'the first page stays, once');
  await page.screenshot({ path: `${shots}/goals-company-1366.png`, fullPage: false });
  noProblems(page, assert);
});
