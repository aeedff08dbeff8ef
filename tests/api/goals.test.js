// Goals and OKRs: creation at every level, progress arithmetic, roll-ups, alignment rules,
// check-ins, the access matrix and the audit trail. SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, expectError, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
let srv;
const as = {};
const ids = {};
const Y = { start_date: '2026-01-01', due_date: '2026-12-31' };

before(async () => {
  srv = await startServer({ people: org.csv, users: org.users });
  for (const [k, email] of Object.entries(org.byKey)) as[k] = await srv.login(email, PASSWORD);
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
});
after(async () => { await srv?.stop(); });

const near = (a, b) => assert.ok(Math.abs(a - b) < 1e-9, `${a} != ${b}`);

test('progress is computed from key results, exactly, on the edge cases', async () => {
  const r = await as.self.post('/api/v1/goals', {
    title: 'Make onboarding faster', ...Y,
    key_results: [
      { title: 'Docs pages', start: 0, target: 10, current: 5 },                    // 50
      { title: 'Churn', start: 10, target: 4, current: 7, direction: 'decrease' }, // 50
      { title: 'Flat', start: 3, target: 3, current: 3 },                          // 100 (reached)
      { title: 'Overshoot', start: 0, target: 10, current: 25, weight: 2 },        // 100, weight 2
      { title: 'Ship guide', type: 'milestone' },                                  // 0
    ],
  });
  assert.equal(r.status, 201, r.text);
  const g = r.json;
  assert.deepEqual(g.key_results.map((k) => k.progress), [50, 50, 100, 100, 0]);
  near(g.progress, (50 + 50 + 100 + 200 + 0) / 6);
  assert.equal(g.level, 'individual');
  assert.equal(g.owner_id, ids.self);
  assert.equal(g.rollup_progress, null);
  const none = await as.self.post('/api/v1/goals', { title: 'No KRs', ...Y });
  assert.equal(none.json.progress, 0);
  const done = await as.self.patch(`/api/v1/goals/${none.json.id}`, { status: 'done' });
  assert.equal(done.json.progress, 100);
});

test('roll-up from aligned children: weights, nested roll-ups, abandoned and private left out', async () => {
  const company = (await as.hr.post('/api/v1/goals', { title: 'Company growth', level: 'company', ...Y })).json;
  assert.equal(company.visibility, 'public');
  const team = (await as.manager.post('/api/v1/goals', { title: 'Team delivery', level: 'team', parent_id: company.id, weight: 3, ...Y })).json;
  assert.equal(team.department.name, 'Engineering');
  const a = (await as.self.post('/api/v1/goals', { title: 'A', parent_id: team.id, ...Y, key_results: [{ title: 'x', start: 0, target: 4, current: 1 }] })).json; // 25
  const b = (await as.peer.post('/api/v1/goals', { title: 'B', parent_id: team.id, weight: 3, ...Y, key_results: [{ title: 'y', start: 0, target: 4, current: 3 }] })).json; // 75
  await as.peer.post('/api/v1/goals', { title: 'Gave up', parent_id: team.id, weight: 100, status: 'abandoned', ...Y });
  await as.self.post('/api/v1/goals', { title: 'Secret', parent_id: team.id, weight: 100, visibility: 'private', ...Y });
  const t = (await as.peer.get(`/api/v1/goals/${team.id}`)).json;
  near(t.rollup_progress, (25 + 3 * 75) / 4);
  assert.equal(t.progress, 0, 'its own progress stays beside the roll-up');
  const c = (await as.other.get(`/api/v1/goals/${company.id}`)).json;
  near(c.rollup_progress, (25 + 3 * 75) / 4, 'a child without key results contributes its roll-up');
  assert.ok(a.id && b.id);
  const tree = (await as.other.get('/api/v1/goals/tree?period=2026')).json.items;
  const root = tree.find((g) => g.id === company.id);
  assert.ok(root);
  assert.equal(root.children[0].id, team.id);
  assert.ok(!JSON.stringify(tree).includes('Secret'), 'private goals never appear in the tree');
  const engDept = t.department.id;
  const dtree = (await as.hr.get(`/api/v1/goals/tree?period=2026&department=${engDept}`)).json.items;
  assert.deepEqual(dtree.map((g) => g.id), [team.id], 'a department tree starts at its team goals');
  assert.ok(dtree[0].children.some((g) => g.id === a.id));
  const shallow = (await as.hr.get('/api/v1/goals/tree?period=2026&depth=1')).json.items;
  assert.ok(shallow.every((g) => g.children.length === 0), 'depth limits the levels returned');
  assert.ok(shallow.find((g) => g.id === company.id).rollup_progress !== null, 'but not the roll-up');
  const q1 = (await as.hr.get('/api/v1/goals/tree?period=2025-Q1')).json.items;
  assert.equal(q1.length, 0, 'nothing overlaps another year');
});

test('a tree is paged at its top level and loads aligned goals below its depth on request', async () => {
  const company = (await as.hr.post('/api/v1/goals', { title: 'Paged company goal', level: 'company', ...Y })).json;
  const teams = [];
  for (const t of ['Team one', 'Team two', 'Team three']) {
    teams.push((await as.manager.post('/api/v1/goals', { title: t, level: 'team', parent_id: company.id, ...Y })).json);
  }
  const a1 = (await as.self.post('/api/v1/goals', { title: 'Below team one', parent_id: teams[0].id, ...Y })).json;
  const a2 = (await as.self.post('/api/v1/goals', { title: 'Two below team one', parent_id: a1.id, ...Y })).json;
  const secret = (await as.self.post('/api/v1/goals', { title: 'Paged secret', parent_id: a1.id, visibility: 'private', ...Y })).json;

  const top = await as.other.get('/api/v1/goals/tree?period=2026&depth=2');
  assert.equal(top.status, 200, top.text);
  const c = top.json.items.find((g) => g.id === company.id);
  assert.deepEqual(c.children.map((g) => g.id), teams.map((t) => t.id));
  assert.equal(c.children_complete, true);
  const [t1, t2] = c.children;
  assert.deepEqual([t1.children, t1.children_complete, t1.children_count], [[], false, 1], 'a node at the last level says it has more');
  assert.deepEqual([t2.children, t2.children_complete], [[], true], 'and one without aligned goals says it has none');

  const below = await as.other.get(`/api/v1/goals/tree?parent=${teams[0].id}&depth=2`);
  assert.equal(below.status, 200, below.text);
  assert.deepEqual(below.json.items.map((g) => g.id), [a1.id]);
  assert.deepEqual(below.json.items[0].children.map((g) => g.id), [a2.id], 'the private goal stays out');
  assert.equal(below.json.next_cursor, null);
  assert.ok(!below.text.includes('Paged secret'));
  const own = await as.self.get(`/api/v1/goals/tree?parent=${a1.id}`);
  assert.deepEqual(own.json.items.map((g) => g.id), [a2.id, secret.id], 'its owner sees it');

  const p1 = await as.other.get(`/api/v1/goals/tree?parent=${company.id}&limit=2&depth=1`);
  assert.deepEqual(p1.json.items.map((g) => g.id), [teams[0].id, teams[1].id]);
  assert.ok(p1.json.next_cursor);
  const p2 = await as.other.get(`/api/v1/goals/tree?parent=${company.id}&limit=2&depth=1&cursor=${p1.json.next_cursor}`);
  assert.deepEqual(p2.json.items.map((g) => g.id), [teams[2].id]);
  assert.equal(p2.json.next_cursor, null);

  expectError(assert, await as.other.get(`/api/v1/goals/tree?parent=${secret.id}`), 404, 'not_found');
  expectError(assert, await as.other.get('/api/v1/goals/tree?parent=99999999'), 404, 'not_found');
  const both = await as.hr.get(`/api/v1/goals/tree?parent=${company.id}&department=${teams[0].department.id}`);
  expectError(assert, both, 422, 'validation_failed');
  assert.ok(both.json.error.fields.parent);
  expectError(assert, await as.hr.get('/api/v1/goals/tree?limit=0'), 422, 'validation_failed');
  expectError(assert, await as.hr.get('/api/v1/goals/tree?cursor=x'), 422, 'validation_failed');
});

// A company's whole tree at 1,000,000 people passed the 512 MB ceiling of its answer, and what
// did not fit was dropped: a cut JSON went out as 200, after 3 GB of memory for its five million
// goals. An answer past its ceiling is refused whole, and a tree page of more goals than it may
// read is refused before reading them all (here test ceilings, the server's fault hooks on).
test('an answer larger than its ceiling is refused whole with a clear error, never cut', async () => {
  const whole = await as.hr.get('/api/v1/goals/tree?period=2026&depth=16');
  assert.equal(whole.status, 200);
  assert.ok(whole.text.length > 1024, `the tree is ${whole.text.length} bytes`);
  const count = (gs) => gs.reduce((n, g) => n + 1 + count(g.children), 0);
  const goals = count(whole.json.items);
  assert.ok(goals > 2, `${goals} goals in the tree`);
  const over = await as.hr.get('/api/v1/goals/tree?period=2026&depth=16', { headers: { 'x-trellis-answer-max': '1024' } });
  expectError(assert, over, 413, 'answer_too_large');
  assert.match(over.json.error.message, goals > 16 ? /holds more than 16 goals: ask for less/ : /larger than 1 KB: ask for less/);
  // a tree of more goals than a page may read is refused before they are all read (a million
  // goals; a goal per 64 bytes of the test ceiling here)
  const many = await as.hr.get('/api/v1/goals/tree?period=2026&depth=16', { headers: { 'x-trellis-answer-max': '128' } });
  expectError(assert, many, 413, 'answer_too_large');
  assert.match(many.json.error.message, /the tree holds more than 2 goals: ask for less \(a page, fewer levels\)/);
  const page = await as.hr.get('/api/v1/goals/tree?period=2026&depth=1&limit=1', { headers: { 'x-trellis-answer-max': '1024' } });
  assert.equal(page.status, 200, 'a smaller answer under the same ceiling goes out');
  assert.equal(page.json.items.length, 1);
});

test('alignment rules: cycles, invisible and non-public parents are refused, nothing written', async () => {
  const top = (await as.self.post('/api/v1/goals', { title: 'Top', ...Y })).json;
  const mid = (await as.self.post('/api/v1/goals', { title: 'Mid', parent_id: top.id, ...Y })).json;
  const low = (await as.self.post('/api/v1/goals', { title: 'Low', parent_id: mid.id, ...Y })).json;
  const cyc = await as.self.patch(`/api/v1/goals/${top.id}`, { parent_id: low.id, title: 'Changed' });
  expectError(assert, cyc, 422, 'validation_failed');
  assert.match(cyc.json.error.fields.parent_id, /cycle/);
  assert.equal((await as.self.get(`/api/v1/goals/${top.id}`)).json.title, 'Top');
  const selfLoop = await as.self.patch(`/api/v1/goals/${top.id}`, { parent_id: top.id });
  expectError(assert, selfLoop, 422, 'validation_failed');
  const priv = (await as.peer.post('/api/v1/goals', { title: 'Peer private', visibility: 'private', ...Y })).json;
  const hidden = await as.self.post('/api/v1/goals', { title: 'Sneaky', parent_id: priv.id, ...Y });
  expectError(assert, hidden, 422, 'validation_failed');
  assert.equal(hidden.json.error.fields.parent_id, 'no such goal', 'no hint that it exists');
  const mgrs = (await as.self.post('/api/v1/goals', { title: 'Managers only', visibility: 'managers', ...Y })).json;
  const child = await as.self.post('/api/v1/goals', { title: 'Child', parent_id: mgrs.id, ...Y });
  expectError(assert, child, 422, 'validation_failed');
  assert.match(child.json.error.fields.parent_id, /public/);
});

test('bad input names the field and writes nothing', async () => {
  const count = async () => (await as.self.get('/api/v1/goals?mine=1&limit=200')).json.items.length;
  const n = await count();
  const cases = [
    [{ title: 'x', start_date: '2026-05-01', due_date: '2026-04-01' }, 'due_date'],
    [{ title: 'x', ...Y, status: 'great' }, 'status'],
    [{ title: 'x', ...Y, level: 'galaxy' }, 'level'],
    [{ title: 'x', ...Y, weight: 0 }, 'weight'],
    [{ title: 'x', ...Y, weight: '2' }, 'weight'],
    [{ title: 'x', start_date: '2026-02-30', due_date: '2026-12-31' }, 'start_date'],
    [{ title: '', ...Y }, 'title'],
    [{ ...Y }, 'title'],
    [{ title: 'x', ...Y, key_results: [{ title: 'k', start: 'zero', target: 5 }] }, 'key_results[0].start'],
    [{ title: 'x', ...Y, key_results: [{ title: 'k', start: 5, target: 1 }] }, 'key_results[0].target'],
    [{ title: 'x', ...Y, key_results: [{ title: 'k', type: 'vibes' }] }, 'key_results[0].type'],
    [{ title: 'x', ...Y, key_results: 'many' }, 'key_results'],
    [{ title: 'x', ...Y, parent_id: 999999 }, 'parent_id'],
    [{ title: 'x', ...Y, level: 'company' }, null], // 403 for an employee
    [{ title: 'x', ...Y, surprise: true }, 'surprise'],
  ];
  for (const [body, field] of cases) {
    const r = await as.self.post('/api/v1/goals', body);
    if (field === null) { expectError(assert, r, 403, 'forbidden'); continue; }
    expectError(assert, r, 422, 'validation_failed');
    assert.ok(field in r.json.error.fields, `${JSON.stringify(body)} -> ${r.text}`);
  }
  expectError(assert, await as.self.post('/api/v1/goals', '{"title":'), 400, 'bad_json');
  assert.equal(await count(), n);
});

test('access matrix: visibility decides reads; 404 for hidden goals, absent from lists', async () => {
  const mk = async (visibility) => (await as.self.post('/api/v1/goals', { title: `V ${visibility}`, visibility, ...Y })).json.id;
  const pub = await mk('public'); const mgr = await mk('managers'); const prv = await mk('private');
  const expect = {
    self: [200, 200, 200], manager: [200, 200, 404], skip: [200, 200, 404], hr: [200, 200, 404],
    peer: [200, 404, 404], other: [200, 404, 404], report: [200, 404, 404], admin: [200, 200, 404],
  };
  for (const [who, codes] of Object.entries(expect)) {
    for (const [i, id] of [pub, mgr, prv].entries()) {
      const r = await as[who].get(`/api/v1/goals/${id}`);
      assert.equal(r.status, codes[i], `${who} reading ${['public', 'managers', 'private'][i]} goal`);
      if (codes[i] === 404) expectError(assert, r, 404, 'not_found');
    }
    const listed = (await as[who].get(`/api/v1/goals?owner=${ids.self}&limit=200`)).json.items.map((g) => g.id);
    assert.equal(listed.includes(prv), who === 'self', `${who} list and private`);
    assert.equal(listed.includes(mgr), codes[1] === 200, `${who} list and managers-only`);
  }
  expectError(assert, await srv.anon().get(`/api/v1/goals/${pub}`), 401, 'unauthenticated');
  expectError(assert, await as.peer.patch(`/api/v1/goals/${pub}`, { title: 'mine now' }), 403, 'forbidden');
  expectError(assert, await as.peer.patch(`/api/v1/goals/${prv}`, { title: 'mine now' }), 404, 'not_found');
  expectError(assert, await as.peer.del(`/api/v1/goals/${pub}`), 403, 'forbidden');
  assert.equal((await as.manager.patch(`/api/v1/goals/${pub}`, { status: 'at_risk' })).json.status, 'at_risk', 'a manager edits a report\'s goal');
});

test('check-ins: owner and managers only, validated, kept as history with progress', async () => {
  const g = (await as.self.post('/api/v1/goals', { title: 'Latency', ...Y, key_results: [
    { title: 'p99 ms', start: 800, target: 200, current: 800, direction: 'decrease' },
    { title: 'Dashboard', type: 'milestone' }] })).json;
  const [lat, dash] = g.key_results.map((k) => k.id);
  const c1 = await as.self.post(`/api/v1/goals/${g.id}/checkins`, { key_result_id: lat, value: 500, confidence: 3, comment: 'cache landed' });
  assert.equal(c1.status, 201, c1.text);
  near(c1.json.progress, 25);
  const c2 = await as.manager.post(`/api/v1/goals/${g.id}/checkins`, { key_result_id: dash, value: 1, confidence: 5, status: 'at_risk' });
  assert.equal(c2.status, 201);
  near(c2.json.progress, 75);
  assert.equal(c2.json.status, 'at_risk');
  assert.ok(c2.json.last_checkin_at);
  for (const who of ['peer', 'hr', 'other']) {
    expectError(assert, await as[who].post(`/api/v1/goals/${g.id}/checkins`, { key_result_id: lat, value: 1, confidence: 3 }), 403, 'forbidden');
  }
  const bad = [
    [{ key_result_id: lat, value: 'fast', confidence: 3 }, 'value'],
    [{ key_result_id: lat, value: 1 }, 'confidence'],
    [{ key_result_id: lat, value: 1, confidence: 9 }, 'confidence'],
    [{ key_result_id: 999999, value: 1, confidence: 3 }, 'key_result_id'],
    [{ value: 1, confidence: 3 }, 'key_result_id'],
    [{ key_result_id: dash, value: 0.5, confidence: 3 }, 'value'],
    [{ status: 'meh', confidence: 3 }, 'status'],
  ];
  for (const [body, field] of bad) {
    const r = await as.self.post(`/api/v1/goals/${g.id}/checkins`, body);
    expectError(assert, r, 422, 'validation_failed');
    assert.ok(field in r.json.error.fields, `${JSON.stringify(body)}: ${r.text}`);
  }
  const hist = (await as.skip.get(`/api/v1/goals/${g.id}/checkins`)).json.items;
  assert.deepEqual(hist.map((c) => c.progress), [25, 75]);
  assert.equal(hist[0].author.id, ids.self);
  assert.equal(hist[1].author.id, ids.manager);
  const audit = (await as.hr.get(`/api/v1/audit?entity=goal&entity_id=${g.id}`)).json.items.map((a) => a.action);
  assert.deepEqual(audit, ['goal.checkin', 'goal.checkin', 'goal.create']);
});

test('key results inline in PATCH: new, kept and removed; unknown ids refused', async () => {
  const g = (await as.self.post('/api/v1/goals', { title: 'KR edit', ...Y, key_results: [{ title: 'a', target: 1 }, { title: 'b', target: 1 }] })).json;
  const [a] = g.key_results;
  const r = await as.self.patch(`/api/v1/goals/${g.id}`, { key_results: [{ id: a.id, title: 'a2', target: 2, current: 1 }, { title: 'c', target: 10 }] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.key_results.map((k) => k.title), ['a2', 'c']);
  assert.equal(r.json.key_results[0].id, a.id);
  const other = (await as.peer.post('/api/v1/goals', { title: 'Other', ...Y, key_results: [{ title: 'z', target: 1 }] })).json;
  const steal = await as.self.patch(`/api/v1/goals/${g.id}`, { key_results: [{ id: other.key_results[0].id, title: 'stolen', target: 1 }] });
  expectError(assert, steal, 422, 'validation_failed');
  assert.deepEqual((await as.self.get(`/api/v1/goals/${g.id}`)).json.key_results.map((k) => k.title), ['a2', 'c']);
  expectError(assert, await as.self.patch(`/api/v1/goals/${g.id}`, { level: 'team' }), 422, 'validation_failed');
});

test('a manager proposes a goal; the report accepts it; lists for mine and team', async () => {
  const p = await as.manager.post('/api/v1/goals', { title: 'Mentor an intern', owner_id: ids.self, kind: 'development', ...Y });
  assert.equal(p.status, 201, p.text);
  assert.equal(p.json.accepted, false);
  assert.equal(p.json.status, 'draft');
  assert.equal(p.json.proposed_by, ids.manager);
  expectError(assert, await as.manager.patch(`/api/v1/goals/${p.json.id}`, { accepted: true }), 422, 'validation_failed');
  const acc = await as.self.patch(`/api/v1/goals/${p.json.id}`, { accepted: true });
  assert.equal(acc.json.accepted, true);
  assert.equal(acc.json.status, 'on_track');
  expectError(assert, await as.peer.post('/api/v1/goals', { title: 'For you', owner_id: ids.self, ...Y }), 403, 'forbidden');
  const team = (await as.manager.get('/api/v1/goals?team=1&limit=200')).json.items;
  assert.ok(team.length > 0 && team.every((g) => [ids.self, ids.peer].includes(g.owner_id)));
  const mine = (await as.self.get('/api/v1/goals?mine=1&limit=200')).json.items;
  assert.ok(mine.every((g) => g.owner_id === ids.self));
  const page1 = await as.self.get('/api/v1/goals?mine=1&limit=2');
  const page2 = await as.self.get(`/api/v1/goals?mine=1&limit=2&cursor=${page1.json.next_cursor}`);
  assert.ok(page2.json.items[0].id > page1.json.items[1].id);
  expectError(assert, await as.self.get('/api/v1/goals?period=2026-Q5'), 422, 'validation_failed');
});

test('delete: aligned children block it (409); then it goes with its history', async () => {
  const parent = (await as.self.post('/api/v1/goals', { title: 'Parent', ...Y })).json;
  const child = (await as.self.post('/api/v1/goals', { title: 'Child', parent_id: parent.id, ...Y })).json;
  expectError(assert, await as.self.del(`/api/v1/goals/${parent.id}`), 409, 'conflict');
  assert.equal((await as.self.del(`/api/v1/goals/${child.id}`)).status, 204);
  assert.equal((await as.self.del(`/api/v1/goals/${parent.id}`)).status, 204);
  expectError(assert, await as.self.get(`/api/v1/goals/${parent.id}`), 404, 'not_found');
});

test('contributors read a managers-only goal and check in; others cannot; ids are checked', async () => {
  const g = (await as.self.post('/api/v1/goals', {
    title: 'Pair on the search rewrite', visibility: 'managers', contributor_ids: [ids.peer], ...Y,
    key_results: [{ title: 'Queries migrated', target: 10 }],
  })).json;
  assert.deepEqual(g.contributor_ids, [ids.peer]);
  assert.equal((await as.peer.get(`/api/v1/goals/${g.id}`)).status, 200, 'a contributor reads it');
  expectError(assert, await as.other.get(`/api/v1/goals/${g.id}`), 404, 'not_found');
  const c = await as.peer.post(`/api/v1/goals/${g.id}/checkins`, { key_result_id: g.key_results[0].id, value: 4, confidence: 4 });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.json.progress, 40);
  expectError(assert, await as.report.post(`/api/v1/goals/${g.id}/checkins`, { key_result_id: g.key_results[0].id, value: 5, confidence: 4 }), 404, 'not_found');
  const bad = await as.self.patch(`/api/v1/goals/${g.id}`, { contributor_ids: [999999] });
  expectError(assert, bad, 422, 'validation_failed');
  assert.ok('contributor_ids' in bad.json.error.fields);
  const removed = await as.self.patch(`/api/v1/goals/${g.id}`, { contributor_ids: [] });
  assert.deepEqual(removed.json.contributor_ids, []);
  expectError(assert, await as.peer.get(`/api/v1/goals/${g.id}`), 404, 'not_found');
});
