// Signed webhooks: an admin registers endpoints for event kinds; a real HTTP receiver on loopback
// verifies every signature (HMAC-SHA256 of "timestamp.body" with node:crypto) and counts the
// 2xx deliveries per event id: exactly one, also when the receiver fails the first tries with
// 500 and a retry succeeds with the same id. Private goals and private feedback send nothing.
// Non-admins get 403, bad URLs 422. Both stores.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startServer, fixtureOrg, expectError, PASSWORD, BIN } from '../support/trellis.js';

const org = fixtureOrg();
const Y = { start_date: '2026-01-01', due_date: '2026-12-31' };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let srv, recv;
const as = {};
const ids = {};

// The receiver: one path per endpoint; the secret of each path; failures to answer first.
function startReceiver() {
  const got = []; // every request: {path, headers, body, verified, answered}
  const secrets = {};
  const failFirst = {};
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const ts = req.headers['trellis-timestamp'];
      const sig = req.headers['trellis-signature'] || '';
      const want = 'v1=' + createHmac('sha256', secrets[req.url] || '').update(`${ts}.${body}`).digest('hex');
      const verified = sig.length === want.length && timingSafeEqual(Buffer.from(sig), Buffer.from(want));
      let status = verified ? 200 : 401;
      if (verified && (failFirst[req.url] || 0) > 0) { failFirst[req.url]--; status = 500; }
      if (verified && failFirst[req.url] === -1) status = 500; // always failing
      got.push({ path: req.url, headers: req.headers, body, json: JSON.parse(body), verified, answered: status });
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 200 ? 'ok' : 'no');
    });
  });
  return new Promise((res) => server.listen(0, '127.0.0.1', () => {
    res({
      url: (p) => `http://127.0.0.1:${server.address().port}${p}`,
      got, secrets, failFirst,
      ok: (p) => got.filter((g) => g.path === p && g.answered === 200),
      close: () => new Promise((r) => server.close(r)),
    });
  }));
}

async function waitFor(fn, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) return v;
    await sleep(200);
  }
}

async function register(path, kinds, extra = {}) {
  const r = await as.admin.post('/api/v1/admin/webhooks', { url: recv.url(path), event_kinds: kinds, description: `hook ${path}`, ...extra });
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.secret, /^whsec_[A-Za-z0-9_-]{40,}$/);
  recv.secrets[path] = r.json.secret;
  return r.json;
}

before(async () => {
  recv = await startReceiver();
  srv = await startServer({ people: org.csv, users: org.users, env: { TRELLIS_SCHEDULER_INTERVAL: '1', TRELLIS_WEBHOOK_RETRY_SECONDS: '1' } });
  for (const [k, email] of Object.entries(org.byKey)) as[k] = await srv.login(email, PASSWORD);
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
});
after(async () => { await srv?.stop(); await recv?.close(); });

test('only admins manage webhooks; bad URLs and kinds are 422 and change nothing', async () => {
  for (const who of ['hr', 'self', 'manager']) {
    expectError(assert, await as[who].get('/api/v1/admin/webhooks'), 403, 'forbidden');
    expectError(assert, await as[who].post('/api/v1/admin/webhooks', { url: recv.url('/x'), event_kinds: ['goal.completed'] }), 403, 'forbidden');
  }
  for (const url of ['ftp://example.com/hook', 'not a url', '', '/relative/path', 'javascript:alert(1)', 'file:///etc/passwd', 'http://']) {
    const r = await as.admin.post('/api/v1/admin/webhooks', { url, event_kinds: ['goal.completed'] });
    expectError(assert, r, 422, 'validation_failed');
    assert.ok(r.json.error.fields.url, r.text);
  }
  const k = await as.admin.post('/api/v1/admin/webhooks', { url: recv.url('/x'), event_kinds: ['goal.created'] });
  expectError(assert, k, 422, 'validation_failed');
  assert.ok(k.json.error.fields.event_kinds);
  expectError(assert, await as.admin.post('/api/v1/admin/webhooks', { url: recv.url('/x'), event_kinds: [] }), 422, 'validation_failed');
  const list = await as.admin.get('/api/v1/admin/webhooks');
  assert.equal(list.status, 200);
  assert.equal(list.json.items.length, 0);
  assert.ok(list.json.event_kinds.includes('goal.completed'));
  expectError(assert, await as.admin.get('/api/v1/admin/webhooks/999'), 404, 'not_found');
});

test('a public goal completed is delivered once, signed; a private one sends nothing', async () => {
  const ep = await register('/goals', ['goal.completed']);
  const list = await as.admin.get('/api/v1/admin/webhooks');
  assert.equal(list.json.items.length, 1);
  assert.equal(list.json.items[0].secret, undefined, 'the secret is never listed');
  assert.deepEqual(list.json.items[0].event_kinds, ['goal.completed']);

  const priv = (await as.self.post('/api/v1/goals', { title: 'Secret plan', visibility: 'private', ...Y })).json;
  assert.equal((await as.self.patch(`/api/v1/goals/${priv.id}`, { status: 'done' })).status, 200);
  const pub = (await as.self.post('/api/v1/goals', { title: 'Ship the docs', visibility: 'public', ...Y })).json;
  assert.equal((await as.self.patch(`/api/v1/goals/${pub.id}`, { status: 'done' })).status, 200);

  const got = await waitFor(() => recv.ok('/goals').length >= 1);
  assert.ok(got, 'the public goal arrived');
  await sleep(2500);
  const all = recv.got.filter((g) => g.path === '/goals');
  assert.equal(all.length, 1, 'one request: the private goal sent nothing');
  const d = all[0];
  assert.ok(d.verified, 'the signature verifies');
  assert.equal(d.headers['trellis-event'], 'goal.completed');
  assert.equal(d.headers['trellis-delivery'], d.json.id);
  assert.match(d.json.id, /^evt_[0-9a-f]{32}$/);
  assert.equal(d.json.kind, 'goal.completed');
  assert.equal(d.json.data.goal.id, pub.id);
  assert.equal(d.json.data.goal.title, 'Ship the docs');
  assert.ok(Math.abs(Number(d.headers['trellis-timestamp']) - Date.now() / 1000) < 60);
  assert.doesNotMatch(d.body, /Secret plan/);

  const dl = await as.admin.get(`/api/v1/admin/webhooks/${ep.id}/deliveries`);
  assert.equal(dl.status, 200);
  assert.equal(dl.json.items.length, 1);
  assert.equal(dl.json.items[0].status, 'delivered');
  assert.equal(dl.json.items[0].event_id, d.json.id);
  assert.equal(dl.json.items[0].last_status_code, 200);
  assert.deepEqual(dl.json.items[0].history.map((h) => h.status_code), [200]);
  expectError(assert, await as.hr.get(`/api/v1/admin/webhooks/${ep.id}/deliveries`), 403, 'forbidden');
  assert.equal((await as.admin.del(`/api/v1/admin/webhooks/${ep.id}`)).status, 204);
});

test('a receiver failing with 500 gets the retry with the same event id, exactly once delivered', async () => {
  const ep = await register('/flaky', ['feedback.given', 'person.changed']);
  recv.failFirst['/flaky'] = 2;
  const fb = await as.peer.post('/api/v1/feedback', { recipient_id: ids.self, kind: 'praise', visibility: 'public', body: 'Great demo WORDS-NOT-SENT' });
  assert.equal(fb.status, 201, fb.text);
  const hidden = await as.peer.post('/api/v1/feedback', { recipient_id: ids.self, kind: 'praise', visibility: 'private', body: 'PRIVATE-PRAISE' });
  assert.equal(hidden.status, 201, hidden.text);
  assert.ok(await waitFor(() => recv.ok('/flaky').length >= 1, 30000), 'the retry arrived');
  await sleep(2500);
  const tries = recv.got.filter((g) => g.path === '/flaky');
  assert.equal(tries.length, 3, 'two 500s, then the 200');
  assert.ok(tries.every((t) => t.verified));
  assert.equal(new Set(tries.map((t) => t.headers['trellis-delivery'])).size, 1, 'the same event id on every try');
  assert.equal(recv.ok('/flaky').length, 1, 'delivered exactly once');
  const ev = tries[2].json;
  assert.equal(ev.kind, 'feedback.given');
  assert.equal(ev.data.feedback.id, fb.json.id);
  assert.equal(ev.data.feedback.to.id, ids.self);
  assert.doesNotMatch(tries[2].body, /WORDS-NOT-SENT|PRIVATE-PRAISE/);
  const dl = (await as.admin.get(`/api/v1/admin/webhooks/${ep.id}/deliveries`)).json.items;
  assert.equal(dl.length, 1, 'private feedback is no event');
  assert.equal(dl[0].attempts, 3);
  assert.deepEqual(dl[0].history.map((h) => h.status_code), [500, 500, 200]);
  assert.match(dl[0].history[0].error, /500/);

  // an HR edit of a person is a person.changed event with directory fields only
  assert.equal((await as.hr.patch(`/api/v1/people/${ids.report}`, { title: 'Engineer II' })).status, 200);
  const pc = await waitFor(() => recv.ok('/flaky').find((g) => g.json.kind === 'person.changed'));
  assert.ok(pc, 'person.changed arrived');
  assert.equal(pc.json.data.person.id, ids.report);
  assert.equal(pc.json.data.person.title, 'Engineer II');
  assert.equal(pc.json.data.change, 'updated');
  assert.doesNotMatch(pc.body, /@acme\.example|P1|hire/);
  assert.equal((await as.admin.del(`/api/v1/admin/webhooks/${ep.id}`)).status, 204);
});

test('a test event, a rotated secret, a failed delivery redelivered', async () => {
  const ep = await register('/down', ['review.released']);
  recv.failFirst['/down'] = -1;
  const t = await as.admin.post(`/api/v1/admin/webhooks/${ep.id}/test`, {});
  assert.equal(t.status, 202, t.text);
  assert.match(t.json.event_id, /^evt_/);
  // 6 attempts 1 s apart, then failed
  const failed = await waitFor(async () => {
    const it = (await as.admin.get(`/api/v1/admin/webhooks/${ep.id}/deliveries`)).json.items[0];
    return it && it.status === 'failed' ? it : null;
  }, 30000);
  assert.ok(failed, 'the delivery failed in the end');
  assert.equal(failed.attempts, 6);
  assert.equal(failed.history.length, 6);
  assert.equal(failed.last_status_code, 500);
  expectError(assert, await as.admin.post(`/api/v1/admin/webhooks/${ep.id}/deliveries/999999/redeliver`, {}), 409, 'not_failed');

  // a new secret: the old one no longer verifies
  const rot = await as.admin.post(`/api/v1/admin/webhooks/${ep.id}/rotate-secret`, {});
  assert.equal(rot.status, 200, rot.text);
  assert.notEqual(rot.json.secret, recv.secrets['/down']);
  recv.secrets['/down'] = rot.json.secret;
  recv.failFirst['/down'] = 0;
  const rd = await as.admin.post(`/api/v1/admin/webhooks/${ep.id}/deliveries/${failed.id}/redeliver`, {});
  assert.equal(rd.status, 200, rd.text);
  const ok = await waitFor(() => recv.ok('/down').length >= 1);
  assert.ok(ok, 'redelivered');
  const d = recv.ok('/down')[0];
  assert.equal(d.headers['trellis-delivery'], t.json.event_id);
  assert.equal(d.headers['trellis-event'], 'ping');
  const item = (await as.admin.get(`/api/v1/admin/webhooks/${ep.id}/deliveries`)).json.items[0];
  assert.equal((await waitFor(async () => (await as.admin.get(`/api/v1/admin/webhooks/${ep.id}/deliveries`)).json.items[0].status === 'delivered')), true, JSON.stringify(item));

  // a change of kinds and a pause: an inactive endpoint is sent nothing
  const p = await as.admin.patch(`/api/v1/admin/webhooks/${ep.id}`, { active: false, event_kinds: ['person.changed'] });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.active, false);
  assert.deepEqual(p.json.event_kinds, ['person.changed']);
  expectError(assert, await as.admin.patch(`/api/v1/admin/webhooks/${ep.id}`, { url: 'gopher://x' }), 422, 'validation_failed');
  const downs = () => recv.got.filter((g) => g.path === '/down').length;
  const before = downs();
  assert.equal((await as.hr.patch(`/api/v1/people/${ids.report}`, { title: 'Engineer III' })).status, 200);
  await sleep(2500);
  assert.equal(downs(), before, 'an inactive endpoint is sent nothing');
  assert.equal((await as.admin.get(`/api/v1/admin/webhooks/${ep.id}/deliveries`)).json.items.length, 1);
  const audit = await as.admin.get('/api/v1/audit?limit=200');
  assert.ok(audit.json.items.some((a) => a.action === 'webhook.create'));
  assert.doesNotMatch(audit.text, /whsec_/, 'the audit never holds a secret');
  const created = audit.json.items.filter((a) => a.action === 'webhook.create');
  assert.ok(created.length >= 3);
  for (const a of created) {
    assert.match(a.after.url_origin, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.doesNotMatch(JSON.stringify(a), /\d\/(down|goals|flaky)/, 'the audit keeps the origin of the URL, not its path');
  }
  assert.doesNotMatch(srv.stderr, /whsec_/, 'the log never holds a secret');
  assert.equal((await as.admin.del(`/api/v1/admin/webhooks/${ep.id}`)).status, 204);
  expectError(assert, await as.admin.get(`/api/v1/admin/webhooks/${ep.id}`), 404, 'not_found');
});

test('a one-on-one held is an event without its notes', async () => {
  const ep = await register('/meetings', ['oneonone.held']);
  const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
  const day = new Date(Date.now() + 3 * 86400000);
  const s = await as.manager.post('/api/v1/one-on-ones', { with: ids.self, weekday: WEEKDAYS[day.getUTCDay()], first_date: day.toISOString().slice(0, 10), time: '09:00', timezone: 'Europe/Paris' });
  assert.equal(s.status, 201, s.text);
  const mid = s.json.next_meeting.id;
  await as.manager.patch(`/api/v1/one-on-ones/meetings/${mid}`, { shared_notes: 'SHARED-NOTE', private_note: 'PRIVATE-NOTE' });
  assert.equal((await as.manager.post(`/api/v1/one-on-ones/meetings/${mid}/complete`, {})).status, 200);
  const got = await waitFor(() => recv.ok('/meetings')[0]);
  assert.ok(got, 'oneonone.held arrived');
  assert.ok(got.verified);
  assert.equal(got.json.kind, 'oneonone.held');
  assert.equal(got.json.data.meeting.id, mid);
  assert.deepEqual(got.json.data.meeting.participant_ids.sort(), [ids.manager, ids.self].sort());
  assert.doesNotMatch(got.body, /SHARED-NOTE|PRIVATE-NOTE/);
  assert.equal((await as.admin.del(`/api/v1/admin/webhooks/${ep.id}`)).status, 204);
});

test('two servers on one database deliver each event once', async () => {
  const ep = await register('/twice', ['person.changed']);
  const second = await startServer({ db: srv.db, keepDb: true, env: { TRELLIS_SCHEDULER_INTERVAL: '1', TRELLIS_WEBHOOK_RETRY_SECONDS: '1' } });
  try {
    const titles = ['T1', 'T2', 'T3', 'T4', 'T5', 'T6'];
    for (const t of titles) assert.equal((await as.hr.patch(`/api/v1/people/${ids.peer}`, { title: `Engineer ${t}` })).status, 200);
    assert.ok(await waitFor(() => recv.ok('/twice').length >= titles.length, 30000), 'every event arrived');
    await sleep(3000);
    const got = recv.got.filter((g) => g.path === '/twice');
    assert.equal(got.length, titles.length, 'one request per event, whichever server sent it');
    assert.equal(new Set(got.map((g) => g.headers['trellis-delivery'])).size, titles.length);
    assert.ok(got.every((g) => g.verified));
    const dl = (await as.admin.get(`/api/v1/admin/webhooks/${ep.id}/deliveries`)).json.items;
    assert.ok(dl.every((d) => d.status === 'delivered' && d.attempts === 1 && d.history.length === 1), JSON.stringify(dl));
  } finally {
    await second.stop();
  }
  assert.equal((await as.admin.del(`/api/v1/admin/webhooks/${ep.id}`)).status, 204);
});

test('a person added by the HRIS import is a person.changed event', async () => {
  const ep = await register('/import', ['person.changed']);
  const file = join(srv.db.dir, 'hire.csv');
  writeFileSync(file, 'employee_id,name,email,title,department,manager_id,level,hire_date\nE20,Nia New,nia@acme.example,Designer,Engineering,E3,P2,2026-11-02\n');
  const r = srv.cli(['import', 'people', file]);
  assert.equal(r.status, 0, r.stderr);
  const got = await waitFor(() => recv.ok('/import')[0]);
  assert.ok(got, 'the import\'s event arrived');
  assert.equal(got.json.data.change, 'created');
  assert.equal(got.json.data.person.name, 'Nia New');
  assert.doesNotMatch(got.body, /nia@acme|P2|2026-11-02/);
  assert.equal((await as.admin.del(`/api/v1/admin/webhooks/${ep.id}`)).status, 204);
});

test('releasing review outcomes is a review.released event without ratings or names', async () => {
  const ep = await register('/reviews', ['review.released']);
  const mk = async (name, kind, questions) => {
    const r = await as.hr.post('/api/v1/review-templates', { name, kind, questions });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  const self = await mk('Self', 'self', [{ id: 'overall', type: 'rating', text: 'Your year' }]);
  const manager = await mk('Manager', 'manager', [{ id: 'overall', type: 'rating', text: 'Overall' }]);
  const c = await as.hr.post('/api/v1/review-cycles', { name: 'Hooks year end', period_start: '2026-01-01', period_end: '2026-12-31', self_template_id: self, manager_template_id: manager });
  assert.equal(c.status, 201, c.text);
  assert.equal((await as.hr.post(`/api/v1/review-cycles/${c.json.id}/launch`, {})).status, 200);
  const r = await as.hr.post(`/api/v1/review-cycles/${c.json.id}/release`, { override: true, reason: 'Webhook drill' });
  assert.equal(r.status, 200, r.text);
  const got = await waitFor(() => recv.ok('/reviews')[0]);
  assert.ok(got, 'review.released arrived');
  assert.equal(got.json.kind, 'review.released');
  assert.equal(got.json.data.cycle.id, c.json.id);
  assert.equal(got.json.data.cycle.name, 'Hooks year end');
  assert.ok(got.json.data.released > 0);
  assert.doesNotMatch(got.body, /rating|potential|Zoë|Webhook drill/);
  assert.equal((await as.admin.del(`/api/v1/admin/webhooks/${ep.id}`)).status, 204);
});

test('trellis remind delivers due webhooks too (cron without serve\'s scheduler)', async () => {
  const quiet = await startServer({ people: org.csv, users: org.users, env: { TRELLIS_SCHEDULER_INTERVAL: '86400' } });
  try {
    const admin = await quiet.login(org.byKey.admin, PASSWORD);
    const r = await admin.post('/api/v1/admin/webhooks', { url: recv.url('/cron'), event_kinds: ['goal.completed'] });
    assert.equal(r.status, 201, r.text);
    recv.secrets['/cron'] = r.json.secret;
    assert.equal((await admin.post(`/api/v1/admin/webhooks/${r.json.id}/test`, {})).status, 202);
    await sleep(1500);
    assert.equal(recv.got.filter((g) => g.path === '/cron').length, 0, 'the scheduler is asleep');
    // asynchronously: the receiver lives in this process and must answer meanwhile
    const run = await promisify(execFile)(BIN, ['remind', ...quiet.common], { timeout: 60000 });
    assert.match(run.stdout, /webhooks: 1 delivered/);
    const got = recv.ok('/cron');
    assert.equal(got.length, 1);
    assert.ok(got[0].verified, 'signed with the secret the server shows, by the CLI');
  } finally {
    await quiet.stop();
  }
});
