// HRIS exports as they arrive (issue #12): one fixture per export shape in tests/fixtures/import —
// Workday (US dates, managers by worker id), BambooHR (Windows-1252, "Reports To" by name),
// Personio (semicolons, DD.MM.YYYY), HiBob (UTF-16 with BOM, tabs, day-first dates), month
// names, numeric dates that read either way (refused without --date-format), and a manager name
// two people share. Imported through the real CLI, read back through the API. SQLite and
// PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, PASSWORD } from '../support/trellis.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'import');
let srv;
let hr;

before(async () => {
  srv = await startServer({ people: 'employee_id,name,email\nX1,Hana HR,hr@acme.example\n', users: [{ email: 'hr@acme.example', role: 'hr', password: PASSWORD }] });
  hr = await srv.login('hr@acme.example', PASSWORD);
});
after(async () => { await srv?.stop(); });

const load = (file, extra = []) => srv.cli(['import', 'people', ...extra, join(fixtures, file)]);
async function person(email) {
  const list = (await hr.get(`/api/v1/people?q=${encodeURIComponent(email)}`)).json.items;
  assert.equal(list.length, 1, `${email} found`);
  return (await hr.get(`/api/v1/people/${list[0].id}`)).json;
}

test('Workday: worker ids, US dates, manager by id; an unknown column is reported', async () => {
  const r = load('workday.csv');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /3 rows: 3 created/);
  assert.match(r.stdout, /ignored columns \(not imported\): Cost Center/);
  const ben = await person('ben.ode@wd.example');
  assert.equal(ben.hire_date, '2021-11-02');
  assert.equal(ben.title, 'Engineer');
  assert.equal(ben.manager.name, 'Ana Ruiz');
  assert.equal((await person('cy.lam@wd.example')).hire_date, '2022-01-07');
});

test('BambooHR: Windows-1252 text, Reports To by name (also "Last, First"), On Leave', async () => {
  const r = load('bamboohr.csv');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /read as Windows-1252, comma-separated/);
  const zoe = await person('zoe.angstrom@bh.example');
  assert.equal(zoe.name, 'Zoë Ångström');
  assert.equal(zoe.manager.name, 'José Müller');
  const renee = await person('renee.facade@bh.example');
  assert.equal(renee.manager.name, 'José Müller', '"Müller, José" is José Müller');
  assert.equal(renee.status, 'active');
});

test('Personio: semicolons and DD.MM.YYYY dates', async () => {
  const r = load('personio.csv');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /read as UTF-8, semicolon-separated/);
  const j = await person('joerg.weiss@pe.example');
  assert.equal(j.name, 'Jörg Weiß');
  assert.equal(j.hire_date, '2019-03-15');
  assert.equal(j.manager.name, 'Lena Schmidt');
  assert.equal(j.department.name, 'Technik');
});

test('HiBob: UTF-16 with a byte order mark, tabs, day-first dates', async () => {
  const r = load('hibob.tsv');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /read as UTF-16LE, tab-separated/);
  const e = await person('eleveni.p@hb.example');
  assert.equal(e.name, 'Ελένη Παπαδοπούλου');
  assert.equal(e.hire_date, '2022-01-03', 'day-first, decided by 25/12/2017 in the same file');
  assert.equal(e.manager.name, 'Nguyễn Văn An');
});

test('month names and dates with a time', async () => {
  const r = load('monthnames.csv');
  assert.equal(r.status, 0, r.stderr);
  assert.equal((await person('mo.one@mn.example')).hire_date, '2021-03-05');
  assert.equal((await person('mo.two@mn.example')).hire_date, '2020-03-07');
  assert.equal((await person('mo.three@mn.example')).hire_date, '2019-02-01');
});

test('dates that read either way are refused, nothing written, until --date-format says', async () => {
  const r = load('ambiguous.csv');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /could be day-first or month-first: pass --date-format/);
  assert.match(r.stderr, /nothing was written/);
  assert.equal((await hr.get('/api/v1/people?q=amb.one')).json.items.length, 0);
  const dry = load('ambiguous.csv', ['--dry-run', '--date-format', 'DD/MM/YYYY']);
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stdout, /dry run, nothing written: 2 rows: 2 created/);
  assert.equal((await hr.get('/api/v1/people?q=amb.one')).json.items.length, 0);
  const ok = load('ambiguous.csv', ['--date-format', 'DD/MM/YYYY']);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal((await person('amb.one@am.example')).hire_date, '2021-04-03');
  const bad = load('ambiguous.csv', ['--date-format', 'YY.MM']);
  assert.equal(bad.status, 2);
});

test('a manager named by a name two people share is refused with the row', async () => {
  const r = load('samename.csv');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /row 4: manager: two people are named Alex Kim/);
  assert.equal((await hr.get('/api/v1/people?q=robin')).json.items.length, 0, 'all or nothing');
});

test('the same import as an API route for HRIS scripts: dry run with every row error, then the write', async () => {
  const { readFileSync } = await import('node:fs');
  const api = srv.token('hr@acme.example');
  const bad = await api.post('/api/v1/people/import?dry_run=true', readFileSync(join(fixtures, 'samename.csv')));
  assert.equal(bad.status, 422, bad.text);
  assert.equal(bad.json.error.code, 'validation_failed');
  assert.match(bad.json.error.fields['row 4: manager'], /two people are named Alex Kim/);
  const dry = await api.post('/api/v1/people/import?dry_run=true', 'employee_id,name,email,hire_date\nAPI1,Api Person,api.person@acme.example,2024-02-29\n');
  assert.equal(dry.status, 200, dry.text);
  assert.deepEqual([dry.json.dry_run, dry.json.created, dry.json.encoding, dry.json.delimiter], [true, 1, 'UTF-8', ',']);
  assert.equal((await hr.get('/api/v1/people?q=api.person')).json.items.length, 0, 'a dry run writes nothing');
  const ok = await api.post('/api/v1/people/import', 'employee_id,name,email,hire_date,Shoe Size\nAPI1,Api Person,api.person@acme.example,2024-02-29,44\n');
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.created, 1);
  assert.equal(ok.json.ignored_columns, 'Shoe Size');
  assert.equal((await person('api.person@acme.example')).hire_date, '2024-02-29');
  const cookie = await srv.login('hr@acme.example', PASSWORD);
  assert.equal((await cookie.post('/api/v1/people/import', 'email,name\nx@y.example,X\n', { csrf: false })).status, 403, 'a cookie write needs its CSRF token');
});
