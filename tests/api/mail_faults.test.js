// Mail faults through a real SMTP server (tests/support/smtp.js, aiosmtpd): a sender with a
// display name, a long paragraph against a server that refuses lines over 998 octets, a retry
// that carries the same Message-ID, a server that refuses for good (bounded attempts, a log line
// each, failed and visible to admins only), and a slow server with two Trellis servers on one
// database (the lease is renewed while sending: nothing goes twice).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, PASSWORD, expectError } from '../support/trellis.js';
import { startSmtp } from '../support/smtp.js';

const org = fixtureOrg();
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const summaries = (m) => /One-on-one summary/.test(m.subject);

async function setup(smtp, env = {}, more = {}) {
  const srv = await startServer({
    people: org.csv, users: org.users, ...more,
    env: { TRELLIS_SMTP_URL: smtp.url, TRELLIS_SMTP_FROM: 'Trellis <hr@acme.example>', TRELLIS_SCHEDULER_INTERVAL: '1', TRELLIS_SMTP_RETRY_SECONDS: '1', ...env },
  });
  const as = {};
  for (const k of ['manager', 'self', 'admin', 'hr']) as[k] = await srv.login(org.byKey[k], PASSWORD);
  const ids = {};
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  return { srv, as, ids };
}

/** A one-on-one of the manager and self, held with these shared notes: two summary emails. */
async function holdMeeting({ as, ids }, notes) {
  const day = new Date(Date.now() + 3 * 86400000);
  const s = await as.manager.post('/api/v1/one-on-ones', { with: ids[org.byKey.self], weekday: WEEKDAYS[day.getUTCDay()], first_date: day.toISOString().slice(0, 10), time: '09:00', timezone: 'Europe/Paris' });
  assert.equal(s.status, 201, s.text);
  const mid = s.json.next_meeting.id;
  assert.equal((await as.manager.patch(`/api/v1/one-on-ones/meetings/${mid}`, { shared_notes: notes })).status, 200);
  assert.equal((await as.manager.post(`/api/v1/one-on-ones/meetings/${mid}/complete`, {})).status, 200);
  return mid;
}

async function until(fn, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v || Date.now() > end) return v;
    await sleep(250);
  }
}

test('a sender with a display name and a 3,000-character paragraph deliver as multipart/alternative, quoted-printable, lines within 998 octets', async () => {
  const smtp = await startSmtp();
  const t = await setup(smtp);
  try {
    const paragraph = Array.from({ length: 400 }, (_, i) => `Zoë-${i}`).join(' ').padEnd(3000, ' ø').slice(0, 3000);
    assert.equal(paragraph.length, 3000);
    await holdMeeting(t, paragraph);
    const got = await smtp.waitFor(summaries, 2);
    assert.equal(got.length, 2, 'both sides got the summary');
    for (const m of got) {
      assert.equal(m.mailFrom, 'hr@acme.example', 'the envelope sender is the bare address');
      assert.match(m.headers.from, /^"?Trellis"? <hr@acme\.example>$/);
      assert.match(m.headers['content-type'], /^multipart\/alternative/);
      assert.deepEqual(m.parts.map((p) => p.type), ['text/plain', 'text/html']);
      assert.ok(m.parts.every((p) => p.cte === 'quoted-printable'), JSON.stringify(m.parts.map((p) => p.cte)));
      assert.ok(m.parts.every((p) => /charset="?utf-8/i.test(p.headers['content-type'])));
      assert.ok(m.body.includes(paragraph), 'the paragraph arrives whole in the text part');
      assert.ok(m.html.includes(paragraph), 'and in the HTML part');
      const lines = m.raw.split('\r\n');
      assert.ok(lines.every((l) => Buffer.byteLength(l, 'latin1') <= 998), 'every line within 998 octets');
      assert.ok(!/[^\r]\n/.test(m.raw), 'CRLF line ends only');
      assert.match(m.subject, /Mia Manager and Zoë Ōtsuka/, 'the UTF-8 subject reads back');
      assert.ok(/^[\x20-\x7e]*$/.test(m.raw.match(/^Subject:.*(\r\n[ \t].*)*/m)[0].replace(/\r\n/g, '')), 'the subject is encoded (RFC 2047)');
      assert.ok(!Number.isNaN(Date.parse(m.headers.date)), 'a Date header');
      assert.match(m.headers['message-id'], /^<outbox-\d+\.[0-9a-f]{16}@acme\.example>$/);
    }
    assert.notEqual(got[0].headers['message-id'], got[1].headers['message-id']);
  } finally {
    await t.srv.stop();
    await smtp.close();
  }
});

test('a retry carries the same Message-ID, so the copy is recognisable', async () => {
  // the server keeps each message but answers 451 the first time: Trellis cannot know it arrived
  const smtp = await startSmtp({ fail: 'once' });
  const t = await setup(smtp);
  try {
    await holdMeeting(t, 'Short notes.');
    const got = await smtp.waitFor(summaries, 4);
    assert.equal(got.length, 4, 'two refused copies and two accepted ones');
    const byTo = {};
    for (const m of got) (byTo[m.to] ||= []).push(m.headers['message-id']);
    for (const [to, idsOf] of Object.entries(byTo)) {
      assert.equal(idsOf.length, 2, to);
      assert.equal(idsOf[0], idsOf[1], `the same Message-ID for both copies to ${to}`);
    }
    const sent = (await t.as.admin.get('/api/v1/admin/outbox?status=sent')).json.items.filter((x) => /One-on-one summary/.test(x.subject));
    assert.equal(sent.length, 2);
    for (const x of sent) {
      assert.equal(x.attempts, 2);
      assert.ok(byTo[x.to].includes(x.message_id), 'the outbox shows the Message-ID that went out');
    }
  } finally {
    await t.srv.stop();
    await smtp.close();
  }
});

test('a server that refuses for good: bounded attempts, a log line each, failed, seen by admins only, and retried on demand', async () => {
  const smtp = await startSmtp({ fail: 'always' });
  const t = await setup(smtp, { TRELLIS_SMTP_MAX_ATTEMPTS: '3' });
  try {
    await holdMeeting(t, 'SECRET-BODY-TEXT in the notes.');
    const failed = await until(async () => {
      const r = await t.as.admin.get('/api/v1/admin/outbox?status=failed');
      const items = r.json.items.filter((x) => /One-on-one summary/.test(x.subject));
      return items.length === 2 ? items : null;
    });
    assert.ok(failed, 'both messages end failed');
    for (const x of failed) {
      assert.equal(x.attempts, 3, 'three attempts, then no more');
      assert.match(x.last_error, /554/);
      assert.ok(['manager@acme.example', 'self@acme.example'].includes(x.to));
      assert.equal(x.status, 'failed');
    }
    await sleep(3000);
    assert.equal((await t.as.admin.get('/api/v1/admin/outbox?status=failed')).json.items.filter((x) => x.attempts !== 3).length, 0, 'no attempt after the last');
    const lines = t.srv.logLines().filter((l) => /^email delivery failed/.test(l.msg || ''));
    for (const x of failed) {
      const mine = lines.filter((l) => l.outbox_id === x.id);
      assert.equal(mine.length, 3, `one log line per attempt of ${x.id}`);
      assert.ok(mine.every((l) => l.domain === 'acme.example' && /554/.test(l.error)));
      assert.equal(mine.filter((l) => l.gave_up).length, 1);
    }
    assert.ok(!/SECRET-BODY-TEXT/.test(t.srv.stderr), 'the log never holds the body');
    assert.ok(!/(manager|self)@acme\.example/.test(lines.map((l) => JSON.stringify(l)).join('\n')), 'nor the address');
    expectError(assert, await t.as.self.get('/api/v1/admin/outbox?status=failed'), 403, 'forbidden');
    expectError(assert, await t.as.hr.get('/api/v1/admin/outbox?status=failed'), 403, 'forbidden');
    expectError(assert, await t.as.self.post(`/api/v1/admin/outbox/${failed[0].id}/retry`, {}), 403, 'forbidden');
    const metrics = (await t.srv.anon().get('/metrics')).text;
    const gauge = Number((metrics.match(/^trellis_outbox_messages\{status="failed"\} (\d+)$/m) || [])[1]);
    assert.ok(gauge >= 2, 'the failed messages show in /metrics');

    // the server is fixed; an admin queues one message again and it goes out
    await smtp.stop();
    await smtp.start({});
    const r = await t.as.admin.post(`/api/v1/admin/outbox/${failed[0].id}/retry`, {});
    assert.equal(r.status, 200, r.text);
    const got = await smtp.waitFor(summaries, 1);
    assert.equal(got.length, 1);
    assert.equal(got[0].to, failed[0].to);
    expectError(assert, await t.as.admin.post(`/api/v1/admin/outbox/${failed[0].id}/retry`, {}), 404, 'not_found');
  } finally {
    await t.srv.stop();
    await smtp.close();
  }
});

test('a slow server (8 s) with two Trellis servers on one database: the lease outlives the transaction and nothing goes twice', async () => {
  const smtp = await startSmtp();
  const env = { TRELLIS_SMTP_LEASE_SECONDS: '3', TRELLIS_SMTP_TIMEOUT_SECONDS: '30' };
  const t = await setup(smtp, env);
  const second = await startServer({ db: t.srv.db, keepDb: true, env: { TRELLIS_SMTP_URL: smtp.url, TRELLIS_SMTP_FROM: 'Trellis <hr@acme.example>', TRELLIS_SCHEDULER_INTERVAL: '1', TRELLIS_SMTP_RETRY_SECONDS: '1', ...env } });
  try {
    // the reminders of the start go out quickly; then the server answers the data after 8 s
    assert.ok(await until(async () => (await t.as.admin.get('/api/v1/admin/outbox?status=queued')).json.items.length === 0));
    await smtp.stop();
    await smtp.start({ delay: 8 });
    await holdMeeting(t, 'Notes for a slow server.');
    const got = await smtp.waitFor(summaries, 2, 40000);
    assert.equal(got.length, 2, 'both arrived');
    await sleep(12000); // longer than another slow transaction would take
    const all = smtp.messages().filter(summaries);
    assert.equal(all.length, 2, 'each went once');
    assert.equal(new Set(all.map((m) => m.headers['message-id'])).size, 2);
    const sent = (await t.as.admin.get('/api/v1/admin/outbox?status=sent')).json.items.filter((x) => /One-on-one summary/.test(x.subject));
    assert.equal(sent.length, 2);
    assert.ok(sent.every((x) => x.attempts === 1), JSON.stringify(sent));
  } finally {
    await second.stop();
    await t.srv.stop();
    await smtp.close();
  }
});
