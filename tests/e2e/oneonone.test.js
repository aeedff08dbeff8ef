// A one-on-one in the browser: the manager starts a series with a report; both prepare talking
// points; they hold the meeting, record notes and an action item, and complete it; the summary
// email arrives at a real SMTP server; the private note stays with its author.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, launch, newPage, loginAs, goto, checkA11y, noProblems, org } from './lib.js';
import { startSmtp } from '../support/smtp.js';

let srv, browser, smtp;
before(async () => {
  smtp = await startSmtp();
  srv = await startApp({ env: { TRELLIS_SMTP_URL: smtp.url, TRELLIS_SCHEDULER_INTERVAL: '1' } });
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); await smtp?.close(); });

test('prepare, hold and complete a one-on-one; the summary arrives', async () => {
  const first = new Date(Date.now() + 5 * 86400000).toISOString().slice(0, 10);
  const mgr = await newPage(browser, srv.base);
  await loginAs(mgr, org.byKey.manager);
  await goto(mgr, '#/one-on-ones');
  await mgr.getByText('No one-on-ones yet').waitFor();
  await mgr.getByLabel('With').selectOption({ label: 'Zoë Ōtsuka' });
  await mgr.getByLabel('Every how many weeks').fill('8');
  await mgr.getByText('feedback too rare').waitFor();
  await mgr.getByLabel('Every how many weeks').fill('4');
  await mgr.getByLabel('First meeting').fill(first);
  await mgr.getByLabel('Time zone').fill('Europe/Paris');
  await checkA11y(mgr, assert, 'one-on-ones');
  await mgr.getByRole('button', { name: 'Start the series' }).click();
  await mgr.getByRole('link', { name: 'With Zoë Ōtsuka' }).waitFor();
  await mgr.getByRole('link', { name: /^Next: / }).click();
  await mgr.getByRole('heading', { name: 'One-on-one with Zoë Ōtsuka' }).waitFor();
  await mgr.getByLabel('New talking point').fill('Feedback on the search launch');
  await mgr.getByRole('button', { name: 'Add point' }).click();
  await mgr.getByText('Feedback on the search launch', { exact: true }).waitFor();

  const me = await newPage(browser, srv.base);
  await loginAs(me, org.byKey.self);
  await goto(me, '#/one-on-ones');
  await me.getByRole('link', { name: /^Next: / }).click();
  await me.getByText('Feedback on the search launch', { exact: true }).waitFor();
  await me.getByLabel('Section').selectOption('development');
  await me.getByLabel('New talking point').fill('I want to lead a project');
  await me.getByRole('button', { name: 'Add point' }).click();
  await me.getByText('I want to lead a project', { exact: true }).waitFor();
  await me.getByLabel('My private notes (only you can ever read them)').fill('Ask for the staff path, calmly');
  await me.getByRole('button', { name: 'Save notes' }).click();
  await me.locator('#notes-state').getByText('Saved', { exact: true }).waitFor();
  await checkA11y(me, assert, 'meeting');

  await mgr.reload();
  await mgr.getByText('I want to lead a project', { exact: true }).waitFor();
  assert.equal(await mgr.getByText('Ask for the staff path').count(), 0, 'the private note is not the manager\'s');
  await mgr.getByRole('button', { name: 'Discussed: I want to lead a project' }).click();
  await mgr.getByRole('button', { name: 'Discussed: I want to lead a project' }).waitFor({ state: 'detached' });
  await mgr.getByRole('button', { name: 'Next time: Feedback on the search launch' }).click();
  await mgr.getByRole('button', { name: 'Next time: Feedback on the search launch' }).waitFor({ state: 'detached' });
  await mgr.getByLabel(/^Shared notes/).fill('Zoë leads the Q1 indexing project.');
  await mgr.getByRole('button', { name: 'Save notes' }).click();
  await mgr.locator('#notes-state').getByText('Saved', { exact: true }).waitFor();
  await mgr.getByLabel('Action').fill('Write the project brief');
  await mgr.getByLabel('Owner').selectOption({ label: 'Zoë Ōtsuka' });
  await mgr.getByLabel('Due').fill('2027-01-20');
  await mgr.getByRole('button', { name: 'Add action item' }).click();
  await mgr.getByRole('button', { name: 'Done: Write the project brief' }).waitFor();
  await mgr.getByLabel('We discussed career development').check();
  await mgr.getByRole('button', { name: 'Complete the meeting' }).click();
  await mgr.getByText(/· held/).waitFor();

  const got = await smtp.waitFor((m) => /One-on-one summary/.test(m.subject), 2);
  assert.equal(got.length, 2);
  assert.match(got[0].body, /Zoë leads the Q1 indexing project\./);
  assert.match(got[0].body, /Write the project brief, due 2027-01-20/);
  assert.doesNotMatch(got[0].body, /staff path/);
  await mgr.reload();
  await mgr.getByText(/Sent to manager@acme.example/).waitFor();
  // the next meeting carries the moved point and the open action
  await goto(me, '#/one-on-ones');
  await me.getByRole('link', { name: /^Next: / }).click();
  await me.getByText('Feedback on the search launch', { exact: true }).waitFor();
  await me.getByText('Write the project brief', { exact: true }).waitFor();
  noProblems(me, assert);
  noProblems(mgr, assert);
});
