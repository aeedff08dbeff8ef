// The config file as IT runs it: `trellis --config PATH`, secrets in files of their own
// (metrics_token_file, smtp_password_file), and SIGHUP reading the file again without stopping
// the server (the mail settings apply at once: email waiting in the outbox goes out).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, fixtureOrg, PASSWORD, cli } from '../support/trellis.js';
import { startSmtp } from '../support/smtp.js';

const org = fixtureOrg();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

test('trellis --config PATH reads its settings from that file; a bad file is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-conf-'));
  try {
    const conf = join(dir, 'trellis.conf');
    writeFileSync(conf, `# Trellis\ndb = sqlite:${join(dir, 'conf.db')}\n`);
    const r = cli(['--config', conf, 'migrate']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /schema version \d+/);
    assert.ok(existsSync(join(dir, 'conf.db')), 'the database named in the file was made');
    writeFileSync(conf, 'no_such_setting = 1\n');
    const bad = cli(['--config', conf, 'migrate']);
    assert.equal(bad.status, 2, 'an unknown setting is a usage error');
    assert.match(bad.stderr, /unknown setting 'no_such_setting'/);
    const missing = cli(['--config', join(dir, 'nope.conf'), 'migrate']);
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /cannot read config/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a secret read from its own file (metrics_token_file), and /metrics tells the process, database and scheduler figures', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-conf-'));
  const conf = join(dir, 'trellis.conf');
  writeFileSync(join(dir, 'metrics.token'), 'from-a-file-9d2\n');
  writeFileSync(conf, `metrics_token_file = ${join(dir, 'metrics.token')}\n`);
  const srv = await startServer({ people: org.csv, users: [org.users[0]], env: { TRELLIS_CONFIG: conf } });
  try {
    assert.equal((await fetch(srv.base + '/metrics')).status, 401, 'the token is required');
    const ok = await fetch(srv.base + '/metrics', { headers: { authorization: 'Bearer from-a-file-9d2' } });
    assert.equal(ok.status, 200, 'the first line of the file is the token');
    const text = await ok.text();
    assert.ok(Number(text.match(/^process_resident_memory_bytes (\d+)$/m)?.[1]) > 1e6, 'the process figures are there');
    assert.ok(Number(text.match(/^process_open_fds (\d+)$/m)?.[1]) > 3);
    assert.ok(Number(text.match(/^trellis_db_connections (\d+)$/m)?.[1]) >= 1, 'the workers\' database connections');
    assert.match(text, /^trellis_scheduler_passes_total \d+$/m);
    assert.match(text, /^trellis_scheduler_last_pass_duration_seconds [\d.]+$/m);
    assert.match(text, /^trellis_outbox_messages\{status="queued"\} \d+$/m);
  } finally {
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SIGHUP reads the config again: the server keeps serving and email waiting for an SMTP server goes out', { timeout: 60000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-conf-'));
  const conf = join(dir, 'trellis.conf');
  writeFileSync(conf, 'scheduler_interval = 1\n');
  const smtp = await startSmtp();
  const srv = await startServer({ people: org.csv, users: org.users, env: { TRELLIS_CONFIG: conf } });
  try {
    const manager = await srv.login(org.byKey.manager, PASSWORD);
    const self = await srv.login(org.byKey.self, PASSWORD);
    const me = (await self.get('/api/v1/me')).json;
    const day = new Date(Date.now() + 3 * 86400000);
    const s = await manager.post('/api/v1/one-on-ones', { with: me.person.id, weekday: WEEKDAYS[day.getUTCDay()], first_date: day.toISOString().slice(0, 10), time: '09:00', timezone: 'Europe/Paris' });
    assert.equal(s.status, 201, s.text);
    await manager.patch(`/api/v1/one-on-ones/meetings/${s.json.next_meeting.id}`, { shared_notes: 'Reload-marker notes' });
    assert.equal((await manager.post(`/api/v1/one-on-ones/meetings/${s.json.next_meeting.id}/complete`, {})).status, 200);
    await sleep(2500);
    assert.equal(smtp.messages().length, 0, 'without an SMTP server the summaries wait in the outbox');

    writeFileSync(conf, `scheduler_interval = 1\nsmtp_url = ${smtp.url}\nsmtp_from = Trellis <trellis@acme.example>\n`);
    srv.child.kill('SIGHUP');
    const got = await smtp.waitFor((m) => /One-on-one summary/.test(m.subject), 2);
    assert.equal(got.length, 2, 'both summaries went out once the settings were read again');
    assert.match(got[0].body, /Reload-marker notes/);
    assert.equal((await self.get('/api/v1/me')).status, 200, 'the server kept serving, and the session lives');
    assert.ok(srv.logLines().some((l) => /SIGHUP: settings read again/.test(l.msg || '')), 'the reload is in the log');
    assert.equal(srv.child.exitCode, null, 'SIGHUP did not stop the server');
  } finally {
    await srv.stop();
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
