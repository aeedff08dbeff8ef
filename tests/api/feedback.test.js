// Continuous feedback and recognition, and feedback requests: visibility rules, the wall,
// answering and declining, bad input. SQLite and PostgreSQL.
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

test('visibility decides who reads feedback: recipient, author, managers, wall', async () => {
  const give = async (visibility, kind = 'praise', extra = {}) => {
    const r = await as.peer.post('/api/v1/feedback', { recipient_id: ids.self, kind, visibility, body: `${kind} ${visibility}`, ...extra });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  const pub = await give('public', 'praise', { company_value: 'Customer first' });
  const mgr = await give('managers');
  const prv = await give('private');
  const con = await give('managers', 'constructive');
  const matrix = {
    self: [200, 200, 200, 200], peer: [200, 200, 200, 200], manager: [200, 200, 404, 200],
    skip: [200, 200, 404, 200], hr: [200, 404, 404, 404], other: [200, 404, 404, 404], admin: [200, 404, 404, 404],
  };
  for (const [who, codes] of Object.entries(matrix)) {
    for (const [i, id] of [pub, mgr, prv, con].entries()) {
      assert.equal((await as[who].get(`/api/v1/feedback/${id}`)).status, codes[i], `${who} reading #${i}`);
    }
    const listed = (await as[who].get(`/api/v1/feedback?person=${ids.self}&limit=200`)).json.items.map((f) => f.id);
    assert.deepEqual([pub, mgr, prv, con].filter((_, i) => codes[i] === 200).sort(), listed.filter((x) => [pub, mgr, prv, con].includes(x)).sort(), `${who} list`);
  }
  const wall = (await as.other.get('/api/v1/feedback?wall=1')).json.items;
  assert.deepEqual(wall.map((f) => f.id), [pub]);
  assert.equal(wall[0].company_value, 'Customer first');
  const given = (await as.peer.get('/api/v1/feedback?given=1')).json.items;
  assert.equal(given.length, 4);
  const audit = (await as.hr.get(`/api/v1/audit?entity=feedback&entity_id=${prv}`)).json.items;
  assert.equal(audit[0].action, 'feedback.give');
  assert.ok(!JSON.stringify(audit).includes('praise private'), 'the audit keeps no feedback text');
});

test('bad feedback is refused with the field named', async () => {
  const cases = [
    [{ recipient_id: ids.self, kind: 'constructive', visibility: 'public', body: 'x' }, 'visibility'],
    [{ recipient_id: ids.self, kind: 'rant', visibility: 'private', body: 'x' }, 'kind'],
    [{ recipient_id: ids.self, kind: 'praise', visibility: 'everyone', body: 'x' }, 'visibility'],
    [{ recipient_id: ids.self, kind: 'constructive', visibility: 'private', body: 'x', company_value: 'Grit' }, 'company_value'],
    [{ recipient_id: ids.self, body: '' }, 'body'],
    [{ recipient_id: ids.peer, body: 'me, myself' }, 'recipient_id'],
    [{ recipient_id: 999999, body: 'ghost' }, 'recipient_id'],
    [{ body: 'to nobody' }, 'recipient_id'],
    [{ recipient_id: ids.self, body: 'x', author_id: ids.ceo }, 'author_id'],
  ];
  for (const [body, field] of cases) {
    const r = await as.peer.post('/api/v1/feedback', body);
    expectError(assert, r, 422, 'validation_failed');
    assert.ok(field in r.json.error.fields, `${JSON.stringify(body)}: ${r.text}`);
  }
});

test('feedback requests: ask, answer once, decline; only the asked person acts', async () => {
  const r = await as.self.post('/api/v1/feedback-requests', { asked_ids: [ids.peer, ids.other], topic: 'My design review talk', due_date: '2099-01-31' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.items.length, 2);
  const [toPeer, toOther] = r.json.items;
  assert.equal(toPeer.status, 'open');
  const inbox = (await as.peer.get('/api/v1/feedback-requests')).json.items;
  assert.ok(inbox.some((q) => q.id === toPeer.id && q.topic === 'My design review talk'));
  expectError(assert, await as.other.post(`/api/v1/feedback-requests/${toPeer.id}/answer`, { body: 'not mine' }), 404, 'not_found');
  const ans = await as.peer.post(`/api/v1/feedback-requests/${toPeer.id}/answer`, { kind: 'constructive', visibility: 'managers', body: 'Slow down on slide 3' });
  assert.equal(ans.status, 201, ans.text);
  assert.equal(ans.json.recipient.id, ids.self);
  assert.equal(ans.json.request_id, toPeer.id);
  expectError(assert, await as.peer.post(`/api/v1/feedback-requests/${toPeer.id}/answer`, { body: 'again' }), 409, 'conflict');
  const dec = await as.other.post(`/api/v1/feedback-requests/${toOther.id}/decline`, { reason: 'I missed the talk' });
  assert.equal(dec.status, 200);
  assert.equal(dec.json.status, 'declined');
  expectError(assert, await as.other.post(`/api/v1/feedback-requests/${toOther.id}/answer`, { body: 'late' }), 409, 'conflict');
  const mine = (await as.self.get('/api/v1/feedback-requests?mine=1')).json.items;
  assert.deepEqual(mine.map((q) => q.status).sort(), ['answered', 'declined']);
  assert.ok((await as.manager.get(`/api/v1/feedback?person=${ids.self}`)).json.items.some((f) => f.body === 'Slow down on slide 3'));
});

test('bad requests: oneself, duplicates, unknown people, past dates, too many', async () => {
  const cases = [
    [{ asked_ids: [ids.self], topic: 't' }, 'asked_ids'],
    [{ asked_ids: [ids.peer, ids.peer], topic: 't' }, 'asked_ids'],
    [{ asked_ids: [999999], topic: 't' }, 'asked_ids'],
    [{ asked_ids: [], topic: 't' }, 'asked_ids'],
    [{ asked_ids: Array.from({ length: 11 }, (_, i) => i + 1), topic: 't' }, 'asked_ids'],
    [{ asked_ids: [ids.peer] }, 'topic'],
    [{ asked_ids: [ids.peer], topic: 't', due_date: '2001-01-01' }, 'due_date'],
    [{ asked_ids: [ids.peer], topic: 't', due_date: 'soon' }, 'due_date'],
  ];
  const before = (await as.self.get('/api/v1/feedback-requests?mine=1')).json.items.length;
  for (const [body, field] of cases) {
    const r = await as.self.post('/api/v1/feedback-requests', body);
    expectError(assert, r, 422, 'validation_failed');
    assert.ok(field in r.json.error.fields, `${JSON.stringify(body)}: ${r.text}`);
  }
  assert.equal((await as.self.get('/api/v1/feedback-requests?mine=1')).json.items.length, before, 'nothing written');
});
