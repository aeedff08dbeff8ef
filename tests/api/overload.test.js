// Overload: one address holding hundreds of slow connections (headers sent a byte at a time, a
// slowloris) gets only its share, and a normal user from another address is served at once;
// an idle or stalled connection is closed after the connection timeout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, fixtureOrg, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
let srv;
before(async () => {
  srv = await startServer({ people: org.csv, users: org.users, args: ['--max-connections-per-address', '16', '--connection-timeout', '3'] });
});
after(async () => { await srv?.stop(); });

/** Opens a connection from localAddress that sends a request line and then nothing more. */
function slow(port, localAddress) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port, localAddress });
    const state = { socket: s, closed: false, closedAt: 0 };
    s.on('connect', () => { s.write('GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-Slow: '); resolve(state); });
    s.on('error', () => {});
    s.on('close', () => { state.closed = true; state.closedAt = Date.now(); });
    s.setTimeout(20000, () => s.destroy());
    setTimeout(() => resolve(state), 2000);
  });
}

test('slow connections from one address cannot crowd out another user', { timeout: 60000 }, async () => {
  const port = Number(new URL(srv.base).port);
  const held = await Promise.all(Array.from({ length: 200 }, () => slow(port, '127.0.0.2')));
  await new Promise((r) => setTimeout(r, 300));
  const open = held.filter((h) => !h.closed).length;
  assert.ok(open <= 16, `at most 16 of the 200 slow connections stay open (${open})`);

  const started = Date.now();
  const me = await srv.login(org.byKey.self, PASSWORD);
  const r = await me.get('/api/v1/me');
  assert.equal(r.status, 200, 'a normal user from another address signs in and is served');
  assert.ok(Date.now() - started < 5000, `without waiting for the slow ones (${Date.now() - started} ms)`);
  for (const h of held) h.socket.destroy();
});

test('a connection that stalls while sending its headers is closed after the timeout', { timeout: 30000 }, async () => {
  const port = Number(new URL(srv.base).port);
  const opened = Date.now();
  const h = await slow(port, '127.0.0.3');
  await new Promise((resolve) => { if (h.closed) resolve(); else h.socket.on('close', resolve); });
  const lasted = h.closedAt - opened;
  assert.ok(lasted >= 2000 && lasted < 15000, `closed by the server after about 3 s (${lasted} ms)`);
});

// Each connection has 16 KiB for its request line, headers and read buffer: a request with 12 KiB
// of headers (far more than a browser or an identity provider sends) is served, one with 20 KiB is
// refused with 431, and the server goes on serving.
test('headers of 12 KiB are served; 20 KiB are refused with 431 and nothing else is affected', async () => {
  const me = await srv.login(org.byKey.self, PASSWORD);
  const get = (n) => me.get('/api/v1/me', { headers: { 'x-padding': 'a'.repeat(n) } });
  const fits = await get(12 * 1024);
  assert.equal(fits.status, 200, 'twelve KiB of headers fit');
  assert.equal(fits.json.person.id > 0, true);
  assert.equal((await get(20 * 1024)).status, 431);
  assert.equal((await me.get('/api/v1/me')).status, 200, 'the server serves on');
});
