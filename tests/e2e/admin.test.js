// The admin console in the browser as the administrator (issue #12): find a person, invite them
// by email (the link arrives through real SMTP, the invitee chooses a password and is signed in,
// the link is refused the second time), see and end their session, change a role, deactivate an
// account with a confirmation (their open page is signed out), reactivate it. At 1366 and 390 px
// with axe-core; screenshots go to TRELLIS_SHOTS (a temporary directory by default).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, launch, newPage, loginAs, checkA11y, noProblems, org, goto } from './lib.js';
import { startSmtp } from '../support/smtp.js';

const shots = process.env.TRELLIS_SHOTS || mkdtempSync(join(tmpdir(), 'trellis-shots-'));
let srv, browser, smtp;

before(async () => {
  smtp = await startSmtp();
  srv = await startApp({
    people: org.csv + 'E10,Nia Newcomer,nia@acme.example,Product Designer,Engineering,E3,P2,2026-11-30\n',
    env: { TRELLIS_SMTP_URL: smtp.url, TRELLIS_SMTP_FROM: 'trellis@acme.example', TRELLIS_SCHEDULER_INTERVAL: '1', TRELLIS_SMTP_RETRY_SECONDS: '1' },
  });
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); await smtp?.close(); });

test('invite a newcomer, who sets a password from the emailed link; end their session; change their role at 1366 px', async () => {
  const page = await newPage(browser, srv.base, { width: 1366, height: 900 });
  await loginAs(page, org.byKey.admin);
  await page.getByText('Company', { exact: true }).click();
  await page.getByRole('link', { name: 'Admin', exact: true }).click();
  await page.getByRole('heading', { name: 'Admin console', level: 1 }).waitFor();
  await page.getByLabel('Find a person').fill('Nia');
  await page.getByRole('row', { name: /Nia Newcomer/ }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
  await checkA11y(page, assert, 'admin accounts list 1366');
  await page.screenshot({ path: `${shots}/admin-accounts-1366.png`, fullPage: true });
  await page.getByRole('link', { name: 'Manage Nia Newcomer' }).click();
  await page.getByRole('heading', { name: 'Nia Newcomer', level: 1 }).waitFor();
  assert.equal(await page.locator('#acct-status').textContent(), 'No account yet');
  assert.equal(await page.locator('#acct-invitation').textContent(), 'None sent');
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await page.getByText('Invitation emailed to nia@acme.example').waitFor();
  assert.match(await page.locator('#acct-invitation').textContent(), /^Sent .*valid until/);
  assert.equal(await page.locator('#acct-status').textContent(), 'Invited, no password yet');
  await checkA11y(page, assert, 'admin account 1366');
  await page.screenshot({ path: `${shots}/admin-invited-1366.png`, fullPage: true });

  // the email arrives with the link; the newcomer opens it in their own browser
  const [mail] = await smtp.waitFor((m) => m.to.includes('nia@acme.example'), 1, 20000);
  const link = mail.body.match(/http\S+#\/invite\/[A-Za-z0-9_-]+/)[0];
  const nia = await newPage(browser, srv.base, { width: 1366, height: 900 });
  await nia.goto(link);
  await nia.getByRole('heading', { name: 'Welcome, Nia Newcomer' }).waitFor();
  await nia.getByLabel('Choose a password').fill('sunlit harbour kites');
  await nia.getByLabel('The same password again').fill('sunlit harbour kite');
  await nia.getByRole('button', { name: 'Set password and sign in' }).click();
  await nia.getByText('The two passwords are not the same.').waitFor();
  await checkA11y(nia, assert, 'invitation 1366');
  await nia.screenshot({ path: `${shots}/admin-invite-page-1366.png`, fullPage: true });
  await nia.getByLabel('The same password again').fill('sunlit harbour kites');
  await nia.getByRole('button', { name: 'Set password and sign in' }).click();
  await nia.getByRole('button', { name: 'Sign out' }).waitFor();
  assert.match(await nia.locator('.user-name').textContent(), /Nia Newcomer/);

  // the link works once
  const again = await newPage(browser, srv.base, { width: 1366, height: 900 });
  await again.goto(link);
  await again.getByRole('heading', { name: 'This link cannot be used' }).waitFor();
  await again.getByText(/was used already/).waitFor();

  // the admin sees the accepted invitation and the newcomer's session, and ends it
  await page.reload();
  await page.getByRole('heading', { name: 'Nia Newcomer', level: 1 }).waitFor();
  assert.match(await page.locator('#acct-invitation').textContent(), /^Accepted/);
  assert.equal(await page.locator('#acct-status').textContent(), 'Active');
  const sessions = page.getByRole('region', { name: 'Sessions', exact: true });
  assert.equal(await sessions.getByRole('row').count(), 2, 'a header and one session');
  assert.match(await sessions.textContent(), /Chrome from 127\.0\.0\.1/);
  await sessions.getByRole('button', { name: /^End session/ }).click();
  const dlg = page.getByRole('dialog', { name: 'End this session?' });
  await dlg.getByRole('button', { name: 'End session' }).click();
  await page.getByText('The session was ended.').waitFor();
  await page.getByText('No open sessions.').waitFor();
  await nia.reload();
  await nia.getByRole('button', { name: 'Sign in' }).waitFor();

  // a role change, kept after a reload
  await page.getByLabel('Role', { exact: true }).selectOption('hr');
  await page.getByRole('button', { name: 'Change role' }).click();
  await page.getByText('Nia Newcomer is now HR.').waitFor();
  await page.reload();
  await page.getByRole('heading', { name: 'Nia Newcomer', level: 1 }).waitFor();
  assert.equal(await page.locator('#acct-role').textContent(), 'HR');
  assert.equal(await page.getByLabel('Role', { exact: true }).inputValue(), 'hr');
  noProblems(page, assert);
  noProblems(nia, assert);
});

test('deactivate a person with a confirmation, which signs them out, then reactivate at 390 px', async () => {
  const peer = await newPage(browser, srv.base, { width: 390, height: 844 });
  await loginAs(peer, org.byKey.peer);
  assert.equal(await peer.getByRole('link', { name: 'Admin', exact: true }).count(), 0, 'no admin link for an employee');
  await goto(peer, '#/admin');
  await peer.getByText('The admin console is for administrators.').waitFor();

  const page = await newPage(browser, srv.base, { width: 390, height: 844 });
  await loginAs(page, org.byKey.admin);
  await goto(page, '#/admin');
  await page.getByLabel('Find a person').fill('Pat');
  await page.getByRole('link', { name: 'Manage Pat Peer' }).click();
  await page.getByRole('heading', { name: 'Pat Peer', level: 1 }).waitFor();
  assert.equal(await page.locator('#acct-status').textContent(), 'Active');
  await page.getByRole('button', { name: 'Deactivate' }).click();
  let dlg = page.getByRole('dialog', { name: 'Deactivate Pat Peer?' });
  assert.match(await dlg.textContent(), /signed out at once/);
  await page.screenshot({ path: `${shots}/admin-deactivate-confirm-390.png`, fullPage: true });
  await dlg.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await page.locator('#acct-status').textContent(), 'Active', 'cancelled: nothing changed');
  await page.getByRole('button', { name: 'Deactivate' }).click();
  dlg = page.getByRole('dialog', { name: 'Deactivate Pat Peer?' });
  await dlg.getByRole('button', { name: 'Deactivate' }).click();
  await page.getByText('Pat Peer is deactivated.').waitFor();
  assert.match(await page.locator('#acct-status').textContent(), /^Deactivated/);
  await page.getByRole('button', { name: 'Reactivate' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Send invitation' }).count(), 0, 'no invitation offered for a deactivated account');
  await checkA11y(page, assert, 'admin account 390');
  await page.screenshot({ path: `${shots}/admin-deactivated-390.png`, fullPage: true });

  await peer.reload();
  await peer.getByRole('button', { name: 'Sign in' }).waitFor();
  await peer.getByLabel('Work email').fill(org.byKey.peer);
  await peer.getByLabel('Password').fill('correct horse battery');
  await peer.getByRole('button', { name: 'Sign in' }).click();
  await peer.getByText('The email or password is not correct').waitFor();

  await page.getByRole('button', { name: 'Reactivate' }).click();
  await page.getByText('Pat Peer can sign in again.').waitFor();
  await loginAs(peer, org.byKey.peer);

  // the admin's own account offers no role change or deactivation (the server refuses them)
  await goto(page, '#/admin');
  await page.getByLabel('Find a person').fill('Ada');
  await page.getByRole('link', { name: 'Manage Ada Admin' }).click();
  await page.getByText('This is your own account').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Deactivate' }).count(), 0);
  await goto(page, '#/admin');
  await page.getByRole('row', { name: /Cora Chief/ }).waitFor();
  await checkA11y(page, assert, 'admin accounts list 390');
  await page.screenshot({ path: `${shots}/admin-accounts-390.png`, fullPage: true });
  noProblems(page, assert);
});

test('People: add a person, import a file whose dry run lists every problem, apply the fixed file, terminate someone', async () => {
  for (const viewport of [{ width: 1366, height: 900 }, { width: 390, height: 844 }]) {
    const w = viewport.width;
    const page = await newPage(browser, srv.base, viewport);
    await loginAs(page, org.byKey.admin);
    await goto(page, '#/admin');
    await page.getByRole('link', { name: 'People', exact: true }).last().click();
    await page.getByRole('heading', { name: 'Add a person' }).waitFor();
    const name = w === 1366 ? 'Lena Laine' : 'Ivo Ilić';
    const email = w === 1366 ? 'lena@acme.example' : 'ivo@acme.example';
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Work email').fill(email);
    await page.getByLabel('Title').fill('QA Engineer');
    await page.getByLabel('Department').selectOption({ label: 'Engineering' });
    await page.getByLabel('Manager').fill('Mia Manager <manager@acme.example>');
    await page.locator('#np-manager-list option').first().waitFor({ state: 'attached' });
    await page.getByLabel('Hire date').fill('2026-12-01');
    await page.getByRole('button', { name: 'Add person' }).click();
    await page.getByText(`${name} was added.`).waitFor();
    await checkA11y(page, assert, `admin people ${w}`);
    await page.screenshot({ path: `${shots}/admin-people-added-${w}.png`, fullPage: true });

    // a file with problems: every one listed, nothing written
    const tag = w === 1366 ? 'A' : 'B';
    const bad = `employee_id,name,email,manager\n${tag}1,Row Two,r2${tag}@acme.example,manager@acme.example\n${tag}2,,r3${tag}@acme.example,manager@acme.example\n${tag}3,Row Four,broken-email,nobody@acme.example\n`;
    await page.getByLabel('People file (CSV or an HRIS export)').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.getByRole('button', { name: 'Check the file' }).click();
    const problems = page.getByRole('region', { name: 'Problems in the file' });
    await problems.waitFor();
    assert.match(await problems.textContent(), /nothing was written/);
    const rows = await problems.getByRole('row').allTextContents();
    assert.ok(rows.some((r) => /^Row 3/.test(r)) && rows.some((r) => /^Row 4/.test(r)), `rows 3 and 4 listed: ${rows}`);
    await checkA11y(page, assert, `admin import problems ${w}`);
    await page.screenshot({ path: `${shots}/admin-import-problems-${w}.png`, fullPage: true });
    const found = await page.evaluate(async (e) => (await (await fetch(`/api/v1/people?q=${e}&status=all`)).json()).items.length, `r2${tag}@acme.example`);
    assert.equal(found, 0, 'the dry run wrote nothing');

    const good = `employee_id,name,email,manager\n${tag}1,Row Two,r2${tag}@acme.example,manager@acme.example\n${tag}2,Row Three,r3${tag}@acme.example,manager@acme.example\n`;
    await page.getByLabel('People file (CSV or an HRIS export)').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await page.getByRole('button', { name: 'Check the file' }).click();
    const ready = page.getByRole('region', { name: 'Dry run' });
    await ready.waitFor();
    assert.match(await ready.textContent(), /New people2/);
    await page.screenshot({ path: `${shots}/admin-import-ready-${w}.png`, fullPage: true });
    await ready.getByRole('button', { name: 'Apply the import (2 rows)' }).click();
    await page.getByRole('dialog', { name: 'Apply this import?' }).getByRole('button', { name: 'Apply import' }).click();
    await page.getByText('Imported: 2 added, 0 changed, 0 unchanged.').waitFor();

    // terminate the person just added, from their account page
    await page.getByRole('link', { name: 'Accounts', exact: true }).click();
    await page.getByLabel('Find a person').fill(name.split(' ')[0]);
    await page.getByRole('link', { name: `Manage ${name}` }).click();
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    await page.getByLabel('Reason').fill('Resigned');
    await page.getByRole('button', { name: `Terminate ${name}` }).click();
    await page.getByRole('dialog', { name: `Terminate ${name}?` }).getByRole('button', { name: 'Terminate' }).click();
    await page.getByText(`${name} was terminated.`).waitFor();
    await page.reload();
    await page.getByText(`${name} is terminated.`).first().waitFor();
    noProblems(page, assert);
  }
});

test('Email: a test email shows the SMTP server\'s answer, and its refusal when it is down', async () => {
  for (const viewport of [{ width: 1366, height: 900 }, { width: 390, height: 844 }]) {
    const w = viewport.width;
    const page = await newPage(browser, srv.base, viewport);
    await loginAs(page, org.byKey.admin);
    await goto(page, '#/admin');
    await page.getByRole('link', { name: 'Email', exact: true }).click();
    await page.getByRole('heading', { name: 'Test the email settings' }).waitFor();
    assert.equal(await page.getByLabel('Send to').inputValue(), org.byKey.admin);
    const to = `it-${w}@acme.example`;
    await page.getByLabel('Send to').fill(to);
    await page.getByRole('button', { name: 'Send a test email' }).click();
    await page.getByText(`Sent to ${to}.`).waitFor();
    assert.match(await page.getByRole('status').filter({ hasText: 'Sent to' }).textContent(), /accepted the message/);
    await smtp.waitFor((m) => m.to.includes(to), 1, 10000);
    await checkA11y(page, assert, `admin email ${w}`);
    await page.screenshot({ path: `${shots}/admin-email-sent-${w}.png`, fullPage: true });

    await smtp.stop();
    try {
      await page.getByRole('button', { name: 'Send a test email' }).click();
      await page.getByText('Not sent.').waitFor({ timeout: 30000 });
      assert.match(await page.getByRole('alert').filter({ hasText: 'Not sent.' }).textContent(), /The SMTP server did not take the message/);
      await page.screenshot({ path: `${shots}/admin-email-failed-${w}.png`, fullPage: true });
    } finally { await smtp.start(); }
    // the refused test email is the one 503 the page was meant to get
    page.problems = page.problems.filter((p) => !/status of 503/.test(p));
    noProblems(page, assert);
  }
});
