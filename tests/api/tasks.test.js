// The task inbox (GET /api/v1/me/tasks): each person sees only their own work, each item links
// to the page that resolves it and disappears when done; a manager also sees their direct
// reports' status, and nobody else's. The bell's "mark all read". SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
let srv;
const as = {};
const ids = {};
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const dayOf = (offset) => new Date(Date.now() + offset * 86400000);
const iso = (d) => d.toISOString().slice(0, 10);
// the deadlines lie ahead of today, whenever the test runs
const selfDue = iso(dayOf(38));
const managerDue = iso(dayOf(52));
const tasks = async (who) => {
  const r = await as[who].get('/api/v1/me/tasks');
  assert.equal(r.status, 200, r.text);
  return r.json;
};
const ofKind = async (who, kind) => (await tasks(who)).items.filter((t) => t.kind === kind);

let cycleId;
before(async () => {
  srv = await startServer({ people: org.csv, users: org.users, env: { TRELLIS_SCHEDULER_INTERVAL: '1' } });
  for (const [k, email] of Object.entries(org.byKey)) as[k] = await srv.login(email, PASSWORD);
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
  const mk = async (name, kind, questions) => (await as.hr.post('/api/v1/review-templates', { name, kind, questions })).json.id;
  const self = await mk('Self', 'self', [{ id: 'overall', type: 'rating', text: 'How did your year go?' }]);
  const manager = await mk('Manager', 'manager', [{ id: 'overall', type: 'rating', text: 'Overall' }]);
  const c = await as.hr.post('/api/v1/review-cycles', { name: 'Autumn 2026 review', period_start: '2026-07-01', period_end: '2026-12-31', self_template_id: self, manager_template_id: manager, deadlines: { self: selfDue, manager: managerDue } });
  assert.equal(c.status, 201, c.text);
  cycleId = c.json.id;
  assert.equal((await as.hr.post(`/api/v1/review-cycles/${cycleId}/launch`, {})).status, 200);
});
after(async () => { await srv?.stop(); });

test('the self-review appears with its cycle and deadline, and disappears after submit', async () => {
  const [item] = await ofKind('self', 'review_self');
  assert.ok(item, 'the reviewee has a self-review to write');
  assert.equal(item.title, 'Write your self-review');
  assert.match(item.detail, /Autumn 2026 review/);
  assert.equal(item.due, selfDue);
  assert.equal(item.href, `#/reviews/${item.id}`);
  const review = await as.self.get(`/api/v1/reviews/${item.id}`);
  assert.equal(review.status, 200, 'the link resolves for the person');
  assert.equal(review.json.kind, 'self');

  // the manager writes the manager review of each direct report, named, with its deadline
  const mgr = await ofKind('manager', 'review_manager');
  assert.deepEqual(mgr.map((t) => t.title).sort(), ['Write the manager review of Pat Peer', 'Write the manager review of Zoë Ōtsuka']);
  assert.ok(mgr.every((t) => t.due === managerDue));

  // every review item of anyone is one they write themselves: nothing about who reviews whom
  for (const who of ['self', 'manager', 'peer', 'report']) {
    const writes = new Set((await as[who].get('/api/v1/reviews')).json.items.map((r) => r.id));
    for (const t of (await tasks(who)).items.filter((x) => x.kind.startsWith('review_'))) assert.ok(writes.has(t.id), `${who} writes #${t.id}`);
  }

  const sub = await as.self.post(`/api/v1/reviews/${item.id}/submit`, { answers: { overall: 4 } });
  assert.equal(sub.status, 200, sub.text);
  assert.deepEqual(await ofKind('self', 'review_self'), [], 'done, so gone');
});

test('a feedback request appears for the asked person only, until it is answered', async () => {
  const r = await as.self.post('/api/v1/feedback-requests', { asked_ids: [ids.peer], topic: 'My design review talk', due_date: iso(dayOf(9)) });
  assert.equal(r.status, 201, r.text);
  const reqId = r.json.items[0].id;
  const [item] = await ofKind('peer', 'feedback_request');
  assert.equal(item.title, 'Give feedback to Zoë Ōtsuka');
  assert.equal(item.detail, 'My design review talk');
  assert.equal(item.due, iso(dayOf(9)));
  assert.equal(item.href, '#/feedback?tab=requests');
  for (const who of ['self', 'manager', 'other', 'hr']) assert.deepEqual(await ofKind(who, 'feedback_request'), [], who);
  const ans = await as.peer.post(`/api/v1/feedback-requests/${reqId}/answer`, { kind: 'praise', visibility: 'private', body: 'Clear and calm' });
  assert.equal(ans.status, 201, ans.text);
  assert.deepEqual(await ofKind('peer', 'feedback_request'), []);
});

test('a development plan waits for the manager, and an action item for its owner', async () => {
  assert.equal((await as.self.put(`/api/v1/people/${ids.self}/idp`, { short_term: 'Own the search service' })).status, 200);
  const [plan] = await ofKind('manager', 'idp_sign_off');
  assert.equal(plan.title, 'Sign off the development plan of Zoë Ōtsuka');
  assert.equal(plan.href, `#/development?tab=plan&person=${ids.self}`);
  assert.deepEqual(await ofKind('skip', 'idp_sign_off'), [], 'the direct manager signs off');
  assert.equal((await as.manager.post(`/api/v1/people/${ids.self}/idp/sign-off`, {})).status, 200);
  assert.deepEqual(await ofKind('manager', 'idp_sign_off'), []);

  const d = dayOf(3);
  const s = await as.manager.post('/api/v1/one-on-ones', { with: ids.self, weekday: WEEKDAYS[d.getUTCDay()], first_date: iso(d), time: '10:00', timezone: 'UTC' });
  assert.equal(s.status, 201, s.text);
  const mid = s.json.next_meeting.id;
  const [next] = await ofKind('self', 'one_on_one');
  assert.equal(next.title, 'One-on-one with Mia Manager');
  assert.equal(next.due, iso(d));
  assert.equal(next.href, `#/one-on-ones/meetings/${mid}`);
  const a = await as.manager.post(`/api/v1/one-on-ones/meetings/${mid}/actions`, { owner_id: ids.self, body: 'Draft the tech-lead plan', due_date: iso(dayOf(10)) });
  assert.equal(a.status, 201, a.text);
  const [action] = await ofKind('self', 'action_item');
  assert.equal(action.title, 'Draft the tech-lead plan');
  assert.equal(action.due, iso(dayOf(10)));
  assert.equal(action.href, `#/one-on-ones/meetings/${mid}`);
  assert.deepEqual(await ofKind('manager', 'action_item'), [], 'the owner only');
  assert.equal((await as.self.patch(`/api/v1/action-items/${a.json.id}`, { status: 'done' })).status, 200);
  assert.deepEqual(await ofKind('self', 'action_item'), []);
});

test('a manager sees the status of their direct reports only; an employee has no team block', async () => {
  const mgr = await tasks('manager');
  assert.deepEqual(mgr.team.map((p) => p.name).sort(), ['Pat Peer', 'Zoë Ōtsuka'], 'not Rex, who reports to Zoë');
  const zoe = mgr.team.find((p) => p.id === ids.self);
  assert.equal(zoe.review.cycle, 'Autumn 2026 review');
  assert.equal(zoe.review.self, 'submitted');
  assert.equal(zoe.review.manager, 'assigned');
  assert.equal(zoe.idp, 'signed_off');
  assert.equal(zoe.next_one_on_one.slice(0, 10), iso(dayOf(3)));
  assert.equal(zoe.last_one_on_one, null);
  const pat = mgr.team.find((p) => p.id === ids.peer);
  assert.equal(pat.review.self, 'assigned');
  assert.equal(pat.idp, 'none');
  assert.equal(pat.next_one_on_one, null);

  // goals at risk count what the manager may read: not the report's private goals
  const goal = async (title, visibility) => as.peer.post('/api/v1/goals', { title, status: 'at_risk', visibility, start_date: '2026-01-01', due_date: '2099-12-31' });
  const made = await goal('Cut the build time', 'managers');
  assert.equal(made.status, 201, made.text);
  assert.equal((await goal('Secret side quest', 'private')).status, 201);
  assert.equal((await tasks('manager')).team.find((p) => p.id === ids.peer).goals_at_risk, 1);

  assert.deepEqual((await tasks('skip')).team.map((p) => p.name), ['Mia Manager'], 'the skip-level sees their own direct report');
  assert.deepEqual((await tasks('self')).team.map((p) => p.name), ['Rex Report']);
  for (const who of ['peer', 'other', 'report']) assert.equal('team' in (await tasks(who)), false, who);
});

test('the bell: mark every notification read up to the newest one shown', async () => {
  // a one-on-one within a day with an empty agenda: the scheduler notifies both sides
  const t = dayOf(1);
  const hh = String(Math.max(0, new Date().getUTCHours() - 1)).padStart(2, '0');
  assert.equal((await as.ceo.post('/api/v1/one-on-ones', { with: ids.hr, weekday: WEEKDAYS[t.getUTCDay()], first_date: iso(t), time: `${hh}:00`, timezone: 'UTC' })).status, 201);
  let list;
  for (let i = 0; i < 60; i++) {
    list = (await as.hr.get('/api/v1/notifications')).json;
    if (list.unread) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.ok(list.unread >= 1, 'a reminder arrived');
  const newest = Math.max(...list.items.map((n) => n.id));
  const r = await as.hr.post(`/api/v1/notifications/read?up_to=${newest}`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.unread, 0);
  assert.ok((await as.hr.get('/api/v1/notifications')).json.items.every((n) => n.read_at));
  assert.ok((await as.ceo.get('/api/v1/notifications')).json.unread >= 1, 'only my own');
});
