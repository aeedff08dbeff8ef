// HR follows a review cycle in the browser (issue #12): the progress by kind with bars, by
// department and by manager, the overdue list, a reminder to those behind after a confirmation
// with the count, and the release: a confirmation with the number of outcomes, then the guard's
// counts and an override that needs a reason. A manager is offered none of it. At 1366 and
// 390 px with axe-core; screenshots go to TRELLIS_SHOTS (a temporary directory by default).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, launch, newPage, loginAs, goto, checkA11y, noProblems, org, PASSWORD } from './lib.js';

const shots = process.env.TRELLIS_SHOTS || mkdtempSync(join(tmpdir(), 'trellis-shots-'));
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
let srv, browser, hrApi;
const tpl = {};

before(async () => {
  srv = await startApp();
  browser = await launch();
  hrApi = await srv.login(org.byKey.hr, PASSWORD);
  const t = async (name, kind, questions) => (await hrApi.post('/api/v1/review-templates', { name, kind, questions })).json.id;
  tpl.self = await t('Self', 'self', [{ id: 'overall', type: 'rating', text: 'How was your year?' }]);
  tpl.manager = await t('Manager', 'manager', [{ id: 'overall', type: 'rating', text: 'Overall rating' }, { id: 'summary', type: 'text', text: 'Summary' }]);
});
after(async () => { await browser?.close(); await srv?.stop(); });

/* A launched cycle whose self-reviews are overdue; Mia has written Zoë's manager review. */
async function cycle(name) {
  const c = await hrApi.post('/api/v1/review-cycles', { name, period_start: '2026-01-01', period_end: '2026-12-31', self_template_id: tpl.self, manager_template_id: tpl.manager, peers_per_person: 0, deadlines: { self: day(-1), manager: day(14) } });
  assert.equal(c.status, 201, c.text);
  assert.equal((await hrApi.post(`/api/v1/review-cycles/${c.json.id}/launch`, {})).status, 200);
  const mia = await srv.login(org.byKey.manager, PASSWORD);
  const r = (await mia.get(`/api/v1/reviews?cycle=${c.json.id}`)).json.items.find((x) => x.kind === 'manager' && x.reviewee.name === 'Zoë Ōtsuka');
  assert.equal((await mia.post(`/api/v1/reviews/${r.id}/submit`, { answers: { overall: 4, summary: 'Search v2 shipped.' } })).status, 200);
  return c.json.id;
}

for (const viewport of [{ width: 1366, height: 900 }, { width: 390, height: 844 }]) {
  test(`HR sees the progress, reminds, and releases with a reason at ${viewport.width} px`, async () => {
    const name = `Year end ${viewport.width}`;
    const id = await cycle(name);
    const hr = await newPage(browser, srv.base, viewport);
    await loginAs(hr, org.byKey.hr);
    await goto(hr, '#/reviews?tab=cycles');
    await hr.getByRole('link', { name }).click();
    await hr.getByRole('heading', { name, level: 2 }).waitFor();

    // counts by kind with bars, by department, by manager, the overdue list
    await hr.getByText('1 of 8 submitted').waitFor();
    assert.ok(await hr.getByText('0 of 9 submitted').isVisible(), 'no self-review yet');
    assert.match(await hr.getByRole('img', { name: /^Manager reviews:/ }).getAttribute('aria-label'), /1 submitted, 0 in progress, 7 not started/);
    const byDept = hr.locator('section', { has: hr.getByRole('heading', { name: 'By department' }) });
    assert.equal(await byDept.getByRole('row', { name: /Engineering/ }).getByRole('cell').nth(1).textContent(), '1 / 5');
    const byMgr = hr.locator('section', { has: hr.getByRole('heading', { name: 'By manager' }) });
    assert.equal(await byMgr.getByRole('row', { name: /Mia Manager/ }).getByRole('cell').nth(1).textContent(), '1 / 2');
    await hr.getByRole('heading', { name: 'Overdue (9)' }).waitFor();
    const overdue = hr.locator('section', { has: hr.getByRole('heading', { name: 'Overdue (9)' }) });
    assert.match(await overdue.getByRole('listitem').filter({ hasText: 'Pat Peer' }).textContent(), /Pat Peer: self-review.*due .*not started/);
    assert.ok(await hr.getByText('7 manager reviews not submitted').isVisible(), 'not ready to release, in words');
    await checkA11y(hr, assert, `cycle progress ${viewport.width}`);
    await hr.screenshot({ path: `${shots}/cycle-progress-${viewport.width}.png`, fullPage: true });

    // remind: the confirmation states how many; a second reminder within the hour sends none
    await hr.getByRole('button', { name: 'Remind those behind' }).click();
    const dlg = hr.getByRole('dialog', { name: 'Send reminders?' });
    assert.match(await dlg.textContent(), /9 reviewers with unsubmitted reviews will get a reminder/);
    await dlg.getByRole('button', { name: 'Remind 9 reviewers' }).click();
    await hr.getByText('9 reviewers reminded.').waitFor();
    await hr.getByRole('button', { name: 'Remind those behind' }).click();
    await hr.getByText(/Everyone behind was reminded within the last hour/).waitFor();

    // release: how many go out, then the guard's counts and the override with a reason
    await hr.getByRole('button', { name: 'Release outcomes' }).click();
    const confirm = hr.getByRole('dialog', { name: 'Release outcomes?' });
    assert.match(await confirm.textContent(), /9 outcomes will be released to employees/);
    await confirm.getByRole('button', { name: 'Release 9 outcomes' }).click();
    const guard = hr.getByRole('dialog', { name: 'This cycle is not complete' });
    await guard.waitFor();
    assert.match(await guard.textContent(), /7 manager reviews not submitted/);
    assert.match(await guard.textContent(), /8 outcomes without a rating yet/);
    await checkA11y(hr, assert, `release guard ${viewport.width}`);
    await hr.screenshot({ path: `${shots}/release-guard-${viewport.width}.png`, fullPage: true });
    await guard.getByRole('button', { name: 'Release anyway' }).click();
    await guard.getByText('Explain in a sentence why the outcomes go out now.').waitFor();
    assert.equal((await hrApi.get(`/api/v1/review-cycles/${id}/progress`)).json.outcomes.released, 0, 'nothing released without a reason');
    await guard.getByLabel(/Reason for releasing now/).fill('The board meets on Monday; managers finish the rest after.');
    await guard.getByRole('button', { name: 'Release anyway' }).click();
    await hr.getByText('Outcomes released.').waitFor();
    await hr.getByText('9 outcomes released, 0 to release.').waitFor();
    assert.equal(await hr.getByRole('button', { name: 'Release outcomes' }).count(), 0, 'a released cycle offers no release');
    await hr.screenshot({ path: `${shots}/cycle-released-${viewport.width}.png`, fullPage: true });
    const audit = (await hrApi.get(`/api/v1/audit?entity=review_cycle&entity_id=${id}`)).json.items.find((x) => x.action === 'review_cycle.release');
    assert.equal(audit.after.reason, 'The board meets on Monday; managers finish the rest after.');
    noProblems(hr, assert);
  });
}

test('a manager is offered no cycle progress or release', async () => {
  const id = await cycle('Managers do not release');
  const mgr = await newPage(browser, srv.base);
  await loginAs(mgr, org.byKey.manager);
  await goto(mgr, `#/reviews?tab=cycle&cycle=${id}`);
  await mgr.getByText('HR runs review cycles').waitFor();
  assert.equal(await mgr.getByRole('button', { name: 'Release outcomes' }).count(), 0);
  assert.equal(await mgr.getByRole('link', { name: 'Cycles' }).count(), 0);
  noProblems(mgr, assert);
});
