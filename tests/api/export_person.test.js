// The data-subject export (issue #10): GET /api/v1/people/{id}/export and `trellis export person`
// hold everything stored about the person -- markers planted in their goals, journal, feedback
// given and received, reviews, one-on-ones and notifications all appear -- while the other side's
// private one-on-one note (and, for HR and the operator's CLI, any private note), manager-only answers (potential) and peer reviewers' identities and
// answers never do. Only the person, HR and admins may export. SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, expectError, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
let srv;
const as = {};
const ids = {};
const iso = (d) => d.toISOString().slice(0, 10);
const dayOf = (offset) => new Date(Date.now() + offset * 86400000);

before(async () => {
  srv = await startServer({ people: org.csv, users: org.users });
  for (const [k, email] of Object.entries(org.byKey)) as[k] = await srv.login(email, PASSWORD);
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
});
after(async () => { await srv?.stop(); });

const ok = (r, status = 201) => { assert.equal(r.status, status, r.text); return r.json; };

test('the export holds the person\'s own items and nobody else\'s secrets', async () => {
  // Sam Sales ("other") reports to the CEO; the CEO's other reports are Sam's peers
  ok(await as.other.post('/api/v1/goals', { title: 'MK-GOAL private quota', visibility: 'private', start_date: '2026-01-01', due_date: '2026-12-31' }));
  ok(await as.other.post('/api/v1/accomplishments', { happened_on: '2026-03-01', title: 'MK-JOURNAL closed Acme', impact: 'MK-IMPACT' }));
  ok(await as.hr.post('/api/v1/feedback', { recipient_id: ids.other, kind: 'praise', visibility: 'private', body: 'MK-FB-RECEIVED great pitch' }));
  ok(await as.other.post('/api/v1/feedback', { recipient_id: ids.admin, kind: 'praise', visibility: 'private', body: 'MK-FB-GIVEN thanks for the laptop' }));
  const d = dayOf(3);
  const series = ok(await as.ceo.post('/api/v1/one-on-ones', { with: ids.other, weekday: ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'][d.getUTCDay()], first_date: iso(d), time: '10:00', timezone: 'UTC' }));
  const mid = series.next_meeting.id;
  ok(await as.ceo.patch(`/api/v1/one-on-ones/meetings/${mid}`, { private_note: 'MK-CEO-PRIVATE Sam may leave', shared_notes: 'MK-SHARED pipeline review' }), 200);
  ok(await as.other.patch(`/api/v1/one-on-ones/meetings/${mid}`, { private_note: 'MK-MY-PRIVATE ask about the raise' }), 200);
  // a cycle: the CEO's manager review with potential, one peer review (below the threshold)
  const tpl = {};
  for (const [kind, questions] of [
    ['self', [{ id: 'overall', type: 'rating', text: 'Your year' }]],
    ['manager', [{ id: 'overall', type: 'rating', text: 'Overall', scale: 5 }, { id: 'summary', type: 'text', text: 'Summary' }, { id: 'potential', type: 'rating', text: 'Potential', scale: 3 }, { id: 'aside', type: 'text', text: 'Private note', required: false, manager_only: true }]],
    ['peer', [{ id: 'comment', type: 'text', text: 'Comment' }]],
  ]) tpl[kind] = ok(await as.hr.post('/api/v1/review-templates', { name: `T ${kind}`, kind, questions })).id;
  const c = ok(await as.hr.post('/api/v1/review-cycles', { name: 'MK-CYCLE', period_start: '2026-01-01', period_end: '2026-06-30', self_template_id: tpl.self, manager_template_id: tpl.manager, peer_template_id: tpl.peer, threshold: 3 }));
  ok(await as.hr.post(`/api/v1/review-cycles/${c.id}/launch`, {}), 200);
  const reviewsOf = async (who) => (await as[who].get(`/api/v1/reviews?cycle=${c.id}`)).json.items;
  const mgr = (await reviewsOf('ceo')).find((x) => x.kind === 'manager' && x.reviewee.id === ids.other);
  ok(await as.ceo.post(`/api/v1/reviews/${mgr.id}/submit`, { answers: { overall: 4, summary: 'MK-MGR-SUMMARY strong quarter', potential: 3, aside: 'MK-MGR-ASIDE flight risk' } }), 200);
  const peer = (await reviewsOf('skip')).find((x) => x.kind === 'peer' && x.reviewee.id === ids.other);
  ok(await as.skip.post(`/api/v1/reviews/${peer.id}/submit`, { answers: { comment: 'MK-PEER-COMMENT hard to reach' } }), 200);
  const own = (await reviewsOf('other')).find((x) => x.kind === 'self');
  ok(await as.other.post(`/api/v1/reviews/${own.id}/submit`, { answers: { overall: 5 } }), 200);
  ok(await as.hr.post(`/api/v1/review-cycles/${c.id}/release`, { override: true, reason: 'test: release what is written' }), 200);

  const r = await as.other.get(`/api/v1/people/${ids.other}/export`).catch((e) => assert.fail(`${e.message}\n${srv.stderr.slice(-4000)}`));
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /application\/json/);
  assert.match(r.headers.get('content-disposition'), /attachment; filename="trellis-person-\d+\.json"/);
  const ex = r.json;
  const text = r.text;
  assert.equal(ex.exported_for, ids.other);
  assert.equal(ex.person.email, org.byKey.other);
  for (const mark of ['MK-GOAL', 'MK-JOURNAL', 'MK-IMPACT', 'MK-FB-RECEIVED', 'MK-FB-GIVEN', 'MK-SHARED', 'MK-MY-PRIVATE', 'MK-MGR-SUMMARY']) assert.ok(text.includes(mark), `${mark} is the person's own data`);
  assert.ok(ex.goals.some((g) => g.title === 'MK-GOAL private quota' && Array.isArray(g.checkins)));
  assert.ok(ex.feedback_received.some((f) => f.body.startsWith('MK-FB-RECEIVED') && f.from === 'Hana HR'), 'feedback is signed');
  assert.ok(ex.feedback_given.some((f) => f.body.startsWith('MK-FB-GIVEN') && f.to === 'Ada Admin'));
  assert.ok(ex.one_on_ones[0].meetings.some((m) => m.my_private_note === 'MK-MY-PRIVATE ask about the raise'));
  assert.ok(ex.reviews_written.some((x) => x.kind === 'self' && x.answers.overall === 5));
  const recv = ex.reviews_received.find((x) => x.kind === 'manager');
  assert.ok(recv, 'the released manager review');
  assert.equal(recv.answers.overall, 4);
  assert.ok(!('potential' in recv.answers) && !('aside' in recv.answers), 'manager-only answers left out');
  assert.ok(Array.isArray(ex.notifications) && Array.isArray(ex.audit_about) && Array.isArray(ex.role_history));
  // what is not the person's to read
  for (const secret of ['MK-CEO-PRIVATE', 'MK-MGR-ASIDE', 'MK-PEER-COMMENT']) assert.ok(!text.includes(secret), `${secret} leaked into the export`);
  assert.ok(!ex.reviews_received.some((x) => x.kind === 'peer' || x.kind === 'upward' || x.by === 'Eli Engdir'), 'peer reviewers are never named');
  assert.ok(!/"potential"\s*:/.test(JSON.stringify(ex.reviews_received)));

  // HR and admins may export anyone, but read in it only what they may read elsewhere: no private
  // goal, no journal, no feedback they may not read, no one-on-one content, nobody's private note
  for (const who of ['hr', 'admin']) {
    const by = await as[who].get(`/api/v1/people/${ids.other}/export`);
    assert.equal(by.status, 200, by.text);
    assert.equal(by.json.person.email, org.byKey.other);
    for (const secret of ['MK-CEO-PRIVATE', 'MK-PEER-COMMENT', 'MK-MY-PRIVATE', 'MK-SHARED', 'MK-JOURNAL', 'MK-GOAL', 'MK-FB-GIVEN', 'MK-MGR-ASIDE']) assert.ok(!by.text.includes(secret), `${secret} reached ${who}`);
    assert.ok(by.json.one_on_ones.length === 1 && by.json.one_on_ones[0].meetings.length > 0, 'that the meetings happen is known');
  }
  assert.ok((await as.hr.get(`/api/v1/people/${ids.other}/export`)).text.includes('MK-FB-RECEIVED'), 'HR reads the feedback HR wrote');
  // the CEO's export holds the CEO's own note, not Sam's
  const ceo = (await as.ceo.get(`/api/v1/people/${ids.ceo}/export`)).text;
  assert.ok(ceo.includes('MK-CEO-PRIVATE') && !ceo.includes('MK-MY-PRIVATE'));
  // nobody else, not even the manager
  for (const who of ['ceo', 'peer', 'self']) expectError(assert, await as[who].get(`/api/v1/people/${ids.other}/export`), 403, 'forbidden');
  expectError(assert, await as.hr.get('/api/v1/people/999999/export'), 404, 'not_found');
  expectError(assert, await as.hr.get('/api/v1/people/0/export'), 404, 'not_found');
  const anon = await fetch(`${srv.base}/api/v1/people/${ids.other}/export`);
  assert.equal(anon.status, 401);

  // the CLI prints the same document, by email or id
  const cli = srv.cli(['export', 'person', org.byKey.other]);
  assert.equal(cli.status, 0, cli.stderr);
  const fromCli = JSON.parse(cli.stdout);
  assert.equal(fromCli.exported_for, ids.other);
  assert.ok(cli.stdout.includes('MK-SHARED') && cli.stdout.includes('MK-JOURNAL'), 'the person\'s data');
  // the operator reads no private note at all: only its author, signed in, downloads theirs
  for (const secret of ['MK-MY-PRIVATE', 'MK-CEO-PRIVATE', 'MK-PEER-COMMENT', 'MK-MGR-ASIDE']) assert.ok(!cli.stdout.includes(secret), `${secret} in the CLI export`);
  assert.deepEqual(Object.keys(fromCli).sort(), Object.keys(ex).sort());
  assert.equal(JSON.parse(srv.cli(['export', 'person', String(ids.other)]).stdout).person.email, org.byKey.other);
  assert.equal(srv.cli(['export', 'person', 'nobody@acme.example']).status, 1);
});

test('a read that fails anywhere in the export answers 500, never an export with a part missing', async () => {
  const url = `/api/v1/people/${ids.other}/export`;
  const whole = ok(await as.other.get(url), 200);
  const strip = (x) => { const { exported_at: _, ...rest } = x; return JSON.stringify(rest); };
  let failed = 0;
  for (let n = 1; n < 200; n++) {
    const r = await as.other.get(url, { headers: { 'x-trellis-fault': String(n) } });
    if (r.status === 200) {
      assert.ok(failed > 5, `the export read only ${failed} statements`);
      assert.equal(strip(r.json), strip(whole), 'once the faults run out, the same export');
      return;
    }
    expectError(assert, r, 500, 'internal');
    failed++;
  }
  assert.fail('the export never succeeded');
});
