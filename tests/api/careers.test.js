// Career development: a framework imported as JSON (bad documents change nothing), placements
// in role history, skill ratings with history, gap analysis and matching on hand-made cases
// with known answers, the IDP with sign-off history and completion, learning from a completed
// action, mentorship capacity, opportunities with interest, the career page, the record and
// the access matrix. SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, expectError, PASSWORD, querySql } from '../support/trellis.js';

const org = fixtureOrg();
let srv;
const as = {};
const ids = {};
const sk = {};
const comp = {};
const lvl = {};
const today = new Date().toISOString().slice(0, 10);

const framework = (extra = {}) => ({
  competencies: [{ name: 'Delivery', description: 'Ships' }, { name: 'Craft' }, { name: 'People leadership' }],
  tracks: [
    { name: 'Engineering IC', levels: [
      { code: 'IC1', title: 'Engineer I', expectations: [{ competency: 'Delivery', rating: 2 }, { competency: 'Craft', rating: 2 }] },
      { code: 'IC2', title: 'Engineer II', expectations: [{ competency: 'Delivery', rating: 3 }, { competency: 'Craft', rating: 2 }] },
      { code: 'IC3', title: 'Senior Engineer', summary: 'Leads projects', expectations: [{ competency: 'Delivery', rating: 4 }, { competency: 'Craft', rating: 3 }], skills: [{ skill: 'Go', rating: 3 }, { skill: 'SQL', rating: 4 }] },
    ] },
    { name: 'Engineering management', levels: [
      { code: 'M1', title: 'Manager I', expectations: [{ competency: 'People leadership', rating: 3 }] },
      { code: 'M2', title: 'Manager II', expectations: [{ competency: 'People leadership', rating: 4 }] },
      { code: 'M3', title: 'Senior Manager', expectations: [{ competency: 'People leadership', rating: 5 }] },
    ] },
  ],
  ...extra,
});

before(async () => {
  srv = await startServer({ people: org.csv, users: org.users });
  for (const [k, email] of Object.entries(org.byKey)) as[k] = await srv.login(email, PASSWORD);
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
  for (const [name, category] of [['Go', 'Languages'], ['SQL', 'Data'], ['Public speaking', 'Communication'], ['Kubernetes', 'Infrastructure']]) {
    const r = await as.hr.post('/api/v1/skills', { name, category });
    assert.equal(r.status, 201, r.text);
    sk[name] = r.json.id;
  }
});
after(async () => { await srv?.stop(); });

test('the framework: bad documents are refused and change nothing; HR imports and exports it', async () => {
  const bad = framework();
  bad.tracks[0].levels[1].position = 3;
  bad.tracks[0].levels[2].expectations[0].rating = 6;
  bad.tracks[1].levels[0].expectations.push({ competency: 'Telepathy', rating: 2 });
  let r = await as.hr.put('/api/v1/career/framework', bad);
  expectError(assert, r, 422, 'validation_failed');
  for (const f of ['tracks[0].levels[1]', 'tracks[0].levels[2].expectations[0]', 'tracks[1].levels[0].expectations[1]']) assert.ok(f in r.json.error.fields, f);
  expectError(assert, await as.hr.put('/api/v1/career/framework', framework({ tracks: [{ name: 'X', levels: [{ code: 'X1', title: 'x', skills: [{ skill: 'Cobol', rating: 2 }] }] }] })), 422, 'validation_failed');
  assert.deepEqual((await as.self.get('/api/v1/career/framework')).json.tracks, [], 'nothing was written');
  expectError(assert, await as.manager.put('/api/v1/career/framework', framework()), 403, 'forbidden');
  r = await as.hr.put('/api/v1/career/framework', framework());
  assert.equal(r.status, 200, r.text);
  const fw = (await as.self.get('/api/v1/career/framework')).json;
  assert.deepEqual(fw.tracks.map((t) => t.levels.map((l) => l.code)), [['IC1', 'IC2', 'IC3'], ['M1', 'M2', 'M3']]);
  const ic3 = fw.tracks[0].levels[2];
  assert.deepEqual(ic3.expectations.map((e) => [e.competency, e.rating]), [['Craft', 3], ['Delivery', 4]]);
  assert.deepEqual(ic3.skills.map((e) => [e.skill, e.rating]), [['Go', 3], ['SQL', 4]]);
  for (const t of fw.tracks) for (const l of t.levels) lvl[l.code] = l.id;
  for (const c of fw.competencies) comp[c.name] = c.id;
  // re-importing is an upsert: the same ids, a changed title
  const again = framework();
  again.tracks[0].levels[2].title = 'Senior Engineer I';
  assert.equal((await as.hr.put('/api/v1/career/framework', again)).status, 200);
  const fw2 = (await as.hr.get('/api/v1/career/framework')).json;
  assert.equal(fw2.tracks[0].levels[2].id, lvl.IC3);
  assert.equal(fw2.tracks[0].levels[2].title, 'Senior Engineer I');
});

test('placements go to role history; ratings keep their history; access follows the policy', async () => {
  expectError(assert, await as.manager.put(`/api/v1/people/${ids.self}/placement`, { level_id: lvl.IC2 }), 403, 'forbidden');
  expectError(assert, await as.hr.put(`/api/v1/people/${ids.self}/placement`, { level_id: 999999 }), 422, 'validation_failed');
  const p = await as.hr.put(`/api/v1/people/${ids.self}/placement`, { level_id: lvl.IC2, reason: 'framework rollout' });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.code, 'IC2');
  const person = (await as.hr.get(`/api/v1/people/${ids.self}`)).json;
  assert.equal(person.level, 'IC2');
  assert.ok(person.role_history.some((h) => h.level === 'IC2'));
  assert.equal((await as.hr.put(`/api/v1/people/${ids.peer}/placement`, { level_id: lvl.IC2 })).status, 200);

  const rate = (who, person, subject, id, rating) => as[who].post(`/api/v1/people/${ids[person]}/ratings`, { subject, subject_id: id, rating });
  expectError(assert, await rate('self', 'self', 'skill', sk.Go, 6), 422, 'validation_failed');
  expectError(assert, await rate('self', 'self', 'skill', 999999, 3), 422, 'validation_failed');
  expectError(assert, await rate('self', 'self', 'vibes', sk.Go, 3), 422, 'validation_failed');
  expectError(assert, await rate('peer', 'self', 'skill', sk.Go, 3), 404, 'not_found');
  expectError(assert, await rate('hr', 'self', 'skill', sk.Go, 3), 403, 'forbidden');
  assert.equal((await rate('self', 'self', 'skill', sk.Go, 2)).status, 200);
  assert.equal((await rate('self', 'self', 'skill', sk.Go, 3)).status, 200);
  assert.equal((await rate('self', 'self', 'competency', comp.Delivery, 2)).status, 200);
  assert.equal((await rate('manager', 'self', 'competency', comp.Delivery, 3)).status, 200);
  assert.equal((await rate('self', 'self', 'skill', sk.SQL, 4)).status, 200);
  const s = (await as.manager.get(`/api/v1/people/${ids.self}/skills`)).json;
  const go = s.ratings.find((x) => x.kind === 'skill' && x.id === sk.Go);
  assert.deepEqual([go.self, go.manager], [3, null]);
  const del = s.ratings.find((x) => x.kind === 'competency' && x.id === comp.Delivery);
  assert.deepEqual([del.self, del.manager], [2, 3]);
  assert.equal(s.history.filter((h) => h.subject === 'skill' && h.id === sk.Go).length, 2, 'history keeps every rating');
  expectError(assert, await as.peer.get(`/api/v1/people/${ids.self}/skills`), 404, 'not_found');
  assert.equal((await as.hr.get(`/api/v1/people/${ids.self}/skills`)).status, 200);
});

test('gap analysis on a known case; paths between levels', async () => {
  // IC3 expects Delivery 4 (current: manager 3 → gap 1), Craft 3 (unrated → 3),
  // Go 3 (self 3 → none), SQL 4 (self 4 → none)
  const g = await as.self.get(`/api/v1/people/${ids.self}/gaps?level=${lvl.IC3}`);
  assert.equal(g.status, 200, g.text);
  assert.deepEqual(g.json.gaps.map((x) => [x.kind, x.name, x.expected, x.current, x.gap]), [['competency', 'Craft', 3, null, 3], ['competency', 'Delivery', 4, 3, 1]]);
  const next = (await as.self.get(`/api/v1/people/${ids.self}/gaps`)).json;
  assert.equal(next.target.code, 'IC3', 'the default target is the next level');
  assert.equal((await as.self.get(`/api/v1/people/${ids.self}/gaps?level=${lvl.M1}`)).status, 200, 'a lateral move to management');
  const far = await as.self.get(`/api/v1/people/${ids.self}/gaps?level=${lvl.M3}`);
  expectError(assert, far, 422, 'validation_failed');
  assert.match(far.json.error.fields.level, /no path/);
  expectError(assert, await as.self.get(`/api/v1/people/${ids.self}/gaps?level=${lvl.IC1}`), 422, 'validation_failed');
  expectError(assert, await as.other.get(`/api/v1/people/${ids.self}/gaps`), 404, 'not_found');
});

test('mentor matching ranks known candidates; capacity holds', async () => {
  // Pat (same department, rating 5, room 1): 50 + 0 + 1 = 51; Sam (Sales, rating 4, room 2):
  // 40 + 5 + 2 = 47; Rex offers but is full (capacity 1, one mentee); the asker never matches
  await as.peer.put('/api/v1/me/mentor-offer', { skill_ids: [sk.SQL], capacity: 1 });
  // the ranking reads the mentor's own rating; a manager's rating is not shown to mentees
  await as.manager.post(`/api/v1/people/${ids.peer}/ratings`, { subject: 'skill', subject_id: sk.SQL, rating: 2 });
  await as.peer.post(`/api/v1/people/${ids.peer}/ratings`, { subject: 'skill', subject_id: sk.SQL, rating: 5 });
  assert.equal((await as.other.put('/api/v1/me/mentor-offer', { skill_ids: [sk.SQL, sk['Public speaking']], capacity: 2 })).status, 200);
  await as.other.post(`/api/v1/people/${ids.other}/ratings`, { subject: 'skill', subject_id: sk.SQL, rating: 4 });
  assert.equal((await as.report.put('/api/v1/me/mentor-offer', { skill_ids: [sk.SQL], capacity: 1 })).status, 200);
  assert.equal((await as.ceo.post('/api/v1/mentorships', { mentor_id: ids.report, skill_id: sk.SQL, start_date: today })).status, 201);
  await as.self.put('/api/v1/me/mentor-offer', { skill_ids: [sk.SQL], capacity: 3 });
  expectError(assert, await as.self.put('/api/v1/me/mentor-offer', { skill_ids: [], capacity: 0 }), 422, 'validation_failed');
  const m = await as.self.get(`/api/v1/mentors?skill=${sk.SQL}`);
  assert.equal(m.status, 200, m.text);
  assert.deepEqual(m.json.items.map((x) => [x.id, x.score]), [[ids.peer, 51], [ids.other, 47]]);
  assert.ok(m.json.items[1].reasons.some((x) => /another department/.test(x)));
  expectError(assert, await as.self.get('/api/v1/mentors?skill=999999'), 422, 'validation_failed');
  const full = await as.self.post('/api/v1/mentorships', { mentor_id: ids.report, skill_id: sk.SQL, start_date: today });
  expectError(assert, full, 422, 'validation_failed');
  assert.match(full.json.error.fields.mentor_id, /capacity/);
  expectError(assert, await as.self.post('/api/v1/mentorships', { mentor_id: ids.self, start_date: today }), 422, 'validation_failed');
  const ok = await as.self.post('/api/v1/mentorships', { mentor_id: ids.other, skill_id: sk.SQL, goals: 'Query tuning', start_date: today });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.status, 'requested');
  assert.ok((await as.other.get('/api/v1/notifications')).json.items.some((n) => n.kind === 'mentorship'));
  expectError(assert, await as.self.post(`/api/v1/mentorships/${ok.json.id}/accept`, {}), 403, 'forbidden');
  expectError(assert, await as.peer.post(`/api/v1/mentorships/${ok.json.id}/accept`, {}), 404, 'not_found');
  const yes = await as.other.post(`/api/v1/mentorships/${ok.json.id}/accept`, {});
  assert.equal(yes.status, 200, yes.text);
  assert.equal(yes.json.status, 'active');
  expectError(assert, await as.other.post(`/api/v1/mentorships/${ok.json.id}/decline`, {}), 409, 'conflict');
  assert.ok((await as.self.get('/api/v1/notifications')).json.items.some((n) => /accepted your mentorship request/.test(n.body)));
  // a mentor and mentee may hold one-on-ones
  const d = new Date(Date.now() + 3 * 86400000);
  const wd = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'][d.getUTCDay()];
  const series = await as.self.post('/api/v1/one-on-ones', { with: ids.other, relation: 'mentor', weekday: wd, first_date: d.toISOString().slice(0, 10), time: '11:00', timezone: 'UTC' });
  assert.equal(series.status, 201, series.text);
  assert.equal(series.json.lead.id, ids.other, 'the mentor leads');
});

test('the IDP: aspirations, actions, sign-off, history, completion, learning', async () => {
  expectError(assert, await as.manager.put(`/api/v1/people/${ids.self}/idp`, { short_term: 'x' }), 403, 'forbidden');
  expectError(assert, await as.self.put(`/api/v1/people/${ids.self}/idp`, { target_level_id: lvl.M3 }), 422, 'validation_failed');
  expectError(assert, await as.self.post(`/api/v1/people/${ids.self}/idp/actions`, { kind: 'course', title: 'x' }), 409, 'conflict');
  const plan = await as.self.put(`/api/v1/people/${ids.self}/idp`, { short_term: 'Own the search service', long_term: 'Staff engineer in data platform', target_level_id: lvl.IC3, target_role: 'Data platform lead', strengths: 'Go, debugging', improvements: 'Craft, estimation' });
  assert.equal(plan.status, 200, plan.text);
  assert.equal(plan.json.target_level_code, 'IC3');
  let r = await as.self.post(`/api/v1/people/${ids.self}/idp/actions`, { kind: 'course' });
  expectError(assert, r, 422, 'validation_failed');
  assert.ok('title' in r.json.error.fields);
  r = await as.self.post(`/api/v1/people/${ids.self}/idp/actions`, { kind: 'course', title: 'SQL tuning', due_date: '2020-01-01' });
  expectError(assert, r, 422, 'validation_failed');
  assert.match(r.json.error.fields.due_date, /before the plan/);
  expectError(assert, await as.self.post(`/api/v1/people/${ids.self}/idp/actions`, { kind: 'juggling', title: 'x' }), 422, 'validation_failed');
  const a1 = (await as.self.post(`/api/v1/people/${ids.self}/idp/actions`, { kind: 'certification', title: 'Postgres certification', success_measure: 'Pass the exam', due_date: '2099-06-30', support_needed: 'Exam fee', skill_id: sk.SQL })).json;
  const a2 = (await as.self.post(`/api/v1/people/${ids.self}/idp/actions`, { kind: 'stretch_assignment', title: 'Lead the index rebuild', competency_id: comp.Craft })).json;
  const m1 = await as.self.post(`/api/v1/people/${ids.self}/idp/milestones`, { title: 'Halfway review', due_date: '2099-03-01' });
  assert.equal(m1.status, 201, m1.text);
  assert.equal((await as.self.get(`/api/v1/people/${ids.self}/idp`)).json.completion, 0);

  expectError(assert, await as.self.post(`/api/v1/people/${ids.self}/idp/sign-off`, {}), 403, 'forbidden');
  expectError(assert, await as.hr.post(`/api/v1/people/${ids.self}/idp/sign-off`, {}), 403, 'forbidden');
  assert.equal((await as.manager.post(`/api/v1/people/${ids.self}/idp/comments`, { body: 'Great plan; add a mentor.' })).status, 201);
  const signed = await as.manager.post(`/api/v1/people/${ids.self}/idp/sign-off`, {});
  assert.equal(signed.status, 200, signed.text);
  assert.equal(signed.json.signed_off_by, ids.manager);
  assert.equal(signed.json.comments[0].body, 'Great plan; add a mentor.');

  // completing the certification records the learning; the change after sign-off is history
  expectError(assert, await as.manager.patch(`/api/v1/idp-actions/${a1.id}`, { status: 'done' }), 403, 'forbidden');
  const done = await as.self.patch(`/api/v1/idp-actions/${a1.id}`, { status: 'done', learning: { provider: 'PGCA', expires_on: iso(60) } });
  assert.equal(done.status, 200, done.text);
  assert.ok(done.json.learning_record_id);
  assert.equal((await as.self.patch(`/api/v1/idp-milestones/${m1.json.id}`, { done: true })).status, 200);
  const idp = (await as.manager.get(`/api/v1/people/${ids.self}/idp`)).json;
  assert.equal(idp.completion, 100 * 2 / 3, 'one of two actions and the milestone');
  assert.equal(idp.version, 3, 'two changes after the sign-off');
  const hist = (await as.self.get(`/api/v1/people/${ids.self}/idp/history`)).json.items;
  assert.deepEqual(hist.map((h) => h.version), [1, 2]);
  assert.equal(hist[0].snapshot.actions.find((x) => x.id === a1.id).status, 'planned', 'the signed version is kept');
  const learning = (await as.self.get(`/api/v1/people/${ids.self}/learning`)).json.items;
  assert.deepEqual(learning.map((l) => [l.kind, l.title, l.provider]), [['certification', 'Postgres certification', 'PGCA']]);
  const expiring = (await as.manager.get('/api/v1/learning/expiring?days=90')).json.items;
  assert.ok(expiring.some((l) => l.person_id === ids.self));
  assert.ok(!(await as.other.get('/api/v1/learning/expiring?days=90')).json.items.length, 'not theirs to see');
  assert.ok((await as.manager.get('/api/v1/learning/expiring')).json.items.some((l) => l.person_id === ids.self), '90 days when none is asked');
  const far = await as.manager.get('/api/v1/learning/expiring?days=4000');
  expectError(assert, far, 422, 'validation_failed');
  assert.ok(far.json.error.fields.days, 'a window past ten years is refused, not silently 90 days');
  expectError(assert, await as.self.post(`/api/v1/people/${ids.self}/learning`, { kind: 'course', title: 'x', completed_on: '2026-05-01', expires_on: '2026-01-01' }), 422, 'validation_failed');

  const sugg = (await as.self.get(`/api/v1/people/${ids.self}/idp/suggestions`)).json.items;
  assert.deepEqual(sugg.map((s) => s.gap.name), ['Craft', 'Delivery']);
  assert.equal(sugg[0].action.kind, 'stretch_assignment');
  void a2;
});

const iso = (days) => new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);

test('opportunities: posting, interest telling the manager, ranking, closing', async () => {
  expectError(assert, await as.peer.post('/api/v1/opportunities', { kind: 'project', title: 'x' }), 403, 'forbidden');
  expectError(assert, await as.manager.post('/api/v1/opportunities', { kind: 'gig', title: '' }), 422, 'validation_failed');
  const a = await as.manager.post('/api/v1/opportunities', { kind: 'project', title: 'Data platform migration', description: 'Move reports to the new warehouse', skills: [{ skill_id: sk.SQL, min_rating: 4 }, { skill_id: sk.Go, min_rating: 3 }] });
  assert.equal(a.status, 201, a.text);
  const b = (await as.hr.post('/api/v1/opportunities', { kind: 'rotation', title: 'Infrastructure rotation', skills: [{ skill_id: sk.Kubernetes, min_rating: 3 }] })).json;
  // Zoë: SQL 4/4, Go 3/3 → cover 1 → 50, +15 for "data platform" in her aspiration = 65;
  // the rotation: cover 0 → 0
  const ranked = (await as.self.get(`/api/v1/people/${ids.self}/opportunities`)).json.items;
  assert.deepEqual(ranked.map((o) => [o.id, o.score]), [[a.json.id, 65], [b.id, 0]]);
  assert.ok(ranked[0].reasons.includes('it matches your aspiration'));
  assert.equal((await as.self.post(`/api/v1/opportunities/${a.json.id}/interest`, { note: 'I know the old reports well' })).status, 204);
  expectError(assert, await as.self.post(`/api/v1/opportunities/${a.json.id}/interest`, {}), 409, 'conflict');
  assert.ok((await as.manager.get('/api/v1/notifications')).json.items.some((n) => n.kind === 'opportunity_interest' && /Zoë/.test(n.body)), 'the manager is told');
  assert.equal((await as.manager.get(`/api/v1/opportunities/${a.json.id}/interest`)).json.items[0].note, 'I know the old reports well');
  expectError(assert, await as.peer.get(`/api/v1/opportunities/${a.json.id}/interest`), 403, 'forbidden');
  assert.equal((await as.hr.post(`/api/v1/opportunities/${b.id}/close`, {})).json.status, 'closed');
  expectError(assert, await as.peer.post(`/api/v1/opportunities/${b.id}/interest`, {}), 409, 'conflict');
  assert.equal((await as.peer.get('/api/v1/opportunities')).json.items.length, 1, 'closed ones leave the open list');
});

test('the career page, the record a person keeps, and the HR dashboard', async () => {
  const c = await as.self.get(`/api/v1/people/${ids.self}/career`);
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.placement.code, 'IC2');
  assert.equal(c.json.counts.learning_completed, 1);
  assert.equal(c.json.counts.idp_actions_done, 1);
  assert.equal(c.json.learning[0].title, 'Postgres certification');
  assert.ok(c.json.skills_by_month.length >= 1);
  expectError(assert, await as.peer.get(`/api/v1/people/${ids.self}/career`), 404, 'not_found');
  assert.equal((await as.manager.get(`/api/v1/people/${ids.self}/career`)).status, 200);
  expectError(assert, await as.manager.get(`/api/v1/people/${ids.self}/career-record`), 403, 'forbidden');
  const rec = await as.self.get(`/api/v1/people/${ids.self}/career-record`);
  assert.equal(rec.status, 200);
  assert.ok(rec.json.role_history.some((h) => h.level === 'IC2'));
  assert.ok(rec.json.idp_actions.length === 2);
  const md = await as.self.get(`/api/v1/people/${ids.self}/career-record?format=markdown`);
  assert.match(md.headers.get('content-type'), /text\/markdown/);
  assert.match(md.text, /^# Career record: Zoë Ōtsuka/);
  assert.match(md.text, /certification Postgres certification \(PGCA\)/);
  expectError(assert, await as.self.get(`/api/v1/people/${ids.self}/career-record?format=pdf`), 422, 'validation_failed');
  expectError(assert, await as.manager.get('/api/v1/career/dashboard'), 403, 'forbidden');
  const snap = (await as.hr.get('/api/v1/career/dashboard')).json;
  assert.ok(snap.computed_at, 'a snapshot says when it was computed');
  const d = (await as.hr.get('/api/v1/career/dashboard?fresh=1')).json;
  const eng = d.departments.find((x) => x.department === 'Engineering');
  assert.equal(eng.headcount, 5);
  assert.equal(eng.idps, 1);
  assert.equal(eng.idp_coverage, 0.2);
  assert.equal(eng.idp_completion, 0.5);
  // Zoë (IC2: Delivery, Craft) has Delivery rated; Pat (IC2) has neither: 1 of 4
  assert.equal(eng.framework_coverage, 0.25);
});

test('the one-on-one agenda shows the plan; an action item linked to it completes it', async () => {
  const d = new Date(Date.now() + 4 * 86400000);
  const wd = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'][d.getUTCDay()];
  const s = await as.manager.post('/api/v1/one-on-ones', { with: ids.self, weekday: wd, first_date: d.toISOString().slice(0, 10), time: '09:00', timezone: 'UTC' });
  assert.equal(s.status, 201, s.text);
  const mid = s.json.next_meeting.id;
  const plan = (await as.self.get(`/api/v1/people/${ids.self}/idp`)).json;
  const open = plan.actions.find((a) => a.status !== 'done');
  const agenda = (await as.manager.get(`/api/v1/one-on-ones/meetings/${mid}`)).json.agenda.development;
  assert.equal(agenda.available, true);
  assert.deepEqual(agenda.open.map((a) => a.title), [open.title]);
  assert.ok(agenda.done_since_previous.some((a) => a.title === 'Postgres certification'));
  const peerPlan = await as.peer.put(`/api/v1/people/${ids.peer}/idp`, { short_term: 'x' });
  const peerAction = (await as.peer.post(`/api/v1/people/${ids.peer}/idp/actions`, { kind: 'reading', title: 'A book' })).json;
  assert.equal(peerPlan.status, 200);
  expectError(assert, await as.manager.post(`/api/v1/one-on-ones/meetings/${mid}/actions`, { owner_id: ids.self, body: 'x', idp_action_id: peerAction.id }), 422, 'validation_failed');
  const item = await as.manager.post(`/api/v1/one-on-ones/meetings/${mid}/actions`, { owner_id: ids.self, body: 'Kick off the index rebuild', idp_action_id: open.id });
  assert.equal(item.status, 201, item.text);
  assert.equal((await as.self.patch(`/api/v1/action-items/${item.json.id}`, { status: 'done' })).status, 200);
  const after = (await as.self.get(`/api/v1/people/${ids.self}/idp`)).json;
  assert.equal(after.actions.find((a) => a.id === open.id).status, 'done', 'done in the meeting, done in the plan');
});

test('an approved promotion moves the career placement: the career page and the profile agree', async () => {
  // the report sits at IC1 on the IC track; the management track has no IC2
  assert.equal((await as.hr.put(`/api/v1/people/${ids.report}/placement`, { level_id: lvl.IC1 })).status, 200);
  const c = await as.manager.post('/api/v1/promotion-cases', {
    person_id: ids.report, kind: 'promotion', proposed_level: 'IC2',
    justification: 'Owns the billing service and reviews every change to it with care.',
  });
  assert.equal(c.status, 201, c.text);
  const d = await as.hr.post(`/api/v1/promotion-cases/${c.json.id}/decide`, { decision: 'approved', note: 'Ready.' });
  assert.equal(d.status, 200, d.text);
  const page = (await as.report.get(`/api/v1/people/${ids.report}/career`)).json;
  assert.equal(page.placement.code, 'IC2', JSON.stringify(page.placement));
  assert.equal((await as.hr.get(`/api/v1/people/${ids.report}`)).json.level, 'IC2', 'the profile says the same');
  // a level code the framework does not have changes the record, not the placement
  const other = await as.manager.post('/api/v1/promotion-cases', { person_id: ids.report, kind: 'promotion', proposed_level: 'Z9', justification: 'A level outside the framework, for the record only.' });
  assert.equal((await as.hr.post(`/api/v1/promotion-cases/${other.json.id}/decide`, { decision: 'approved' })).status, 200);
  assert.equal((await as.report.get(`/api/v1/people/${ids.report}/career`)).json.placement.code, 'IC2');
});

test('the live dashboard follows every kind of write: plans, ratings, the framework, placements, moves and leavers', async () => {
  const dash = async () => {
    const r = await as.hr.get('/api/v1/career/dashboard?fresh=1');
    assert.equal(r.status, 200, r.text);
    const by = Object.fromEntries(r.json.departments.map((d) => [d.department, d]));
    return { eng: by.Engineering, sales: by.Sales };
  };
  const pick = (d) => ({ head: d.headcount, idps: d.idps, acts: d.idp_actions, done: d.idp_actions_done, expected: d.expected_ratings, rated: d.rated_expectations });
  const delta = (a, b) => Object.fromEntries(Object.keys(a).map((k) => [k, b[k] - a[k]]));
  let before = await dash();

  // an action added to Pat's plan, then done; another added, then cancelled
  const one = await as.peer.post(`/api/v1/people/${ids.peer}/idp/actions`, { kind: 'reading', title: 'Designing Data-Intensive Applications' });
  assert.equal(one.status, 201, one.text);
  assert.equal((await as.peer.patch(`/api/v1/idp-actions/${one.json.id}`, { status: 'done' })).status, 200);
  const two = (await as.peer.post(`/api/v1/people/${ids.peer}/idp/actions`, { kind: 'course', title: 'A course' })).json;
  assert.equal((await as.peer.patch(`/api/v1/idp-actions/${two.id}`, { status: 'cancelled' })).status, 200);
  let after = await dash();
  assert.deepEqual(delta(pick(before.eng), pick(after.eng)), { head: 0, idps: 0, acts: 1, done: 1, expected: 0, rated: 0 });

  // Pat (IC2: Delivery, Craft) rates Craft: one more expectation rated
  before = after;
  assert.equal((await as.peer.post(`/api/v1/people/${ids.peer}/ratings`, { subject: 'competency', subject_id: comp.Craft, rating: 3 })).status, 200);
  after = await dash();
  assert.deepEqual(delta(pick(before.eng), pick(after.eng)), { head: 0, idps: 0, acts: 0, done: 0, expected: 0, rated: 1 });

  // the framework expects a third competency at IC2: Zoë, Pat and Rex (promoted above) each
  // expect one more
  before = after;
  const fw = framework();
  fw.tracks[0].levels[1].expectations.push({ competency: 'People leadership', rating: 1 });
  assert.equal((await as.hr.put('/api/v1/career/framework', fw)).status, 200);
  after = await dash();
  assert.deepEqual(delta(pick(before.eng), pick(after.eng)), { head: 0, idps: 0, acts: 0, done: 0, expected: 3, rated: 0 });

  // Pat placed at IC1 (Delivery, Craft): one expectation fewer, Craft still rated
  before = after;
  assert.equal((await as.hr.put(`/api/v1/people/${ids.peer}/placement`, { level_id: lvl.IC1 })).status, 200);
  after = await dash();
  assert.deepEqual(delta(pick(before.eng), pick(after.eng)), { head: 0, idps: 0, acts: 0, done: 0, expected: -1, rated: 0 });

  // Pat moves to Sales, with his plan and figures; then leaves
  before = after;
  const sales = (await as.hr.get(`/api/v1/people/${ids.other}`)).json.department.id;
  const moved = await as.hr.patch(`/api/v1/people/${ids.peer}`, { department_id: sales });
  assert.equal(moved.status, 200, moved.text);
  after = await dash();
  const gone = delta(pick(before.eng), pick(after.eng));
  const came = delta(pick(before.sales), pick(after.sales));
  assert.equal(gone.head, -1);
  assert.equal(came.head, 1);
  assert.deepEqual(came, Object.fromEntries(Object.entries(gone).map(([k, v]) => [k, -v])), 'what left Engineering arrived in Sales');
  before = after;
  assert.equal((await as.hr.patch(`/api/v1/people/${ids.peer}`, { status: 'terminated' })).status, 200);
  after = await dash();
  const left = delta(pick(before.sales), pick(after.sales));
  assert.deepEqual([left.head, left.idps, left.expected, left.rated], [-1, -1, -2, -1], 'a leaver counts no more in the head, plans and coverage');
  assert.equal(left.acts, 0, 'plan actions count whoever wrote them (as before)');

  // the kept sums by department and date in level are exactly everyone's figures added up
  const cols = 'head, idps, acts, done, expd, rated';
  const nonzero = 'WHERE head <> 0 OR idps <> 0 OR acts <> 0 OR done <> 0 OR expd <> 0 OR rated <> 0';
  const kept = querySql(srv, `SELECT department_id, level_since, ${cols} FROM career_sums ${nonzero} ORDER BY 1, 2`);
  const summed = querySql(srv, `SELECT * FROM (SELECT COALESCE(department_id, 0) AS department_id,
    COALESCE(level_since, '') AS level_since, SUM(active) AS head, SUM(active * has_idp) AS idps,
    SUM(actions) AS acts, SUM(actions_done) AS done, SUM(active * expected) AS expd,
    SUM(active * rated) AS rated FROM career_facts GROUP BY 1, 2) x ${nonzero} ORDER BY 1, 2`);
  assert.ok(kept.length > 1);
  assert.deepEqual(kept, summed);

  // Rex (promoted above, in Engineering) moves to Sales: his promotions count there now
  const promos = async () => Object.fromEntries((await as.hr.get('/api/v1/career/dashboard?fresh=1')).json.departments.map((d) => [d.department, d.promotions]));
  const p0 = await promos();
  assert.ok(p0.Engineering >= 1, JSON.stringify(p0));
  assert.equal((await as.hr.patch(`/api/v1/people/${ids.report}`, { department_id: sales })).status, 200);
  const p1 = await promos();
  const rexs = querySql(srv, `SELECT COUNT(*) AS n FROM role_history WHERE person_id = ${ids.report} AND kind = 'promotion'`)[0].n;
  assert.ok(rexs >= 1);
  assert.equal(p1.Engineering, p0.Engineering - rexs, JSON.stringify([p0, p1]));
  assert.equal(p1.Sales, p0.Sales + rexs, JSON.stringify([p0, p1]));
  const promoKept = querySql(srv, 'SELECT effective_date, department_id, n FROM career_promotions WHERE n <> 0 ORDER BY 1, 2');
  const promoSummed = querySql(srv, `SELECT h.effective_date, COALESCE(p.department_id, 0) AS department_id, COUNT(*) AS n
    FROM role_history h JOIN people p ON p.id = h.person_id WHERE h.kind = 'promotion' GROUP BY 1, 2 ORDER BY 1, 2`);
  assert.ok(promoKept.length >= 1);
  assert.deepEqual(promoKept, promoSummed);

  // each department's median time in level is the middle of its active people's dates
  const facts = querySql(srv, 'SELECT department_id, level_since FROM career_facts WHERE active = 1');
  const today = new Date().toISOString().slice(0, 10);
  for (const d of (await as.hr.get('/api/v1/career/dashboard?fresh=1')).json.departments) {
    const mine = facts.filter((f) => f.department_id === d.department_id);
    const dates = mine.filter((f) => f.level_since).map((f) => f.level_since.slice(0, 10)).sort();
    const head = mine.length, k = head - 1 - Math.floor(head / 2);
    const want = !head ? null : k >= dates.length ? 0 : Math.round((Date.parse(today) - Date.parse(dates[k])) / 86400000);
    assert.equal(d.median_days_in_level, want, `${d.department}: ${JSON.stringify(dates)}`);
  }
});
