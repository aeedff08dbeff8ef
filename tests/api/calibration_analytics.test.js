// Calibration as a picture and HR analytics (issue #12): the leniency/severity statistic, the
// target distribution, the justification reaching the manager of the person whose rating
// changed (and nobody else), the subject never seeing their own row; company reports with known
// answers on the fixture organisation, groups below the anonymity threshold suppressed, private
// goals and feedback not counted, CSV export, and 403 for employees and managers.
// SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, expectError, everyFault, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
let srv, cycle, small;
const as = {};
const ids = {};
const REPORTS = ['completion', 'ratings', 'goals', 'promotions', 'idps', 'feedback', 'one-on-ones'];

// who rates whom (manager -> report: overall, potential)
const RATINGS = [
  ['ceo', 'skip', 5, 3], ['ceo', 'other', 5, 2], ['ceo', 'hr', 5, 2], ['ceo', 'admin', 5, 3],
  ['skip', 'manager', 2, 2], ['manager', 'self', 2, 3], ['manager', 'peer', 2, 1], ['self', 'report', 3, 2],
];

async function submitManagerReviews(cycleId, pairs) {
  for (const [mgr, who, overall, potential] of pairs) {
    const r = (await as[mgr].get(`/api/v1/reviews?cycle=${cycleId}`)).json.items.find((x) => x.kind === 'manager' && x.reviewee.id === ids[who]);
    assert.ok(r, `${mgr} reviews ${who}`);
    const s = await as[mgr].post(`/api/v1/reviews/${r.id}/submit`, { answers: { overall, potential, summary: `Summary for ${who}` } });
    assert.equal(s.status, 200, s.text);
  }
}

before(async () => {
  srv = await startServer({ people: org.csv, users: org.users });
  for (const [k, email] of Object.entries(org.byKey)) as[k] = await srv.login(email, PASSWORD);
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
  const mk = async (name, kind, questions) => (await as.hr.post('/api/v1/review-templates', { name, kind, questions })).json.id;
  const self = await mk('Self', 'self', [{ id: 'overall', type: 'rating', text: 'Your year' }]);
  const mgr = await mk('Manager', 'manager', [{ id: 'overall', type: 'rating', text: 'Overall' }, { id: 'potential', type: 'rating', text: 'Potential', scale: 3 }, { id: 'summary', type: 'text', text: 'Summary' }]);
  const mkCycle = async (name) => {
    const c = await as.hr.post('/api/v1/review-cycles', { name, period_start: '2026-01-01', period_end: '2026-12-31', self_template_id: self, manager_template_id: mgr, threshold: 3 });
    assert.equal(c.status, 201, c.text);
    assert.equal((await as.hr.post(`/api/v1/review-cycles/${c.json.id}/launch`, {})).status, 200);
    return c.json;
  };
  cycle = await mkCycle('2026 annual');
  await submitManagerReviews(cycle.id, RATINGS);
  small = await mkCycle('Pilot');
  await submitManagerReviews(small.id, RATINGS.slice(5, 7));
});
after(async () => { await srv?.stop(); });

const cal = async (who, id = cycle.id) => as[who].get(`/api/v1/review-cycles/${id}/calibration`);
const names = (c) => [...c.nine_box.cells.flatMap((x) => x.people), ...c.nine_box.unassessed_people].map((p) => p.name);

test('calibration: the company beside the groups, a lenient manager flagged with the z-score, no own row', async () => {
  const c = (await cal('hr')).json;
  // Hana HR is a reviewee of this cycle: her own row is not hers to see or count
  assert.ok(!names(c).includes('Hana HR'));
  assert.ok(!JSON.stringify(c).includes(`"id":${ids.hr},`), 'no trace of the reader as a person');
  assert.equal(c.company.count, 7);
  assert.equal(c.company.distribution['5'], 3);
  assert.equal(c.company.distribution['2'], 3);
  assert.ok(Math.abs(c.company.average - 24 / 7) < 1e-9);
  assert.equal(c.flags.min_ratings, 3);
  assert.equal(c.flags.z_threshold, 1.5);
  const cora = c.flags.managers.find((m) => m.manager.name === 'Cora Chief');
  assert.equal(cora.count, 3);
  assert.equal(cora.flag, 'lenient');
  assert.ok(cora.z > 1.75 && cora.z < 1.85, `z = ${cora.z}`);
  const mia = c.flags.managers.find((m) => m.manager.name === 'Mia Manager');
  assert.equal(mia.count, 2);
  assert.equal(mia.z, null, 'two ratings are too few for a flag');
  assert.equal(mia.flag, null);
  assert.equal(c.can_adjust, true);
  // every name is reachable, those without a potential too
  assert.deepEqual(names(c).sort(), ['Ada Admin', 'Cora Chief', 'Eli Engdir', 'Mia Manager', 'Pat Peer', 'Rex Report', 'Sam Sales', 'Zoë Ōtsuka']);

  // Zoë manages Rex and is a reviewee: she sees Rex, never herself
  const zoe = (await cal('self')).json;
  assert.deepEqual(names(zoe), ['Rex Report']);
  assert.equal(zoe.can_adjust, false);
  assert.equal(zoe.company.count, 7, 'the company aggregate beside her organisation, without her own rating');
  expectError(assert, await cal('peer'), 403, 'forbidden');
});

test('calibration: an adjustment is audited, and its justification reaches that manager only', async () => {
  const zoeOutcome = (await as.hr.get(`/api/v1/review-outcomes?cycle=${cycle.id}&person=${ids.self}`)).json.items[0];
  const why = 'Cross-team panel: checkout work was company-level impact.';
  const companyBefore = (await cal('manager')).json.company.distribution;
  expectError(assert, await as.hr.patch(`/api/v1/review-outcomes/${zoeOutcome.id}`, { calibrated_rating: 3 }), 422, 'validation_failed');
  expectError(assert, await as.manager.patch(`/api/v1/review-outcomes/${zoeOutcome.id}`, { calibrated_rating: 3, justification: why }), 403, 'forbidden');
  // one write: a failure at any of its statements leaves the outcome and the audit log as they were
  const state = async () => JSON.stringify({
    outcome: (await as.hr.get(`/api/v1/review-outcomes/${zoeOutcome.id}`)).json,
    audit: (await as.admin.get('/api/v1/audit?limit=200')).json.items.length,
  });
  const ok = await everyFault(assert, state, as.hr, 'PATCH', `/api/v1/review-outcomes/${zoeOutcome.id}`, { calibrated_rating: 3, justification: why }, 'calibration', [403, 404]);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.calibrated_rating, 3);
  const audit = (await as.hr.get('/api/v1/audit?limit=5')).json.items.find((a) => a.action === 'review_outcome.calibrate');
  assert.equal(audit.before.calibrated_rating, null);
  assert.equal(audit.after.calibrated_rating, 3);
  assert.equal(audit.after.justification, why);

  const mia = (await cal('manager')).json; // Zoë's manager
  // the company's distribution beside her organisation moves with the calibration (kept counts)
  assert.equal(mia.company.distribution['2'] ?? 0, (companyBefore['2'] ?? 0) - 1, JSON.stringify(mia.company));
  assert.equal(mia.company.distribution['3'] ?? 0, (companyBefore['3'] ?? 0) + 1, JSON.stringify(mia.company));
  const adj = mia.adjustments.find((a) => a.person.id === ids.self);
  assert.ok(adj, 'the manager of the person sees the change');
  assert.equal(adj.rating, 2);
  assert.equal(adj.calibrated_rating, 3);
  assert.equal(adj.justification, why);
  const eli = (await cal('skip')).json; // above Mia, not Zoë's manager
  assert.ok(names(eli).includes('Zoë Ōtsuka'));
  assert.deepEqual(eli.adjustments, [], 'the justification is for the manager of the person');
  const zoe = (await cal('self')).json;
  assert.ok(!JSON.stringify(zoe).includes(why), 'the subject never sees it here');
  const own = await as.self.get(`/api/v1/review-outcomes/${zoeOutcome.id}`);
  assert.ok(!own.text.includes(why));
  assert.equal((await cal('hr')).json.adjustments[0].justification, why);
});

test('calibration: HR sets a target distribution; it is validated, audited and HR-only', async () => {
  const url = `/api/v1/review-cycles/${cycle.id}/calibration/target`;
  const target = { 1: 5, 2: 15, 3: 60, 4: 15, 5: 5 };
  expectError(assert, await as.manager.put(url, { distribution: target }), 403, 'forbidden');
  const bad = await as.hr.put(url, { distribution: { 1: 50, 3: 40 } });
  expectError(assert, bad, 422, 'validation_failed');
  expectError(assert, await as.hr.put(url, { distribution: { 7: 100 } }), 422, 'validation_failed');
  assert.equal((await cal('hr')).json.target, null, 'bad input changes nothing');
  const ok = await as.hr.put(url, { distribution: target });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual((await cal('hr')).json.target, { 1: 5, 2: 15, 3: 60, 4: 15, 5: 5 });
  assert.deepEqual((await cal('manager')).json.target, target, 'managers see the target beside their group');
  const audit = (await as.hr.get('/api/v1/audit?limit=5')).json.items.find((a) => a.action === 'review_cycle.calibration_target');
  assert.equal(audit.before.distribution, null);
  assert.equal(audit.after.distribution['3'], 60);
  // a new target is one write: a failure at any statement keeps the old one and its audit
  const state = async () => JSON.stringify({ target: (await cal('hr')).json.target, audit: (await as.admin.get('/api/v1/audit?limit=200')).json.items.length });
  const flat = { 1: 20, 2: 20, 3: 20, 4: 20, 5: 20 };
  await everyFault(assert, state, as.hr, 'PUT', url, { distribution: flat }, 'target', [403]);
  const moved = (await as.hr.get('/api/v1/audit?limit=5')).json.items.find((a) => a.action === 'review_cycle.calibration_target');
  assert.equal(moved.before.distribution['3'], 60, 'the audit holds the target it replaced');
  assert.equal(moved.after.distribution['3'], 20);
  assert.equal((await as.hr.put(url, { distribution: null })).json.target, null);
});

test('analytics: company reports are for HR and admins', async () => {
  for (const r of REPORTS) {
    expectError(assert, await as.self.get(`/api/v1/analytics/${r}`), 403, 'forbidden');
    expectError(assert, await as.manager.get(`/api/v1/analytics/${r}`), 403, 'forbidden');
    expectError(assert, await as.ceo.get(`/api/v1/analytics/${r}?format=csv`), 403, 'forbidden');
    const ok = await as.admin.get(`/api/v1/analytics/${r}`);
    assert.equal(ok.status, 200, `${r}: ${ok.text}`);
    assert.ok(Array.isArray(ok.json.rows) && ok.json.columns.length > 2);
  }
});

test('analytics: review completion and rating distributions, a cycle below the threshold suppressed', async () => {
  const done = (await as.hr.get('/api/v1/analytics/completion')).json;
  const row = (c, k) => done.rows.find((x) => x.cycle_id === c && x.kind === k);
  assert.deepEqual([row(cycle.id, 'manager').total, row(cycle.id, 'manager').submitted], [8, 8]);
  assert.deepEqual([row(cycle.id, 'self').total, row(cycle.id, 'self').submitted], [9, 0]);
  assert.equal(row(small.id, 'manager').submitted, 2);
  assert.equal(row(small.id, 'manager').share_submitted, 0.25);

  const r = (await as.hr.get('/api/v1/analytics/ratings')).json;
  assert.equal(r.threshold, 3);
  assert.equal(r.rows.length, 1, 'the pilot has two ratings: below its threshold of 3');
  assert.equal(r.suppressed, 1);
  const annual = r.rows[0];
  assert.equal(annual.cycle, '2026 annual');
  assert.equal(annual.rated, 7, 'the reader\'s own rating is not counted');
  assert.deepEqual([annual.r1, annual.r2, annual.r3, annual.r4, annual.r5], [0, 2, 2, 0, 3]);
  const xlsx = await as.hr.get('/api/v1/analytics/ratings?format=xlsx');
  expectError(assert, xlsx, 422, 'validation_failed');
  assert.ok(xlsx.json.error.fields.format, 'a format it cannot write is named, not answered as JSON');
  const csv = await as.hr.get('/api/v1/analytics/ratings?format=csv');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.match(csv.headers.get('content-disposition'), /trellis-ratings\.csv/);
  const lines = csv.text.trim().split('\r\n');
  assert.equal(lines[0], '"Cycle","Rated","Average","1","2","3","4","5 or more"');
  assert.equal(lines[1], '"2026 annual",7,3.571,0,2,2,0,3');
  assert.ok(!csv.text.includes('Pilot'));
});

test('analytics: goals and feedback count only what HR may read; small groups suppressed', async () => {
  const goal = async (who, visibility, status) => {
    const g = await as[who].post('/api/v1/goals', { title: `${who} ${visibility}`, visibility, start_date: '2026-01-01', due_date: '2026-12-31' });
    assert.equal(g.status, 201, g.text);
    if (status) assert.equal((await as[who].patch(`/api/v1/goals/${g.json.id}`, { status })).status, 200);
  };
  await goal('self', 'public', 'done');
  await goal('peer', 'public');
  await goal('report', 'managers');
  await goal('self', 'private', 'done');
  await goal('manager', 'private', 'done');
  await goal('other', 'public', 'done');
  const g = (await as.hr.get('/api/v1/analytics/goals')).json;
  const eng = g.rows.find((x) => x.group_by === 'department' && x.group === 'Engineering');
  assert.deepEqual([eng.people, eng.goals, eng.done], [3, 3, 1], 'private goals are not counted');
  assert.ok(!g.rows.some((x) => x.group === 'Sales'), 'one person is below the threshold');
  assert.ok(g.suppressed >= 1);
  assert.match(g.note, /Private goals/);

  const fb = async (who, to, kind, visibility) => assert.equal((await as[who].post('/api/v1/feedback', { recipient_id: ids[to], kind, visibility, body: `${kind} for ${to}` })).status, 201);
  await fb('peer', 'self', 'praise', 'public');
  await fb('self', 'peer', 'praise', 'public');
  await fb('manager', 'self', 'praise', 'public');
  await fb('peer', 'self', 'constructive', 'managers');
  await fb('peer', 'report', 'constructive', 'private');
  const f = (await as.hr.get('/api/v1/analytics/feedback')).json;
  const month = new Date().toISOString().slice(0, 7);
  const m = f.rows.find((x) => x.month === month);
  assert.deepEqual([m.praise, m.constructive, m.total], [3, 1, 4], 'private feedback is not counted');
  assert.equal(m.share_praise, 0.75);
  const csv = (await as.hr.get('/api/v1/analytics/feedback?format=csv')).text;
  assert.ok(csv.includes(`"${month}",3,1,4,0.750`));
});

test('analytics: promotions, development plans and one-on-one cadence', async () => {
  const p = (await as.hr.get('/api/v1/analytics/promotions')).json;
  const eng = p.rows.find((x) => x.group_by === 'department' && x.group === 'Engineering');
  assert.equal(eng.people, 5);
  assert.equal(eng.promoted, 0);
  assert.equal(typeof eng.median_months_in_level, 'number');
  assert.ok(!p.rows.some((x) => x.group === 'Sales' || x.group === 'P3'), 'groups of one or two are not shown');
  const i = (await as.hr.get('/api/v1/analytics/idps')).json;
  const ieng = i.rows.find((x) => x.group === 'Engineering');
  assert.deepEqual([ieng.people, ieng.with_idp, ieng.coverage], [5, 0, 0]);
  const o = (await as.hr.get('/api/v1/analytics/one-on-ones')).json;
  assert.equal(o.rows[0].risk, 1, 'highest risk first');
  const cora = o.rows.find((x) => x.manager === 'Cora Chief');
  assert.deepEqual([cora.reports, cora.never_met], [4, 4]);
  const csv = (await as.hr.get('/api/v1/analytics/one-on-ones?format=csv')).text;
  assert.ok(csv.startsWith('"Manager","Reports","Met in the last 6 weeks"'));
  // a name a spreadsheet would run as a formula shows as text; a BOM on request
  assert.equal((await as.admin.patch(`/api/v1/people/${ids.ceo}`, { name: '=HYPERLINK("x")' })).status, 200);
  const token = (await as.hr.post('/api/v1/me/tokens', { name: 'analytics csv' })).json.token;
  const res = await fetch(`${srv.base}/api/v1/analytics/one-on-ones?format=csv&bom=true`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the UTF-8 BOM first');
  const text = bytes.subarray(3).toString('utf8');
  assert.ok(text.includes('"\'=HYPERLINK(""x"")"'), text.slice(0, 300));
  expectError(assert, await as.hr.get('/api/v1/analytics/one-on-ones?format=csv&bom=maybe'), 422, 'validation_failed');
  assert.equal((await as.admin.patch(`/api/v1/people/${ids.ceo}`, { name: 'Cora Chief' })).status, 200);
});
