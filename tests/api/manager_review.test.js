// What a manager reads beside the review they write (issue #11): the "to write" list names the
// cycle and the due date; the packet of a manager review carries the employee's submitted
// self-review (question text, scale and labels, never only ids) and the anonymous peer summary
// under its threshold; nobody else's packet does (a peer writing about the same person, the
// employee on their own self-review). SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
let srv, cycle;
const as = {};
const ids = {};
const LABELS = ['Far below', 'Below', 'Meets', 'Above', 'Far above'];

before(async () => {
  srv = await startServer({ people: org.csv, users: org.users });
  for (const [k, email] of Object.entries(org.byKey)) as[k] = await srv.login(email, PASSWORD);
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
  const mk = async (name, kind, questions) => {
    const r = await as.hr.post('/api/v1/review-templates', { name, kind, questions });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  const q = [{ id: 'overall', type: 'rating', text: 'How well did the year go?', labels: LABELS }, { id: 'wins', type: 'text', text: 'What are you proudest of?' }];
  const c = await as.hr.post('/api/v1/review-cycles', {
    name: 'Spring 2027', period_start: '2026-07-01', period_end: '2027-06-30', threshold: 2,
    self_template_id: await mk('Self', 'self', q), manager_template_id: await mk('Manager', 'manager', [{ id: 'overall', type: 'rating', text: 'Overall performance', labels: LABELS }]),
    peer_template_id: await mk('Peer', 'peer', [{ id: 'collab', type: 'rating', text: 'Collaboration' }, { id: 'note', type: 'text', text: 'One thing to keep doing' }]),
    deadlines: { self: '2099-01-15', peer: '2099-01-22', manager: '2099-01-29' },
  });
  assert.equal(c.status, 201, c.text);
  cycle = c.json.id;
  assert.equal((await as.hr.post(`/api/v1/review-cycles/${cycle}/launch`, {})).status, 200);
});
after(async () => { await srv?.stop(); });

const mine = async (who, kind, reviewee) => (await as[who].get('/api/v1/reviews')).json.items.find((r) => r.kind === kind && r.reviewee.id === ids[reviewee] && r.cycle_id === cycle);

test('the "to write" list names the cycle and the due date of each review', async () => {
  const m = await mine('manager', 'manager', 'self');
  assert.equal(m.cycle_name, 'Spring 2027');
  assert.equal(m.due_date, '2099-01-29');
  assert.equal((await mine('self', 'self', 'self')).due_date, '2099-01-15');
  assert.equal((await mine('peer', 'peer', 'self')).due_date, '2099-01-22');
});

test('a manager review carries the submitted self-review and the peer summary; nobody else\'s does', async () => {
  const m = await mine('manager', 'manager', 'self');
  let p = (await as.manager.get(`/api/v1/reviews/${m.id}/packet`)).json;
  assert.equal(p.self_review, null, 'a draft self-review is not shown');
  assert.equal(p.peer_summary.responses, 0);

  const selfReview = await mine('self', 'self', 'self');
  assert.equal((await as.self.patch(`/api/v1/reviews/${selfReview.id}`, { answers: { overall: 4, wins: 'Draft words' } })).status, 200);
  p = (await as.manager.get(`/api/v1/reviews/${m.id}/packet`)).json;
  assert.equal(p.self_review, null, 'still a draft');
  assert.equal((await as.self.post(`/api/v1/reviews/${selfReview.id}/submit`, { answers: { overall: 4, wins: 'Shipped search v2 with zero downtime.' } })).status, 200);

  p = (await as.manager.get(`/api/v1/reviews/${m.id}/packet`)).json;
  assert.equal(p.self_review.kind, 'self');
  assert.equal(p.self_review.reviewee.name, 'Zoë Ōtsuka');
  assert.equal(p.self_review.answers.wins, 'Shipped search v2 with zero downtime.');
  assert.equal(p.self_review.answers.overall, 4);
  const overall = p.self_review.questions.find((x) => x.id === 'overall');
  assert.equal(overall.text, 'How well did the year go?');
  assert.deepEqual(overall.labels, LABELS);
  assert.equal(overall.scale, 5);

  // one peer answered: below the threshold of two, nothing but the count
  const peerReview = await mine('peer', 'peer', 'self');
  assert.equal((await as.peer.post(`/api/v1/reviews/${peerReview.id}/submit`, { answers: { collab: 5, note: 'PAT-SECRET-COMMENT' } })).status, 200);
  p = (await as.manager.get(`/api/v1/reviews/${m.id}/packet`)).json;
  assert.equal(p.peer_summary.responses, 1);
  assert.equal(p.peer_summary.below_threshold, true);
  assert.ok(!JSON.stringify(p).includes('PAT-SECRET-COMMENT'), 'below the threshold no comment shows');
  assert.ok(!JSON.stringify(p.peer_summary).includes('Pat'), 'no name of a peer');

  // the peer writing about Zoë and Zoë herself get no such context
  const pp = (await as.peer.get(`/api/v1/reviews/${peerReview.id}/packet`)).json;
  assert.ok(!('self_review' in pp) && !('peer_summary' in pp));
  const sp = (await as.self.get(`/api/v1/reviews/${selfReview.id}/packet`)).json;
  assert.ok(!('self_review' in sp) && !('peer_summary' in sp));
  // Zoë's own manager review of Rex shows Rex's self-review only once he submits it
  const zr = await mine('self', 'manager', 'report');
  assert.equal((await as.self.get(`/api/v1/reviews/${zr.id}/packet`)).json.self_review, null);
});

test('the released outcome carries the manager review for the employee, by question text; nobody else gets it', async () => {
  const m = await mine('manager', 'manager', 'self');
  assert.equal((await as.manager.post(`/api/v1/reviews/${m.id}/submit`, { answers: { overall: 3 } })).status, 200);
  const before = (await as.self.get('/api/v1/review-outcomes')).json.items.find((o) => o.cycle_id === cycle);
  assert.equal(before, undefined, 'nothing before release');
  const rel = await as.hr.post(`/api/v1/review-cycles/${cycle}/release`, { override: true, reason: 'Testing the outcome page' });
  assert.equal(rel.status, 200, rel.text);
  const o = (await as.self.get('/api/v1/review-outcomes')).json.items.find((x) => x.cycle_id === cycle);
  assert.equal(o.manager_review.reviewer.name, 'Mia Manager');
  assert.equal(o.manager_review.answers.overall, 3);
  const q = o.manager_review.questions.find((x) => x.id === 'overall');
  assert.equal(q.text, 'Overall performance');
  assert.deepEqual(q.labels, LABELS);
  const asManager = (await as.manager.get(`/api/v1/review-outcomes/${o.id}`)).json;
  assert.ok(!('manager_review' in asManager), 'the manager has the review itself');
  assert.ok(!('manager_review' in (await as.hr.get(`/api/v1/review-outcomes/${o.id}`)).json));
});
