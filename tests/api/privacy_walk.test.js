// The privacy walk: private markers are planted in every kind of item that has a read rule, then
// every GET route of the route table is walked as anonymous, the person, a peer, another
// department, their manager, the skip-level, the CEO, a report, HR and an admin, with the ids of
// every planted item in each path parameter and the common query parameters; a marker that shows
// in a response to someone its rule does not allow fails the test, naming the route.
// SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
let srv;
const as = {};
const ids = {};
const Y = { start_date: '2026-01-01', due_date: '2026-12-31' };
const ROLES = ['self', 'peer', 'other', 'manager', 'skip', 'ceo', 'report', 'hr', 'admin'];
const MANAGERS = ['manager', 'skip', 'ceo']; // self's manager chain
// marker -> who may read it (besides nobody else, and never anonymous)
const allowed = {
  PRIVGOALMARK: ['self'],
  MGRGOALMARK: ['self', ...MANAGERS, 'hr', 'admin'],
  PRIVFBMARK: ['self', 'peer'],
  MGRFBMARK: ['self', 'peer', ...MANAGERS],
  PRIVJOURNALMARK: ['self'],
  SHAREDJOURNALMARK: ['self', ...MANAGERS],
  SHAREDNOTEMARK: ['self', 'manager'],
  PRIVNOTEMARK: ['self'],
  MGRONLYMARK: [...MANAGERS, 'hr', 'admin'],
  PEERCOMMENTMARK: ['peer', 'hr', 'admin'], // one peer's comment: below the threshold for everyone else
  MENTORMARK: ['self', 'peer'], // a mentorship's goals: the mentee and the mentor
};
const planted = { goal: [], feedback: [], accomplishment: [], series: [], meeting: [], review: [], outcome: [], cycle: [] };

before(async () => {
  srv = await startServer({ people: org.csv, users: org.users });
  for (const [k, email] of Object.entries(org.byKey)) as[k] = await srv.login(email, PASSWORD);
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
  const ok = (r, what) => { assert.ok(r.status === 200 || r.status === 201, `${what}: ${r.status} ${r.text}`); return r.json; };

  // goals: a private one and a managers-only one under a public parent
  const parent = ok(await as.self.post('/api/v1/goals', { title: 'Public parent', ...Y, key_results: [{ title: 'p', start: 0, target: 10, current: 1 }] }), 'parent');
  planted.goal.push(parent.id);
  planted.goal.push(ok(await as.self.post('/api/v1/goals', { title: 'PRIVGOALMARK goal', parent_id: parent.id, visibility: 'private', ...Y, key_results: [{ title: 'PRIVGOALMARK kr', start: 0, target: 10, current: 9 }] }), 'private goal').id);
  planted.goal.push(ok(await as.self.post('/api/v1/goals', { title: 'MGRGOALMARK goal', parent_id: parent.id, visibility: 'managers', ...Y, key_results: [{ title: 'MGRGOALMARK kr', start: 0, target: 10, current: 7 }] }), 'managers goal').id);
  // feedback from the peer to the person
  planted.feedback.push(ok(await as.peer.post('/api/v1/feedback', { recipient_id: ids.self, kind: 'constructive', visibility: 'private', body: 'PRIVFBMARK words' }), 'private feedback').id);
  planted.feedback.push(ok(await as.peer.post('/api/v1/feedback', { recipient_id: ids.self, kind: 'praise', visibility: 'managers', body: 'MGRFBMARK words' }), 'managers feedback').id);
  // the journal
  planted.accomplishment.push(ok(await as.self.post('/api/v1/accomplishments', { happened_on: '2026-04-01', title: 'PRIVJOURNALMARK win', impact: 'PRIVJOURNALMARK impact' }), 'journal').id);
  planted.accomplishment.push(ok(await as.self.post('/api/v1/accomplishments', { happened_on: '2026-05-01', title: 'SHAREDJOURNALMARK win', shared_with_manager: true }), 'shared journal').id);
  // a one-on-one with shared and private notes
  // the first Monday at least a week from today (a fixed date falls into the past)
  const monday = new Date(Date.now() + 7 * 86400000);
  monday.setUTCDate(monday.getUTCDate() + ((8 - monday.getUTCDay()) % 7));
  const s = ok(await as.manager.post('/api/v1/one-on-ones', { with: ids.self, cadence_weeks: 4, weekday: 'monday', first_date: monday.toISOString().slice(0, 10), time: '10:00', timezone: 'Europe/Berlin', duration_minutes: 30 }), 'series');
  planted.series.push(s.id);
  const mid = s.next_meeting.id;
  planted.meeting.push(mid);
  ok(await as.manager.patch(`/api/v1/one-on-ones/meetings/${mid}`, { shared_notes: 'SHAREDNOTEMARK agreed' }), 'shared note');
  ok(await as.self.patch(`/api/v1/one-on-ones/meetings/${mid}`, { private_note: 'PRIVNOTEMARK mine' }), 'private note');
  ok(await as.self.post(`/api/v1/one-on-ones/meetings/${mid}/points`, { body: 'SHAREDNOTEMARK point' }), 'talking point');
  // a mentorship the person asked the peer for, with its goals
  const skill = ok(await as.hr.post('/api/v1/skills', { name: 'Walk skill', category: 'Walk' }), 'skill');
  ok(await as.peer.put('/api/v1/me/mentor-offer', { skill_ids: [skill.id], capacity: 2 }), 'mentor offer');
  ok(await as.self.post('/api/v1/mentorships', { mentor_id: ids.peer, skill_id: skill.id, goals: 'MENTORMARK growth', start_date: '2026-12-07' }), 'mentorship');
  // a review cycle: the manager's manager-only note about the person, one peer comment about the person (below the threshold)
  const tpl = async (name, kind, questions) => ok(await as.hr.post('/api/v1/review-templates', { name, kind, questions }), 'template').id;
  const cyc = ok(await as.hr.post('/api/v1/review-cycles', {
    name: 'Walk', period_start: '2026-07-01', period_end: '2026-12-31', threshold: 3,
    self_template_id: await tpl('S', 'self', [{ id: 'overall', type: 'rating', text: 'Overall' }]),
    manager_template_id: await tpl('M', 'manager', [{ id: 'overall', type: 'rating', text: 'Overall' }, { id: 'potential', type: 'rating', text: 'Potential', scale: 3 }, { id: 'note', type: 'text', text: 'Note', manager_only: true, required: false }, { id: 'summary', type: 'text', text: 'Summary' }]),
    peer_template_id: await tpl('P', 'peer', [{ id: 'collab', type: 'rating', text: 'Collab' }, { id: 'comment', type: 'text', text: 'Comment', required: false }]),
  }), 'cycle');
  planted.cycle.push(cyc.id);
  ok(await as.hr.post(`/api/v1/review-cycles/${cyc.id}/launch`, {}), 'launch');
  const mgrReview = (await as.manager.get(`/api/v1/reviews?cycle=${cyc.id}`)).json.items.find((x) => x.kind === 'manager' && x.reviewee.id === ids.self);
  planted.review.push(mgrReview.id);
  ok(await as.manager.post(`/api/v1/reviews/${mgrReview.id}/submit`, { answers: { overall: 4, potential: 3, note: 'MGRONLYMARK flight risk', summary: 'Good half' } }), 'manager review');
  for (const who of ['peer', 'other', 'skip', 'admin']) {
    for (const r of (await as[who].get(`/api/v1/reviews?cycle=${cyc.id}`)).json.items) if (!planted.review.includes(r.id)) planted.review.push(r.id);
  }
  const peerOnSelf = (await as.peer.get(`/api/v1/reviews?cycle=${cyc.id}`)).json.items.find((x) => x.kind === 'peer' && x.reviewee.id === ids.self);
  if (peerOnSelf) ok(await as.peer.post(`/api/v1/reviews/${peerOnSelf.id}/submit`, { answers: { collab: 2, comment: 'PEERCOMMENTMARK blunt' } }), 'peer review');
  ok(await as.hr.post(`/api/v1/review-cycles/${cyc.id}/release`, { override: true, reason: 'walk the released state' }), 'release');
  for (const o of (await as.hr.get(`/api/v1/review-outcomes?cycle=${cyc.id}&person=${ids.self}`)).json.items) planted.outcome.push(o.id);
  assert.ok(peerOnSelf, 'the peer reviews the person');
});
after(async () => { await srv?.stop(); });

function candidates(pattern) {
  const all = Object.values(planted).flat();
  const people = [ids.self, ids.manager, ids.hr];
  if (!pattern.includes('{')) return [pattern];
  const ofKind = pattern.startsWith('/api/v1/people/') ? people
    : pattern.startsWith('/api/v1/goals/') ? planted.goal
      : pattern.startsWith('/api/v1/feedback/') ? planted.feedback
        : pattern.startsWith('/api/v1/accomplishments/') ? planted.accomplishment
          : pattern.startsWith('/api/v1/one-on-ones/meetings/') ? planted.meeting
            : pattern.startsWith('/api/v1/one-on-ones/') ? planted.series
              : pattern.startsWith('/api/v1/reviews/') ? planted.review
                : pattern.startsWith('/api/v1/review-outcomes/') ? planted.outcome
                  : pattern.startsWith('/api/v1/review-cycles/') ? planted.cycle
                    : all;
  return ofKind.map((id) => pattern.replace('{id}', id).replace('{person}', ids.self).replace('{token}', 'x'));
}

test('no planted marker reaches anyone its rule does not allow, on any GET route', async () => {
  const spec = (await as.self.get('/api/v1/openapi.json')).json;
  const gets = Object.entries(spec.paths).filter(([, ops]) => ops.get).map(([p]) => p);
  assert.ok(gets.length >= 50, `the walk covers the route table (${gets.length} GET routes)`);
  const queries = ['', `?person=${ids.self}&owner=${ids.self}&limit=200`, `?cycle=${planted.cycle[0]}&person=${ids.self}`, '?format=markdown', `?visibility=all&scope=received&recipient=${ids.self}`];
  const leaks = [];
  let requests = 0;
  const clients = { anon: srv.anon(), ...Object.fromEntries(ROLES.map((r) => [r, as[r]])) };
  for (const pattern of gets) {
    for (const path of candidates(pattern)) {
      for (const q of queries) {
        await Promise.all(Object.entries(clients).map(async ([who, c]) => {
          const r = await c.get(path + q);
          requests++;
          assert.ok(r.status < 500, `${who} GET ${path + q}: ${r.status} ${r.text.slice(0, 200)}`);
          for (const [marker, may] of Object.entries(allowed)) {
            if (r.text.includes(marker) && !may.includes(who)) leaks.push(`${marker} reached ${who} through GET ${path + q}`);
          }
        }));
      }
    }
  }
  assert.deepEqual([...new Set(leaks)], [], `leaks after ${requests} requests`);
  assert.ok(requests > 2000, `${requests} requests`);
});

test('the planted markers are there for those who may read them (the walk can fail)', async () => {
  const seen = (await as.self.get(`/api/v1/goals/${planted.goal[1]}`)).text;
  assert.ok(seen.includes('PRIVGOALMARK'));
  assert.ok((await as.manager.get(`/api/v1/goals/${planted.goal[2]}`)).text.includes('MGRGOALMARK'));
  assert.ok((await as.self.get(`/api/v1/feedback/${planted.feedback[0]}`)).text.includes('PRIVFBMARK'));
  assert.ok((await as.manager.get(`/api/v1/reviews/${planted.review[0]}`)).text.includes('MGRONLYMARK'));
  assert.ok((await as.self.get(`/api/v1/one-on-ones/meetings/${planted.meeting[0]}`)).text.includes('PRIVNOTEMARK'));
  assert.ok((await as.manager.get(`/api/v1/accomplishments/${planted.accomplishment[1]}`)).text.includes('SHAREDJOURNALMARK'));
});
