// Notifications for every workflow event and the preferences that govern them: who is told and
// who is not, written in the event's transaction (a failed event writes no notification),
// per-kind channels (in the app, by email, off), and the scheduler batching a pass's reminders
// into one email per person and the daily digest into one message a day. SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, expectError, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
let srv;
const as = {};
const ids = {};
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

const notes = async (who, kind) => {
  const r = await as[who].get('/api/v1/notifications?limit=200');
  assert.equal(r.status, 200, r.text);
  return r.json.items.filter((n) => !kind || n.kind === kind);
};
const queued = async (to) => (await as.admin.get('/api/v1/admin/outbox?status=queued&limit=200')).json.items.filter((m) => !to || m.to === to);
const prefs = async (who, body) => {
  const r = await as[who].put('/api/v1/me/notification-preferences', body);
  assert.equal(r.status, 200, r.text);
  return r.json;
};

before(async () => {
  // the scheduler stays out of the way: the tests run passes with `trellis remind`
  srv = await startServer({ people: org.csv, users: org.users, env: { TRELLIS_SCHEDULER_INTERVAL: '86400' } });
  for (const [k, email] of Object.entries(org.byKey)) as[k] = await srv.login(email, PASSWORD);
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
});
after(async () => { await srv?.stop(); });

test('preferences: every kind with its default; only what is sent changes; bad input changes nothing', async () => {
  let r = await as.peer.get('/api/v1/me/notification-preferences');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.digest, false);
  const byKind = Object.fromEntries(r.json.kinds.map((k) => [k.kind, k]));
  assert.equal(byKind.review_assigned.channel, 'email', 'important kinds are emailed by default');
  assert.equal(byKind.feedback_received.channel, 'app');
  assert.ok(byKind.review_assigned.label.length > 5, 'each kind has words a person understands');

  let p = await prefs('peer', { kinds: { feedback_received: 'email' } });
  assert.equal(p.kinds.find((k) => k.kind === 'feedback_received').channel, 'email');
  assert.equal(p.kinds.find((k) => k.kind === 'review_assigned').channel, 'email', 'untouched');
  p = await prefs('peer', { digest: true });
  assert.equal(p.digest, true);
  assert.equal(p.kinds.find((k) => k.kind === 'feedback_received').channel, 'email', 'the digest alone changed');
  p = await prefs('peer', { digest: false, kinds: { feedback_received: 'app' } });
  assert.equal(p.digest, false);

  r = await as.peer.put('/api/v1/me/notification-preferences', { kinds: { feedback_received: 'off', bogus_kind: 'app' } });
  expectError(assert, r, 422, 'validation_failed');
  assert.match(r.json.error.fields.kinds, /bogus_kind/);
  r = await as.peer.put('/api/v1/me/notification-preferences', { kinds: { feedback_received: 'loud' } });
  expectError(assert, r, 422, 'validation_failed');
  expectError(assert, await as.peer.put('/api/v1/me/notification-preferences', { kinds: ['app'] }), 422, 'validation_failed');
  expectError(assert, await as.peer.put('/api/v1/me/notification-preferences', { digest: 'yes' }), 422, 'validation_failed');
  expectError(assert, await as.peer.put('/api/v1/me/notification-preferences', { other: 1 }), 422, 'validation_failed');
  r = await as.peer.get('/api/v1/me/notification-preferences');
  assert.equal(r.json.kinds.find((k) => k.kind === 'feedback_received').channel, 'app', 'nothing changed');
  expectError(assert, await srv.anon().get('/api/v1/me/notification-preferences'), 401, 'unauthenticated');
  // each person's own: another's choices do not show
  assert.equal((await as.self.get('/api/v1/me/notification-preferences')).json.digest, false);
  const audit = (await as.admin.get(`/api/v1/audit?entity=person&entity_id=${ids.peer}`)).json.items.filter((a) => a.action === 'notification_prefs.update');
  assert.equal(audit.length, 3, 'each change is audited');
});

test('feedback received: the recipient is told (any visibility), the author and the managers are not', async () => {
  const before = { self: (await notes('self')).length, manager: (await notes('manager')).length, peer: (await notes('peer')).length };
  const praise = await as.peer.post('/api/v1/feedback', { recipient_id: ids.self, kind: 'praise', visibility: 'public', body: 'Great demo on Friday.' });
  assert.equal(praise.status, 201, praise.text);
  const priv = await as.peer.post('/api/v1/feedback', { recipient_id: ids.self, kind: 'constructive', visibility: 'private', body: 'The PR descriptions could say why.' });
  assert.equal(priv.status, 201, priv.text);
  const got = await notes('self', 'feedback_received');
  assert.equal(got.length, 2);
  assert.deepEqual(got.map((n) => n.body).sort(), ['Pat Peer gave you feedback.', 'Pat Peer gave you praise.']);
  assert.ok(got.every((n) => n.link === '#/feedback?tab=received'));
  assert.ok(got.every((n) => !/descriptions|demo/.test(n.body)), 'the words stay in the feedback');
  assert.equal((await notes('manager')).length, before.manager, 'private feedback tells nobody else');
  assert.equal((await notes('peer')).length, before.peer, 'the author is not told');
  // in-app only by default: no email
  assert.equal((await queued('self@acme.example')).filter((m) => /feedback/i.test(m.subject)).length, 0);
});

test('feedback requests: the asked person is told with the topic; the answer tells the requester', async () => {
  const r = await as.self.post('/api/v1/feedback-requests', { asked_ids: [ids.peer], topic: 'My design review talk', due_date: '2099-01-31' });
  assert.equal(r.status, 201, r.text);
  const [n] = await notes('peer', 'feedback_request');
  assert.equal(n.body, 'Zoë Ōtsuka asks you for feedback on “My design review talk”.');
  assert.equal(n.link, '#/feedback?tab=requests');
  assert.equal((await notes('other', 'feedback_request')).length, 0, 'nobody else is asked');
  // feedback requests are emailed by default
  assert.equal((await queued('peer@acme.example')).filter((m) => m.subject === 'Trellis: Someone asks you for feedback').length, 1);
  const req = (await as.peer.get('/api/v1/feedback-requests')).json.items.find((x) => x.topic === 'My design review talk');
  const a = await as.peer.post(`/api/v1/feedback-requests/${req.id}/answer`, { kind: 'constructive', visibility: 'managers', body: 'Slow down on slide 3' });
  assert.equal(a.status, 201, a.text);
  const [ans] = await notes('self', 'feedback_answered');
  assert.equal(ans.body, 'Pat Peer answered your feedback request.');
  assert.equal((await notes('self', 'feedback_received')).length, 2, 'an answer is not also "feedback received"');
});

test('same transaction: a failure at any statement of the event writes no notification', async () => {
  const count = async () => (await notes('report', 'feedback_received')).length;
  const start = await count();
  let n = 1;
  for (; n < 40; n++) {
    const r = await as.peer.post('/api/v1/feedback', { recipient_id: ids.report, kind: 'praise', visibility: 'private', body: `Thanks for the help ${n}` }, { headers: { 'x-trellis-fault': String(n) } });
    if (r.status === 201) break;
    // a failed read refuses the write (422), a failed write answers 500: nothing is written
    assert.ok(r.status === 500 || r.status === 422, r.text);
    assert.equal(await count(), start, `fault at statement ${n} left a notification`);
  }
  assert.ok(n > 2 && n < 40, `the write succeeded once faults ran out (n=${n})`);
  assert.equal(await count(), start + 1);
  const given = (await as.peer.get('/api/v1/feedback?given=1&limit=200')).json.items.filter((f) => /Thanks for the help/.test(f.body));
  assert.equal(given.length, 1, 'exactly one feedback, exactly one notification');
});

test('off means off; email adds an email; the digest keeps it for the day', async () => {
  await prefs('other', { kinds: { feedback_received: 'off' } });
  assert.equal((await as.peer.post('/api/v1/feedback', { recipient_id: ids.other, kind: 'praise', visibility: 'public', body: 'Nice deal.' })).status, 201);
  assert.equal((await notes('other', 'feedback_received')).length, 0, 'turned off: no notification');

  await prefs('other', { kinds: { feedback_received: 'email' } });
  assert.equal((await as.peer.post('/api/v1/feedback', { recipient_id: ids.other, kind: 'praise', visibility: 'public', body: 'Nice deal again.' })).status, 201);
  assert.equal((await notes('other', 'feedback_received')).length, 1);
  assert.equal((await queued('sales@acme.example')).filter((m) => m.subject === 'Trellis: You received feedback').length, 1, 'emailed at once');

  await prefs('other', { digest: true });
  for (const body of ['Third one.', 'Fourth one.']) assert.equal((await as.peer.post('/api/v1/feedback', { recipient_id: ids.other, kind: 'praise', visibility: 'public', body })).status, 201);
  assert.equal((await notes('other', 'feedback_received')).length, 3, 'in the app at once');
  assert.equal((await queued('sales@acme.example')).length, 1, 'no email until the digest');
  const r = srv.cli(['remind']);
  assert.equal(r.status, 0, r.stderr);
  const mails = await queued('sales@acme.example');
  assert.equal(mails.length, 2, 'one digest');
  assert.ok(mails.some((m) => m.subject === 'Trellis: 2 things in your daily digest'), JSON.stringify(mails));
  // a day has not passed: the next one waits
  assert.equal((await as.peer.post('/api/v1/feedback', { recipient_id: ids.other, kind: 'praise', visibility: 'public', body: 'Fifth.' })).status, 201);
  assert.equal(srv.cli(['remind']).status, 0);
  assert.equal((await queued('sales@acme.example')).length, 2, 'one digest a day');
});

test('review assigned, one per writer and cycle, honouring off; release tells the employee; acknowledgement tells the manager', async () => {
  await prefs('report', { kinds: { review_assigned: 'off' } });
  const mk = async (name, kind) => (await as.hr.post('/api/v1/review-templates', { name, kind, questions: [{ id: 'overall', type: 'rating', text: 'Overall' }] })).json.id;
  const c = await as.hr.post('/api/v1/review-cycles', { name: 'Notify 2026', period_start: '2026-01-01', period_end: '2026-12-31', self_template_id: await mk('S', 'self'), manager_template_id: await mk('M', 'manager'), deadlines: { self: '2099-01-15', manager: '2099-01-29' } });
  assert.equal(c.status, 201, c.text);
  assert.equal((await as.hr.post(`/api/v1/review-cycles/${c.json.id}/launch`, {})).status, 200);
  const mine = await notes('manager', 'review_assigned');
  assert.equal(mine.length, 1, 'Mia writes her self-review and two manager reviews: told once');
  assert.equal(mine[0].body, 'You have reviews to write in Notify 2026.');
  assert.equal(mine[0].link, '#/reviews');
  assert.equal((await notes('self', 'review_assigned')).length, 1);
  assert.equal((await notes('report', 'review_assigned')).length, 0, 'Rex turned it off');
  assert.equal((await queued('self@acme.example')).filter((m) => m.subject === 'Trellis: A review is assigned to you').length, 1, 'emailed by default');

  const rel = await as.hr.post(`/api/v1/review-cycles/${c.json.id}/release`, { override: true, reason: 'Testing notifications' });
  assert.equal(rel.status, 200, rel.text);
  const [released] = await notes('self', 'review_released');
  assert.equal(released.body, 'Your review outcome for Notify 2026 is released.');
  const outcome = (await as.self.get('/api/v1/review-outcomes')).json.items.find((o) => o.cycle_id === c.json.id);
  assert.ok(outcome, 'the employee reads the outcome');

  expectError(assert, await as.manager.post(`/api/v1/review-outcomes/${outcome.id}/acknowledge`, {}), 403, 'forbidden');
  assert.equal((await notes('manager', 'outcome_response')).length, 0);
  const ack = await as.self.post(`/api/v1/review-outcomes/${outcome.id}/acknowledge`, { comment: 'I would like to talk about the rating.' });
  assert.equal(ack.status, 200, ack.text);
  const [told] = await notes('manager', 'outcome_response');
  assert.equal(told.body, 'Zoë Ōtsuka acknowledged their review outcome for Notify 2026 and wrote a response.');
  assert.ok(!told.body.includes('rating'), 'the response itself stays on the outcome');
  assert.equal((await notes('skip', 'outcome_response')).length, 0, 'only the manager');
  assert.equal((await notes('self', 'outcome_response')).length, 0);
});

test('promotion cases: opening tells the person, deciding tells the person and the opener, never the actor', async () => {
  const r = await as.manager.post('/api/v1/promotion-cases', { person_id: ids.self, kind: 'promotion', proposed_level: 'P4', justification: 'Led the search rewrite end to end and mentored two engineers through it.' });
  assert.equal(r.status, 201, r.text);
  const [opened] = await notes('self', 'case_opened');
  assert.equal(opened.body, 'A promotion case about you was opened.');
  assert.equal(opened.link, '#/reviews?tab=cases');
  assert.equal((await notes('manager', 'case_opened')).length, 0, 'the opener knows');
  assert.equal((await notes('peer', 'case_opened')).length, 0);
  assert.equal((await as.hr.post(`/api/v1/promotion-cases/${r.json.id}/decide`, { decision: 'approved', note: 'Well evidenced.' })).status, 200);
  assert.equal((await notes('self', 'case_decided'))[0].body, 'A promotion case about you was approved.');
  assert.equal((await notes('manager', 'case_decided'))[0].body, 'The promotion case of Zoë Ōtsuka was approved.');
  assert.equal((await notes('hr', 'case_decided')).length, 0);
  assert.equal((await notes('peer', 'case_decided')).length, 0);

  // a person asking for themselves: their manager is told
  const own = await as.peer.post('/api/v1/promotion-cases', { person_id: ids.peer, kind: 'raise', justification: 'I took over the on-call rotation and its tooling this year.' });
  assert.equal(own.status, 201, own.text);
  assert.equal((await notes('manager', 'case_opened'))[0].body, 'The raise case of Pat Peer was opened.');
  assert.equal((await notes('peer', 'case_opened')).length, 0);
});

test('development plans: a comment tells the other side; sign-off tells the owner', async () => {
  assert.equal((await as.self.put(`/api/v1/people/${ids.self}/idp`, { short_term: 'Own the search service' })).status, 200);
  assert.equal((await as.manager.post(`/api/v1/people/${ids.self}/idp/comments`, { body: 'Add a mentor.' })).status, 201);
  const [c1] = await notes('self', 'idp_comment');
  assert.equal(c1.body, 'Mia Manager commented on your development plan.');
  assert.equal(c1.link, '#/development?tab=plan');
  assert.equal((await as.self.post(`/api/v1/people/${ids.self}/idp/comments`, { body: 'Asked Pat.' })).status, 201);
  const [c2] = await notes('manager', 'idp_comment');
  assert.equal(c2.body, 'Zoë Ōtsuka commented on their development plan.');
  assert.equal(c2.link, `#/development?tab=plan&person=${ids.self}`);
  assert.equal((await notes('self', 'idp_comment')).length, 1, 'not told of one\'s own comment');
  assert.equal((await as.manager.post(`/api/v1/people/${ids.self}/idp/sign-off`, {})).status, 200);
  assert.equal((await notes('self', 'idp_signed_off'))[0].body, 'Mia Manager signed off your development plan.');
  assert.equal((await notes('peer', 'idp_signed_off')).length, 0);
});

test('one-on-one summary sent: the other side is told with a link to the meeting', async () => {
  const day = new Date(Date.now() + 3 * 86400000);
  const s = await as.manager.post('/api/v1/one-on-ones', { with: ids.peer, weekday: WEEKDAYS[day.getUTCDay()], first_date: day.toISOString().slice(0, 10), time: '09:00', timezone: 'UTC' });
  assert.equal(s.status, 201, s.text);
  const mid = s.json.next_meeting.id;
  assert.equal((await as.manager.post(`/api/v1/one-on-ones/meetings/${mid}/complete`, {})).status, 200);
  const [n] = await notes('peer', 'oneonone_summary');
  assert.match(n.body, /^Mia Manager sent the summary of your one-on-one of \d{4}-\d\d-\d\d\.$/);
  assert.equal(n.link, `#/one-on-ones/meetings/${mid}`);
  assert.equal((await as.peer.get(`/api/v1/one-on-ones/meetings/${mid}`)).status, 200, 'the link resolves');
  assert.equal((await notes('manager', 'oneonone_summary')).length, 0);
});

test('a reminder pass sends one email per person, however many rules and items found them', async () => {
  const day = new Date(Date.now() + 7 * 86400000);
  const s = await as.skip.post('/api/v1/one-on-ones', { with: ids.manager, weekday: WEEKDAYS[day.getUTCDay()], first_date: day.toISOString().slice(0, 10), time: '10:00', timezone: 'UTC' });
  assert.equal(s.status, 201, s.text);
  const mid = s.json.next_meeting.id;
  const today = new Date().toISOString().slice(0, 10);
  for (const body of ['Draft the hiring plan', 'Book the offsite', 'Review the budget']) {
    const r = await as.skip.post(`/api/v1/one-on-ones/meetings/${mid}/actions`, { owner_id: ids.manager, body, due_date: today });
    assert.equal(r.status, 201, r.text);
  }
  // Eli turns action reminders off: the same pass must not tell him
  const eliAction = await as.skip.post(`/api/v1/one-on-ones/meetings/${mid}/actions`, { owner_id: ids.skip, body: 'Send the agenda', due_date: today });
  assert.equal(eliAction.status, 201);
  await prefs('skip', { kinds: { action_due: 'off' } });
  const before = (await queued('manager@acme.example')).length;
  // a pass over a large company takes its people in ranges of ids, a transaction each: here one
  // person per transaction, and the promise holds (everyone's reminders, one email each)
  const r = srv.cli(['remind'], { env: { TRELLIS_REMIND_BATCH: '1' } });
  assert.equal(r.status, 0, r.stderr);
  assert.equal((await notes('manager', 'action_due')).length, 3, 'three reminders in the app');
  assert.ok(Number(r.stdout.match(/reminders: (\d+) new/)[1]) >= 3, 'the count adds up every range: ' + r.stdout);
  const mails = (await queued('manager@acme.example')).slice(0, (await queued('manager@acme.example')).length - before);
  assert.equal(mails.length, 1, 'one email for the whole pass');
  assert.equal(mails[0].subject, 'Trellis: 3 reminders');
  assert.equal((await notes('skip', 'action_due')).length, 0, 'off means no reminder either');
  // the next pass finds nothing new and sends nothing
  assert.equal(srv.cli(['remind']).status, 0);
  assert.equal((await queued('manager@acme.example')).length, before + 1);
});
