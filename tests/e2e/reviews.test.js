// A review cycle in the browser: the employee writes a self-review, the manager reviews, HR
// releases, and the employee reads the outcome and acknowledges it with a comment.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, launch, newPage, loginAs, goto, checkA11y, noProblems, org, PASSWORD } from './lib.js';

let srv, browser;
before(async () => {
  srv = await startApp();
  browser = await launch();
  const hr = await srv.login(org.byKey.hr, PASSWORD);
  const t = async (name, kind, questions) => (await hr.post('/api/v1/review-templates', { name, kind, questions })).json.id;
  const self = await t('Self', 'self', [{ id: 'overall', type: 'rating', text: 'How was your half?' }, { id: 'wins', type: 'text', text: 'Your biggest wins' }]);
  const mgr = await t('Manager', 'manager', [{ id: 'overall', type: 'rating', text: 'Overall rating' }, { id: 'summary', type: 'text', text: 'Summary' }]);
  const c = await hr.post('/api/v1/review-cycles', { name: 'H2 2026 reviews', period_start: '2026-07-01', period_end: '2026-12-31', self_template_id: self, manager_template_id: mgr, peers_per_person: 0 });
  assert.equal(c.status, 201, c.text);
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('self-review, manager review, release and acknowledgement', async () => {
  const hrPage = await newPage(browser, srv.base);
  await loginAs(hrPage, org.byKey.hr);
  await goto(hrPage, '#/reviews?tab=cycles');
  // launching confirms with the count of reviews it creates, then opens the cycle
  await hrPage.getByRole('button', { name: 'Launch…' }).click();
  await hrPage.getByRole('dialog', { name: 'Launch "H2 2026 reviews"?' }).getByRole('button', { name: /^Launch and create \d+ reviews?$/ }).click();
  await hrPage.getByText(/^Launched: \d+ reviews? created\.$/).waitFor();
  await goto(hrPage, '#/reviews?tab=cycles');
  await hrPage.getByRole('button', { name: 'Release outcomes' }).waitFor();
  await checkA11y(hrPage, assert, 'review cycles');

  const me = await newPage(browser, srv.base);
  await loginAs(me, org.byKey.self);
  await goto(me, '#/reviews');
  await me.getByRole('link', { name: 'Self-review: Zoë Ōtsuka' }).click();
  await me.getByText('How was your half?').waitFor();
  await me.getByRole('heading', { name: 'Evidence from 2026-07-01 to 2026-12-31' }).waitFor();
  assert.ok(await me.getByText('No earlier released review.').isVisible());
  await checkA11y(me, assert, 'self-review form');
  await me.getByRole('button', { name: 'Submit' }).click();
  await me.getByRole('alert').waitFor();
  assert.match(await me.getByRole('alert').textContent(), /required/);
  await me.getByLabel('4').check();
  await me.getByLabel('Your biggest wins (required)').fill('Shipped search v2 and mentored Rex.');
  await me.getByRole('button', { name: 'Save draft' }).click();
  await me.getByText('Draft saved.').waitFor();
  await me.getByRole('button', { name: 'Submit' }).click();
  await me.getByText('Submitted and locked.').waitFor();

  const mgr = await newPage(browser, srv.base);
  await loginAs(mgr, org.byKey.manager);
  await goto(mgr, '#/reviews');
  await mgr.getByRole('link', { name: 'Manager review: Zoë Ōtsuka' }).click();
  await mgr.getByText('Overall rating').waitFor();
  await mgr.getByLabel('5').check();
  await mgr.getByLabel('Summary (required)').fill('An outstanding half: search v2 and real mentoring.');
  await mgr.getByRole('button', { name: 'Submit' }).click();
  await mgr.getByText('Submitted and locked.').waitFor();

  await goto(hrPage, '#/reviews?tab=cycles');
  await hrPage.getByRole('button', { name: 'Release outcomes' }).click();
  await hrPage.getByRole('dialog', { name: 'Release outcomes?' }).getByRole('button', { name: /^Release \d+ outcomes?$/ }).click();
  // the other people's manager reviews are unwritten: the guard asks for a reason
  const guard = hrPage.getByRole('dialog', { name: 'This cycle is not complete' });
  await guard.getByLabel(/Reason for releasing now/).fill('Only this team takes part in the test.');
  await guard.getByRole('button', { name: 'Release anyway' }).click();
  await hrPage.getByText('released', { exact: true }).waitFor();

  await goto(me, '#/reviews?tab=outcomes');
  await me.getByText('An outstanding half: search v2 and real mentoring.').waitFor();
  assert.ok(await me.getByText('Too few responses to show (0); answers stay anonymous.').isVisible());
  await checkA11y(me, assert, 'review outcome');
  await me.getByLabel('Your comments for your manager').fill('Thank you! I would like to lead the next search project.');
  await me.getByRole('button', { name: 'Acknowledge' }).click();
  await me.getByRole('dialog').getByRole('button', { name: 'Acknowledge' }).click(); // it cannot be undone: confirmed
  await me.getByText(/Acknowledged .*I would like to lead the next search project/).waitFor();
  noProblems(me, assert);
  noProblems(mgr, assert);
});
