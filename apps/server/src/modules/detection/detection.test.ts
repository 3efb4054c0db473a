import { createReadStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../platform/audit/verify.ts';
import { jobsOf } from '../../platform/jobs/index.ts';
import { testEngines } from '../../testing/engines.ts';
import { type SignedIn, makeUser, signIn } from '../../testing/factories.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';
import { importIndicators } from '../intel/importer.ts';
import { huntStream, loadIndex } from './hunt.ts';
import { type HuntMatch, IndicatorIndex } from './matcher.ts';
import { purgeExpired } from './retention.ts';

const FIX = new URL('./fixtures/', import.meta.url);
const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** The fixture feeds, served the way real feed servers do: ETag + Last-Modified, 304 on a match. */
class FeedServer {
  server: Server;
  bodies = new Map<string, { body: string; etag: string; status?: number }>();
  requests: { path: string; ifNoneMatch: string | undefined }[] = [];
  base = '';
  constructor() {
    this.server = createServer((req, res) => {
      const path = req.url ?? '/';
      this.requests.push({ path, ifNoneMatch: req.headers['if-none-match'] });
      const f = this.bodies.get(path);
      if (!f) {
        res.writeHead(404).end('not found');
        return;
      }
      if (f.status) {
        res.writeHead(f.status).end('<html>upstream error</html>');
        return;
      }
      if (req.headers['if-none-match'] === f.etag) {
        res.writeHead(304).end();
        return;
      }
      res.writeHead(200, { etag: f.etag, 'last-modified': 'Wed, 01 Apr 2026 00:00:00 GMT' }).end(f.body);
    });
  }
  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  set(path: string, body: string, etag: string, status?: number) {
    this.bodies.set(path, { body, etag, ...(status ? { status } : {}) });
  }
}

describe('the matcher (pure)', () => {
  it('never lets a public suffix stand for its subdomains', () => {
    const ix = new IndicatorIndex();
    ix.add('domain', 'co.jp', true);
    ix.add('domain', 'evil.github.io', true);
    expect([...ix.subdomains]).toEqual(['evil.github.io']);
    expect(ix.domains.has('co.jp')).toBe(true);
  });
});

describe.each(testEngines())('detection on %s', (engine) => {
  let t: TestContext;
  let analyst: SignedIn;
  let viewer: SignedIn;
  let officer: SignedIn;
  const feeds = new FeedServer();
  /** Moves the fake clock, then signs in afresh (sessions end after idle time by the same clock). */
  const advance = async (ms: number) => {
    t.clock.advance(ms);
    await people();
  };
  const people = async () => {
    const a = await makeUser(t.platform, { roles: ['cyber_analyst'] });
    analyst = await signIn(t.app, t.platform, a.login, a.password);
    const v = await makeUser(t.platform, { roles: ['viewer'] });
    viewer = await signIn(t.app, t.platform, v.login, v.password);
    const o = await makeUser(t.platform, { roles: ['station_officer'], unit: 'st-fukushima' });
    officer = await signIn(t.app, t.platform, o.login, o.password);
  };
  const api = (who: SignedIn, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown) =>
    t.app.inject({ method, url: `/api/detection${url}`, headers: who.headers, ...(payload ? { payload } : {}) });
  const lookup = async (value: string) =>
    t.app.inject({
      method: 'GET',
      url: `/api/observables/lookup?value=${encodeURIComponent(value)}`,
      headers: analyst.headers,
    });

  beforeAll(async () => {
    t = await createTestContext(engine);
    await feeds.start();
    await people();
  });
  afterAll(async () => {
    feeds.server.close();
    await t.close();
  });

  it('collects a feed on schedule, keeps state on 304, updates last seen when it changes, records errors', async () => {
    feeds.set('/phish.txt', 'hxxp://phish-one[.]xyz/login\n198.51.100.9\n# comment\n', '"v1"');
    const created = await api(analyst, 'POST', '/feeds', {
      name: 'JPCERT 試験フィード',
      url: `${feeds.base}/phish.txt`,
      format: 'txt',
      tlp: 'green',
      reliability: 'B',
      intervalMinutes: 60,
    });
    expect(created.statusCode).toBe(201);
    const feed = created.json();
    expect(feed).toMatchObject({ health: 'never', source: 'JPCERT 試験フィード', tlp: 'green' });
    // A viewer reads feeds but may not configure one; a station officer does not even read them.
    expect((await api(viewer, 'GET', '/feeds')).statusCode).toBe(200);
    expect(
      (await api(viewer, 'POST', '/feeds', { ...feed, name: 'x', id: undefined, health: undefined })).statusCode,
    ).toBe(403);
    expect((await api(officer, 'GET', '/feeds')).statusCode).toBe(403);

    const q = jobsOf(t.platform);
    await q.runDue(); // the scheduler's first look records its next minute
    await advance(60_000);
    await q.runDue();
    expect(feeds.requests.filter((r) => r.path === '/phish.txt')).toHaveLength(1);
    let now = (await api(analyst, 'GET', `/feeds/${feed.id}`)).json();
    expect(now).toMatchObject({ health: 'ok', lastOutcome: 'changed', hasEtag: true, consecutiveFailures: 0 });
    const firstChange = now.lastChangedAt;
    const url = (await lookup('http://phish-one.xyz/login')).json();
    expect(url.observable.lastSeen).toBe(firstChange);

    // Not due yet: nothing is pulled.
    await advance(30 * 60_000);
    await q.runDue();
    expect(feeds.requests.filter((r) => r.path === '/phish.txt')).toHaveLength(1);

    // Due, unchanged: a conditional request, a 304, state kept.
    await advance(31 * 60_000);
    await q.runDue();
    const reqs = feeds.requests.filter((r) => r.path === '/phish.txt');
    expect(reqs).toHaveLength(2);
    expect(reqs[1]!.ifNoneMatch).toBe('"v1"');
    now = (await api(analyst, 'GET', `/feeds/${feed.id}`)).json();
    expect(now).toMatchObject({ lastOutcome: 'not_modified', lastChangedAt: firstChange, health: 'ok' });
    expect((await lookup('http://phish-one.xyz/login')).json().observable.lastSeen).toBe(firstChange);

    // Changed: the indicators' last seen moves forward, new ones arrive.
    feeds.set('/phish.txt', 'hxxp://phish-one[.]xyz/login\nphish-two.top\n', '"v2"');
    await advance(61 * 60_000);
    await q.runDue();
    now = (await api(analyst, 'GET', `/feeds/${feed.id}`)).json();
    expect(now.lastOutcome).toBe('changed');
    expect(now.lastChangedAt > firstChange).toBe(true);
    expect((await lookup('http://phish-one.xyz/login')).json().observable.lastSeen).toBe(now.lastChangedAt);
    expect((await lookup('phish-two.top')).statusCode).toBe(200);

    // Broken upstream, then garbage: errors recorded, earlier data and the conditional state kept.
    feeds.set('/phish.txt', '', '"v3"', 500);
    await advance(61 * 60_000);
    await q.runDue();
    feeds.set('/phish.txt', '<html><body>maintenance</body></html>\n', '"v4"');
    await advance(61 * 60_000);
    await q.runDue();
    now = (await api(analyst, 'GET', `/feeds/${feed.id}`)).json();
    expect(now).toMatchObject({ health: 'failing', lastOutcome: 'error', consecutiveFailures: 2 });
    expect(now.lastError).toMatch(/no valid indicator/);
    const errors = (await api(viewer, 'GET', `/feeds/${feed.id}/runs?errors=1`)).json();
    expect(errors.items.map((r: { httpStatus: number; error: string }) => [r.httpStatus, r.error])).toEqual([
      [200, expect.stringMatching(/^no valid indicator in 1 lines/)],
      [500, 'HTTP 500'],
    ]);
    const all = (await api(viewer, 'GET', `/feeds/${feed.id}/runs?limit=2`)).json();
    expect(all.items).toHaveLength(2);
    const rest = (await api(viewer, 'GET', `/feeds/${feed.id}/runs?cursor=${all.nextCursor}`)).json();
    expect(rest.items.map((r: { outcome: string }) => r.outcome)).toEqual(['changed', 'not_modified', 'changed']);
    expect((await lookup('http://phish-one.xyz/login')).statusCode).toBe(200);
    expect((await lookup('198.51.100.9')).statusCode).toBe(200);

    // Repaired: "collect now" works at once, health back to ok.
    feeds.set('/phish.txt', 'phish-two.top\n', '"v5"');
    const again = (await api(analyst, 'POST', `/feeds/${feed.id}/collect`)).json();
    expect(again.run.outcome).toBe('changed');
    expect(again.feed.health).toBe('ok');
  }, 180_000);

  it('maps CSV columns of a feed and refuses bad configuration with a 400', async () => {
    feeds.set('/list.csv', 'first_seen,indicator,kind\n2026-03-30T00:00:00Z,203.0.113.80,ipv4\n', '"c1"');
    const res = await api(analyst, 'POST', '/feeds', {
      name: 'CSV feed',
      url: `${feeds.base}/list.csv`,
      format: 'csv',
      columns: { value: 'indicator', type: 'kind' },
      tlp: 'amber',
      intervalMinutes: 1440,
    });
    expect(res.statusCode).toBe(201);
    const run = (await api(analyst, 'POST', `/feeds/${res.json().id}/collect`)).json().run;
    expect(run).toMatchObject({ outcome: 'changed', accepted: 1 });
    expect((await lookup('203.0.113.80')).statusCode).toBe(200);
    const bad = await api(analyst, 'POST', '/feeds', {
      name: 'bad',
      url: 'file:///etc/passwd',
      format: 'txt',
      tlp: 'amber',
      intervalMinutes: 60,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    const dup = await api(analyst, 'POST', '/feeds', {
      name: 'CSV feed',
      url: `${feeds.base}/x`,
      format: 'txt',
      tlp: 'amber',
      intervalMinutes: 60,
    });
    expect(dup.statusCode).toBe(409);
  }, 180_000);

  it('hunts the fixture logs and finds exactly the planted matches', async () => {
    const lines = (xs: string[]) => xs.join('\n');
    await importIndicators(
      t.platform,
      null,
      Readable.from([
        lines([
          '{"value":"evil-bank.xyz","type":"domain","tags":["match:subdomains"]}',
          '{"value":"secure.phish-kit.top","type":"domain"}',
          '{"value":"cdn.track.evil-ads.xyz","type":"domain"}',
          '{"value":"c2.beacon.top","type":"domain"}',
        ]),
      ]),
      { source: 'hunt-domains', format: 'jsonl' },
    );
    await importIndicators(
      t.platform,
      null,
      Readable.from([
        lines([
          'http://login.evil-bank.xyz/verify',
          'http://malware-drop.xyz/payload.exe',
          '198.51.100.20',
          '198.51.100.77',
          '2001:db8::bad',
        ]),
      ]),
      { source: 'hunt-urls', format: 'txt' },
    );
    const index = await loadIndex(t.platform.db.db);
    // Derived values (the URLs' hosts, malware-drop.xyz) are not indicators by themselves.
    expect(index.domains.has('malware-drop.xyz')).toBe(false);
    const found: string[] = [];
    for (const f of ['squid.log', 'access.log', 'query.log', 'dns.log', 'proxy.csv', 'events.jsonl']) {
      await huntStream(index, createReadStream(new URL(f, FIX)), (line, m: HuntMatch) =>
        found.push(`${f}:${line} ${m.type} ${m.indicator} <${m.observed}>`),
      );
    }
    expect(found).toEqual([
      'squid.log:2 url http://login.evil-bank.xyz/verify <http://login.evil-bank.xyz/verify?id=1>',
      'squid.log:2 domain evil-bank.xyz <http://login.evil-bank.xyz/verify?id=1>',
      'squid.log:2 ipv4 198.51.100.20 <HIER_DIRECT/198.51.100.20>',
      'squid.log:3 domain secure.phish-kit.top <secure.phish-kit.top:443>',
      'access.log:1 ipv4 198.51.100.77 <198.51.100.77>',
      'access.log:3 domain cdn.track.evil-ads.xyz <https://Cdn.Track.Evil-Ads.xyz/r?u=1>',
      'access.log:4 url http://malware-drop.xyz/payload.exe <http://malware-drop.xyz/payload.exe>',
      'query.log:2 domain evil-bank.xyz <mail.evil-bank.xyz>',
      'dns.log:6 domain c2.beacon.top <c2.beacon.top>',
      'dns.log:6 ipv6 2001:db8::bad <2001:db8::bad>',
      'proxy.csv:3 domain evil-bank.xyz <https://pay.evil-bank.xyz/card?step=2>',
      'events.jsonl:2 ipv4 198.51.100.20 <198.51.100.20>',
      'events.jsonl:2 url http://login.evil-bank.xyz/verify <http://login.evil-bank.xyz/verify>',
      'events.jsonl:2 domain evil-bank.xyz <http://login.evil-bank.xyz/verify>',
    ]);

    // The upload page: gzip accepted, sightings recorded at a hunt of the hunter's unit.
    const gz = gzipSync(readFileSync(new URL('squid.log', FIX)));
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/detection/hunt?file=squid.log.gz&name=A社プロキシログ&record=1',
      headers: { ...analyst.headers, 'content-type': 'application/gzip' },
      payload: gz,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ lines: 4, matches: 4, recorded: 4, truncated: false });
    const seen = (await lookup('198.51.100.20')).json();
    expect(JSON.stringify(seen)).toContain('A社プロキシログ');
    // A station officer may not hunt.
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/detection/hunt',
      headers: { ...officer.headers, 'content-type': 'text/plain' },
      payload: 'x',
    });
    expect(refused.statusCode).toBe(403);
  }, 180_000);

  it('purges expired feed-only indicators by type policy, keeps those in records, and the audit chain stays whole', async () => {
    await importIndicators(t.platform, null, Readable.from(['hxxp://old-phish[.]xyz/a\nhxxp://kept-phish[.]xyz/b\n']), {
      source: 'old-feed',
      format: 'txt',
    });
    // kept-phish is also in a hunt (a record): it must survive.
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/detection/hunt?record=1&name=kept',
      headers: { ...analyst.headers, 'content-type': 'text/plain' },
      payload: '1 2 3 GET http://kept-phish.xyz/b\n',
    });
    expect(up.json().recorded).toBe(1);
    expect((await api(viewer, 'PATCH', '/retention/url', { purgeAfterDays: 0 })).statusCode).toBe(403);
    expect((await api(analyst, 'PATCH', '/retention/url', { purgeAfterDays: 30 })).statusCode).toBe(200);
    const policies = (await api(viewer, 'GET', '/retention')).json().items;
    expect(policies.find((x: { type: string }) => x.type === 'url')).toMatchObject({
      expiryDays: 180,
      purgeAfterDays: 30,
    });

    await advance(200 * DAY); // expired (180 days) but not yet 30 days past expiry
    expect((await purgeExpired(t.platform, null)).byType.url ?? 0).toBe(0);
    await advance(30 * DAY);
    const res = await api(analyst, 'POST', '/retention/purge');
    expect(res.statusCode).toBe(200);
    expect(res.json().byType.url).toBeGreaterThanOrEqual(1);
    expect((await lookup('http://old-phish.xyz/a')).statusCode).toBe(404);
    expect((await lookup('http://kept-phish.xyz/b')).statusCode).toBe(200);
    const audit = await t.platform.db.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'detection.retention.purge')
      .execute();
    expect(audit.length).toBeGreaterThanOrEqual(1);
    expect((await verifyAuditChain(t.platform.db.db)).ok).toBe(true);
  }, 180_000);
});
