// Settings an admin changes without a restart: the organisation's name (in /me), the company
// values praise is given for (enforced when listed) and the anonymity threshold a new review
// cycle starts with. Only admins change them; bad input changes nothing; every change is audited
// with before and after. SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, expectError, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
let srv;
const as = {};
const ids = {};

before(async () => {
  srv = await startServer({ people: org.csv, users: org.users });
  for (const [k, email] of Object.entries(org.byKey)) as[k] = await srv.login(email, PASSWORD);
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
});
after(async () => { await srv?.stop(); });

test('the defaults, readable by everyone signed in; only admins change them', async () => {
  const r = await as.self.get('/api/v1/settings');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { organisation_name: '', company_values: [], anonymity_threshold: 3 });
  assert.equal((await srv.anon().get('/api/v1/settings')).status, 401);
  for (const who of ['self', 'manager', 'hr']) {
    expectError(assert, await as[who].patch('/api/v1/settings', { organisation_name: 'Hijack Inc' }), 403, 'forbidden');
  }
  assert.equal((await as.self.get('/api/v1/me')).json.organisation_name, '');
});

test('bad input is refused field by field and changes nothing', async () => {
  const cases = [
    [{ organisation_name: '' }, 'organisation_name'],
    [{ anonymity_threshold: 1 }, 'anonymity_threshold'],
    [{ anonymity_threshold: 'five' }, 'anonymity_threshold'],
    [{ company_values: 'Ownership' }, 'company_values'],
    [{ company_values: ['Ownership', 'Ownership'] }, 'company_values'],
    [{ company_values: [''] }, 'company_values'],
    [{ colour: 'blue' }, 'colour'],
  ];
  for (const [body, field] of cases) {
    const r = await as.admin.patch('/api/v1/settings', { organisation_name: 'Acme', ...body });
    expectError(assert, r, 422, 'validation_failed');
    assert.ok(field in r.json.error.fields, `${JSON.stringify(body)}: ${r.text}`);
  }
  assert.equal((await as.self.get('/api/v1/settings')).json.organisation_name, '', 'nothing was written');
});

test('a change applies at once: the name in /me, the values praise may carry, the threshold of a new cycle', async () => {
  const r = await as.admin.patch('/api/v1/settings', { organisation_name: 'Acme Rockets', company_values: ['Customer first', 'Ownership'], anonymity_threshold: 5 });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { organisation_name: 'Acme Rockets', company_values: ['Customer first', 'Ownership'], anonymity_threshold: 5 });
  assert.equal((await as.self.get('/api/v1/me')).json.organisation_name, 'Acme Rockets');

  const bad = await as.self.post('/api/v1/feedback', { recipient_id: ids.peer, kind: 'praise', visibility: 'public', company_value: 'Speed', body: 'Fast work.' });
  expectError(assert, bad, 422, 'validation_failed');
  assert.match(bad.json.error.fields.company_value, /company's values/);
  const good = await as.self.post('/api/v1/feedback', { recipient_id: ids.peer, kind: 'praise', visibility: 'public', company_value: 'Ownership', body: 'Owned it.' });
  assert.equal(good.status, 201, good.text);

  const t = await as.hr.post('/api/v1/review-templates', { name: 'Settings self', kind: 'self', questions: [{ id: 'wins', type: 'text', text: 'Wins' }] });
  assert.equal(t.status, 201, t.text);
  const c = await as.hr.post('/api/v1/review-cycles', { name: 'After settings', period_start: '2026-01-01', period_end: '2026-06-30', self_template_id: t.json.id });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.json.threshold, 5, 'a new cycle starts with the organisation\'s threshold');

  // only the fields sent change
  const name = await as.admin.patch('/api/v1/settings', { organisation_name: 'Acme' });
  assert.deepEqual(name.json.company_values, ['Customer first', 'Ownership']);
  assert.equal(name.json.anonymity_threshold, 5);
  // an empty list lets praise carry any value again
  assert.equal((await as.admin.patch('/api/v1/settings', { company_values: [] })).status, 200);
  assert.equal((await as.self.post('/api/v1/feedback', { recipient_id: ids.peer, kind: 'praise', visibility: 'public', company_value: 'Speed', body: 'Fast.' })).status, 201);
});

test('every change is in the audit log with before and after', async () => {
  const rows = (await as.admin.get('/api/v1/audit?entity=settings&limit=50')).json.items;
  const first = rows.find((x) => x.after && x.after.organisation_name === 'Acme Rockets');
  assert.ok(first, JSON.stringify(rows.slice(0, 2)));
  assert.equal(first.action, 'settings.update');
  assert.equal(first.before.organisation_name, '');
  assert.equal(first.actor.id ?? first.actor_id, ids.admin);
});
