// One-on-one series changes (PATCH /api/v1/one-on-ones/{id}): cadence, weekday, time and zone
// move the meeting still to come and never a held one; pause and resume; ending (irreversible);
// the career-focused series kind beside the regular one; who may change a series; and two
// changes at once both kept. Both stores.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, expectError, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
let srv;
const as = {};
const ids = {};
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const dayOf = (offset) => new Date(Date.now() + offset * 86400000);
const iso = (d) => d.toISOString().slice(0, 10);
const weekday = (d) => WEEKDAYS[d.getUTCDay()];
const addDays = (date, n) => iso(new Date(Date.parse(`${date}T00:00:00Z`) + n * 86400000));
const body = (d, extra = {}) => ({ weekday: weekday(d), first_date: iso(d), time: '10:00', timezone: 'UTC', ...extra });
const series = (k, id) => as[k].get(`/api/v1/one-on-ones/${id}`);

before(async () => {
  srv = await startServer({ people: org.csv, users: org.users });
  for (const [k, email] of Object.entries(org.byKey)) as[k] = await srv.login(email, PASSWORD);
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
});
after(async () => { await srv?.stop(); });

test('a new cadence, weekday and time move the meeting to come; the held one stays as it was', async () => {
  const d = dayOf(2);
  const s = (await as.manager.post('/api/v1/one-on-ones', { with: ids.self, cadence_weeks: 1, ...body(d) })).json;
  assert.equal(s.kind, 'regular');
  const first = s.next_meeting.id;
  assert.equal((await as.manager.patch(`/api/v1/one-on-ones/meetings/${first}`, { shared_notes: 'We talked about the launch.' })).status, 200);
  assert.equal((await as.manager.post(`/api/v1/one-on-ones/meetings/${first}/complete`, {})).status, 200);
  const held = (await as.manager.get(`/api/v1/one-on-ones/meetings/${first}`)).json;
  const before = (await series('manager', s.id)).json;
  assert.equal(before.next_meeting.starts_at, `${addDays(iso(d), 7)}T10:00:00Z`);
  const nextId = before.next_meeting.id;

  // the member changes it: every four weeks, two days later in the week, at 14:30 in Paris
  const target = weekday(dayOf(4));
  const r = await as.self.patch(`/api/v1/one-on-ones/${s.id}`, { cadence_weeks: 4, weekday: target, time: '14:30', timezone: 'Europe/Paris' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.cadence_weeks, 4);
  assert.equal(r.json.weekday, target);
  assert.equal(r.json.time, '14:30');
  assert.equal(r.json.timezone, 'Europe/Paris');
  assert.equal(r.json.status, 'active');
  // the meeting to come keeps its id (and agenda), four weeks after the held one, on the new day
  assert.equal(r.json.next_meeting.id, nextId);
  const expected = addDays(iso(d), 28 + 2);
  assert.equal(r.json.next_meeting.local_start, `${expected}T14:30`);
  const after = (await as.manager.get(`/api/v1/one-on-ones/meetings/${first}`)).json;
  assert.equal(after.status, 'held');
  assert.equal(after.starts_at, held.starts_at);
  assert.equal(after.occurrence_date, held.occurrence_date);
  assert.equal(after.shared_notes, 'We talked about the launch.');
  // a field not sent is not changed
  const t = await as.manager.patch(`/api/v1/one-on-ones/${s.id}`, { time: '09:15' });
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.cadence_weeks, 4);
  assert.equal(t.json.timezone, 'Europe/Paris');
  assert.equal(t.json.next_meeting.local_start, `${expected}T09:15`);
  // the change is audited with its before and after
  const log = await as.admin.get(`/api/v1/audit?entity=oneonone_series&entity_id=${s.id}`);
  if (log.status === 200) {
    const e = log.json.items.find((x) => x.action === 'oneonone_series.update');
    assert.ok(e, log.text);
  }
});

test('bad values are refused with the field named and change nothing', async () => {
  const list = (await as.manager.get('/api/v1/one-on-ones')).json.items;
  const s = list.find((x) => x.member.id === ids.self && x.status === 'active');
  const cases = [
    [{ cadence_weeks: 0 }, 'cadence_weeks'], [{ cadence_weeks: 13 }, 'cadence_weeks'],
    [{ cadence_weeks: '4' }, 'cadence_weeks'], [{ weekday: 'someday' }, 'weekday'],
    [{ time: '24:61' }, 'time'], [{ timezone: 'Mars/Base' }, 'timezone'],
    [{ paused: 'yes' }, 'paused'], [{ ended: false }, 'ended'], [{ kind: 'career' }, 'kind'],
    [{ cadence_weeks: 5, weekday: 'noday' }, 'weekday'],
  ];
  for (const [b, field] of cases) {
    const r = await as.manager.patch(`/api/v1/one-on-ones/${s.id}`, b);
    expectError(assert, r, 422, 'validation_failed');
    assert.ok(field in r.json.error.fields, `${field} named for ${JSON.stringify(b)}: ${r.text}`);
  }
  const now = (await series('manager', s.id)).json;
  assert.equal(now.cadence_weeks, s.cadence_weeks);
  assert.equal(now.next_meeting.starts_at, s.next_meeting.starts_at);
});

test('only the two sides may change a series: others get 404, nothing changes', async () => {
  const s = (await as.manager.get('/api/v1/one-on-ones')).json.items.find((x) => x.member.id === ids.self && x.status === 'active');
  for (const k of ['other', 'peer', 'hr', 'admin', 'skip', 'report']) {
    const r = await as[k].patch(`/api/v1/one-on-ones/${s.id}`, { cadence_weeks: 6 });
    expectError(assert, r, 404, 'not_found');
    expectError(assert, await as[k].patch(`/api/v1/one-on-ones/${s.id}`, { ended: true }), 404, 'not_found');
  }
  expectError(assert, await as.manager.patch('/api/v1/one-on-ones/999999', { cadence_weeks: 6 }), 404, 'not_found');
  expectError(assert, await srv.anon().patch(`/api/v1/one-on-ones/${s.id}`, { cadence_weeks: 6 }), 401, 'unauthenticated');
  const now = (await series('manager', s.id)).json;
  assert.equal(now.cadence_weeks, 4);
  assert.equal(now.status, 'active');
});

test('pause removes the meeting to come; resume schedules the next one on the rhythm', async () => {
  const s = (await as.manager.get('/api/v1/one-on-ones')).json.items.find((x) => x.member.id === ids.self && x.status === 'active');
  const p = await as.manager.patch(`/api/v1/one-on-ones/${s.id}`, { paused: true });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.status, 'paused');
  assert.equal(p.json.next_meeting, null);
  assert.ok(p.json.meetings.every((m) => m.status !== 'scheduled'));
  assert.ok(p.json.meetings.some((m) => m.status === 'held'), 'the held meeting is kept');
  // pausing again is harmless; a paused series can still get a new schedule
  assert.equal((await as.self.patch(`/api/v1/one-on-ones/${s.id}`, { paused: true, cadence_weeks: 5 })).json.cadence_weeks, 5);
  const r = await as.self.patch(`/api/v1/one-on-ones/${s.id}`, { paused: false });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'active');
  assert.ok(r.json.next_meeting, r.text);
  assert.ok(r.json.next_meeting.starts_at > new Date().toISOString());
  assert.equal(WEEKDAYS[new Date(r.json.next_meeting.local_start.slice(0, 10) + 'T12:00:00Z').getUTCDay()], r.json.weekday);
  assert.ok(Date.parse(r.json.next_meeting.starts_at) - Date.now() < 8 * 86400000, 'the first meeting after a resume is within a week');
});

test('ending a series removes the meeting to come, keeps the held ones, and cannot be undone', async () => {
  const s = (await as.manager.get('/api/v1/one-on-ones')).json.items.find((x) => x.member.id === ids.self && x.status === 'active');
  const nextId = s.next_meeting.id;
  assert.equal((await as.self.post(`/api/v1/one-on-ones/meetings/${nextId}/points`, { section: 'goals', body: 'Launch retro' })).status, 201);
  const r = await as.manager.patch(`/api/v1/one-on-ones/${s.id}`, { ended: true });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'ended');
  assert.equal(r.json.next_meeting, null);
  assert.ok(r.json.meetings.every((m) => m.status !== 'scheduled'), JSON.stringify(r.json.meetings));
  assert.ok(r.json.meetings.some((m) => m.status === 'held'));
  expectError(assert, await as.manager.patch(`/api/v1/one-on-ones/${s.id}`, { cadence_weeks: 4 }), 409, 'conflict');
  expectError(assert, await as.self.patch(`/api/v1/one-on-ones/${s.id}`, { paused: false }), 409, 'conflict');
  expectError(assert, await as.self.patch(`/api/v1/one-on-ones/${s.id}`, { ended: true }), 409, 'conflict');
  assert.equal((await series('self', s.id)).json.status, 'ended');
  // an ended series no longer blocks a new one with the same person
  const again = await as.manager.post('/api/v1/one-on-ones', { with: ids.self, ...body(dayOf(3)) });
  assert.equal(again.status, 201, again.text);
});

test('a career conversation series beside the regular one: one of each kind, shown everywhere', async () => {
  const d = dayOf(5);
  const c = await as.manager.post('/api/v1/one-on-ones', { with: ids.self, kind: 'career', cadence_weeks: 6, ...body(d) });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.json.kind, 'career');
  expectError(assert, await as.self.post('/api/v1/one-on-ones', { with: ids.manager, kind: 'career', ...body(d) }), 409, 'conflict');
  expectError(assert, await as.self.post('/api/v1/one-on-ones', { with: ids.manager, ...body(d) }), 409, 'conflict');
  const bad = await as.manager.post('/api/v1/one-on-ones', { with: ids.peer, kind: 'coffee', ...body(d) });
  expectError(assert, bad, 422, 'validation_failed');
  assert.ok('kind' in bad.json.error.fields);
  const list = (await as.self.get('/api/v1/one-on-ones')).json.items.filter((x) => x.status === 'active');
  assert.deepEqual(list.map((x) => x.kind).sort(), ['career', 'regular']);
  const agenda = (await as.self.get(`/api/v1/one-on-ones/meetings/${c.json.next_meeting.id}`)).json;
  assert.equal(agenda.series.kind, 'career');
  const feed = await as.self.post('/api/v1/me/calendar', {});
  const ics = (await srv.anon().get(feed.json.path)).text.replace(/\r\n[ \t]/g, '');
  assert.match(ics, /SUMMARY:Career conversation: Mia Manager \/ Zoë Ōtsuka/);
  assert.match(ics, /SUMMARY:One-on-one: Mia Manager \/ Zoë Ōtsuka/);
});

test('two changes at once: both fields are kept', async () => {
  const s = (await as.manager.post('/api/v1/one-on-ones', { with: ids.peer, cadence_weeks: 2, ...body(dayOf(3)) })).json;
  for (let i = 0; i < 3; i++) {
    const cad = 4 + (i % 3);
    const time = `1${i}:45`;
    const [a, b] = await Promise.all([
      as.manager.patch(`/api/v1/one-on-ones/${s.id}`, { cadence_weeks: cad }),
      as.peer.patch(`/api/v1/one-on-ones/${s.id}`, { time }),
    ]);
    assert.equal(a.status, 200, a.text);
    assert.equal(b.status, 200, b.text);
    const now = (await series('peer', s.id)).json;
    assert.equal(now.cadence_weeks, cad);
    assert.equal(now.time, time);
    assert.equal(now.next_meeting.local_start.slice(11), time);
  }
});
