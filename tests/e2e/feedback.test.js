// Feedback in the browser: public praise reaches the wall; a request is answered.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, launch, newPage, loginAs, goto, checkA11y, noProblems, org } from './lib.js';

let srv, browser;
before(async () => { srv = await startApp(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.stop(); });

test('public praise with a company value appears on the recognition wall', async () => {
  const page = await newPage(browser, srv.base);
  await loginAs(page, org.byKey.peer);
  await goto(page, '#/feedback');
  await page.getByRole('heading', { name: 'Feedback', level: 1 }).waitFor();
  await checkA11y(page, assert, 'feedback');
  await page.getByRole('button', { name: 'Give feedback' }).click();
  await page.getByLabel('Find Recipient').fill('Zoë');
  await page.locator('#fb-to option', { hasText: 'Zoë Ōtsuka' }).waitFor({ state: 'attached' });
  await page.getByLabel('Who sees it').selectOption('public');
  await page.getByLabel('Company value (praise)').fill('Ownership');
  await page.getByLabel('Message').fill('Thank you for fixing the release on Friday night!');
  await checkA11y(page, assert, 'give feedback form');
  await page.getByRole('button', { name: 'Send feedback' }).click();
  await page.getByRole('link', { name: 'Given' }).click();
  await page.getByText('Thank you for fixing the release on Friday night!').waitFor();
  const other = await newPage(browser, srv.base);
  await loginAs(other, org.byKey.other);
  await goto(other, '#/feedback?tab=wall');
  await other.getByText('Thank you for fixing the release on Friday night!').waitFor();
  assert.ok(await other.getByText('Ownership').isVisible());
  await checkA11y(other, assert, 'recognition wall');
  noProblems(page, assert);
  noProblems(other, assert);
});

test('ask a coworker for feedback; they answer; the answer arrives', async () => {
  const page = await newPage(browser, srv.base);
  await loginAs(page, org.byKey.self);
  await goto(page, '#/feedback');
  await page.getByRole('button', { name: 'Ask for feedback' }).click();
  await page.getByLabel('Find Coworker').fill('Pat');
  await page.locator('#ask-to option', { hasText: 'Pat Peer' }).waitFor({ state: 'attached' });
  await page.getByLabel('About').fill('My talk at the design review');
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.getByRole('heading', { name: 'My requests' }).waitFor();
  await page.getByText('My talk at the design review').waitFor();
  const peer = await newPage(browser, srv.base);
  await loginAs(peer, org.byKey.peer);
  await goto(peer, '#/feedback?tab=requests');
  await peer.getByLabel('Your feedback for Zoë Ōtsuka').fill('Clear story, great diagrams.');
  await checkA11y(peer, assert, 'requests');
  await peer.getByRole('button', { name: 'Answer' }).click();
  await peer.getByText('answered').first().waitFor();
  await goto(page, '#/feedback');
  await page.getByText('Clear story, great diagrams.').waitFor();
  noProblems(page, assert);
});
