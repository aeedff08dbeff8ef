// Packaging as IT installs it: `make install DESTDIR=… PREFIX=/usr` lays out the binary, a man
// page generated from --help, a hardened systemd unit running as its own user with its state
// directory, an example config at /etc/trellis/trellis.conf (kept when one exists) and the docs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, statSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STORE } from '../support/trellis.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('make install lays out binary, man page, systemd unit, config and docs', { skip: STORE !== 'sqlite' && 'store-independent: runs once', timeout: 300000 }, () => {
  const dest = mkdtempSync(join(tmpdir(), 'trellis-install-'));
  try {
    execFileSync('make', ['-s', 'install', `DESTDIR=${dest}`, 'PREFIX=/usr'], { cwd: root, stdio: 'pipe' });
    const bin = join(dest, 'usr/bin/trellis');
    assert.ok(statSync(bin).mode & 0o111, 'the binary is executable');
    assert.match(execFileSync(bin, ['version'], { encoding: 'utf8' }), /^trellis \d+\.\d+/);

    const man = readFileSync(join(dest, 'usr/share/man/man1/trellis.1'), 'utf8');
    assert.match(man, /^\.TH TRELLIS "1"/m, 'a man page');
    assert.match(man, /COMMAND SERVE/, 'with the serve options from its --help');
    assert.match(man, /max\\-connections\\-per\\-address|max-connections-per-address/);
    const rendered = spawnSync('man', ['-l', join(dest, 'usr/share/man/man1/trellis.1')], { encoding: 'utf8', env: { ...process.env, MANPAGER: 'cat', MANWIDTH: '100' } });
    if (rendered.status === 0) assert.match(rendered.stdout, /trellis - performance management/);

    const unit = readFileSync(join(dest, 'usr/lib/systemd/system/trellis.service'), 'utf8');
    assert.match(unit, /^ExecStart=\/usr\/bin\/trellis --config \/etc\/trellis\/trellis\.conf serve$/m);
    assert.match(unit, /^ExecReload=\/bin\/kill -HUP \$MAINPID$/m, 'reload is SIGHUP');
    for (const line of ['User=trellis', 'StateDirectory=trellis', 'NoNewPrivileges=yes', 'ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes', 'UMask=0077']) {
      assert.match(unit, new RegExp(`^${line}$`, 'm'), line);
    }
    const verify = spawnSync('systemd-analyze', ['verify', join(dest, 'usr/lib/systemd/system/trellis.service')], { encoding: 'utf8' });
    if (verify.status !== null && !/not found|No such file|ENOENT/.test(verify.stderr + (verify.error?.code ?? ''))) {
      assert.doesNotMatch(verify.stderr, /Unknown (key|section)|Failed to parse/, verify.stderr);
    }

    const conf = join(dest, 'etc/trellis/trellis.conf');
    assert.match(readFileSync(conf, 'utf8'), /smtp_password_file/);
    assert.equal(statSync(conf).mode & 0o777, 0o640, 'the config is not world-readable');
    assert.equal(execFileSync(bin, ['--config', conf, 'migrate', '--db', `sqlite:${join(dest, 't.db')}`], { encoding: 'utf8' }).trim().slice(0, 15), 'schema version ', 'the example config is valid');
    writeFileSync(conf, '# mine\n');
    execFileSync('make', ['-s', 'install', `DESTDIR=${dest}`, 'PREFIX=/usr'], { cwd: root, stdio: 'pipe' });
    assert.equal(readFileSync(conf, 'utf8'), '# mine\n', 'an existing config is kept');

    for (const f of ['LICENSE', 'README.md', 'operations.md', 'api.md']) assert.ok(existsSync(join(dest, 'usr/share/doc/trellis', f)), f);
  } finally {
    rmSync(dest, { recursive: true, force: true });
  }
});
