// A large cycle's launch is written in ranges of whole teams (the server here takes two
// participants per range). HR opens a cycle whose launch stopped part-way: the page says how far
// it got, offers no release, and once nothing was written for two minutes offers to finish it;
// finishing writes the rest and the release comes back. While a launch is still writing, the
// page offers only a reload. At 1366 and 390 px with axe-core; screenshots go to TRELLIS_SHOTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, launch, newPage, loginAs, goto, checkA11y, noProblems, org, PASSWORD } from './lib.js';

const shots = process.env.TRELLIS_SHOTS || mkdtempSync(join(tmpdir(), 'trellis-shots-'));
let srv, browser, hrApi;
const tpl = {};

before(async () => {
  srv = await startApp({ env: { TRELLIS_LAUNCH_BATCH: '2' } });
  browser = await launch();
  hrApi = await srv.login(org.byKey.hr, PASSWORD);
  const t = async (name, kind) => (await hrApi.post('/api/v1/review-templates', { name, kind, questions: [{ id: 'overall', type: 'rating', text: 'Overall' }] })).json.id;
  tpl.self = await t('Self', 'self');
  tpl.manager = await t('Manager', 'manager');
});
after(async () => { await browser?.close(); await srv?.stop(); });

/** As if the launch's server had stopped two minutes ago (the database's own clock of it). */
function stall(id) {
  const path = srv.db.url.replace(/^sqlite:/, '');
  execFileSync('python3', ['-c', 'import sqlite3, sys\nc = sqlite3.connect(sys.argv[1], timeout=10)\n' +
    "c.execute(\"UPDATE review_cycles SET launch_touched_at = '2000-01-01T00:00:00Z' WHERE id = ?\", (int(sys.argv[2]),))\nc.commit()", path, String(id)]);
}

/* A cycle whose launch a fault stopped after its first range: some people have their reviews. */
async function stopped(name) {
  for (let n = 30; n < 1000; n += 15) {
    const c = await hrApi.post('/api/v1/review-cycles', { name: `${name} ${n}`, period_start: '2026-01-01', period_end: '2026-12-31', self_template_id: tpl.self, manager_template_id: tpl.manager, peers_per_person: 0 });
    assert.equal(c.status, 201, c.text);
    const r = await hrApi.post(`/api/v1/review-cycles/${c.json.id}/launch`, {}, { headers: { 'X-Trellis-Fault': String(n) } });
    assert.notEqual(r.status, 200, 'the fault came before the launch finished');
    const got = (await hrApi.get(`/api/v1/review-cycles/${c.json.id}`)).json;
    if (got.launching && got.launch_progress.enrolled > 0) return { id: c.json.id, name: `${name} ${n}`, progress: got.launch_progress };
  }
  throw new Error('no fault stopped the launch after a range');
}

for (const viewport of [{ width: 1366, height: 900 }, { width: 390, height: 844 }]) {
  test(`HR sees a stopped launch's progress and finishes it at ${viewport.width} px`, async () => {
    const c = await stopped(`Big launch ${viewport.width}`);
    const hr = await newPage(browser, srv.base, viewport);
    await loginAs(hr, org.byKey.hr);
    await goto(hr, `#/reviews?tab=cycle&cycle=${c.id}`);
    await hr.getByRole('heading', { name: 'Launching', level: 2 }).waitFor();
    await hr.getByText(`${c.progress.enrolled} of 9 participants have their reviews so far`).waitFor();
    assert.equal(await hr.getByRole('button', { name: 'Release outcomes' }).count(), 0, 'no release while launching');
    assert.equal(await hr.getByRole('button', { name: 'Follow joiners and leavers' }).count(), 0, 'no sync while launching');
    // a range was written moments ago: it may still be running, so only a reload is offered
    assert.equal(await hr.getByRole('button', { name: 'Finish the launch' }).count(), 0);
    assert.ok(await hr.getByRole('button', { name: 'Reload' }).isVisible());
    await checkA11y(hr, assert, `launching ${viewport.width}`);
    await hr.screenshot({ path: `${shots}/cycle-launching-${viewport.width}.png`, fullPage: true });

    stall(c.id);
    await hr.getByRole('button', { name: 'Reload' }).click();
    await hr.getByText(/the launch stopped part-way/).waitFor();
    await hr.screenshot({ path: `${shots}/cycle-launch-stopped-${viewport.width}.png`, fullPage: true });
    await hr.getByRole('button', { name: 'Finish the launch' }).click();
    await hr.getByText('Launch finished: 17 reviews in all.').waitFor();
    await hr.getByRole('button', { name: 'Release outcomes' }).waitFor();
    assert.ok(await hr.getByRole('button', { name: 'Follow joiners and leavers' }).isVisible(), 'sync is back');
    assert.equal(await hr.getByRole('heading', { name: 'Launching' }).count(), 0, 'the launch card is gone');
    await hr.getByText('0 of 9 submitted').waitFor();
    await hr.screenshot({ path: `${shots}/cycle-launch-finished-${viewport.width}.png`, fullPage: true });
    noProblems(hr, assert);
  });
}

test('an employee whose team was written sees their self-review while the launch goes on', async () => {
  const c = await stopped('Partial');
  const people = (await hrApi.get(`/api/v1/review-cycles/${c.id}/progress`)).json;
  assert.ok(people.overall.self.total > 0 && people.overall.self.total < 9, 'some self-reviews are written');
  const page = await newPage(browser, srv.base);
  await loginAs(page, org.byKey.ceo);
  await goto(page, '#/reviews');
  await page.getByText(c.name).first().waitFor();
  noProblems(page, assert);
});
