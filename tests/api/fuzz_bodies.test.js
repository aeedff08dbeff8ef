// Random bodies against every write route, under the ASan+UBSan server: for each POST, PUT and
// PATCH of the route table, as an employee, a manager, HR and an admin, bodies of every JSON
// shape with the field names the handlers accept (read from their allowed[] lists) holding
// values of the wrong type, empty, huge, negative, Unicode or null, plus broken JSON. Every
// answer must be a JSON error or a success, never a 5xx, and the server must stay up (a memory
// error aborts it). Seeded and bounded; TRELLIS_FUZZ_BODIES raises the count (make fuzz).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { startServer, fixtureOrg } from '../support/trellis.js';

const org = fixtureOrg();
const PER_ROUTE = Number(process.env.TRELLIS_FUZZ_BODIES || 6);
let srv;
const tokens = {};

// every field name a handler accepts
const FIELDS = [...new Set(readdirSync('src/api').filter((f) => f.endsWith('.c')).flatMap((f) => {
  const src = readFileSync(`src/api/${f}`, 'utf8');
  return [...src.matchAll(/allowed\[\]\s*=\s*\{([^}]*)\}/g)].flatMap((m) => [...m[1].matchAll(/"([a-z_]+)"/g)].map((x) => x[1]));
}))];

// a small seeded generator, so that a failure can be replayed
let seed = 20261202;
const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
const pick = (a) => a[Math.floor(rnd() * a.length)];

function value(depth = 0) {
  const atoms = [null, true, false, 0, -1, 1, 2, 5, 3.5, -1e308, 1e308, 2 ** 53, -(2 ** 63), '', ' ', 'x',
    'NGUYỄN Ōtsuka 🙂', '2026-02-30', '2026-12-31', '12:00', '25:99', 'monday', 'public', 'private',
    'managers', 'praise', 'self', 'manager', 'peer', 'upward', 'admin', 'hr', 'employee', 'a'.repeat(70000),
    '%s%n%x', "'; DROP TABLE people; --", '<script>', '\u0000', 'Europe/Berlin', 'Mars/Olympus'];
  if (depth > 2) return pick(atoms);
  const r = rnd();
  if (r < 0.65) return pick(atoms);
  if (r < 0.8) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
  return body(depth + 1);
}

function body(depth = 0) {
  const o = {};
  const n = Math.floor(rnd() * 6);
  for (let i = 0; i < n; i++) o[pick(FIELDS)] = value(depth);
  return o;
}

const RAW = ['', '{', '[]', 'null', '"x"', '42', '{"a":', '{"title":"\\ud800"}', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]', '\u00ff\u00fe'];

before(async () => {
  srv = await startServer({ people: org.csv, users: org.users });
  for (const k of ['self', 'manager', 'hr', 'admin']) tokens[k] = srv.cli(['user', 'token', '--email', org.byKey[k]]).stdout.trim();
  tokens.scim = srv.cli(['scim', 'token', 'create', '--name', 'fuzz']).stdout.trim();
});
after(async () => { await srv?.stop(); });

test('no write route answers a random body with a 5xx or crashes the server', async () => {
  const spec = await (await fetch(`${srv.base}/api/v1/openapi.json`, { headers: { authorization: `Bearer ${tokens.admin}` } })).json();
  const routes = Object.entries(spec.paths).flatMap(([p, ops]) => ['post', 'put', 'patch'].filter((m) => ops[m]).map((m) => [m.toUpperCase(), p]));
  assert.ok(routes.length >= 40, `${routes.length} write routes`);
  assert.ok(FIELDS.length >= 60, `${FIELDS.length} field names`);
  const failures = [];
  let requests = 0;
  // the admin last: its random writes (a role change, a termination) must not hide the others
  for (const who of ['self', 'manager', 'hr', 'admin']) {
    for (const [method, pattern] of routes) {
      // the sign-in route and the session itself are walked by their own tests
      if (pattern === '/api/v1/session') continue;
      // SCIM routes take only a SCIM token and answer in the SCIM error shape: walked once, last
      const scim = pattern.startsWith('/scim/');
      if (scim && who !== 'admin') continue;
      for (let i = 0; i < PER_ROUTE; i++) {
        const path = pattern.replace(/\{[a-z_]+\}/g, () => String(pick([1, 2, 3, 4, 5, 999999, 0])));
        const text = i === 0 ? pick(RAW) : JSON.stringify(i === 1 ? {} : rnd() < 0.85 ? body() : value());
        let r;
        try {
          r = await fetch(srv.base + path, { method, body: text, headers: { authorization: `Bearer ${scim ? tokens.scim : tokens[who]}`, 'content-type': 'application/json' } });
        } catch (e) {
          assert.fail(`${who} ${method} ${path} with ${text.slice(0, 200)}: the server went away (${e.message})\n${srv.stderr.slice(-3000)}`);
        }
        requests++;
        const out = await r.text();
        if (r.status >= 500) failures.push(`${who} ${method} ${path} ${r.status} ${out.slice(0, 120)} <- ${text.slice(0, 300)}`);
        else if (r.status >= 400 && !(scim ? /"urn:ietf:params:scim:api:messages:2\.0:Error"/ : /"code"\s*:/).test(out)) failures.push(`${who} ${method} ${path} ${r.status} without a JSON error <- ${text.slice(0, 200)}`);
      }
    }
  }
  assert.deepEqual(failures, [], `${failures.length} of ${requests} requests failed`);
  const me = await fetch(`${srv.base}/api/v1/me`, { headers: { authorization: `Bearer ${tokens.hr}` } });
  assert.ok(me.status === 200 || me.status === 401, 'the server still answers');
});
