// Webhooks in the browser (issue #13): Helena, the demo organisation's admin, opens Webhooks from
// her Account page, registers an endpoint (a real receiver on loopback) choosing its events, sees
// the signing secret once, sends a test event and sees it delivered with its attempts and the
// receiver's answer; deleting the endpoint asks first. A bad URL is refused beside the field; a
// manager is not offered the form. At 1366 and 390 px with axe-core; screenshots to TRELLIS_SHOTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { createHmac } from 'node:crypto';
import { launch, newPage, loginAs, checkA11y, noProblems, goto } from './lib.js';
import { startServer, freshDb, cli } from '../support/trellis.js';

const shots = process.env.TRELLIS_SHOTS || mkdtempSync(join(tmpdir(), 'trellis-shots-'));
const HELENA = 'helena.marsh@northwind.example';
const MARCUS = 'marcus.webb@northwind.example';
const DEMO_PASSWORD = 'trellis-demo';
let srv, browser, receiver, port;
const received = [];
const secrets = {};

before(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const want = 'v1=' + createHmac('sha256', secrets[req.url] || '').update(`${req.headers['trellis-timestamp']}.${body}`).digest('hex');
      const ok = req.headers['trellis-signature'] === want;
      received.push({ path: req.url, ok, headers: req.headers, json: JSON.parse(body) });
      res.writeHead(ok ? 204 : 401);
      res.end();
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  port = receiver.address().port;
  const db = freshDb();
  const r = cli(['demo', '--db', db.url, '--key-file', db.key]);
  assert.equal(r.status, 0, r.stderr);
  srv = await startServer({ db, env: { TRELLIS_SCHEDULER_INTERVAL: '1' } });
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); await new Promise((r) => receiver?.close(r)); });

for (const viewport of [{ width: 1366, height: 900 }, { width: 390, height: 844 }]) {
  test(`Helena registers a webhook endpoint and sees a delivery at ${viewport.width} px`, async () => {
    const page = await newPage(browser, srv.base, viewport);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await loginAs(page, HELENA, DEMO_PASSWORD);
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('link', { name: 'Set up webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();

    // a URL that is not http(s) is refused beside the field, and nothing is registered
    await page.getByLabel('Endpoint URL').fill('ftp://files.example.com/in');
    await page.getByRole('button', { name: 'Register endpoint' }).click();
    await page.getByText(/Endpoint URL must be an absolute http/).first().waitFor();
    await page.getByText('No endpoints yet.').waitFor();

    const path = `/hook-${viewport.width}`;
    const url = `http://127.0.0.1:${port}${path}`;
    await page.getByLabel('Endpoint URL').fill(url);
    await page.getByLabel('Description (optional)').fill('Slack bridge');
    await page.getByLabel('Person added, changed or left').uncheck();
    await page.getByRole('button', { name: 'Register endpoint' }).click();
    const box = page.getByRole('region', { name: `Signing secret for ${url}` });
    await box.waitFor();
    assert.match(await box.textContent(), /Copy it now: it is shown only once\./);
    const secret = await box.getByRole('textbox', { name: 'Signing secret' }).inputValue();
    assert.match(secret, /^whsec_/);
    secrets[path] = secret;
    await box.getByRole('button', { name: 'Copy Signing secret' }).click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
    const card = page.getByRole('article', { name: `Endpoint ${url}` });
    await card.waitFor();
    assert.match(await card.textContent(), /Review outcomes released, Public goal completed, One-on-one held, Public feedback given/);
    assert.doesNotMatch(await card.textContent(), /Person added/);
    await card.getByText('Nothing sent yet.').waitFor();

    // a test event reaches the receiver, signed, and shows as delivered
    await card.getByRole('button', { name: 'Send test event' }).click();
    await card.getByText('A test event is on its way.').waitFor();
    for (let i = 0; i < 40; i++) {
      await card.getByRole('button', { name: `Refresh deliveries of ${url}` }).click();
      if (await card.getByText('Delivered', { exact: true }).count()) break;
      await page.waitForTimeout(300);
    }
    const row = card.getByRole('row', { name: /Test event/ });
    await row.getByText('Delivered', { exact: true }).waitFor();
    const cells = await row.getByRole('cell').allTextContents();
    assert.equal(cells[2], '1', 'one attempt');
    assert.equal(cells[3], 'HTTP 204');
    const got = received.filter((r) => r.path === path);
    assert.equal(got.length, 1);
    assert.ok(got[0].ok, 'the signature verifies with the secret shown');
    assert.ok(cells[0].includes(got[0].headers['trellis-delivery']), 'the event id is shown');
    await checkA11y(page, assert, `webhooks delivered ${viewport.width}`);
    await page.screenshot({ path: `${shots}/webhooks-delivered-${viewport.width}.png`, fullPage: true });

    // shown once: after a reload the secret is gone
    await page.reload();
    await page.getByRole('article', { name: `Endpoint ${url}` }).waitFor();
    assert.equal(await page.getByRole('region', { name: /Signing secret for/ }).count(), 0);
    assert.ok(!(await page.content()).includes(secret));

    // delete asks first; cancelling keeps it
    await page.getByRole('button', { name: `Delete ${url}` }).click();
    let dlg = page.getByRole('dialog', { name: 'Delete this endpoint?' });
    assert.match(await dlg.textContent(), /cannot be undone/);
    await page.screenshot({ path: `${shots}/webhooks-delete-confirm-${viewport.width}.png`, fullPage: true });
    await dlg.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('article', { name: `Endpoint ${url}` }).waitFor();
    await page.getByRole('button', { name: `Delete ${url}` }).click();
    dlg = page.getByRole('dialog', { name: 'Delete this endpoint?' });
    await dlg.getByRole('button', { name: 'Delete endpoint' }).click();
    await page.getByText(`${url} was deleted.`).waitFor();
    assert.equal(await page.getByRole('article', { name: `Endpoint ${url}` }).count(), 0);
    noProblems(page, assert);
    await page.context().close();
  });
}

test('a manager is not offered webhooks', async () => {
  const page = await newPage(browser, srv.base, { width: 1366, height: 900 });
  await loginAs(page, MARCUS, DEMO_PASSWORD);
  await page.getByRole('link', { name: 'Account' }).click();
  await page.getByRole('heading', { name: 'API tokens' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Set up webhooks' }).count(), 0);
  await goto(page, '#/integrations/webhooks');
  await page.getByText('Only an admin can register webhook endpoints.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Register endpoint' }).count(), 0);
  await checkA11y(page, assert, 'webhooks as a manager');
  noProblems(page, assert);
  await page.context().close();
});
