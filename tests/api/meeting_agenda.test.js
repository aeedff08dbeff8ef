// A meeting's agenda part 2, the development plan: the member's IDP actions (due before the next
// meeting, open, done since the last one) for both sides of a manager one-on-one, nothing of the
// plan for a mentor or anyone else, only the fields the agenda needs, and can_add for whoever
// the IDP action route accepts. Both stores.
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
const series = (d) => ({ weekday: WEEKDAYS[d.getUTCDay()], first_date: iso(d), time: '10:00', timezone: 'UTC' });
const SUPPORT = 'SUPPORT-budget-for-the-exam-41c9';
const STRENGTHS = 'STRENGTHS-calm-under-pressure-8d2e';
const titles = (xs) => xs.map((a) => a.title).sort();

before(async () => {
  srv = await startServer({ people: org.csv, users: org.users });
  for (const [k, email] of Object.entries(org.byKey)) as[k] = await srv.login(email, PASSWORD);
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
});
after(async () => { await srv?.stop(); });

test('both sides see the IDP actions in part 2; a mentor and outsiders see none of the plan', async () => {
  const s = await as.manager.post('/api/v1/one-on-ones', { with: ids.self, cadence_weeks: 4, ...series(dayOf(2)) });
  assert.equal(s.status, 201, s.text);
  const url = `/api/v1/one-on-ones/meetings/${s.json.next_meeting.id}`;

  // no plan yet: nothing to list, and nothing to add to
  const none = (await as.self.get(url)).json.agenda.development;
  assert.equal(none.available, false);
  assert.equal(none.can_add, false);
  assert.match(none.note, /Development page/);

  const plan = await as.self.put(`/api/v1/people/${ids.self}/idp`, { short_term: 'Own the search service', strengths: STRENGTHS });
  assert.equal(plan.status, 200, plan.text);
  const add = async (b) => {
    const r = await as.self.post(`/api/v1/people/${ids.self}/idp/actions`, b);
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  await add({ kind: 'certification', title: 'Postgres certification', due_date: iso(dayOf(10)), support_needed: SUPPORT, success_measure: 'Pass the exam' });
  await add({ kind: 'reading', title: 'Read Designing Data-Intensive Applications' });
  await add({ kind: 'stretch_assignment', title: 'Lead the Q3 migration', due_date: iso(dayOf(90)) });
  const done = await add({ kind: 'course', title: 'SQL tuning course' });
  assert.equal((await as.self.patch(`/api/v1/idp-actions/${done.id}`, { status: 'done' })).status, 200);
  const dropped = await add({ kind: 'other', title: 'Dropped idea' });
  assert.equal((await as.self.patch(`/api/v1/idp-actions/${dropped.id}`, { status: 'cancelled' })).status, 200);

  for (const who of ['self', 'manager']) {
    const r = await as[who].get(url);
    assert.equal(r.status, 200, r.text);
    const d = r.json.agenda.development;
    assert.equal(d.available, true, who);
    assert.deepEqual(titles(d.open), ['Lead the Q3 migration', 'Postgres certification', 'Read Designing Data-Intensive Applications'], `${who}: open actions`);
    assert.deepEqual(titles(d.due_before_next_meeting), ['Postgres certification'], `${who}: due before the next meeting`);
    assert.deepEqual(titles(d.done_since_previous), ['SQL tuning course'], `${who}: done since the last meeting`);
    assert.deepEqual(Object.keys(d.open.find((a) => a.kind === 'certification')).sort(),
      ['completed_at', 'due_date', 'id', 'kind', 'status', 'success_measure', 'title'], 'only what the agenda needs');
    assert.equal(d.open.find((a) => a.kind === 'certification').success_measure, 'Pass the exam');
    assert.ok(!r.text.includes(SUPPORT) && !r.text.includes(STRENGTHS), `${who}: the rest of the plan stays on the plan`);
    assert.ok(!r.text.includes('Dropped idea'), 'a cancelled action is not on the agenda');
  }
  // the member may add to their plan from the meeting; the manager is not offered it, and the
  // route they would use refuses them
  assert.equal((await as.self.get(url)).json.agenda.development.can_add, true);
  assert.equal((await as.manager.get(url)).json.agenda.development.can_add, false);
  expectError(assert, await as.manager.post(`/api/v1/people/${ids.self}/idp/actions`, { kind: 'reading', title: 'x' }), 403, 'forbidden');
  await add({ kind: 'mentorship', title: 'Pair with a staff engineer', due_date: iso(dayOf(5)) });
  assert.ok(titles((await as.manager.get(url)).json.agenda.development.due_before_next_meeting).includes('Pair with a staff engineer'),
    'an action added from the meeting shows on the agenda');

  // outsiders, the skip-level manager and HR cannot open the meeting at all
  for (const who of ['peer', 'skip', 'hr', 'admin', 'other']) {
    const r = await as[who].get(url);
    expectError(assert, r, 404, 'not_found');
    assert.ok(!r.text.includes('Postgres certification'), who);
  }
});

test('a mentor meets the mentee but does not read their plan', async () => {
  const skill = await as.hr.post('/api/v1/skills', { name: 'Query tuning', category: 'Data' });
  assert.equal(skill.status, 201, skill.text);
  assert.equal((await as.other.put('/api/v1/me/mentor-offer', { skill_ids: [skill.json.id], capacity: 2 })).status, 200);
  const ask = await as.self.post('/api/v1/mentorships', { mentor_id: ids.other, skill_id: skill.json.id, start_date: iso(new Date()) });
  assert.equal(ask.status, 201, ask.text);
  assert.equal((await as.other.post(`/api/v1/mentorships/${ask.json.id}/accept`, {})).status, 200);
  const s = await as.self.post('/api/v1/one-on-ones', { with: ids.other, relation: 'mentor', ...series(dayOf(3)) });
  assert.equal(s.status, 201, s.text);
  const url = `/api/v1/one-on-ones/meetings/${s.json.next_meeting.id}`;

  const mentor = await as.other.get(url);
  assert.equal(mentor.status, 200, mentor.text);
  assert.deepEqual(mentor.json.agenda.development, { available: false, can_add: false, note: 'The development plan is for the person and their managers only.' });
  for (const secret of ['Postgres certification', 'SQL tuning course', SUPPORT, STRENGTHS]) assert.ok(!mentor.text.includes(secret), secret);
  // the mentee still sees their own plan in the same meeting
  const mentee = (await as.self.get(url)).json.agenda.development;
  assert.equal(mentee.available, true);
  assert.ok(titles(mentee.open).includes('Postgres certification'));
});
