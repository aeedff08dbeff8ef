// People search that finds every name: Unicode folding (utf8proc) so that capitals of any script,
// names stored decomposed and full-width queries match, and the trigram index (FTS5 on SQLite,
// pg_trgm on PostgreSQL) for rare substrings, with the same answers on both stores and the
// directory's order and paging kept. Both stores.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtureOrg, STORE, PASSWORD } from '../support/trellis.js';

const org = fixtureOrg();
const extra = [
  ['E20', 'Nguyễn Thị Lan', 'lan@acme.example', 'Designer'],
  ['E21', 'Zoe\u0308 Decomposed', 'zoe.d@acme.example', 'Analyst'], // stored decomposed
  ['E22', 'Oskar Straße', 'oskar@acme.example', 'Analyst'],
  ['E23', 'Ὀδυσσεύς Παπαδόπουλος', 'odysseus@acme.example', 'Analyst'],
  ['E24', 'Quinn "Q" O\'Brien', 'quinn@acme.example', 'Analyst'],
  ['E25', 'Lorenzo Bianchi', 'lorenzo@acme.example', 'Analyst'],
];
let srv;
let hr;

before(async () => {
  const csv = org.csv + extra.map(([id, name, email, title]) => `${id},"${name.replace(/"/g, '""')}",${email},${title},Design,E1,P2,2024-01-01`).join('\n') + '\n';
  srv = await startServer({ people: csv, users: org.users });
  hr = await srv.login(org.byKey.hr, PASSWORD);
});
after(async () => { await srv?.stop(); });

const names = async (q, extraQuery = '') => {
  const r = await hr.get(`/api/v1/people?q=${encodeURIComponent(q)}&limit=50${extraQuery}`);
  assert.equal(r.status, 200, r.text);
  return r.json.items.map((p) => p.name);
};

test('capitals of any script, decomposed names and full-width queries find the person', async () => {
  assert.deepEqual(await names('NGUYỄN'), ['Nguyễn Thị Lan']);
  assert.deepEqual(await names('nguyễn thị'), ['Nguyễn Thị Lan']);
  const zo = await names('ZOË');
  assert.equal(zo.length, 2, `both Zoës: ${zo}`);
  assert.deepEqual(await names('ＳＴＲＡＳＳＥ'), ['Oskar Straße'], 'full width and ß fold to "strasse"');
  assert.deepEqual(await names('ὈΔΥΣΣΕΎΣ'), ['Ὀδυσσεύς Παπαδόπουλος'], 'final sigma folds like Σ');
});

test('rare and common substrings give the directory order, with quotes and LIKE characters taken literally', async () => {
  assert.deepEqual(await names('"q"'), ['Quinn "Q" O\'Brien']);
  assert.deepEqual(await names("o'brien"), ['Quinn "Q" O\'Brien']);
  assert.deepEqual(await names('%'), [], 'a percent sign is a character, not a wildcard');
  assert.deepEqual(await names('_'), []);
  const eng = await names('engineer');
  assert.deepEqual(eng, [...eng].sort((a, b) => a.localeCompare(b, 'en')), 'sorted by name');
  assert.ok(eng.length >= 4, eng.join());
  // paging through a trigram-driven result keeps the order
  const first = (await hr.get('/api/v1/people?q=analyst&limit=2')).json;
  assert.equal(first.items.length, 2);
  assert.ok(first.next_cursor, 'four analysts: a second page');
  const second = (await hr.get(`/api/v1/people?q=analyst&limit=2&cursor=${encodeURIComponent(first.next_cursor)}`)).json;
  assert.equal(second.items.length, 2);
  assert.ok(second.items.every((p) => !first.items.some((q) => q.id === p.id)), 'no repeats across pages');
  assert.ok(first.items[1].name.localeCompare(second.items[0].name, 'en') <= 0, 'pages follow the name order');
});

test('an edit is found under its new name at once, and no longer under the old one', async () => {
  const id = (await hr.get('/api/v1/people?q=lan@acme')).json.items[0].id;
  const admin = await srv.login(org.byKey.admin, PASSWORD);
  const r = await admin.patch(`/api/v1/people/${id}`, { name: 'Trần Thị Lan' });
  assert.ok(r.status === 200, r.text);
  assert.deepEqual(await names('TRẦN'), ['Trần Thị Lan']);
  assert.deepEqual(await names('nguyễn'), []);
});

test('two letters match the start of a word: a first name, a surname, an email or an id', async () => {
  const zo = await names('zo');
  assert.equal(zo.length, 2, `both Zoës, not Lorenzo: ${zo}`);
  assert.ok(!zo.includes('Lorenzo Bianchi'));
  assert.deepEqual(await names('BI'), ['Lorenzo Bianchi'], 'a surname');
  assert.deepEqual(await names('nz'), [], 'not the middle of a word');
  assert.ok((await names('e2')).includes('Lorenzo Bianchi'), 'an employee id (E25)');
});

test('a large import is searchable at once, and later edits still reach the index', async () => {
  const { execFileSync } = await import('node:child_process');
  const { writeFileSync } = await import('node:fs');
  const file = `${srv.db.dir}/big.csv`;
  // the bench organisation under employee ids of its own (B1...), beside the fixture's people
  writeFileSync(file, execFileSync('python3', ['bench/gen_people.py', '1500']).toString().replace(/\bE(\d+)\b/g, 'B$1'));
  const r = srv.cli(['import', 'people', file]);
  assert.equal(r.status, 0, r.stderr);
  const found = (await hr.get('/api/v1/people?q=p1234@bench&limit=5')).json.items;
  assert.deepEqual(found.map((p) => p.email), ['p1234@bench.example'], 'the imported people are in the index');
  const admin = await srv.login(org.byKey.admin, PASSWORD);
  const edit = await admin.patch(`/api/v1/people/${found[0].id}`, { name: 'Wilhelmina Quarterfield' });
  assert.equal(edit.status, 200, edit.text);
  assert.deepEqual(await names('quarterfield'), ['Wilhelmina Quarterfield'], 'the update trigger is back');
  // a two-letter word start over the whole directory: the pages are exactly the directory's
  // people with a word starting with it, in the directory's order
  const all = async (q) => {
    const out = [];
    let page = (await hr.get(`/api/v1/people?limit=100${q}`)).json;
    for (;;) {
      out.push(...page.items);
      if (!page.next_cursor) return out;
      page = (await hr.get(`/api/v1/people?limit=100${q}&cursor=${encodeURIComponent(page.next_cursor)}`)).json;
    }
  };
  const starts = (x) => [x.name, x.email, x.title ?? '', x.employee_id ?? ''].some((f) => /(^|\s)zo/.test(f.toLowerCase()));
  const expected = (await all('')).filter(starts).map((x) => x.id);
  const got = (await all('&q=zo')).map((x) => x.id);
  assert.ok(expected.length > 50, `a common start: ${expected.length}`);
  assert.deepEqual(got, expected);
  const n = await srv.anon().get('/api/v1/people'); // the directory needs a sign-in
  assert.equal(n.status, 401);
});

test('seventy namesakes added one by one and some renamed: the search pages keep the directory order', async () => {
  const admin = await srv.login(org.byKey.admin, PASSWORD);
  const ids = [];
  // each namesake sorts after the last: the keys between two neighbours run out and are spread
  for (let i = 0; i < 70; i++) {
    const r = await admin.post('/api/v1/people', { name: 'Ada Namesake', email: `ada.namesake${i}@acme.example` });
    assert.equal(r.status, 201, r.text);
    ids.push(r.json.id);
  }
  for (const [k, name] of [[5, 'Ada Namesakea'], [40, 'Ada Namesak'], [69, 'Aaa Namesake']]) {
    const r = await admin.patch(`/api/v1/people/${ids[k]}`, { name });
    assert.equal(r.status, 200, r.text);
  }
  const pages = async (q) => {
    const out = [];
    let page = (await hr.get(`/api/v1/people?limit=25${q}`)).json;
    for (;;) {
      out.push(...page.items.map((p) => `${p.name}#${p.id}`));
      if (!page.next_cursor) return out;
      page = (await hr.get(`/api/v1/people?limit=25${q}&cursor=${encodeURIComponent(page.next_cursor)}`)).json;
    }
  };
  const found = await pages('&q=namesak');
  assert.equal(found.length, 70);
  const directory = (await pages('')).filter((x) => /namesak/i.test(x));
  assert.deepEqual(found, directory, 'the same people in the same order as the directory');
  assert.equal(found[0], `Aaa Namesake#${ids[69]}`);
  assert.equal(found[1], `Ada Namesak#${ids[40]}`);
  assert.equal(found[69], `Ada Namesakea#${ids[5]}`);
  const same = found.slice(2, 69).map((x) => Number(x.split('#')[1]));
  assert.deepEqual(same, [...same].sort((x, y) => x - y), 'namesakes by id');
  if (STORE === 'sqlite') assert.match(srv.stderr, /spreading every key again/, 'the keys ran out once and were spread');
});

test('a cursor naming the largest id pages past the end, not into an error', async () => {
  for (const id of ['9223372036854775807', '99999999999999999999']) {
    const cursor = Buffer.from(`${id}:zzzz`).toString('base64url');
    const r = await hr.get(`/api/v1/people?q=analyst&limit=5&cursor=${cursor}`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.items.map((p) => p.name), ['Ὀδυσσεύς Παπαδόπουλος'], 'only who sorts after "zzzz"');
  }
});
