// From a profile (issue #11): its goal and journal links show that person's items, not the
// viewer's; praise and feedback requests start from the profile with the person chosen; a request
// is answered with a chosen kind and visibility beside its topic; tab bars scroll inside
// themselves at 390 px instead of widening the page. axe-core on each page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, launch, newPage, loginAs, goto, checkA11y, noProblems, org } from './lib.js';

let srv, browser;
const ids = {};
before(async () => {
  srv = await startApp();
  browser = await launch();
  const hr = srv.token(org.byKey.hr);
  for (const p of (await hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  const year = new Date().getFullYear();
  const self = srv.token(org.byKey.self);
  assert.equal((await self.post('/api/v1/goals', { title: 'Zoë ships search', start_date: `${year}-01-01`, due_date: `${year}-12-31` })).status, 201);
  const mgr = srv.token(org.byKey.manager);
  assert.equal((await mgr.post('/api/v1/goals', { title: 'Mia hires two engineers', start_date: `${year}-01-01`, due_date: `${year}-12-31` })).status, 201);
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('a profile links to that person\'s goals and starts praise for them', async () => {
  const page = await newPage(browser, srv.base);
  await loginAs(page, org.byKey.manager);
  await goto(page, `#/people/${ids[org.byKey.self]}`);
  await page.getByRole('heading', { name: 'Zoë Ōtsuka', level: 1 }).waitFor();
  await checkA11y(page, assert, 'profile of a report');
  await page.getByRole('link', { name: 'Zoë\'s goals' }).click();
  await page.getByRole('heading', { name: 'Goals of Zoë Ōtsuka' }).waitFor();
  await page.getByRole('link', { name: 'Zoë ships search' }).waitFor();
  assert.equal(await page.getByText('Mia hires two engineers').count(), 0, 'not the viewer\'s own goals');
  await goto(page, `#/people/${ids[org.byKey.self]}`);
  await page.getByRole('link', { name: 'Give praise or feedback' }).click();
  await page.getByRole('heading', { name: 'Give feedback to Zoë Ōtsuka' }).waitFor();
  assert.equal(await page.locator('#fb-to').inputValue(), String(ids[org.byKey.self]));
  await page.getByLabel('Who sees it').selectOption('public');
  await page.getByLabel('Message').fill('Your search demo made the whole team faster.');
  await checkA11y(page, assert, 'praise from a profile');
  await page.getByRole('button', { name: 'Send feedback' }).click();
  // sent: the feedback given, without the form, shows it
  await page.getByRole('link', { name: 'Given', exact: true }).and(page.locator('[aria-current="page"]')).waitFor();
  await page.getByText('Your search demo made the whole team faster.').waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Give feedback to Zoë Ōtsuka' }).count(), 0);
  await goto(page, '#/feedback?tab=wall');
  await page.getByText('Your search demo made the whole team faster.').waitFor();
  noProblems(page, assert);
});

test('a request asked from a profile is answered with its kind and visibility, beside its topic', async () => {
  const me = await newPage(browser, srv.base);
  await loginAs(me, org.byKey.self);
  await goto(me, `#/people/${ids[org.byKey.peer]}`);
  await me.getByRole('link', { name: 'Ask for feedback' }).click();
  await me.getByRole('heading', { name: 'Ask Pat Peer for feedback' }).waitFor();
  await me.getByLabel('About').fill('The search launch retro');
  await me.getByRole('button', { name: 'Send request' }).click();
  await me.getByText('The search launch retro').first().waitFor();

  const peer = await newPage(browser, srv.base, { width: 390, height: 844 });
  await loginAs(peer, org.byKey.peer);
  await goto(peer, '#/feedback?tab=requests');
  await peer.getByLabel('Your feedback for Zoë Ōtsuka on “The search launch retro”').fill('Run the retro earlier next time; the notes were great.');
  await peer.getByLabel('Kind').selectOption('constructive');
  await peer.getByLabel('Who sees it').selectOption('managers');
  await checkA11y(peer, assert, 'answering a request at 390 px');
  const width = await peer.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width} px wide at 390: the tab bar must scroll inside itself`);
  await peer.getByRole('button', { name: 'Answer' }).click();
  await peer.getByText('answered').first().waitFor();

  await goto(me, '#/feedback');
  const card = me.locator('.fb-card', { hasText: 'Run the retro earlier next time' });
  await card.waitFor();
  assert.ok(await card.getByText('Constructive').isVisible());
  assert.ok(await card.getByText('Visible to managers').isVisible());
  for (const p of [me, peer]) noProblems(p, assert);
});
