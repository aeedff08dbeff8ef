// The private calendar feed, parsed by a real iCalendar parser (python3-icalendar, with
// python3-dateutil expanding the rules): the next occurrences of a series land at 09:00 New York
// time on both sides of the next March daylight-saving change; skipped and moved meetings show
// as exceptions; the URL is secret and revocable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startServer, fixtureOrg, expectError, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
const parser = fileURLToPath(new URL('../support/ics_occurrences.py', import.meta.url));
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

const parse = (ics, n = 4) => { try { return JSON.parse(execFileSync("/usr/bin/python3", [parser, String(n)], { input: ics, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] })); } catch (e) { throw new Error(`${e.stderr}\n${ics}`); } };

// New York leaves EST (UTC-5) for EDT (UTC-4) on the second Sunday of March: the Monday before
// the next such change at least a week from today, and the days counted from it
const DAY = 86400000;
const springMonday = (() => {
  const soon = Date.now() + 7 * DAY;
  for (let y = new Date(soon).getUTCFullYear(); ; y++) {
    const march1 = Date.UTC(y, 2, 1);
    const sunday = march1 + (((7 - new Date(march1).getUTCDay()) % 7) + 7) * DAY;
    if (sunday - 6 * DAY >= soon) return sunday - 6 * DAY;
  }
})();
const on = (days, utcTime) => `${new Date(springMonday + days * DAY).toISOString().slice(0, 10)}${utcTime ? `T${utcTime}:00Z` : ''}`;

test('weekly at 09:00 New York time across the daylight-saving change, with exceptions', async () => {
  // the first Monday is still EST (UTC-5); from the Sunday after it New York is on EDT (UTC-4)
  const s = await as.manager.post('/api/v1/one-on-ones', { with: ids.self, cadence_weeks: 1, weekday: 'monday', first_date: on(0), time: '09:00', timezone: 'America/New_York', duration_minutes: 45 });
  assert.equal(s.status, 201, s.text);
  assert.equal(s.json.next_meeting.starts_at, on(0, '14:00'));
  const feed = await as.self.post('/api/v1/me/calendar', {});
  assert.equal(feed.status, 201, feed.text);
  const anon = srv.anon();
  let r = await anon.get(feed.json.path);
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^text\/calendar/);
  let cal = Object.values(parse(r.text));
  assert.equal(cal.length, 1);
  assert.equal(cal[0].tzid, 'America/New_York');
  assert.equal(cal[0].duration_minutes, 45);
  assert.deepEqual(cal[0].occurrences, [on(0, '14:00'), on(7, '13:00'), on(14, '13:00'), on(21, '13:00')]);

  // skip the first meeting, move the second to Tuesday 16:00
  const first = s.json.next_meeting.id;
  assert.equal((await as.self.post(`/api/v1/one-on-ones/meetings/${first}/skip`, { reason: 'Travelling' })).status, 200);
  const second = (await as.self.get(`/api/v1/one-on-ones/${s.json.id}`)).json.next_meeting;
  assert.equal(second.starts_at, on(7, '13:00'));
  const mv = await as.manager.post(`/api/v1/one-on-ones/meetings/${second.id}/move`, { date: on(8), time: '16:00' });
  assert.equal(mv.status, 200, mv.text);
  assert.equal(mv.json.starts_at, on(8, '20:00'));
  r = await anon.get(feed.json.path);
  cal = Object.values(parse(r.text, 3));
  assert.deepEqual(cal[0].occurrences, [on(8, '20:00'), on(14, '13:00'), on(21, '13:00')]);
  // the manager's own feed shows the same series
  const mgrFeed = await as.manager.post('/api/v1/me/calendar', {});
  assert.equal(Object.values(parse((await anon.get(mgrFeed.json.path)).text, 1))[0].occurrences[0], on(8, '20:00'));
});

test('the feed URL is secret and revocable', async () => {
  const anon = srv.anon();
  expectError(assert, await anon.get('/api/v1/calendar/not-a-token.ics'), 404, 'not_found');
  const one = await as.peer.post('/api/v1/me/calendar', {});
  assert.equal((await anon.get(one.json.path)).status, 200);
  const two = await as.peer.post('/api/v1/me/calendar', {});
  assert.notEqual(one.json.path, two.json.path);
  expectError(assert, await anon.get(one.json.path), 404, 'not_found');
  assert.equal((await as.peer.del('/api/v1/me/calendar')).status, 204);
  expectError(assert, await anon.get(two.json.path), 404, 'not_found');
});

test('a new feed link is one write: a fault at any statement keeps the old link; the audit says when, never the token', async () => {
  const first = await as.peer.post('/api/v1/me/calendar', {});
  assert.equal(first.status, 201, first.text);
  const anon = srv.anon();
  const audits = async () => (await as.admin.get(`/api/v1/audit?entity=person&entity_id=${ids.peer}&limit=200`)).json.items.filter((x) => x.action.startsWith('calendar_feed.'));
  const count = (await audits()).length;
  let n = 1;
  let made;
  for (; n < 20; n++) {
    made = await as.peer.post('/api/v1/me/calendar', {}, { headers: { 'x-trellis-fault': String(n) } });
    if (made.status === 201) break;
    expectError(assert, made, 500, 'internal');
    assert.equal((await anon.get(first.json.path)).status, 200, `a fault at statement ${n} left the old link working`);
    assert.equal((await audits()).length, count);
  }
  assert.ok(n > 2, `the write ran statements (n=${n})`);
  assert.equal((await anon.get(first.json.path)).status, 404, 'the new link replaced the old one');
  const row = (await audits())[0];
  assert.equal(row.action, 'calendar_feed.create');
  assert.ok(row.before.feed_created_at && row.after.feed_created_at, JSON.stringify(row));
  const token = made.json.path.match(/calendar\/(.+)\.ics/)[1];
  const log = (await as.admin.get('/api/v1/audit?limit=200')).text;
  assert.ok(!log.includes(token) && !log.includes(first.json.path), 'no feed token in the audit log');
  assert.equal((await as.peer.del('/api/v1/me/calendar')).status, 204);
  const revoked = (await audits())[0];
  assert.equal(revoked.action, 'calendar_feed.revoke');
  assert.ok(revoked.before.feed_created_at);
  assert.equal(revoked.after, null);
});
