import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSubject } from '../../../platform/auth/loadSubject.ts';
import type { Subject } from '../../../platform/auth/subject.ts';
import { fileStoreFor } from '../../../platform/files/index.ts';
import { jobsOf } from '../../../platform/jobs/index.ts';
import type { Resolver } from '../../../platform/net/guard.ts';
import { testEngines } from '../../../testing/engines.ts';
import { type SignedIn, makeUser, signIn } from '../../../testing/factories.ts';
import { type TestContext, createTestContext } from '../../../testing/testPlatform.ts';
import { importAsnTable } from '../../intel/importer.ts';
import { CHROMIUM_PATH, captureDetail, captureSite, registerRecheck } from './capture.ts';
import { createNotices, groupItems, noticeByReference, referenceIn, setRecipientNetwork } from './notices.ts';
import { type Bootstrap, rdapLookup, serverFor, shippedBootstrap } from './rdap.ts';

const vcard = (fn: string, email: string, tel: string) => [
  'vcard',
  [
    ['version', {}, 'text', '4.0'],
    ['fn', {}, 'text', fn],
    ['email', {}, 'text', email],
    ['tel', { type: 'voice' }, 'uri', `tel:${tel}`],
  ],
];

describe('shipped RDAP bootstrap files', () => {
  it('point .jp, .com, Japanese IP space and ASNs at the right registries', () => {
    const b = shippedBootstrap();
    expect(serverFor(b, 'domain', 'phish.example.co.jp')).toBe('https://rdap.jprs.jp/rdap/');
    expect(serverFor(b, 'domain', 'login-bank.com')).toBe('https://rdap.verisign.com/com/v1/');
    expect(serverFor(b, 'ip', '133.1.2.3')).toBe('https://rdap.apnic.net/');
    expect(serverFor(b, 'ip', '2400:4050::1')).toBe('https://rdap.apnic.net/');
    expect(serverFor(b, 'ip', '8.8.8.8')).toBe('https://rdap.arin.net/registry/');
    expect(serverFor(b, 'ip', '185.1.1.1')).toBe('https://rdap.db.ripe.net/');
    expect(serverFor(b, 'autnum', 'AS2516')).toBe('https://rdap.apnic.net/');
    expect(serverFor(b, 'autnum', '4713')).toBe('https://rdap.apnic.net/');
    expect(serverFor(b, 'domain', 'example.invalid')).toBeNull();
  });
});

describe.each(testEngines())('recipients on %s', (engine) => {
  let t: TestContext;
  let analyst: Subject;
  let outsider: Subject;
  let viewerHttp: SignedIn;
  let analystHttp: SignedIn;
  let hosting: string;
  let vps: string;
  let rdapServer: http.Server;
  let site: http.Server;
  let port = 0;
  let sitePort = 0;
  const rdapHits: string[] = [];
  const siteHits: string[] = [];
  let sitePage = '<html><body><h1>ログイン</h1><img src="/asset.png"></body></html>';
  const resolver: Resolver = async (host) => {
    if (host === 'rdap.example.test' || host === 'phish.example.test') return [{ address: '127.0.0.1', family: 4 }];
    const m = host.match(/^h(\d+)\.shop\.example$/);
    if (m) return [{ address: Number(m[1]) < 12 ? '203.0.113.10' : '198.51.100.7', family: 4 }];
    if (host === 'internal.example.test') return [{ address: '10.0.0.8', family: 4 }];
    throw Object.assign(new Error('nx'), { code: 'ENOTFOUND' });
  };
  const fetch = { resolver, allowLoopbackInTests: true, proxy: null, timeoutMs: 5000 };
  let bootstrap: Bootstrap;
  const rdap = () => ({ bootstrap, fetch });

  beforeAll(async () => {
    t = await createTestContext(engine, '2026-04-01T00:00:00.000Z');
    rdapServer = http.createServer((req, res) => {
      rdapHits.push(req.url ?? '');
      res.setHeader('content-type', 'application/rdap+json');
      if (req.url === '/ip/198.51.100.7') {
        res.end(
          JSON.stringify({
            objectClassName: 'ip network',
            handle: 'VPS-NET',
            name: 'VPS-EXAMPLE',
            entities: [
              {
                objectClassName: 'entity',
                handle: 'ORG-1',
                roles: ['registrant'],
                vcardArray: vcard('株式会社見本VPS', 'noc@vps.example.test', '+81-3-0000-0000'),
                entities: [
                  {
                    handle: 'ABUSE-1',
                    roles: ['abuse'],
                    vcardArray: vcard('Abuse desk', 'abuse@vps.example.test', '+81-3-1111-1111'),
                  },
                ],
              },
            ],
          }),
        );
      } else if (req.url === '/domain/example.jp') {
        res.end(
          JSON.stringify({
            objectClassName: 'domain',
            ldhName: 'example.jp',
            entities: [
              { roles: ['registrant'], vcardArray: vcard('見本登録者', 'owner@example.jp', '+81-3-2222-2222') },
            ],
          }),
        );
      } else {
        res.statusCode = 404;
        res.end('{"errorCode":404}');
      }
    });
    await new Promise<void>((r) => rdapServer.listen(0, '127.0.0.1', r));
    port = (rdapServer.address() as AddressInfo).port;
    const base = [`http://rdap.example.test:${port}/`];
    bootstrap = {
      dns: { services: [[['jp'], base]] },
      ipv4: { services: [[['198.51.100.0/24', '203.0.113.0/24'], base]] },
      ipv6: { services: [] },
      asn: { services: [[['64496-64511'], base]] },
    };
    site = http.createServer((req, res) => {
      siteHits.push(req.url ?? '');
      if (req.url === '/asset.png') {
        res.setHeader('content-type', 'image/png');
        res.end(Buffer.from('89504e470d0a1a0a', 'hex'));
        return;
      }
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(sitePage);
    });
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
    sitePort = (site.address() as AddressInfo).port;

    const a = await makeUser(t.platform, { roles: ['cyber_analyst'], unit: 'cyber-ka' });
    const x = await makeUser(t.platform, { roles: ['cyber_analyst'], unit: 'st-koriyama' });
    const v = await makeUser(t.platform, { roles: ['viewer'], unit: 'cyber-ka' });
    analyst = (await loadSubject(t.platform.db.db, a.id, 'session'))!;
    outsider = (await loadSubject(t.platform.db.db, x.id, 'session'))!;
    analystHttp = await signIn(t.app, t.platform, a.login, a.password);
    viewerHttp = await signIn(t.app, t.platform, v.login, v.password);
    const mk = async (body: object) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/requests/recipients',
        headers: analystHttp.headers,
        payload: body,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    };
    hosting = await mk({ name: '見本ホスティング株式会社', kind: 'hosting', abuseEmail: 'abuse@hosting.example.test' });
    vps = await mk({ name: '株式会社見本VPS', kind: 'hosting', abuseEmail: 'abuse@vps.example.test' });
    const csv = 'prefix,asn,name\n203.0.113.0/24,64500,EXAMPLE-HOSTING\n198.51.100.0/24,64501,VPS-EXAMPLE\n';
    await importAsnTable(
      t.platform,
      null,
      (async function* () {
        yield csv;
      })(),
    );
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/requests/recipients/networks',
      headers: analystHttp.headers,
      payload: { recipientId: hosting, asn: 'AS64500' },
    });
    expect(res.statusCode, res.body).toBe(204);
  }, 120_000);
  afterAll(async () => {
    rdapServer?.closeAllConnections();
    site?.closeAllConnections();
    await Promise.all([new Promise((r) => rdapServer?.close(r)), new Promise((r) => site?.close(r))]);
    await t?.close();
  });

  it('refuses the routes to a viewer and network mapping to a non-analyst', async () => {
    for (const [method, url, payload] of [
      ['POST', '/api/requests/recipients/notices', { urls: ['https://h1.shop.example/'] }],
      ['POST', '/api/requests/recipients/lookup', { kind: 'ip', query: '198.51.100.7' }],
      ['POST', '/api/requests/recipients/captures', { url: 'https://h1.shop.example/' }],
      ['POST', '/api/requests/recipients/networks', { recipientId: vps, asn: 'AS64501' }],
    ] as const) {
      const res = await t.app.inject({ method, url, headers: viewerHttp.headers, payload });
      expect(res.statusCode, `${url} ${res.body}`).toBe(403);
    }
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/requests/recipients/notices',
      headers: analystHttp.headers,
      payload: { urls: [] },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('looks up the abuse contact over RDAP, caches it with a TTL, and caches "not found" briefly', async () => {
    const first = await rdapLookup(t.platform, 'ip', '198.51.100.7', rdap());
    expect(first.contact).toEqual({
      name: '株式会社見本VPS',
      email: 'abuse@vps.example.test',
      phone: '+81-3-1111-1111',
      roles: ['abuse'],
      handle: 'ABUSE-1',
    });
    expect(first.cached).toBe(false);
    const hits = rdapHits.length;
    const again = await rdapLookup(t.platform, 'ip', '198.51.100.7', rdap());
    expect([again.cached, again.contact?.email, rdapHits.length]).toEqual([true, 'abuse@vps.example.test', hits]);
    // No abuse role: the registrant's contact.
    expect((await rdapLookup(t.platform, 'domain', 'EXAMPLE.JP.', rdap())).contact?.email).toBe('owner@example.jp');
    const none = await rdapLookup(t.platform, 'autnum', 'AS64499', rdap());
    expect([none.found, none.error]).toEqual([false, 'not_found']);
    expect((await rdapLookup(t.platform, 'autnum', '64499', rdap())).cached).toBe(true);
    t.clock.advance(25 * 3600_000);
    expect((await rdapLookup(t.platform, 'ip', '198.51.100.7', rdap())).cached).toBe(false);
    expect(rdapHits.length).toBeGreaterThan(hits);
  });

  it('groups twenty URLs by provider into one notice per recipient, with references and hourly limits', async () => {
    const urls = [
      ...Array.from({ length: 20 }, (_, i) => `https://h${i}.shop.example/login?i=${i}`),
      'https://gone.example.test/x',
      'notaurl',
    ];
    const preview = await groupItems(t.platform, urls, { resolver, rdap: rdap() });
    expect(preview.groups.map((g) => [g.recipientId, g.provider, g.items.length])).toEqual([
      [hosting, 'EXAMPLE-HOSTING', 12],
      [vps, 'VPS-EXAMPLE', 8],
    ]);
    expect(preview.unresolved.map((u) => u.reason).sort()).toEqual(['invalid_url', 'nxdomain']);
    await setRecipientNetwork(t.platform, analyst, { recipientId: vps, maxPerHour: 1 });
    const first = await createNotices(t.platform, analyst, urls, { resolver, rdap: rdap() });
    expect(first.notices.map((n) => n.itemCount)).toEqual([12, 8]);
    for (const n of first.notices) expect(n.reference).toMatch(/^RN-20260402-[A-Z2-9]{6}$/);
    const ref = first.notices[1]!.reference;
    expect(referenceIn(`Re: [${ref}] フィッシングサイトについて`)).toBe(ref);
    const tied = await noticeByReference(t.platform, analyst, ref);
    expect([tied.recipientId, tied.items.length, tied.items[0]?.asn]).toEqual([vps, 8, 'AS64501']);
    await expect(noticeByReference(t.platform, outsider, ref)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // Second batch within the hour: the VPS provider (1 per hour) is deferred, the other is sent.
    const second = await createNotices(t.platform, analyst, urls, { resolver, rdap: rdap() });
    expect(second.notices.map((n) => n.recipientId)).toEqual([hosting]);
    expect(second.deferred.map((d) => [d.recipientId, d.reason, d.items.length])).toEqual([[vps, 'rate_limited', 8]]);
    expect(second.deferred[0]?.retryAt).toBeTruthy();
    t.clock.advance(61 * 60_000);
    const third = await createNotices(t.platform, analyst, urls.slice(12, 20), { resolver, rdap: rdap() });
    expect(third.notices.map((n) => n.recipientId)).toEqual([vps]);
    const audit = await t.platform.db.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'request.notice.create')
      .execute();
    expect(audit).toHaveLength(4);
  });

  it('captures a site as evidence (HTML in the file store, SHA-256) and re-checks it on a schedule, recording each outcome', async () => {
    const url = `http://phish.example.test:${sitePort}/login`;
    await expect(
      captureSite(t.platform, analyst, 'http://internal.example.test/', { fetch, screenshot: false }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const c = await captureSite(t.platform, analyst, url, { fetch, screenshot: false });
    expect([c.outcome, c.screenshotNote]).toEqual(['up', 'disabled']);
    const html = await fileStoreFor(t.platform).readAll(c.htmlFileId!);
    expect(html.toString()).toBe(sitePage);
    expect(c.htmlSha256).toMatch(/^[0-9a-f]{64}$/);
    await expect(captureDetail(t.platform, outsider, c.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    registerRecheck(t.platform, fetch);
    sitePage = '<html><body>このサイトは停止されています。</body></html>';
    t.clock.advance(7 * 3600_000);
    await jobsOf(t.platform).runDue();
    t.clock.advance(61 * 60_000);
    await jobsOf(t.platform).runDue();
    const after = await captureDetail(t.platform, analyst, c.id);
    expect(after.lastOutcome).toBe('suspended');
    expect(after.checks.map((k) => k.outcome)).toEqual(['suspended', 'up']);
  });

  it.skipIf(!existsSync(CHROMIUM_PATH) || engine !== 'sqlite')(
    'takes a screenshot with every browser request served through the guarded fetcher',
    async () => {
      sitePage = '<html><body><h1>ログイン</h1><img src="/asset.png"></body></html>';
      siteHits.length = 0;
      const c = await captureSite(t.platform, analyst, `http://phish.example.test:${sitePort}/login`, {
        fetch,
        profile: 'iphone',
        recheck: false,
      });
      expect(c.screenshotNote).toBe('');
      const png = await fileStoreFor(t.platform).readAll(c.screenshotFileId!);
      expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      // Chromium cannot resolve phish.example.test itself (its proxy is a closed port): the asset came through safeFetch.
      expect(siteHits).toContain('/asset.png');
    },
    60_000,
  );
});
