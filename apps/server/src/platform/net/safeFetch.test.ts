import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Resolver, refusalOf, resolveGuarded, systemResolver, testHosts } from './guard.ts';
import { safeFetch } from './safeFetch.ts';

/** Local servers only: names resolve through an injected resolver, and nothing reaches the internet. */
describe('safeFetch', () => {
  let server: http.Server;
  let port = 0;
  const seenUa: string[] = [];
  const pages: Record<string, (res: http.ServerResponse, req: http.IncomingMessage) => void> = {
    '/ok': (res) => res.end('<html><body>ログイン 銀行</body></html>'),
    '/ua': (res, req) => {
      seenUa.push(String(req.headers['user-agent']));
      res.setHeader('content-type', 'text/html');
      res.end(/iPhone/.test(String(req.headers['user-agent'])) ? '<p>phish for iPhone</p>' : '<p>nothing here</p>');
    },
    '/suspended': (res) => {
      res.statusCode = 503;
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end('<h1>このサイトは停止されています</h1><p>ご契約のアカウントは停止中です。</p>');
    },
    '/suspended-en': (res) => res.end('<title>Account Suspended</title> This Account has been suspended.'),
    '/parked': (res) => res.end('<div>Buy this domain. This domain is parked free, courtesy of a registrar.</div>'),
    '/missing': (res) => {
      res.statusCode = 404;
      res.end('not found');
    },
    '/big': (res) => res.end(Buffer.alloc(200_000, 97)),
    '/hang': () => undefined,
    '/to-private': (res) => {
      res.statusCode = 302;
      res.setHeader('location', 'http://10.0.0.5/admin');
      res.end();
    },
    '/to-internal-name': (res) => {
      res.statusCode = 301;
      res.setHeader('location', `http://metadata.example.test:${port}/ok`);
      res.end();
    },
    '/to-ok': (res) => {
      res.statusCode = 302;
      res.setHeader('location', '/ok');
      res.end();
    },
  };
  const resolver: Resolver = async (host) => {
    if (host === 'phish.example.test' || host === 'other.example.test') return [{ address: '127.0.0.1', family: 4 }];
    if (host === 'metadata.example.test') return [{ address: '169.254.169.254', family: 4 }];
    if (host === 'rebind.example.test')
      return [
        { address: '127.0.0.1', family: 4 },
        { address: '192.168.1.1', family: 4 },
      ];
    throw Object.assign(new Error('nx'), { code: 'ENOTFOUND' });
  };
  const opts = { resolver, allowLoopbackInTests: true, proxy: null, timeoutMs: 2000 };
  const u = (path: string, host = 'phish.example.test') => `http://${host}:${port}${path}`;

  beforeAll(async () => {
    server = http.createServer((req, res) => (pages[req.url ?? ''] ?? pages['/missing']!)(res, req));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('refuses private, loopback, link-local, CGNAT, multicast, unspecified and IPv6 equivalents', () => {
    for (const a of [
      '10.1.2.3',
      '172.16.0.1',
      '192.168.0.1',
      '127.0.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '224.0.0.1',
      '0.0.0.0',
      '255.255.255.255',
      '198.18.0.1',
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'fd12::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '64:ff9b::a00:1',
      '2002:a00:1::',
      '2001:db8::1',
    ]) {
      expect(refusalOf(a), a).not.toBeNull();
    }
    for (const a of ['8.8.8.8', '203.104.1.1', '2001:200:dff:fff1:216:3eff:feb1:44d7', '2404:6800:4004:80a::200e'])
      expect(refusalOf(a), a).toBeNull();
    expect(refusalOf('127.0.0.1', true)).toBeNull();
    expect(refusalOf('10.0.0.1', true)).not.toBeNull();
  });

  it('refuses literal private hosts and names resolving to them, and loopback without the test allowance', async () => {
    for (const url of [
      'http://10.0.0.1/',
      'http://[fd00::1]/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::ffff:192.168.0.1]/',
    ]) {
      expect((await safeFetch(url, opts)).outcome, url).toBe('refused');
    }
    expect((await safeFetch(u('/ok', 'metadata.example.test'), opts)).outcome).toBe('refused');
    // One private address among the answers refuses the name (a DNS-rebinding setup).
    expect((await safeFetch(u('/ok', 'rebind.example.test'), opts)).outcome).toBe('refused');
    expect((await safeFetch(u('/ok'), { ...opts, allowLoopbackInTests: false })).outcome).toBe('refused');
    expect((await safeFetch('http://[::1]:9/', { ...opts, allowLoopbackInTests: false })).outcome).toBe('refused');
    expect((await safeFetch('file:///etc/passwd', opts)).outcome).toBe('refused');
  });

  it('checks every redirect hop', async () => {
    const a = await safeFetch(u('/to-private'), opts);
    expect(a.outcome).toBe('refused');
    expect(a.hops).toEqual([u('/to-private'), 'http://10.0.0.5/admin']);
    expect((await safeFetch(u('/to-internal-name'), opts)).outcome).toBe('refused');
    const ok = await safeFetch(u('/to-ok'), opts);
    expect(ok.outcome).toBe('up');
    expect(ok.finalUrl).toBe(u('/ok'));
  });

  it('classifies up, changed, HTTP error, suspended (Japanese and English), parked, NXDOMAIN, connection failure, timeout', async () => {
    const first = await safeFetch(u('/ok'), opts);
    expect(first.outcome).toBe('up');
    expect(first.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await safeFetch(u('/ok'), { ...opts, previousSha256: first.sha256 })).outcome).toBe('up');
    expect((await safeFetch(u('/ok'), { ...opts, previousSha256: 'f'.repeat(64) })).outcome).toBe('changed');
    const missing = await safeFetch(u('/missing'), opts);
    expect([missing.outcome, missing.status]).toEqual(['http_error', 404]);
    expect((await safeFetch(u('/suspended'), opts)).outcome).toBe('suspended');
    expect((await safeFetch(u('/suspended-en'), opts)).outcome).toBe('suspended');
    expect((await safeFetch(u('/parked'), opts)).outcome).toBe('parked');
    expect((await safeFetch(u('/ok', 'gone.example.test'), opts)).outcome).toBe('nxdomain');
    // A port nobody listens on.
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect((await safeFetch(`http://phish.example.test:${deadPort}/`, opts)).outcome).toBe('connection_failed');
    expect((await safeFetch(u('/hang'), { ...opts, timeoutMs: 300 })).outcome).toBe('timeout');
  });

  it('cuts the body at the size limit and sends the chosen device profile', async () => {
    const big = await safeFetch(u('/big'), { ...opts, maxBytes: 10_000 });
    expect(big.truncated).toBe(true);
    expect(big.body?.length).toBe(10_000);
    const iphone = await safeFetch(u('/ua'), { ...opts, profile: 'iphone' });
    const desktop = await safeFetch(u('/ua'), { ...opts, profile: 'desktop' });
    expect(iphone.body?.toString()).toContain('phish for iPhone');
    expect(desktop.body?.toString()).toContain('nothing here');
    expect(seenUa[0]).toMatch(/iPhone/);
  });

  it('goes through the configured egress proxy for plain HTTP after checking the target', async () => {
    const seen: string[] = [];
    const proxy = http.createServer((req, res) => {
      seen.push(req.url ?? '');
      res.end('<p>via proxy</p>');
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const r = await safeFetch(u('/ok', 'other.example.test'), { ...opts, proxy: proxyUrl });
    expect(r.body?.toString()).toBe('<p>via proxy</p>');
    expect(seen).toEqual([u('/ok', 'other.example.test')]);
    expect((await safeFetch(u('/ok', 'metadata.example.test'), { ...opts, proxy: proxyUrl })).outcome).toBe('refused');
    expect(seen).toHaveLength(1);
    await new Promise((res) => proxy.close(res));
  });

  it('honours the test host map RENKEI_TEST_HOSTS in a test process only, and only for loopback', async () => {
    const saved = { hosts: process.env.RENKEI_TEST_HOSTS, vitest: process.env.VITEST, env: process.env.NODE_ENV };
    try {
      process.env.RENKEI_TEST_HOSTS =
        'site01.phish-a.example.jp=127.0.0.1, Site02.Phish-B.example.jp.=127.0.0.1,inner.example.jp=10.0.0.9,bad=x';
      expect([...testHosts().keys()]).toEqual([
        'site01.phish-a.example.jp',
        'site02.phish-b.example.jp',
        'inner.example.jp',
      ]);
      expect(await systemResolver('SITE02.phish-b.example.jp')).toEqual([{ address: '127.0.0.1', family: 4 }]);
      // The default resolver, no loopback allowance asked: the mapped name reaches the local server.
      const r = await safeFetch(`http://site01.phish-a.example.jp:${port}/ok`, { proxy: null, timeoutMs: 2000 });
      expect([r.outcome, r.address]).toEqual(['up', '127.0.0.1']);
      // The map lets loopback through, nothing else: a mapped private address is still refused.
      expect((await safeFetch(`http://inner.example.jp:${port}/ok`, { proxy: null })).outcome).toBe('refused');
      // A name not in the map gets no allowance even when (an injected resolver) says loopback.
      expect((await safeFetch(u('/ok'), { resolver, proxy: null })).outcome).toBe('refused');
      // Outside a test process the variable is ignored: no map, and loopback is refused again.
      process.env.VITEST = 'false';
      process.env.NODE_ENV = 'production';
      expect(testHosts().size).toBe(0);
      const local: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
      await expect(resolveGuarded('site01.phish-a.example.jp', local, false)).rejects.toMatchObject({ code: 'EGUARD' });
      const prod = await safeFetch(`http://site01.phish-a.example.jp:${port}/ok`, { resolver: local, proxy: null });
      expect(prod.outcome).toBe('refused');
    } finally {
      const restore = (k: string, v: string | undefined) => {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      };
      restore('RENKEI_TEST_HOSTS', saved.hosts);
      restore('VITEST', saved.vitest);
      restore('NODE_ENV', saved.env);
    }
  });
});
