// The one-on-one summary email through a real SMTP server (Debian's aiosmtpd): it arrives once
// for each side with the agenda outcomes, shared notes and action items (never a private note);
// with the server down it waits in the outbox with its error and arrives once the server is back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, PASSWORD } from '../support/trellis.js';
import { startSmtp } from '../support/smtp.js';

const org = fixtureOrg();
let srv, smtp;
const as = {};
const ids = {};
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const day = new Date(Date.now() + 3 * 86400000);
const summaries = (m) => /One-on-one summary/.test(m.subject);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  smtp = await startSmtp();
  srv = await startServer({
    people: org.csv, users: org.users,
    env: { TRELLIS_SMTP_URL: smtp.url, TRELLIS_SMTP_FROM: 'trellis@acme.example', TRELLIS_SCHEDULER_INTERVAL: '1', TRELLIS_SMTP_RETRY_SECONDS: '1', TRELLIS_PUBLIC_URL: 'https://trellis.example.com/' },
  });
  for (const [k, email] of Object.entries(org.byKey)) as[k] = await srv.login(email, PASSWORD);
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
});
after(async () => { await srv?.stop(); await smtp?.close(); });

test('the summary arrives once for each side, with the right content', async () => {
  const s = await as.manager.post('/api/v1/one-on-ones', { with: ids.self, weekday: WEEKDAYS[day.getUTCDay()], first_date: day.toISOString().slice(0, 10), time: '09:00', timezone: 'Europe/Paris' });
  assert.equal(s.status, 201, s.text);
  const mid = s.json.next_meeting.id;
  await as.self.post(`/api/v1/one-on-ones/meetings/${mid}/points`, { section: 'development', body: 'Conference talk proposal' });
  await as.manager.post(`/api/v1/one-on-ones/meetings/${mid}/actions`, { owner_id: ids.self, body: 'Send the talk abstract', due_date: '2027-01-15' });
  await as.manager.patch(`/api/v1/one-on-ones/meetings/${mid}`, { shared_notes: 'Zoë will submit to two conferences.', private_note: 'SECRET-manager-only' });
  // the agenda's goals and development plan, as both sides may read them
  const iso = (d) => new Date(Date.now() + d * 86400000).toISOString().slice(0, 10);
  const period = { start_date: iso(-30), due_date: iso(60) };
  const goal = await as.self.post('/api/v1/goals', { title: 'Speak at two conferences', ...period, key_results: [{ title: 'Talks given', start: 0, target: 5, current: 2 }] });
  assert.equal(goal.status, 201, goal.text);
  assert.equal((await as.self.post('/api/v1/goals', { title: 'PRIVATE-GOAL-job-hunt', visibility: 'private', ...period })).status, 201);
  assert.equal((await as.self.put(`/api/v1/people/${ids.self}/idp`, { short_term: 'Speak in public with confidence' })).status, 200);
  assert.equal((await as.self.post(`/api/v1/people/${ids.self}/idp/actions`, { kind: 'course', title: 'Public speaking course', due_date: iso(45) })).status, 201);
  assert.equal((await as.manager.post(`/api/v1/one-on-ones/meetings/${mid}/complete`, {})).status, 200);

  const got = await smtp.waitFor(summaries, 2);
  assert.equal(got.length, 2, 'one message for each side');
  assert.deepEqual(got.map((m) => m.to).sort(), ['manager@acme.example', 'self@acme.example']);
  for (const m of got) {
    assert.match(m.subject, /Mia Manager and Zoë Ōtsuka/);
    assert.match(m.body, /Conference talk proposal/);
    assert.match(m.body, /Zoë will submit to two conferences\./);
    assert.match(m.body, /Zoë Ōtsuka: Send the talk abstract, due 2027-01-15/);
    assert.ok(m.body.includes(`https://trellis.example.com/#/one-on-ones/meetings/${mid}`), 'a link to the meeting');
    assert.match(m.body, /Speak at two conferences: 40%/);
    assert.match(m.body, /Development plan\s+- planned: Public speaking course, due /);
    assert.doesNotMatch(m.body, /PRIVATE-GOAL/, 'a private goal is the member\'s alone');
    assert.doesNotMatch(m.body, /SECRET/);
  }
  // the sink keeps a message before it answers 250: Trellis marks it sent a moment later
  let meeting = (await as.self.get(`/api/v1/one-on-ones/meetings/${mid}`)).json;
  for (let i = 0; i < 25 && !meeting.summary_emails.every((e) => e.sent_at); i++) {
    await sleep(200);
    meeting = (await as.self.get(`/api/v1/one-on-ones/meetings/${mid}`)).json;
  }
  assert.ok(meeting.summary_emails.every((e) => e.sent_at), 'the meeting shows when it was sent');
  await sleep(3000);
  assert.equal(smtp.messages().filter(summaries).length, 2, 'never sent twice');
});

test('a notification email links to the page that resolves it (public_url)', async () => {
  assert.equal((await as.self.put('/api/v1/me/notification-preferences', { kinds: { feedback_received: 'email' } })).status, 200);
  const f = await as.peer.post('/api/v1/feedback', { recipient_id: ids.self, kind: 'praise', visibility: 'public', body: 'Linked praise.' });
  assert.equal(f.status, 201, f.text);
  const got = await smtp.waitFor((m) => m.to === 'self@acme.example' && /You received feedback/.test(m.subject), 1);
  assert.equal(got.length, 1);
  assert.ok(got[0].body.includes('Open it in Trellis: https://trellis.example.com/#/feedback?tab=received'), got[0].body);
});

test('with the mail server down the summary waits, then arrives once it is back', async () => {
  await smtp.stop();
  const next = (await as.manager.get('/api/v1/one-on-ones')).json.items.find((x) => x.member.id === ids.self).next_meeting;
  assert.equal((await as.self.post(`/api/v1/one-on-ones/meetings/${next.id}/complete`, {})).status, 200);
  let m;
  for (let i = 0; i < 50; i++) {
    await sleep(200);
    m = (await as.self.get(`/api/v1/one-on-ones/meetings/${next.id}`)).json;
    if (m.summary_emails.every((e) => e.attempts >= 1 && e.last_error)) break;
  }
  assert.ok(m.summary_emails.every((e) => e.attempts >= 1 && e.last_error && !e.sent_at), JSON.stringify(m.summary_emails));
  await smtp.start();
  const got = await smtp.waitFor(summaries, 4, 30000);
  assert.equal(got.length, 4, 'the two waiting messages arrived');
  m = (await as.self.get(`/api/v1/one-on-ones/meetings/${next.id}`)).json;
  for (let i = 0; i < 20 && !m.summary_emails.every((e) => e.sent_at); i++) {
    await sleep(200);
    m = (await as.self.get(`/api/v1/one-on-ones/meetings/${next.id}`)).json;
  }
  assert.ok(m.summary_emails.every((e) => e.sent_at && e.last_error === null));
  await sleep(2500);
  assert.equal(smtp.messages().filter(summaries).length, 4, 'nothing twice after the retry');
});

test('two servers on one database: each reminder exists once and each email goes once', async () => {
  const second = await startServer({
    db: srv.db, keepDb: true,
    env: { TRELLIS_SMTP_URL: smtp.url, TRELLIS_SMTP_FROM: 'trellis@acme.example', TRELLIS_SCHEDULER_INTERVAL: '1', TRELLIS_SMTP_RETRY_SECONDS: '1' },
  });
  try {
    const before = smtp.messages().filter(summaries).length;
    // a meeting within a day, with an empty agenda: both servers' schedulers see it
    const t = new Date(Date.now() + 86400000);
    const hh = String(Math.max(0, new Date().getUTCHours() - 1)).padStart(2, '0');
    const s = await as.hr.post('/api/v1/one-on-ones', { with: ids.ceo, weekday: WEEKDAYS[t.getUTCDay()], first_date: t.toISOString().slice(0, 10), time: `${hh}:00`, timezone: 'UTC' });
    assert.equal(s.status, 201, s.text);
    await sleep(4000);
    const mine = (await as.hr.get('/api/v1/notifications')).json.items.filter((n) => n.kind === 'agenda_empty');
    assert.equal(mine.length, 1, 'one reminder, not one per server');
    // a summary completed through the second server is delivered once by whichever claims it
    assert.equal((await as.hr.post(`/api/v1/one-on-ones/meetings/${s.json.next_meeting.id}/complete`, {})).status, 200);
    const got = await smtp.waitFor(summaries, before + 2);
    assert.equal(got.length, before + 2);
    await sleep(3000);
    assert.equal(smtp.messages().filter(summaries).length, before + 2, 'never twice across servers');
    assert.equal(smtp.messages().filter((m) => m.to === 'hr@acme.example' && /within a day/.test(m.body)).length, 1, 'the reminder email went once');
  } finally {
    await second.stop();
  }
});

test('notes with lines that are a lone dot, start with one or end in CR arrive whole (SMTP dot-stuffing, CRLF)', async () => {
  const s = await as.manager.post('/api/v1/one-on-ones', { with: ids.peer, weekday: WEEKDAYS[day.getUTCDay()], first_date: day.toISOString().slice(0, 10), time: '11:00', timezone: 'Europe/Paris' });
  assert.equal(s.status, 201, s.text);
  const mid = s.json.next_meeting.id;
  const notes = 'DOTS-first line\n.\n.hidden after a dot\r\n..two dots\rold Mac line\nDOTS-last line';
  assert.equal((await as.manager.patch(`/api/v1/one-on-ones/meetings/${mid}`, { shared_notes: notes })).status, 200);
  assert.equal((await as.manager.post(`/api/v1/one-on-ones/meetings/${mid}/complete`, {})).status, 200);
  const got = await smtp.waitFor((m) => summaries(m) && /DOTS-first/.test(m.body), 2);
  assert.equal(got.length, 2);
  for (const m of got) {
    const lines = m.body.split(/\r?\n/);
    const at = lines.findIndex((l) => l.includes('DOTS-first line'));
    assert.ok(at >= 0, m.body);
    assert.deepEqual(lines.slice(at + 1, at + 6).map((l) => l.trim()), ['.', '.hidden after a dot', '..two dots', 'old Mac line', 'DOTS-last line'], m.body);
  }
});
