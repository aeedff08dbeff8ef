"""The SMTP server of the tests: Debian's aiosmtpd, keeping each message exactly as it came
(raw bytes, envelope sender and recipients) in a directory, with fault modes:
  --delay S        wait S seconds before answering the end of DATA (a slow server)
  --fail MODE      'always': answer 554 to every DATA (a server that refuses for good);
                   'once': keep every message but answer 451 the first time its Message-ID
                   is seen (the sender cannot know it arrived, so it tries again)
Every line must end in CRLF and be at most 998 octets (RFC 5321 4.5.3.1.6), else 500."""
import argparse
import asyncio
import json
import os
import re
import signal
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, box, delay, fail):
        self.box, self.delay, self.fail, self.n, self.seen = box, delay, fail, 0, set()

    def keep(self, envelope):
        self.n += 1
        stem = os.path.join(self.box, '%020d-%06d' % (time.time_ns(), self.n))
        with open(stem + '.eml', 'wb') as f:
            f.write(envelope.original_content)
        with open(stem + '.json.tmp', 'w') as f:
            json.dump({'mail_from': envelope.mail_from, 'rcpt_tos': envelope.rcpt_tos,
                       'at': time.time()}, f)
        os.rename(stem + '.json.tmp', stem + '.json')

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content
        lines = raw.split(b'\r\n')
        if lines and lines[-1] == b'':
            lines.pop()
        if any(b'\n' in l or b'\r' in l for l in lines):
            return '500 Bare CR or LF in the message'
        if any(len(l) > 998 for l in lines):
            return '500 Line too long (see RFC5321 4.5.3.1.6)'
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.fail == 'always':
            return '554 5.7.1 Transaction failed: refused by the test server'
        if self.fail == 'once':
            m = re.search(rb'^Message-ID:\s*(\S+)', raw, re.I | re.M)
            mid = m.group(1) if m else raw
            if mid not in self.seen:
                self.seen.add(mid)
                self.keep(envelope)
                return '451 4.3.0 Temporary failure after the data arrived'
        self.keep(envelope)
        return '250 OK'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--port', type=int, required=True)
    ap.add_argument('--dir', required=True)
    ap.add_argument('--delay', type=float, default=0)
    ap.add_argument('--fail', default='')
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    c = Controller(Sink(a.dir, a.delay, a.fail), hostname='127.0.0.1', port=a.port,
                   data_size_limit=10 * 1024 * 1024)
    c.start()
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    c.stop()


if __name__ == '__main__':
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    main()
