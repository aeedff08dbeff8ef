// The one-on-one writes that moved into domain/oneonones.c (the notes, a new action item and an
// action item's edit) are one transaction each: a failure injected at each statement in turn
// (X-Trellis-Fault) answers 500 and leaves the meeting, its actions, the linked plan action and
// the audit log as they were; once the faults run out the write lands and is audited. Who may
// write and what the body names are decided inside the write: someone who is not a side gets
// 404, an owner who is not a side or a plan action of someone else's plan 422, a skipped
// meeting 409; two edits of one item at once keep both fields. SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, expectError, everyFault as everyFaultOf, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
let srv;
const as = {};
const ids = {};
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const dayOf = (offset) => new Date(Date.now() + offset * 86400000);
const iso = (d) => d.toISOString().slice(0, 10);
let series;
let mid;
let planAction;

before(async () => {
  srv = await startServer({ people: org.csv, users: org.users });
  for (const [k, email] of Object.entries(org.byKey)) as[k] = await srv.login(email, PASSWORD);
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
  const d = dayOf(3);
  const s = await as.manager.post('/api/v1/one-on-ones', { with: ids.self, weekday: WEEKDAYS[d.getUTCDay()], first_date: iso(d), time: '10:00', timezone: 'UTC' });
  assert.equal(s.status, 201, s.text);
  series = s.json;
  mid = s.json.next_meeting.id;
  for (const k of ['self', 'peer']) assert.equal((await as[k].put(`/api/v1/people/${ids[k]}/idp`, { short_term: 'Grow' })).status, 200);
  const x = await as.self.post(`/api/v1/people/${ids.self}/idp/actions`, { kind: 'course', title: 'Finish the course', due_date: iso(dayOf(40)) });
  assert.equal(x.status, 201, x.text);
  planAction = x.json.id;
});
after(async () => { await srv?.stop(); });

// the meeting as each side reads it (less the agenda's window, which moves with the clock)
async function meeting(c) {
  const m = (await c.get(`/api/v1/one-on-ones/meetings/${mid}`)).json;
  delete m.agenda.since;
  return m;
}

async function state() {
  return JSON.stringify({
    mine: await meeting(as.self),
    theirs: await meeting(as.manager),
    idp: (await as.self.get(`/api/v1/people/${ids.self}/idp`)).json,
    audit: (await as.admin.get('/api/v1/audit?limit=200')).json.items.length,
  });
}

const everyFault = (c, method, path, body, name) => everyFaultOf(assert, state, c, method, path, body, name, [403, 404]);

async function lastAudit(action) {
  const row = (await as.admin.get('/api/v1/audit?limit=50')).json.items.find((x) => x.action === action);
  assert.ok(row, `an audit row ${action}`);
  return row;
}

test('notes, a new action item and its edit leave nothing behind when any statement fails', async () => {
  let r = await everyFault(as.self, 'PATCH', `/api/v1/one-on-ones/meetings/${mid}`, { shared_notes: 'Agreed: demo on Friday', private_note: 'Ask about the move' }, 'notes');
  assert.equal(r.json.shared_notes, 'Agreed: demo on Friday');
  assert.equal(r.json.private_note, 'Ask about the move');
  assert.equal((await as.manager.get(`/api/v1/one-on-ones/meetings/${mid}`)).json.private_note, null, 'the other side never reads it');
  await lastAudit('oneonone_meeting.private_note');

  r = await everyFault(as.manager, 'POST', `/api/v1/one-on-ones/meetings/${mid}/actions`, { owner_id: ids.self, body: 'Book the course', idp_action_id: planAction }, 'action');
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.owner.id ?? r.json.owner_id, ids.self);
  const item = r.json.id;
  assert.equal((await lastAudit('action_item.create')).entity_id, item);

  r = await everyFault(as.self, 'PATCH', `/api/v1/action-items/${item}`, { status: 'done' }, 'action edit');
  assert.equal(r.json.status, 'done');
  assert.equal(r.json.body, 'Book the course', 'a field not sent stays');
  const plan = (await as.self.get(`/api/v1/people/${ids.self}/idp`)).json;
  assert.equal(plan.actions.find((a) => a.id === planAction).status, 'done', 'done here is done in the plan');
});

test('who may write and what the body names are decided inside the write', async () => {
  const other = await as.peer.post(`/api/v1/people/${ids.peer}/idp/actions`, { kind: 'course', title: 'Not hers', due_date: iso(dayOf(40)) });
  assert.equal(other.status, 201, other.text);
  const before0 = await state();
  for (const who of ['peer', 'hr', 'admin', 'skip']) {
    expectError(assert, await as[who].patch(`/api/v1/one-on-ones/meetings/${mid}`, { shared_notes: 'x' }), 404, 'not_found');
    expectError(assert, await as[who].post(`/api/v1/one-on-ones/meetings/${mid}/actions`, { owner_id: ids.self, body: 'x' }), 404, 'not_found');
  }
  let r = await as.manager.post(`/api/v1/one-on-ones/meetings/${mid}/actions`, { owner_id: ids.peer, body: 'x' });
  expectError(assert, r, 422, 'validation_failed');
  assert.ok('owner_id' in r.json.error.fields);
  r = await as.manager.post(`/api/v1/one-on-ones/meetings/${mid}/actions`, { owner_id: ids.self, body: 'x', idp_action_id: other.json.id });
  expectError(assert, r, 422, 'validation_failed');
  assert.ok('idp_action_id' in r.json.error.fields);
  r = await as.manager.post(`/api/v1/one-on-ones/meetings/${mid}/actions`, { owner_id: ids.self, body: '', due_date: 'soon' });
  expectError(assert, r, 422, 'validation_failed');
  assert.deepEqual(Object.keys(r.json.error.fields).sort(), ['body', 'due_date']);
  const item = (await as.self.get(`/api/v1/one-on-ones/meetings/${mid}`)).json.agenda.actions.new[0];
  expectError(assert, await as.peer.patch(`/api/v1/action-items/${item.id}`, { status: 'open' }), 404, 'not_found');
  r = await as.self.patch(`/api/v1/action-items/${item.id}`, { owner_id: ids.peer, status: 'maybe' });
  expectError(assert, r, 422, 'validation_failed');
  assert.deepEqual(Object.keys(r.json.error.fields).sort(), ['status']);
  r = await as.self.patch(`/api/v1/action-items/${item.id}`, { owner_id: ids.peer });
  expectError(assert, r, 422, 'validation_failed');
  assert.ok('owner_id' in r.json.error.fields);
  assert.equal(await state(), before0, 'no refusal changed anything');
});

test('two edits of one action item at once keep both fields', async () => {
  const x = await as.manager.post(`/api/v1/one-on-ones/meetings/${mid}/actions`, { owner_id: ids.manager, body: 'Start' });
  assert.equal(x.status, 201, x.text);
  for (let round = 0; round < 8; round++) {
    const [a, b] = await Promise.all([
      as.manager.patch(`/api/v1/action-items/${x.json.id}`, { body: `Body ${round}` }),
      as.self.patch(`/api/v1/action-items/${x.json.id}`, { due_date: iso(dayOf(10 + round)) }),
    ]);
    assert.equal(a.status, 200, a.text);
    assert.equal(b.status, 200, b.text);
    const now = (await as.self.get(`/api/v1/one-on-ones/meetings/${mid}`)).json.agenda.actions.new.find((i) => i.id === x.json.id);
    assert.equal(now.body, `Body ${round}`, `round ${round}: the body stays`);
    assert.equal(now.due_date, iso(dayOf(10 + round)), `round ${round}: the due date stays`);
  }
});

test('a skipped meeting takes no notes and no action item', async () => {
  const next = (await as.self.post(`/api/v1/one-on-ones/meetings/${mid}/skip`, { reason: 'Offsite' }));
  assert.equal(next.status, 200, next.text);
  expectError(assert, await as.self.patch(`/api/v1/one-on-ones/meetings/${mid}`, { shared_notes: 'late' }), 409, 'conflict');
  expectError(assert, await as.manager.post(`/api/v1/one-on-ones/meetings/${mid}/actions`, { owner_id: ids.self, body: 'late' }), 409, 'conflict');
  assert.ok(series.id);
});
