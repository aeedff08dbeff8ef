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
  srv = await startServer({ people: org.csv, users: org.users, env: { TRELLIS_SCHEDULER_INTERVAL: '1' } });
  for (const [k, email] of Object.entries(org.byKey)) as[k] = await srv.login(email, PASSWORD);
  for (const p of (await as.hr.get('/api/v1/people?limit=200')).json.items) ids[p.email] = p.id;
  for (const [k, email] of Object.entries(org.byKey)) ids[k] = ids[email];
});
after(async () => { await srv?.stop(); });

test('the defaults, readable by everyone signed in; only admins change them', async () => {
  const r = await as.self.get('/api/v1/settings');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, {
    organisation_name: '', company_values: [], anonymity_threshold: 3, logo: null,
    reminders: {
      rules: { agenda_empty: true, action_due: true, no_one_on_one: true, review_overdue: true, goal_stale: true, review_deadline: true },
      no_one_on_one_weeks: 6, goal_stale_days: 30, review_deadline_days: 1, hour_utc: null,
    },
  });
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
  const { reminders, logo, ...rest } = r.json;
  assert.equal(logo, null);
  assert.deepEqual(rest, { organisation_name: 'Acme Rockets', company_values: ['Customer first', 'Ownership'], anonymity_threshold: 5 });
  assert.equal(reminders.no_one_on_one_weeks, 6, 'the reminders were not sent and stay');
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

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const waitPasses = () => new Promise((r) => setTimeout(r, 2500)); // a few passes of the scheduler

test('reminder rules: an admin switches a rule off, changes a threshold and the hour, and the scheduler follows at once', async () => {
  // bad input names the member and changes nothing
  const bad = await as.admin.patch('/api/v1/settings', { reminders: { rules: { action_due: 'no', gossip: true }, goal_stale_days: 3, hour_utc: 24, colour: 1 } });
  expectError(assert, bad, 422, 'validation_failed');
  assert.deepEqual(Object.keys(bad.json.error.fields).sort(),
    ['reminders.colour', 'reminders.goal_stale_days', 'reminders.hour_utc', 'reminders.rules.action_due', 'reminders.rules.gossip']);
  assert.equal((await as.self.get('/api/v1/settings')).json.reminders.goal_stale_days, 30);

  // switched off: an action item due today reminds nobody
  const off = await as.admin.patch('/api/v1/settings', { reminders: { rules: { action_due: false }, no_one_on_one_weeks: 4 } });
  assert.equal(off.status, 200, off.text);
  assert.equal(off.json.reminders.rules.action_due, false);
  assert.equal(off.json.reminders.rules.goal_stale, true, 'the rules not sent stay');
  assert.equal(off.json.reminders.goal_stale_days, 30);
  assert.equal(off.json.reminders.no_one_on_one_weeks, 4);
  const d = new Date(Date.now() + 2 * 86400000);
  const series = await as.manager.post('/api/v1/one-on-ones', { with: ids.self, weekday: WEEKDAYS[d.getUTCDay()], first_date: d.toISOString().slice(0, 10), time: '10:00', timezone: 'UTC' });
  assert.equal(series.status, 201, series.text);
  const today = new Date().toISOString().slice(0, 10);
  const item = await as.manager.post(`/api/v1/one-on-ones/meetings/${series.json.next_meeting.id}/actions`, { owner_id: ids.self, body: 'Send the launch notes', due_date: today });
  assert.equal(item.status, 201, item.text);
  await waitPasses();
  const due = async () => (await as.self.get('/api/v1/notifications')).json.items.filter((n) => n.kind === 'action_due');
  assert.equal((await due()).length, 0, 'a rule switched off reminds nobody');

  // on again, but at an hour that is not now: still nothing
  const later = (new Date().getUTCHours() + 12) % 24;
  assert.equal((await as.admin.patch('/api/v1/settings', { reminders: { rules: { action_due: true }, hour_utc: later } })).status, 200);
  await waitPasses();
  assert.equal((await due()).length, 0, 'the rules run only at their hour');
  // every pass again: the reminder comes
  assert.equal((await as.admin.patch('/api/v1/settings', { reminders: { hour_utc: null } })).status, 200);
  let found = [];
  for (let i = 0; i < 40 && !found.length; i++) { await new Promise((r) => setTimeout(r, 250)); found = await due(); }
  assert.equal(found.length, 1);
  assert.match(found[0].body, /Send the launch notes/);
  const audit = (await as.admin.get('/api/v1/audit?limit=50')).json.items.filter((x) => x.action === 'settings.update');
  assert.ok(audit.some((x) => x.before.reminders.rules.action_due === false && x.after.reminders.rules.action_due === true), 'audited before and after');
});

// a 1×1 PNG, and the start of a JPEG
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYPj/HwADBwIAMCbHYQAAAABJRU5ErkJggg==', 'base64');

test('the logo: admins upload a PNG, JPEG or WebP of at most 256 KB; everyone signed in sees it; removing it asks nothing else', async () => {
  const png = new Uint8Array(PNG);
  const putLogo = (who, body, type) => as[who].put('/api/v1/settings/logo', body, { headers: { 'content-type': type } });
  expectError(assert, await putLogo('hr', png, 'image/png'), 403, 'forbidden');
  const notImage = await putLogo('admin', new TextEncoder().encode('<svg onload=alert(1)>'), 'image/svg+xml');
  expectError(assert, notImage, 422, 'validation_failed');
  assert.match(notImage.json.error.fields.logo, /PNG, JPEG or WebP/);
  expectError(assert, await putLogo('admin', png, 'image/jpeg'), 422, 'validation_failed');
  const big = new Uint8Array(300 * 1024);
  big.set(png);
  const tooBig = await putLogo('admin', big, 'image/png');
  assert.equal(tooBig.status, 413, tooBig.text);
  assert.match(tooBig.json.error.message, /at most 256 KB/);
  expectError(assert, await as.self.get('/api/v1/settings/logo'), 404, 'not_found');
  assert.equal((await as.self.get('/api/v1/settings')).json.logo, null, 'nothing was stored');

  const ok = await putLogo('admin', png, 'image/png');
  assert.equal(ok.status, 200, ok.text);
  assert.match(ok.json.logo, /^[0-9a-f]{12}$/);
  assert.equal((await as.self.get('/api/v1/me')).json.organisation_logo, ok.json.logo);
  const img = await fetch(`${srv.base}/api/v1/settings/logo?v=${ok.json.logo}`, { headers: { cookie: as.self.cookie } });
  assert.equal(img.status, 200);
  assert.equal(img.headers.get('content-type'), 'image/png');
  assert.equal(img.headers.get('x-content-type-options'), 'nosniff');
  assert.deepEqual(Buffer.from(await img.arrayBuffer()), PNG, 'the same bytes back');
  assert.equal((await srv.anon().get('/api/v1/settings/logo')).status, 401);

  const gone = await as.admin.del('/api/v1/settings/logo');
  assert.equal(gone.status, 200, gone.text);
  assert.equal(gone.json.logo, null);
  expectError(assert, await as.self.get('/api/v1/settings/logo'), 404, 'not_found');
  const audit = (await as.admin.get('/api/v1/audit?limit=50')).json.items;
  assert.ok(audit.some((x) => x.action === 'settings.logo.update' && x.before === null && x.after.type === 'image/png' && x.after.bytes === PNG.length));
  assert.ok(audit.some((x) => x.action === 'settings.logo.remove' && x.after === null));
});
