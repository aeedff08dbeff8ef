// A real SMTP server for the tests: Debian's python3-aiosmtpd (tests/support/smtp_sink.py)
// keeping each message exactly as it arrived, stopped and started again on the same port to
// test delivery retries, with fault modes: a slow server ({delay: seconds}), one that refuses
// every message ({fail: 'always'}) and one that keeps each message but answers 451 the first
// time it sees its Message-ID ({fail: 'once'}). It refuses lines over 998 octets and bare line feeds as strict servers do.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const PYTHON = '/usr/bin/python3'; // Debian's, where python3-aiosmtpd is installed
const SINK = join(dirname(fileURLToPath(import.meta.url)), 'smtp_sink.py');

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

/** Decodes RFC 2047 encoded words (UTF-8, B or Q), as mail readers do. */
export function decodeHeader(v) {
  return v
    .replace(/(=\?[^?]+\?[BQ]\?[^?]*\?=)\s+(?==\?)/gi, '$1')
    .replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=/gi, (_, enc, t) => (enc.toUpperCase() === 'B'
      ? Buffer.from(t, 'base64').toString('utf8')
      : decodeQP(t.replace(/_/g, ' '))));
}

/** Decodes quoted-printable text (soft breaks removed) as UTF-8. */
export function decodeQP(s) {
  const bytes = [];
  const t = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '=' && /^[0-9A-F]{2}$/i.test(t.slice(i + 1, i + 3))) {
      bytes.push(parseInt(t.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(t[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Splits a MIME entity into {headers (lower-case names, unfolded, decoded), body}. */
function entity(text) {
  const cut = text.search(/\r?\n\r?\n/);
  const head = cut < 0 ? text : text.slice(0, cut);
  const body = cut < 0 ? '' : text.slice(cut).replace(/^\r?\n\r?\n/, '');
  const headers = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const m = line.match(/^([^:]+):\s*(.*)$/);
    if (m) headers[m[1].toLowerCase()] = decodeHeader(m[2]);
  }
  return { headers, body };
}

function decodeBody(e) {
  const cte = (e.headers['content-transfer-encoding'] || '7bit').toLowerCase();
  if (cte === 'quoted-printable') return decodeQP(e.body);
  if (cte === 'base64') return Buffer.from(e.body, 'base64').toString('utf8');
  return e.body;
}

/** A received message: {raw, mailFrom, rcptTos, headers, to, subject, body (the plain text),
 * html, parts: [{type, cte, text}]}. */
function parse(raw, env) {
  const top = entity(raw);
  const type = top.headers['content-type'] || 'text/plain';
  const parts = [];
  const boundary = (type.match(/boundary="?([^";]+)"?/i) || [])[1];
  if (/^multipart\//i.test(type) && boundary) {
    const chunks = raw.slice(raw.search(/\r?\n\r?\n/)).split(`--${boundary}`);
    for (const c of chunks.slice(1)) {
      if (c.startsWith('--')) break;
      const e = entity(c.replace(/^\r?\n/, ''));
      parts.push({ type: (e.headers['content-type'] || '').split(';')[0].trim().toLowerCase(), cte: (e.headers['content-transfer-encoding'] || '').toLowerCase(), headers: e.headers, text: decodeBody(e).replace(/\r?\n$/, '') });
    }
  } else {
    parts.push({ type: type.split(';')[0].trim().toLowerCase(), cte: (top.headers['content-transfer-encoding'] || '').toLowerCase(), headers: top.headers, text: decodeBody(top) });
  }
  const plain = parts.find((p) => p.type === 'text/plain');
  const html = parts.find((p) => p.type === 'text/html');
  return {
    raw, mailFrom: env.mail_from, rcptTos: env.rcpt_tos, headers: top.headers,
    to: top.headers.to || '', subject: top.headers.subject || '',
    body: (plain ? plain.text : '').replace(/\r\n/g, '\n'), html: html ? html.text : '', parts,
  };
}

export async function startSmtp(mode = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-smtp-'));
  const box = join(dir, 'box');
  const port = await freePort();
  let child = null;
  const smtp = {
    port,
    url: `smtp://127.0.0.1:${port}`,
    /** Starts (again) on the same port, optionally in another mode. */
    async start(m = mode) {
      const args = [SINK, '--port', String(port), '--dir', box];
      if (m.delay) args.push('--delay', String(m.delay));
      if (m.fail !== undefined) args.push('--fail', String(m.fail));
      child = spawn(PYTHON, args, { stdio: 'ignore' });
      await listening(port, true);
    },
    async stop() {
      if (!child) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      child = null;
      await listening(port, false);
    },
    /** Every message received so far, oldest first (see parse). */
    messages() {
      if (!existsSync(box)) return [];
      return readdirSync(box).filter((f) => f.endsWith('.json')).sort().map((f) => {
        const env = JSON.parse(readFileSync(join(box, f), 'utf8'));
        return parse(readFileSync(join(box, f.replace(/\.json$/, '.eml')), 'latin1'), env);
      }).map((m) => ({ ...m, ...reparse(m) }));
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

// the raw file is read as latin1 so that octets (line lengths) stay countable; headers of
// 8-bit text are read again as UTF-8
function reparse(m) {
  const utf8 = Buffer.from(m.raw, 'latin1').toString('utf8');
  const p = parse(utf8, { mail_from: m.mailFrom, rcpt_tos: m.rcptTos });
  return { headers: p.headers, to: p.to, subject: p.subject, body: p.body, html: p.html, parts: p.parts };
}
