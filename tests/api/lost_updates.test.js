// No lost updates: two simultaneous PATCHes of one record that change different fields both
// answer 200 and both changes are there afterwards, on every edit route, round after round.
// Each write reads the row it decides on inside its own transaction and writes only the fields
// it was sent. SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
const ROUNDS = 20;
let srv;
const as = {};
const ids = {};
const dayOf = (offset) => new Date(Date.now() + offset * 86400000);
const iso = (d) => d.toISOString().slice(0, 10);
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

before(async () => {
  srv = await startServer({ people: org.csv, users: org.users });
  for (const [k, email] of Object.entries(org.byKey)) as[k] = await srv.login(email, PASSWORD);
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
});
after(async () => { await srv?.stop(); });

// Runs ROUNDS rounds of two concurrent writes; check(round) returns the fields that lost their
// new value. Fails with every round that lost one.
async function race(name, write1, write2, check) {
  const lost = [];
  for (let i = 0; i < ROUNDS; i++) {
    const [a, b] = await Promise.all([write1(i), write2(i)]);
    assert.equal(a.status, 200, `${name} round ${i}, first write: ${a.text}`);
    assert.equal(b.status, 200, `${name} round ${i}, second write: ${b.text}`);
    const missing = await check(i);
    if (missing.length) lost.push(`round ${i}: ${missing.join(', ')}`);
  }
  assert.deepEqual(lost, [], `${name}: ${lost.length} of ${ROUNDS} rounds lost a change`);
}

test('two people editing one goal at once: the title and the description both stay', async () => {
  const g = await as.self.post('/api/v1/goals', { title: 'Start', description: 'start', start_date: '2026-01-01', due_date: '2026-12-31' });
  assert.equal(g.status, 201, g.text);
  const url = `/api/v1/goals/${g.json.id}`;
  await race('goal',
    (i) => as.self.patch(url, { title: `Title ${i}` }),
    (i) => as.manager.patch(url, { description: `Description ${i}` }),
    async (i) => {
      const now = (await as.self.get(url)).json;
      return [now.title !== `Title ${i}` && 'title', now.description !== `Description ${i}` && 'description'].filter(Boolean);
    });
});

test('two HR partners editing one person at once: the title and the level both stay', async () => {
  const url = `/api/v1/people/${ids.peer}`;
  await race('person',
    (i) => as.hr.patch(url, { title: `Engineer ${i}` }),
    (i) => as.hr.patch(url, { level: `L${i}` }),
    async (i) => {
      const now = (await as.hr.get(url)).json;
      return [now.title !== `Engineer ${i}` && 'title', now.level !== `L${i}` && 'level'].filter(Boolean);
    });
});

test('a one-on-one autosaving both sides at once: the shared notes and the private note both stay', async () => {
  const d = dayOf(3);
  const s = await as.manager.post('/api/v1/one-on-ones', { with: ids.self, weekday: WEEKDAYS[d.getUTCDay()], first_date: iso(d), time: '10:00', timezone: 'UTC' });
  assert.equal(s.status, 201, s.text);
  const url = `/api/v1/one-on-ones/meetings/${s.json.next_meeting.id}`;
  await race('meeting',
    (i) => as.manager.patch(url, { shared_notes: `Agreed ${i}` }),
    (i) => as.self.patch(url, { private_note: `Mine ${i}` }),
    async (i) => {
      const mine = (await as.self.get(url)).json;
      return [mine.shared_notes !== `Agreed ${i}` && 'shared_notes', mine.private_note !== `Mine ${i}` && 'private_note'].filter(Boolean);
    });
});

test('one accomplishment edited from two tabs at once: the title and the impact both stay', async () => {
  const x = await as.self.post('/api/v1/accomplishments', { happened_on: '2026-03-14', title: 'Start', impact: 'start' });
  assert.equal(x.status, 201, x.text);
  const url = `/api/v1/accomplishments/${x.json.id}`;
  await race('accomplishment',
    (i) => as.self.patch(url, { title: `Win ${i}` }),
    (i) => as.self.patch(url, { impact: `Impact ${i}` }),
    async (i) => {
      const now = (await as.self.get(url)).json;
      return [now.title !== `Win ${i}` && 'title', now.impact !== `Impact ${i}` && 'impact'].filter(Boolean);
    });
});

test('one development-plan action edited from two tabs at once: the title and the support both stay', async () => {
  assert.equal((await as.report.put(`/api/v1/people/${ids.report}/idp`, { short_term: 'Learn the codebase' })).status, 200);
  const x = await as.report.post(`/api/v1/people/${ids.report}/idp/actions`, { kind: 'course', title: 'Start', due_date: '2099-01-01' });
  assert.equal(x.status, 201, x.text);
  const url = `/api/v1/idp-actions/${x.json.id}`;
  await race('IDP action',
    (i) => as.report.patch(url, { title: `Course ${i}` }),
    (i) => as.report.patch(url, { support_needed: `Budget ${i}` }),
    async (i) => {
      const now = (await as.report.get(`/api/v1/people/${ids.report}/idp`)).json.actions.find((a) => a.id === x.json.id);
      return [now.title !== `Course ${i}` && 'title', now.support_needed !== `Budget ${i}` && 'support_needed'].filter(Boolean);
    });
  // each edit is audited with what the action was and became
  const audit = (await as.hr.get(`/api/v1/audit?entity=idp_action&entity_id=${x.json.id}`));
  if (audit.status === 200) {
    const rows = audit.json.items.filter((r) => r.action === 'idp_action.update');
    assert.ok(rows.length >= 2 * 20 && rows.every((r) => r.before && r.after), 'before and after recorded');
  }
});

test('a one-on-one action item edited by both sides at once: the text and the due date both stay', async () => {
  const d = dayOf(5);
  const s = await as.skip.post('/api/v1/one-on-ones', { with: ids.manager, weekday: WEEKDAYS[d.getUTCDay()], first_date: iso(d), time: '11:00', timezone: 'UTC' });
  assert.equal(s.status, 201, s.text);
  const mid = s.json.next_meeting.id;
  const x = await as.skip.post(`/api/v1/one-on-ones/meetings/${mid}/actions`, { owner_id: ids.manager, body: 'Start' });
  assert.equal(x.status, 201, x.text);
  const url = `/api/v1/action-items/${x.json.id}`;
  await race('action item',
    (i) => as.skip.patch(url, { body: `Hire ${i}` }),
    (i) => as.manager.patch(url, { due_date: iso(dayOf(10 + i)) }),
    async (i) => {
      const m = (await as.manager.get(`/api/v1/one-on-ones/meetings/${mid}`)).json;
      const now = [...m.agenda.actions.open, ...m.agenda.actions.new].find((a) => a.id === x.json.id);
      return [now.body !== `Hire ${i}` && 'body', now.due_date !== iso(dayOf(10 + i)) && 'due_date'].filter(Boolean);
    });
});

test('a review draft saved from two tabs at once: both questions keep their answers', async () => {
  const t = await as.hr.post('/api/v1/review-templates', { name: 'Race self', kind: 'self', questions: [{ id: 'wins', type: 'text', text: 'Wins' }, { id: 'next', type: 'text', text: 'Next' }] });
  assert.equal(t.status, 201, t.text);
  const c = await as.hr.post('/api/v1/review-cycles', { name: 'Race cycle', period_start: '2026-01-01', period_end: '2026-06-30', self_template_id: t.json.id });
  assert.equal(c.status, 201, c.text);
  assert.equal((await as.hr.post(`/api/v1/review-cycles/${c.json.id}/launch`, {})).status, 200);
  const mine = (await as.peer.get(`/api/v1/reviews?cycle=${c.json.id}`)).json.items.find((x) => x.kind === 'self');
  assert.ok(mine, 'the self review');
  const url = `/api/v1/reviews/${mine.id}`;
  await race('review draft',
    (i) => as.peer.patch(url, { answers: { wins: `Shipped ${i}` } }),
    (i) => as.peer.patch(url, { answers: { next: `Lead ${i}` } }),
    async (i) => {
      const now = (await as.peer.get(url)).json.answers;
      return [now.wins !== `Shipped ${i}` && 'wins', now.next !== `Lead ${i}` && 'next'].filter(Boolean);
    });
});

test('mentor capacity holds when several people ask at once, and when the mentor answers twice at once', async () => {
  const sk = await as.hr.post('/api/v1/skills', { name: 'Race mentoring', category: 'Tests' });
  assert.equal(sk.status, 201, sk.text);
  assert.equal((await as.skip.put('/api/v1/me/mentor-offer', { skill_ids: [sk.json.id], capacity: 1 })).status, 200);
  const start = iso(dayOf(1));
  const askers = ['self', 'peer', 'other', 'report'];
  const asked = await Promise.all(askers.map((k) => as[k].post('/api/v1/mentorships', { mentor_id: ids.skip, skill_id: sk.json.id, start_date: start })));
  const made = asked.filter((r) => r.status === 201);
  assert.equal(made.length, 1, `one request fits a capacity of one: ${asked.map((r) => r.status).join(', ')}`);
  for (const r of asked.filter((x) => x.status !== 201)) {
    assert.equal(r.status, 422, r.text);
    assert.match(r.json.error.fields.mentor_id, /capacity/);
  }
  // the mentor answers the one request from two tabs at once: one answer wins, the other is told
  const id = made[0].json.id;
  const answers = await Promise.all([as.skip.post(`/api/v1/mentorships/${id}/accept`, {}), as.skip.post(`/api/v1/mentorships/${id}/decline`, {})]);
  assert.deepEqual(answers.map((r) => r.status).sort(), [200, 409], answers.map((r) => r.text).join(' / '));
  const audit = (await as.hr.get(`/api/v1/audit?entity=mentorship&entity_id=${id}`)).json.items;
  assert.deepEqual(audit.map((a) => a.action).sort(), ['mentorship.accept', 'mentorship.create', 'mentorship.decline'].filter((x) => x !== (answers[0].status === 200 ? 'mentorship.decline' : 'mentorship.accept')).sort(), 'one row per write that happened');
});
