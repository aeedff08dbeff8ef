// How far a review cycle has got and the release guard: progress counts by kind, department and
// manager with the overdue list; reminders to those behind (once an hour); release refused with
// the counts while manager reviews or calibration are incomplete unless HR overrides with an
// audited reason; release of one department. SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, expectError, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
let srv;
const as = {};
const ids = {};
const dept = {};
const tpl = {};
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

before(async () => {
  srv = await startServer({ people: org.csv, users: org.users });
  for (const [k, email] of Object.entries(org.byKey)) as[k] = await srv.login(email, PASSWORD);
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) {
    ids[p.email] = p.id;
    if (p.department) dept[p.department.name] = p.department.id;
  }
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
  const mk = async (name, kind, questions) => {
    const r = await as.hr.post('/api/v1/review-templates', { name, kind, questions });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  tpl.self = await mk('Self', 'self', [{ id: 'overall', type: 'rating', text: 'Your year' }]);
  tpl.manager = await mk('Manager', 'manager', [{ id: 'overall', type: 'rating', text: 'Overall' }, { id: 'summary', type: 'text', text: 'Summary' }]);
});
after(async () => { await srv?.stop(); });

const launch = async (extra = {}) => {
  const c = await as.hr.post('/api/v1/review-cycles', { name: 'Year end', period_start: '2026-01-01', period_end: '2026-12-31', self_template_id: tpl.self, manager_template_id: tpl.manager, ...extra });
  assert.equal(c.status, 201, c.text);
  const r = await as.hr.post(`/api/v1/review-cycles/${c.json.id}/launch`, {});
  assert.equal(r.status, 200, r.text);
  return r.json.cycle;
};
const mine = async (who, cycleId, kind, reviewee) => (await as[who].get(`/api/v1/reviews?cycle=${cycleId}`)).json.items
  .find((r) => r.kind === kind && (!reviewee || r.reviewee.id === reviewee));
const submitManager = async (who, cycleId, reviewee, overall = 4) => {
  const r = await as[who].post(`/api/v1/reviews/${(await mine(who, cycleId, 'manager', reviewee)).id}/submit`, { answers: { overall, summary: 'Solid work this year.' } });
  assert.equal(r.status, 200, r.text);
};
const progress = async (cycleId) => {
  const r = await as.hr.get(`/api/v1/review-cycles/${cycleId}/progress`);
  assert.equal(r.status, 200, r.text);
  return r.json;
};
const released = async (who, cycleId) => (await as[who].get(`/api/v1/review-outcomes?cycle=${cycleId}`)).json.items.length;
const reminders = async (who) => (await as[who].get('/api/v1/notifications')).json.items.filter((n) => n.kind === 'review_reminder');

test('progress counts by kind, department and manager; HR only', async () => {
  const c = await launch();
  let p = await progress(c.id);
  assert.deepEqual(p.overall.self, { submitted: 0, in_progress: 0, not_started: 9, total: 9 });
  assert.deepEqual(p.overall.manager, { submitted: 0, in_progress: 0, not_started: 8, total: 8 }, 'everyone but the CEO has a manager');
  assert.equal(p.overall.peer.total, 0);
  assert.deepEqual(p.outcomes, { total: 9, released: 0, withdrawn: 0, to_release: 9 });

  assert.equal((await as.self.patch(`/api/v1/reviews/${(await mine('self', c.id, 'self')).id}`, { answers: { overall: 3 } })).status, 200);
  await submitManager('manager', c.id, ids.self);
  p = await progress(c.id);
  assert.deepEqual(p.overall.self, { submitted: 0, in_progress: 1, not_started: 8, total: 9 });
  assert.deepEqual(p.overall.manager, { submitted: 1, in_progress: 0, not_started: 7, total: 8 });
  const eng = p.by_department.find((g) => g.department?.name === 'Engineering');
  assert.deepEqual(eng.counts.manager, { submitted: 1, in_progress: 0, not_started: 4, total: 5 });
  assert.equal(eng.counts.self.in_progress, 1);
  const mia = p.by_manager.find((g) => g.manager?.id === ids.manager);
  assert.deepEqual(mia.counts.manager, { submitted: 1, in_progress: 0, not_started: 1, total: 2 }, 'Mia reviews Zoë (done) and Pat');
  assert.ok(p.by_manager.some((g) => g.manager === null), 'the CEO, who has no manager, is a group of their own');
  assert.deepEqual(p.overdue, [], 'no deadline, nothing overdue');
  assert.deepEqual(p.release, { manager_reviews_not_submitted: 7, calibration_incomplete: 8, calibration_open: false });

  expectError(assert, await as.manager.get(`/api/v1/review-cycles/${c.id}/progress`), 403, 'forbidden');
  expectError(assert, await as.self.get(`/api/v1/review-cycles/${c.id}/progress`), 403, 'forbidden');
  expectError(assert, await as.hr.get('/api/v1/review-cycles/999999/progress'), 404, 'not_found');
});

test('the overdue list names reviewer, reviewee, kind and deadline to HR', async () => {
  const c = await launch({ name: 'Late', deadlines: { self: day(-1), manager: day(5), calibration: day(10) } });
  const p = await progress(c.id);
  assert.equal(p.overdue.length, 9, 'every self-review is past its deadline');
  const zoe = p.overdue.find((o) => o.reviewee.id === ids.self);
  assert.deepEqual({ kind: zoe.kind, deadline: zoe.deadline, reviewer: zoe.reviewer.id, status: zoe.status }, { kind: 'self', deadline: day(-1), reviewer: ids.self, status: 'not_started' });
  assert.equal(p.release.calibration_open, true);
  // calibration runs for ten more days: refused, and the message says so
  const r = await as.hr.post(`/api/v1/review-cycles/${c.id}/release`, {});
  expectError(assert, r, 409, 'release_incomplete');
  assert.equal(r.json.error.counts.calibration_open, true);
  assert.match(r.json.error.message, /calibration runs until/);
});

test('release is refused with the counts, scoped to a department, and overridden with an audited reason', async () => {
  const c = await launch({ name: 'Guarded' });
  await submitManager('manager', c.id, ids.self);
  expectError(assert, await as.manager.post(`/api/v1/review-cycles/${c.id}/release`, {}), 403, 'forbidden');

  const refused = await as.hr.post(`/api/v1/review-cycles/${c.id}/release`, {});
  expectError(assert, refused, 409, 'release_incomplete');
  assert.deepEqual(refused.json.error.counts, { to_release: 9, manager_reviews_not_submitted: 7, calibration_incomplete: 8, calibration_open: false });
  assert.match(refused.json.error.message, /7 manager reviews are not submitted/);
  assert.equal(await released('self', c.id), 0, 'nothing was released');

  let r = await as.hr.post(`/api/v1/review-cycles/${c.id}/release`, { override: true });
  expectError(assert, r, 422, 'validation_failed');
  assert.ok(r.json.error.fields.reason);
  expectError(assert, await as.hr.post(`/api/v1/review-cycles/${c.id}/release`, { override: true, reason: '  ' }), 422, 'validation_failed');
  expectError(assert, await as.hr.post(`/api/v1/review-cycles/${c.id}/release`, { department_id: dept.Sales, person_ids: [ids.other] }), 422, 'validation_failed');
  expectError(assert, await as.hr.post(`/api/v1/review-cycles/${c.id}/release`, { person_ids: [999999] }), 422, 'validation_failed');

  // Sales alone: refused until its one manager review is written, then released alone
  r = await as.hr.post(`/api/v1/review-cycles/${c.id}/release`, { department_id: dept.Sales });
  expectError(assert, r, 409, 'release_incomplete');
  assert.equal(r.json.error.counts.manager_reviews_not_submitted, 1);
  assert.equal(r.json.error.counts.to_release, 1);
  await submitManager('ceo', c.id, ids.other, 5);
  r = await as.hr.post(`/api/v1/review-cycles/${c.id}/release`, { department_id: dept.Sales });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.released_outcomes, 1);
  assert.equal(r.json.status, 'active', 'the rest of the cycle is still open');
  assert.equal(await released('other', c.id), 1, 'Sam sees their outcome');
  assert.ok((await as.other.get('/api/v1/notifications')).json.items.some((x) => x.kind === 'review_released' && x.body === 'Your review outcome for Guarded is released.'), 'and is told');
  assert.ok(!(await as.self.get('/api/v1/notifications')).json.items.some((x) => x.kind === 'review_released'), 'Zoë is not told yet');
  assert.equal(await released('self', c.id), 0, 'Engineering is not released');
  expectError(assert, await as.hr.post(`/api/v1/review-cycles/${c.id}/release`, { department_id: dept.Sales }), 409, 'conflict');

  // one person, complete: released without an override
  r = await as.hr.post(`/api/v1/review-cycles/${c.id}/release`, { person_ids: [ids.self] });
  assert.equal(r.status, 200, r.text);
  assert.equal(await released('self', c.id), 1);

  // the rest with an override and a reason
  r = await as.hr.post(`/api/v1/review-cycles/${c.id}/release`, { override: true, reason: 'Board meeting needs outcomes; managers finish after.' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'released');
  assert.equal(r.json.released_outcomes, 7);
  assert.equal(await released('peer', c.id), 1);
  const audit = (await as.hr.get(`/api/v1/audit?entity=review_cycle&entity_id=${c.id}`)).json.items.filter((x) => x.action === 'review_cycle.release');
  assert.equal(audit.length, 3);
  const last = audit[0];
  assert.equal(last.after.reason, 'Board meeting needs outcomes; managers finish after.');
  assert.equal(last.after.override, true);
  assert.equal(last.after.manager_reviews_not_submitted, 6);
  assert.equal(last.after.released, 7);
  assert.equal(audit.find((x) => x.after.department_id === dept.Sales).after.override, false);
});

test('remind notifies reviewers behind, only them, and not twice within the hour', async () => {
  const c = await launch({ name: 'Reminders', deadlines: { manager: day(3) } });
  // Sam only writes their own self-review; once submitted they are not behind
  assert.equal((await as.other.post(`/api/v1/reviews/${(await mine('other', c.id, 'self')).id}/submit`, { answers: { overall: 4 } })).status, 200);
  const p = await progress(c.id);
  assert.equal(p.remind.behind, 8, 'nine people write reviews; Sam is done');
  assert.equal(p.remind.due, 8);
  expectError(assert, await as.manager.post(`/api/v1/review-cycles/${c.id}/remind`, {}), 403, 'forbidden');
  const beforeSam = (await reminders('other')).length;

  let r = await as.hr.post(`/api/v1/review-cycles/${c.id}/remind`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.reminded, 8);
  const mia = await reminders('manager');
  assert.equal(mia.length, 1);
  assert.match(mia[0].body, /Hana HR reminds you: 3 reviews in Reminders are waiting for you \(due /);
  assert.equal((await reminders('other')).length, beforeSam, 'Sam is not behind and is not reminded');

  r = await as.hr.post(`/api/v1/review-cycles/${c.id}/remind`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.reminded, 0, 'not twice within the hour');
  assert.equal(r.json.already_reminded, 8);
  assert.equal((await reminders('manager')).length, 1);
  assert.equal((await progress(c.id)).remind.due, 0);
  const audit = (await as.hr.get(`/api/v1/audit?entity=review_cycle&entity_id=${c.id}`)).json.items.filter((x) => x.action === 'review_cycle.remind');
  assert.equal(audit.length, 2);
});
