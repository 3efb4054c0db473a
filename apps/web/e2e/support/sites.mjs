// Local stand-ins for the outside world of the requests browser test (issue 11), started by Playwright as a web
// server before Renkei: an SMTP sink that writes each message it receives to a folder (one .eml per message), and
// "phishing sites": an HTTP server on all loopback addresses serving a fake bank login page per host name, with an
// admin endpoint that takes given hosts down (they then answer 404). Loopback only; nothing leaves the machine.
//
//   SITES_PORT=… SMTP_PORT=… MAIL_DIR=… node apps/web/e2e/support/sites.mjs
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

const sitesPort = Number(process.env.SITES_PORT);
const smtpPort = Number(process.env.SMTP_PORT);
const mailDir = process.env.MAIL_DIR;
if (!sitesPort || !smtpPort || !mailDir) throw new Error('SITES_PORT, SMTP_PORT and MAIL_DIR are required');
rmSync(mailDir, { recursive: true, force: true });
mkdirSync(mailDir, { recursive: true });

let received = 0;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      received += 1;
      const name = `${String(received).padStart(4, '0')}-${Date.now()}.eml`;
      const envelope = `X-Envelope-From: ${session.envelope.mailFrom ? session.envelope.mailFrom.address : ''}\r\nX-Envelope-To: ${session.envelope.rcptTo.map((r) => r.address).join(', ')}\r\n`;
      writeFileSync(join(mailDir, name), Buffer.concat([Buffer.from(envelope), ...chunks]));
      callback();
    });
  },
});
smtp.listen(smtpPort, '127.0.0.1');

const down = new Set();
const page = (host) => `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>ログイン | ${host}</title></head>
<body><h1>インターネットバンキング ログイン</h1>
<form method="post" action="/login"><label>契約者番号 <input name="id"></label>
<label>ログインパスワード <input name="pw" type="password"></label><button>ログイン</button></form>
<p>${host}</p></body></html>`;

const handle = (req, res) => {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/__health') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    return;
  }
  if (url.pathname === '/__admin/down' && req.method === 'POST') {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      for (const h of JSON.parse(body || '{}').hosts ?? []) down.add(String(h).toLowerCase());
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ down: [...down] }));
    });
    return;
  }
  if (down.has(host)) {
    res
      .writeHead(404, { 'content-type': 'text/html; charset=utf-8' })
      .end('<!doctype html><title>404</title>Not Found');
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(host));
};
// One listener per loopback address used (127.0.0.1 for health and admin; the two providers' ranges), never 0.0.0.0.
const addresses = [
  '127.0.0.1',
  ...[2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27].map((n) => `127.0.0.${n}`),
];
const servers = addresses.map((a) => createServer(handle).listen(sitesPort, a));

const stop = () => {
  for (const s of servers) s.close();
  smtp.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
