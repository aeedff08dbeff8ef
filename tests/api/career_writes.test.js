// Every career write (skills, placement, ratings, learning, the development plan, its actions,
// milestones, comments and sign-off) is one transaction in domain/idp.c: a failure injected at
// each of its statements in turn (X-Trellis-Fault) answers 500 and leaves the plan, the
// person's skills and learning, the audit log and the notifications exactly as they were; once
// the faults run out the write lands, and its audit row holds the item after (and before, for
// an edit). SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, expectError, everyFault as everyFaultOf, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
let srv;
const as = {};
const ids = {};
const today = new Date().toISOString().slice(0, 10);
let level;
let skill;

before(async () => {
  srv = await startServer({ people: org.csv, users: org.users });
  for (const [k, email] of Object.entries(org.byKey)) as[k] = await srv.login(email, PASSWORD);
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
  const fw = await as.hr.put('/api/v1/career/framework', {
    competencies: [{ name: 'Delivery' }],
    tracks: [{ name: 'IC', levels: [{ code: 'IC1', title: 'Engineer I', expectations: [{ competency: 'Delivery', rating: 2 }] }, { code: 'IC2', title: 'Engineer II', expectations: [{ competency: 'Delivery', rating: 3 }] }] }],
  });
  assert.equal(fw.status, 200, fw.text);
  level = fw.json.tracks[0].levels.map((l) => l.id);
});
after(async () => { await srv?.stop(); });

// what a career write may change, as HR and the person and the manager see it
async function state() {
  const get = async (c, p) => { const r = await c.get(p); return r.status === 200 ? r.json : r.status; };
  return JSON.stringify({
    idp: await get(as.self, `/api/v1/people/${ids.self}/idp`),
    skills: await get(as.self, `/api/v1/people/${ids.self}/skills`),
    learning: await get(as.self, `/api/v1/people/${ids.self}/learning`),
    catalogue: await get(as.hr, '/api/v1/skills'),
    person: await get(as.hr, `/api/v1/people/${ids.self}`),
    audit: (await as.admin.get('/api/v1/audit?limit=200')).json.items.length,
    notes: [(await as.self.get('/api/v1/notifications')).text, (await as.manager.get('/api/v1/notifications')).text],
  });
}

const everyFault = (c, method, path, body, name) => everyFaultOf(assert, state, c, method, path, body, name);

async function lastAudit(action) {
  const items = (await as.admin.get('/api/v1/audit?limit=50')).json.items;
  const row = items.find((x) => x.action === action);
  assert.ok(row, `an audit row ${action}`);
  return row;
}

test('each career write leaves nothing behind when any statement fails, and audits after', async () => {
  let r = await everyFault(as.hr, 'POST', '/api/v1/skills', { name: 'Rust', category: 'Languages' }, 'skill');
  skill = r.json.id;
  assert.equal((await lastAudit('skill.create')).after.name, 'Rust');

  await everyFault(as.hr, 'PUT', `/api/v1/people/${ids.self}/placement`, { level_id: level[0], reason: 'first placement' }, 'placement');
  assert.equal((await as.hr.get(`/api/v1/people/${ids.self}`)).json.level, 'IC1');

  await everyFault(as.self, 'POST', `/api/v1/people/${ids.self}/ratings`, { subject: 'skill', subject_id: skill, rating: 3 }, 'self rating');
  await everyFault(as.manager, 'POST', `/api/v1/people/${ids.self}/ratings`, { subject: 'skill', subject_id: skill, rating: 2 }, 'manager rating');
  const rated = (await as.self.get(`/api/v1/people/${ids.self}/skills`)).json.ratings.find((x) => x.id === skill);
  assert.deepEqual([rated.self, rated.manager], [3, 2]);

  await everyFault(as.self, 'PUT', `/api/v1/people/${ids.self}/idp`, { short_term: 'Own the billing service', target_level_id: level[1] }, 'plan');
  const created = await lastAudit('idp.update');
  assert.equal(created.before, null);
  assert.equal(created.after.short_term, 'Own the billing service');

  r = await everyFault(as.self, 'POST', `/api/v1/people/${ids.self}/idp/actions`, { kind: 'course', title: 'Rust course', due_date: today }, 'action');
  const action = r.json.id;
  r = await everyFault(as.self, 'POST', `/api/v1/people/${ids.self}/idp/milestones`, { title: 'Ship a Rust service' }, 'milestone');
  const milestone = r.json.id;
  await everyFault(as.manager, 'POST', `/api/v1/people/${ids.self}/idp/comments`, { body: 'Happy to pair on it' }, 'comment');
  assert.match((await as.self.get('/api/v1/notifications')).text, /commented on your development plan/);
  await everyFault(as.manager, 'POST', `/api/v1/people/${ids.self}/idp/sign-off`, {}, 'sign-off');
  const signed = await lastAudit('idp.sign_off');
  assert.equal(signed.before.signed_off_at, null);
  assert.ok(signed.after.signed_off_at);

  // after the sign-off an edit keeps the signed version in the history, in the same write
  await everyFault(as.self, 'PATCH', `/api/v1/idp-milestones/${milestone}`, { done: true }, 'milestone done');
  const done = await lastAudit('idp_milestone.update');
  assert.equal(done.before.done_at, null);
  assert.ok(done.after.done_at);
  assert.equal((await as.self.get(`/api/v1/people/${ids.self}/idp/history`)).json.items.length, 1);

  r = await everyFault(as.self, 'PATCH', `/api/v1/idp-actions/${action}`, { status: 'done', learning: { provider: 'Ferrous' } }, 'action done');
  assert.ok(r.json.learning_record_id);
  const upd = await lastAudit('idp_action.update');
  assert.equal(upd.before.status, 'planned');
  assert.equal(upd.after.status, 'done');

  await everyFault(as.self, 'POST', `/api/v1/people/${ids.self}/learning`, { kind: 'workshop', title: 'Threat modelling', completed_on: today }, 'learning');
  const learned = await lastAudit('learning.create');
  assert.equal(learned.after.title, 'Threat modelling');
  const titles = (await as.self.get(`/api/v1/people/${ids.self}/learning`)).json.items.map((x) => x.title).sort();
  assert.deepEqual(titles, ['Rust course', 'Threat modelling']);
});

test('the decision is the write\'s own: refusals come from inside the transaction with their reasons', async () => {
  expectError(assert, await as.peer.post(`/api/v1/people/${ids.self}/ratings`, { subject: 'skill', subject_id: skill, rating: 5 }), 404, 'not_found');
  expectError(assert, await as.hr.post(`/api/v1/people/${ids.self}/ratings`, { subject: 'skill', subject_id: skill, rating: 5 }), 403, 'forbidden');
  const r = await as.hr.put(`/api/v1/people/${ids.self}/placement`, { level_id: 999999 });
  expectError(assert, r, 422, 'validation_failed');
  assert.equal(r.json.error.fields.level_id, 'no such level');
  expectError(assert, await as.hr.post('/api/v1/skills', { name: 'Rust', category: 'Again' }), 409, 'conflict');
  expectError(assert, await as.self.post(`/api/v1/people/${ids.report}/idp/actions`, { kind: 'course', title: 'x' }), 403, 'forbidden');
  expectError(assert, await as.self.post(`/api/v1/people/${ids.report}/learning`, { kind: 'course', title: 'x', completed_on: today }), 403, 'forbidden');
  expectError(assert, await as.report.post(`/api/v1/people/${ids.report}/idp/milestones`, { title: 'No plan yet' }), 409, 'conflict');
});
