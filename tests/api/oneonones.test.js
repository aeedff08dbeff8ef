// One-on-ones: series between a manager and a report, the four-part agenda assembled from goals,
// feedback and action items, talking points carried to the next meeting, notes that stay
// private (to the other side, HR, admins, the audit log, exports and the database file),
// completing, skipping and moving meetings, cadence health, and reminders. Both stores.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { startServer, fixtureOrg, expectError, cli, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
let srv;
const as = {};
const ids = {};
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const dayOf = (offset) => new Date(Date.now() + offset * 86400000);
const iso = (d) => d.toISOString().slice(0, 10);
const weekday = (d) => WEEKDAYS[d.getUTCDay()];
const body = (d, extra = {}) => ({ weekday: weekday(d), first_date: iso(d), time: '10:00', timezone: 'UTC', ...extra });

before(async () => {
  srv = await startServer({ people: org.csv, users: org.users, env: { TRELLIS_SCHEDULER_INTERVAL: '1' } });
  for (const [k, email] of Object.entries(org.byKey)) as[k] = await srv.login(email, PASSWORD);
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
});
after(async () => { await srv?.stop(); });

test('bad series are refused with the field named; nothing is created', async () => {
  const d = dayOf(3);
  const cases = [
    [{ with: ids.self, cadence_weeks: 0, ...body(d) }, 'cadence_weeks'],
    [{ with: ids.self, cadence_weeks: 53, ...body(d) }, 'cadence_weeks'],
    [{ with: ids.self, ...body(d, { timezone: 'Mars/Olympus_Mons' }) }, 'timezone'],
    [{ with: ids.self, ...body(d, { timezone: '../../etc/passwd' }) }, 'timezone'],
    [{ with: ids.self, ...body(dayOf(-7)) }, 'first_date'],
    [{ with: ids.self, ...body(d, { weekday: weekday(dayOf(4)) }) }, 'first_date'],
    [{ with: ids.self, ...body(d, { time: '25:00' }) }, 'time'],
    [{ with: ids.other, ...body(d) }, 'with'],
    [{ with: ids.peer, relation: 'mentor', ...body(d) }, 'with'],
    [{ with: 999999, ...body(d) }, 'with'],
  ];
  for (const [b, field] of cases) {
    const r = await as.manager.post('/api/v1/one-on-ones', b);
    expectError(assert, r, 422, 'validation_failed');
    assert.ok(field in r.json.error.fields, `${field} named for ${JSON.stringify(b)}: ${r.text}`);
  }
  expectError(assert, await as.manager.post('/api/v1/one-on-ones', { with: 'Zoë', ...body(d) }), 422, 'validation_failed');
  assert.equal((await as.manager.get('/api/v1/one-on-ones')).json.items.length, 0);
});

test('the series, its agenda from goals, feedback and actions, and the carry-over', async () => {
  const d = dayOf(2);
  const r = await as.manager.post('/api/v1/one-on-ones', { with: ids.self, cadence_weeks: 4, duration_minutes: 45, ...body(d) });
  assert.equal(r.status, 201, r.text);
  const s = r.json;
  assert.equal(s.lead.id, ids.manager);
  assert.equal(s.member.id, ids.self);
  assert.deepEqual(s.warnings, []);
  assert.equal(s.next_meeting.starts_at, `${iso(d)}T10:00:00Z`);
  expectError(assert, await as.self.post('/api/v1/one-on-ones', { with: ids.manager, ...body(d) }), 409, 'conflict');
  // the report starts one too, with their own report; a rare cadence warns
  const rare = await as.report.post('/api/v1/one-on-ones', { with: ids.self, cadence_weeks: 8, ...body(dayOf(5)) });
  assert.equal(rare.status, 201, rare.text);
  assert.equal(rare.json.lead.id, ids.self, 'the manager leads whoever starts it');
  assert.equal(rare.json.warnings.length, 1);

  expectError(assert, await as.hr.get(`/api/v1/one-on-ones/${s.id}`), 404, 'not_found');
  expectError(assert, await as.peer.get(`/api/v1/one-on-ones/${s.id}`), 404, 'not_found');
  const mid = s.next_meeting.id;
  expectError(assert, await as.admin.get(`/api/v1/one-on-ones/meetings/${mid}`), 404, 'not_found');

  // data for the agenda: a goal, feedback of each visibility, an open feedback request
  const goal = await as.self.post('/api/v1/goals', { title: 'Ship the search revamp', start_date: iso(dayOf(-30)), due_date: iso(dayOf(60)), key_results: [{ title: 'Queries migrated', start: 0, target: 10, current: 4 }] });
  assert.equal(goal.status, 201, goal.text);
  const hidden = await as.self.post('/api/v1/goals', { title: 'Private stretch', visibility: 'private', start_date: iso(dayOf(-30)), due_date: iso(dayOf(60)) });
  assert.equal(hidden.status, 201, hidden.text);
  for (const visibility of ['public', 'managers', 'private']) {
    const f = await as.peer.post('/api/v1/feedback', { recipient_id: ids.self, kind: 'praise', visibility, body: `praise ${visibility}` });
    assert.equal(f.status, 201, f.text);
  }
  assert.equal((await as.self.post('/api/v1/feedback-requests', { asked_ids: [ids.peer], topic: 'My design talk', due_date: iso(dayOf(20)) })).status, 201);

  const mine = (await as.self.get(`/api/v1/one-on-ones/meetings/${mid}`)).json;
  const theirs = (await as.manager.get(`/api/v1/one-on-ones/meetings/${mid}`)).json;
  assert.deepEqual(mine.agenda.goals.map((g) => g.title).sort(), ['Private stretch', 'Ship the search revamp']);
  assert.deepEqual(theirs.agenda.goals.map((g) => g.title), ['Ship the search revamp'], 'a private goal stays private');
  assert.equal(theirs.agenda.goals[0].progress, 40);
  assert.deepEqual(mine.agenda.feedback.received.map((f) => f.body).sort(), ['praise managers', 'praise private', 'praise public']);
  assert.deepEqual(theirs.agenda.feedback.received.map((f) => f.body).sort(), ['praise managers', 'praise public']);
  assert.equal(mine.agenda.feedback.open_requests[0].topic, 'My design talk');
  assert.equal(mine.agenda.development.available, false);

  // talking points, actions, and completing
  const p1 = await as.self.post(`/api/v1/one-on-ones/meetings/${mid}/points`, { section: 'development', body: 'Path to tech lead' });
  assert.equal(p1.status, 201, p1.text);
  const p2 = (await as.manager.post(`/api/v1/one-on-ones/meetings/${mid}/points`, { section: 'goals', body: 'Search revamp risks' })).json;
  expectError(assert, await as.self.post(`/api/v1/one-on-ones/meetings/${mid}/points`, { section: 'gossip', body: '' }), 422, 'validation_failed');
  assert.equal((await as.self.patch(`/api/v1/one-on-ones/points/${p1.json.id}`, { status: 'discussed' })).json.status, 'discussed');
  assert.equal((await as.manager.patch(`/api/v1/one-on-ones/points/${p2.id}`, { status: 'moved' })).status, 200);
  expectError(assert, await as.peer.patch(`/api/v1/one-on-ones/points/${p2.id}`, { status: 'discussed' }), 404, 'not_found');
  const a1 = await as.manager.post(`/api/v1/one-on-ones/meetings/${mid}/actions`, { owner_id: ids.self, body: 'Draft the tech-lead plan', due_date: iso(dayOf(10)) });
  assert.equal(a1.status, 201, a1.text);
  const a2 = (await as.manager.post(`/api/v1/one-on-ones/meetings/${mid}/actions`, { owner_id: ids.manager, body: 'Ask about the budget' })).json;
  expectError(assert, await as.manager.post(`/api/v1/one-on-ones/meetings/${mid}/actions`, { owner_id: ids.peer, body: 'x' }), 422, 'validation_failed');
  assert.equal((await as.manager.patch(`/api/v1/action-items/${a2.id}`, { status: 'done' })).json.status, 'done');

  const done = await as.manager.post(`/api/v1/one-on-ones/meetings/${mid}/complete`, { career_discussed: true });
  assert.equal(done.status, 200, done.text);
  assert.equal(done.json.status, 'held');
  assert.equal(done.json.summary_emails.length, 2, 'a summary queued for each side');
  expectError(assert, await as.self.post(`/api/v1/one-on-ones/meetings/${mid}/complete`, {}), 409, 'conflict');
  // a held meeting takes no new point, and its points keep their status (checked inside the write)
  expectError(assert, await as.self.post(`/api/v1/one-on-ones/meetings/${mid}/points`, { section: 'other', body: 'Too late' }), 409, 'conflict');
  expectError(assert, await as.self.patch(`/api/v1/one-on-ones/points/${p1.json.id}`, { status: 'open' }), 409, 'conflict');
  const pointAudit = (await as.admin.get('/api/v1/audit?limit=200')).json.items.filter((x) => x.action.startsWith('oneonone_point.'));
  assert.equal(pointAudit.filter((x) => x.action === 'oneonone_point.create').length, 2);
  // an admin reads that points changed; the images (section and status) are for the meeting's
  // sides only, and they never hold what a point says
  assert.ok(pointAudit.every((x) => x.before === null && x.after === null), JSON.stringify(pointAudit[0]));
  assert.ok(!JSON.stringify(pointAudit).includes('Path to tech lead'), 'never what a point says');
  const series = (await as.self.get(`/api/v1/one-on-ones/${s.id}`)).json;
  assert.equal(series.next_meeting.starts_at, `${iso(dayOf(2 + 28))}T10:00:00Z`, 'the next meeting, four weeks on');
  const next = (await as.self.get(`/api/v1/one-on-ones/meetings/${series.next_meeting.id}`)).json;
  assert.deepEqual(next.points.map((p) => p.body), ['Search revamp risks'], 'a moved point comes along');
  assert.deepEqual(next.agenda.actions.open.map((a) => a.body), ['Draft the tech-lead plan'], 'an open action is carried');

  // skip and move the next meeting
  expectError(assert, await as.self.post(`/api/v1/one-on-ones/meetings/${next.id}/move`, { date: iso(dayOf(-1)), time: '10:00' }), 422, 'validation_failed');
  const moved = await as.self.post(`/api/v1/one-on-ones/meetings/${next.id}/move`, { date: iso(dayOf(31)), time: '15:30' });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.starts_at, `${iso(dayOf(31))}T15:30:00Z`);
  assert.equal(moved.json.moved, true);
  expectError(assert, await as.self.post(`/api/v1/one-on-ones/meetings/${next.id}/skip`, {}), 422, 'validation_failed');
  const skipped = await as.self.post(`/api/v1/one-on-ones/meetings/${next.id}/skip`, { reason: 'Offsite week' });
  assert.equal(skipped.json.status, 'skipped');
  const after = (await as.manager.get(`/api/v1/one-on-ones/${s.id}`)).json;
  assert.equal(after.next_meeting.starts_at, `${iso(dayOf(2 + 56))}T10:00:00Z`, 'the series goes on');
  const third = (await as.manager.get(`/api/v1/one-on-ones/meetings/${after.next_meeting.id}`)).json;
  assert.deepEqual(third.points.map((p) => p.body), ['Search revamp risks'], 'a skipped meeting hands its open points on');
  assert.deepEqual(third.agenda.actions.open.map((a) => a.body), ['Draft the tech-lead plan']);
  assert.equal((await as.self.patch(`/api/v1/action-items/${a1.json.id}`, { status: 'done' })).status, 200);
  const fourth = (await as.manager.get(`/api/v1/one-on-ones/meetings/${after.next_meeting.id}`)).json;
  assert.deepEqual(fourth.agenda.actions.open.map((a) => a.body), [], 'done items stop being carried');
});

test('private notes: only their author reads them, through every path', async () => {
  const created = await as.ceo.post('/api/v1/one-on-ones', { with: ids.hr, ...body(dayOf(4)) });
  assert.equal(created.status, 201, created.text);
  const mid = created.json.next_meeting.id;
  const secret = 'PRIVATE-Rex-seems-burnt-out-7f3a';
  const r = await as.ceo.patch(`/api/v1/one-on-ones/meetings/${mid}`, { private_note: secret, shared_notes: 'We agreed on Friday demos.' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.private_note, secret);
  const other = await as.hr.get(`/api/v1/one-on-ones/meetings/${mid}`);
  assert.equal(other.json.private_note, null);
  assert.equal(other.json.shared_notes, 'We agreed on Friday demos.');
  assert.ok(!other.text.includes(secret));
  for (const who of ['admin', 'manager', 'skip']) {
    const x = await as[who].get(`/api/v1/one-on-ones/meetings/${mid}`);
    expectError(assert, x, 404, 'not_found');
    assert.ok(!x.text.includes(secret));
  }
  const audit = await as.admin.get('/api/v1/audit?limit=200');
  assert.ok(audit.json.items.some((e) => e.action === 'oneonone_meeting.private_note'), 'the change is audited');
  assert.ok(!audit.text.includes(secret), 'the audit never holds the note');
  const exp = cli(['export', 'person', ...srv.common.filter((x, i) => i < 2), String(ids.ceo)]);
  assert.equal(exp.status, 0, exp.stderr);
  assert.ok(!exp.stdout.includes(secret), 'the export never holds the note');
  // at rest: sealed in the database, not readable in the file
  if (!srv.db.url.startsWith('sqlite:')) return;
  const file = srv.db.url.slice(7);
  const bytes = [file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('');
  assert.ok(bytes.includes('We agreed on Friday demos.'), 'the check can see plain text');
  assert.ok(!bytes.includes(secret), 'the private note is not stored in clear');
});

test('cadence health: HR sees every manager, a manager their organisation', async () => {
  const hr = await as.hr.get('/api/v1/one-on-ones/health');
  assert.equal(hr.status, 200, hr.text);
  const mia = hr.json.managers.find((m) => m.manager.id === ids.manager);
  assert.equal(mia.reports, 2);
  assert.equal(mia.met_last_6_weeks, 1, 'Zoë was met, Pat was not');
  assert.equal(mia.share_met, 0.5);
  assert.equal(mia.meetings_without_career_discussion, 0);
  assert.ok(hr.json.managers.some((m) => m.manager.id === ids.ceo));
  const skip = (await as.skip.get('/api/v1/one-on-ones/health')).json.managers.map((m) => m.manager.id).sort();
  assert.deepEqual(skip, [ids.skip, ids.manager, ids.self].sort(), 'the VP sees managers in their organisation');
  assert.deepEqual((await as.peer.get('/api/v1/one-on-ones/health')).json.managers, []);
});

test('reminders: an empty agenda within a day notifies both sides, once', async () => {
  const now = new Date();
  const t = dayOf(1);
  const hh = String(Math.max(0, now.getUTCHours() - 1)).padStart(2, '0');
  const s = await as.skip.post('/api/v1/one-on-ones', { with: ids.manager, weekday: weekday(t), first_date: iso(t), time: `${hh}:00`, timezone: 'UTC' });
  assert.equal(s.status, 201, s.text);
  let found = [];
  for (let i = 0; i < 60 && !found.length; i++) {
    await new Promise((r) => setTimeout(r, 250));
    found = (await as.manager.get('/api/v1/notifications')).json.items.filter((n) => n.kind === 'agenda_empty');
  }
  assert.equal(found.length, 1, 'the report is reminded');
  assert.match(found[0].body, /Eli Engdir/);
  await new Promise((r) => setTimeout(r, 2500)); // a few more passes of the scheduler
  const again = (await as.manager.get('/api/v1/notifications')).json;
  assert.equal(again.items.filter((n) => n.kind === 'agenda_empty').length, 1, 'never twice');
  assert.ok((await as.skip.get('/api/v1/notifications')).json.items.some((n) => n.kind === 'agenda_empty'));
  // a report not met for six weeks: their manager hears of it
  assert.ok((await as.ceo.get('/api/v1/notifications')).json.items.some((n) => n.kind === 'no_one_on_one'));
  const n = found[0];
  expectError(assert, await as.peer.post(`/api/v1/notifications/${n.id}/read`, {}), 404, 'not_found');
  assert.equal((await as.manager.post(`/api/v1/notifications/${n.id}/read`, {})).status, 204);
  assert.ok((await as.manager.get('/api/v1/notifications')).json.items.find((x) => x.id === n.id).read_at);
});
