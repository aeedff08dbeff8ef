// A real SMTP server for the tests: Debian's python3-aiosmtpd writing each message it receives
// into a Maildir, stopped and started again on the same port to test delivery retries.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PYTHON = '/usr/bin/python3'; // Debian's, where python3-aiosmtpd is installed

async function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
    s.on('error', rej);
  });
}

async function listening(port, wantUp, ms = 15000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const up = await new Promise((res) => {
      const c = connect(port, '127.0.0.1');
      c.on('connect', () => { c.destroy(); res(true); });
      c.on('error', () => res(false));
    });
    if (up === wantUp) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`SMTP port ${port} did not become ${wantUp ? 'ready' : 'free'}`);
}

/** Decodes an RFC 2047 encoded-word header value (UTF-8, base64), as mail readers do. */
function decodeHeader(v) {
  return v.replace(/=\?UTF-8\?B\?([^?]+)\?=/gi, (_, b) => Buffer.from(b, 'base64').toString('utf8'));
}

export async function startSmtp() {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-smtp-'));
  const port = await freePort();
  let child = null;
  const smtp = {
    port,
    url: `smtp://127.0.0.1:${port}`,
    async start() {
      child = spawn(PYTHON, ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', join(dir, 'maildir')], { stdio: 'ignore' });
      await listening(port, true);
    },
    async stop() {
      if (!child) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      child = null;
      await listening(port, false);
    },
    /** Every message received so far: {to, subject, body}. */
    messages() {
      const box = join(dir, 'maildir', 'new');
      if (!existsSync(box)) return [];
      return readdirSync(box).sort().map((f) => {
        const raw = readFileSync(join(box, f), 'utf8');
        const [head, ...rest] = raw.split(/\r?\n\r?\n/);
        const header = (name) => decodeHeader((head.match(new RegExp(`^${name}: (.*)$`, 'mi')) || [])[1] || '');
        return { to: header('To'), subject: header('Subject'), body: rest.join('\n\n') };
      });
    },
    async waitFor(pred, count, ms = 20000) {
      const until = Date.now() + ms;
      for (;;) {
        const got = smtp.messages().filter(pred);
        if (got.length >= count || Date.now() > until) return got;
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async close() { await smtp.stop(); rmSync(dir, { recursive: true, force: true }); },
  };
  await smtp.start();
  return smtp;
}
