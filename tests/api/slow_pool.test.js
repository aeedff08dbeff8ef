// Slow requests do not hold up the others: libmicrohttpd keeps each connection on one worker, so a
// route that has been slow lately is handled by the server's pool for slow requests and the
// workers go on answering. With one worker a person read sent while a slow request runs is
// answered first; on a server without the pool it would wait for the slow one to finish.
// The slowness is the test server's X-Trellis-Delay-Ms (only honoured with --test-faults).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg } from '../support/trellis.js';

const org = fixtureOrg();
let srv;
before(async () => {
  srv = await startServer({ people: org.csv, users: org.users, args: ['--threads', '1'] });
});
after(async () => { await srv?.stop(); });

test('a person read is answered while the only worker\'s slow route runs', { timeout: 60000 }, async () => {
  const hr = srv.token(org.byKey.hr);
  const me = await hr.get('/api/v1/me');
  assert.equal(me.status, 200);
  const slow = { headers: { 'X-Trellis-Delay-Ms': '120' } };
  // two slow answers make the route slow (its recent average is over 10 ms)
  for (let i = 0; i < 2; i++) assert.equal((await hr.get('/api/v1/me', slow)).status, 200);

  const order = [];
  const long = hr.get('/api/v1/me', { headers: { 'X-Trellis-Delay-Ms': '2500' } })
    .then((r) => { order.push('slow'); return r; });
  await new Promise((r) => setTimeout(r, 300));
  const quick = hr.get(`/api/v1/people/${me.json.person_id ?? me.json.person?.id}`)
    .then((r) => { order.push('read'); return r; });
  const [a, b] = await Promise.all([long, quick]);
  assert.equal(a.status, 200, 'the slow request is answered');
  assert.equal(b.status, 200, `the person read is answered: ${b.text}`);
  assert.deepEqual(order, ['read', 'slow'], 'the person read did not wait for the slow request');
});

test('a route that is fast again comes back to the workers and still answers', { timeout: 60000 }, async () => {
  const hr = srv.token(org.byKey.hr);
  for (let i = 0; i < 20; i++) assert.equal((await hr.get('/api/v1/me')).status, 200);
  const r = await hr.get('/api/v1/me');
  assert.equal(r.status, 200);
  assert.ok(r.json && (r.json.person_id || r.json.person || r.json.email), 'the answer is the actor');
});

test('a launch is handed to the pool from its first request', { timeout: 60000 }, async () => {
  const hr = srv.token(org.byKey.hr);
  const me = (await hr.get('/api/v1/me')).json;
  const order = [];
  // no such cycle: the answer is a 404, after the test server's delay, on whichever thread
  const launch = hr.post('/api/v1/review-cycles/999999/launch', {}, { headers: { 'X-Trellis-Delay-Ms': '2500' } })
    .then((r) => { order.push('launch'); return r; });
  await new Promise((r) => setTimeout(r, 300));
  const read = hr.get(`/api/v1/people/${me.person_id ?? me.person?.id}`).then((r) => { order.push('read'); return r; });
  const [a, b] = await Promise.all([launch, read]);
  assert.equal(a.status, 404);
  assert.equal(b.status, 200);
  assert.deepEqual(order, ['read', 'launch'], 'the person read did not wait for the launch');
});
