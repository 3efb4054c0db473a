import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSubject } from '../../platform/auth/loadSubject.ts';
import type { Subject } from '../../platform/auth/subject.ts';
import { readPdf } from '../../platform/documents/pdfText.ts';
import { jobsOf } from '../../platform/jobs/index.ts';
import { closeMailTransports } from '../../platform/mail/outbox.ts';
import { type TestSmtp, startTestSmtp } from '../../platform/mail/smtpTestServer.ts';
import type { Resolver } from '../../platform/net/guard.ts';
import { testEngines } from '../../testing/engines.ts';
import { type SignedIn, makeUser, signIn } from '../../testing/factories.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';
import { createEntity } from '../intel/entities.ts';
import { importAsnTable } from '../intel/importer.ts';
import { recordObservables } from '../intel/index.ts';
import { takenDownAt } from './flowback.ts';
import { sendRequest } from './lifecycle.ts';
import { measures } from './measures.ts';
import { requestDetail } from './queries.ts';
import { CHROMIUM_PATH, captureSite, registerRecheck } from './recipients/capture.ts';
import { setRecipientNetwork } from './recipients/notices.ts';
import { approveRequest } from './service.ts';
import { registerCaptureJobs, runCaptures } from './captureJobs.ts';
import { draftTakedowns } from './takedowns.ts';

const HOUR = 3_600_000;

/**
 * Takedowns from URLs end to end on a fake clock: grouping by provider (prefix table → AS → recipient), one draft and
 * notice per provider, captures, approval, the letter reaching a local SMTP server, re-checks flowing back. Sites
 * are local node:http servers on 127.0.0.2/.3/.5 reached through an injected resolver; nothing leaves the machine.
 */
describe.each(testEngines())('takedowns on %s', (engine) => {
  let t: TestContext;
  let drafter: Subject;
  let head: Subject;
  let outsider: Subject;
  let drafterHttp: SignedIn;
  let headHttp: SignedIn;
  let outsiderHttp: SignedIn;
  let viewerHttp: SignedIn;
  let smtp: TestSmtp;
  // Sessions idle out after 2 h on the fake clock: time moves an hour at a time, each session used in between.
  const tick = async (ms: number) => {
    for (let left = ms; left > 0; left -= HOUR) {
      t.clock.advance(Math.min(HOUR, left));
      for (const h of [drafterHttp, outsiderHttp])
        expect((await t.app.inject({ method: 'GET', url: '/api/requests/types', headers: h.headers })).statusCode).toBe(
          200,
        );
    }
  };
  const ids: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };
  // Site A answers 404 once taken down; site B shows a suspension page for some hosts, then stops listening.
  const down = new Set<string>();
  const suspended = new Set<string>();
  const servers: Record<'a' | 'b' | 'c', http.Server | null> = { a: null, b: null, c: null };
  const ports = { a: 0, b: 0, c: 0 };
  const handler: http.RequestListener = (req, res) => {
    const host = String(req.headers.host ?? '').replace(/:\d+$/, '');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    if (down.has(host)) {
      res.statusCode = 404;
      res.end('<title>404</title>Not Found');
    } else if (suspended.has(host)) res.end('<h1>このサイトは停止されています</h1>');
    else res.end(`<html><body><h1>ログイン</h1><p>${host}</p></body></html>`);
  };
  const addressOf: Record<string, string> = { 'phish-a': '127.0.0.2', 'phish-b': '127.0.0.3', 'phish-c': '127.0.0.5' };
  const resolver: Resolver = async (host) => {
    const m = host.match(/^site\d+\.(phish-[abc])\.example\.jp$/);
    if (m) return [{ address: addressOf[m[1]!]!, family: 4 }];
    if (host === 'lonely.phish-z.example.jp') return [{ address: '127.0.0.9', family: 4 }];
    throw Object.assign(new Error('nx'), { code: 'ENOTFOUND' });
  };
  const fetch = { resolver, allowLoopbackInTests: true, proxy: null, timeoutMs: 5000 };
  const group = { resolver, rdap: { fetch } };
  const url = (site: 'a' | 'b' | 'c', n: number) =>
    `http://site${String(n).padStart(2, '0')}.phish-${site}.example.jp:${ports[site]}/login`;
  const hostOf = (u: string) => new URL(u).hostname;
  const aUrls = () => Array.from({ length: 12 }, (_, i) => url('a', i + 1));
  const bUrls = () => Array.from({ length: 8 }, (_, i) => url('b', i + 1));
  let campaignId = '';
  let linkedObservable = '';
  const count = async (tb: 'site_captures' | 'request_capture_queue') =>
    Number(
      (
        await t.platform.db.db
          .selectFrom(tb)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirst()
      )?.n,
    );
  const recheckRound = async () => {
    t.clock.advance(7 * HOUR);
    await jobsOf(t.platform).runDue();
  };

  beforeAll(async () => {
    t = await createTestContext(engine, '2026-04-01T00:00:00.000Z');
    const db = t.platform.db.db;
    for (const [k, address] of [
      ['a', '127.0.0.2'],
      ['b', '127.0.0.3'],
      ['c', '127.0.0.5'],
    ] as const) {
      const srv = http.createServer(handler);
      await new Promise<void>((r) => srv.listen(0, address, r));
      servers[k] = srv;
      ports[k] = (srv.address() as AddressInfo).port;
    }
    smtp = await startTestSmtp();
    const d = await makeUser(t.platform, { roles: ['cyber_analyst'], unit: 'cyber-ka' });
    const h = await makeUser(t.platform, { roles: ['cyber_analyst'], unit: 'cyber-ka' });
    const x = await makeUser(t.platform, { roles: ['cyber_analyst'], unit: 'st-koriyama' });
    const v = await makeUser(t.platform, { roles: ['viewer'], unit: 'cyber-ka' });
    const headPos = await db.selectFrom('positions').select('id').where('is_head', '=', 1).executeTakeFirstOrThrow();
    await db.updateTable('users').set({ position_id: headPos.id }).where('id', '=', h.id).execute();
    drafter = (await loadSubject(db, d.id, 'session'))!;
    head = (await loadSubject(db, h.id, 'session'))!;
    outsider = (await loadSubject(db, x.id, 'session'))!;
    drafterHttp = await signIn(t.app, t.platform, d.login, d.password);
    headHttp = await signIn(t.app, t.platform, h.login, h.password);
    outsiderHttp = await signIn(t.app, t.platform, x.login, x.password);
    viewerHttp = await signIn(t.app, t.platform, v.login, v.password);
    const mk = async (body: object) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/requests/recipients',
        headers: drafterHttp.headers,
        payload: body,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    };
    ids.a = await mk({ name: '見本ホスティングA株式会社', kind: 'hosting', abuseEmail: 'abuse@a.example.test' });
    ids.b = await mk({ name: '株式会社見本VPS B', kind: 'hosting', abuseEmail: 'abuse@b.example.test' });
    ids.c = await mk({ name: '見本通信C株式会社', kind: 'isp', abuseEmail: 'abuse@c.example.test' });
    const csv = 'prefix,asn,name\n127.0.0.2/32,64500,HOSTING-A\n127.0.0.3/32,64501,VPS-B\n127.0.0.5/32,64502,ISP-C\n';
    await importAsnTable(
      t.platform,
      null,
      (async function* () {
        yield csv;
      })(),
    );
    await setRecipientNetwork(t.platform, drafter, { recipientId: ids.a, asn: 'AS64500' });
    await setRecipientNetwork(t.platform, drafter, { recipientId: ids.b, asn: 'AS64501', maxPerHour: 1 });
    await setRecipientNetwork(t.platform, drafter, { recipientId: ids.c, asn: 'AS64502' });
    // A campaign holding one of the URLs as an observable: the request item links to it.
    const campaign = await createEntity(t.platform, drafter, { kind: 'campaign', name: '銀行なりすまし' }, null);
    campaignId = campaign.id;
    const now = t.clock.now().toISOString();
    await db
      .transaction()
      .execute((trx) =>
        recordObservables(
          trx,
          { type: 'entity', id: campaignId },
          [{ type: 'url', value: url('a', 1), display: url('a', 1), role: 'suspect', firstSeen: now, lastSeen: now }],
          { tlp: 'amber', now },
        ),
      );
    linkedObservable = (
      await db.selectFrom('observables').select('id').where('value', '=', url('a', 1)).executeTakeFirstOrThrow()
    ).id;
    registerRecheck(t.platform, fetch);
    registerCaptureJobs(t.platform, fetch);
  }, 120_000);
  afterAll(async () => {
    for (const s of Object.values(servers)) {
      s?.closeAllConnections();
      await new Promise((r) => (s ? s.close(r) : r(null)));
    }
    closeMailTransports();
    await smtp?.close();
    await t?.close();
  });

  it('decides "down" precisely: 404/410, NXDOMAIN, suspended, parked at once; connection failure twice in a row', () => {
    const at = (outcome: string, httpStatus: number | null = null, when = 'T2') => ({ outcome, httpStatus, at: when });
    const before = at('up', 200, 'T1');
    for (const c of [at('nxdomain'), at('suspended'), at('parked'), at('http_error', 404), at('http_error', 410)])
      expect(takenDownAt(c, before), c.outcome).toBe('T2');
    for (const c of [at('up', 200), at('changed', 200), at('timeout'), at('refused'), at('http_error', 503)])
      expect(takenDownAt(c, before), `${c.outcome} ${c.httpStatus}`).toBeNull();
    expect(takenDownAt(at('http_error', 403), before)).toBeNull();
    expect(takenDownAt(at('connection_failed'), before)).toBeNull();
    expect(takenDownAt(at('connection_failed'), at('connection_failed', null, 'T1'))).toBe('T1');
    expect(takenDownAt(at('connection_failed'), null)).toBeNull();
  });

  it('refuses a viewer, non-http URLs, more than 200 URLs and a missing reason — writing nothing', async () => {
    const post = (headers: Record<string, string>, payload: object) =>
      t.app.inject({ method: 'POST', url: '/api/requests/takedowns', headers, payload });
    const body = { urls: [url('a', 1)], title: '停止依頼', reason: 'フィッシング', capture: false };
    expect((await post(viewerHttp.headers, body)).statusCode).toBe(403);
    expect((await post(drafterHttp.headers, { ...body, urls: ['ftp://site01.phish-a.example.jp/'] })).statusCode).toBe(
      400,
    );
    const many = Array.from({ length: 201 }, (_, i) => `https://x${i}.example.jp/`);
    expect((await post(drafterHttp.headers, { ...body, urls: many })).statusCode).toBe(400);
    expect((await post(drafterHttp.headers, { ...body, typeCode: 'sosa_shokai' })).statusCode).toBe(400);
    await expect(
      draftTakedowns(t.platform, drafter, { urls: [url('a', 1)], title: 'x', capture: false }, { group }),
    ).rejects.toMatchObject({ code: 'REQUEST_FIELD_MISSING' });
    const counts = await Promise.all(
      (['requests', 'request_notices', 'site_captures'] as const).map(async (tb) =>
        Number(
          (
            await t.platform.db.db
              .selectFrom(tb)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirst()
          )?.n,
        ),
      ),
    );
    expect(counts).toEqual([0, 0, 0]);
  });

  it("writes all drafts or none: a failure while writing the second provider's draft leaves nothing behind", async () => {
    const audit = t.platform.audit;
    const record = audit.record.bind(audit);
    let notices = 0;
    audit.record = async (trx, entry) => {
      if (entry.action === 'request.notice.create' && ++notices === 2) throw new Error('disk full');
      return record(trx, entry);
    };
    try {
      await expect(
        draftTakedowns(
          t.platform,
          drafter,
          { urls: [url('a', 1), url('b', 1)], title: '途中で失敗', reason: 'フィッシング' },
          { group },
        ),
      ).rejects.toThrow('disk full');
    } finally {
      audit.record = record;
    }
    expect(notices).toBe(2);
    const left = await Promise.all(
      (['requests', 'request_items', 'request_notices', 'site_captures', 'request_capture_queue', 'jobs'] as const).map(
        async (tb) =>
          Number(
            (
              await t.platform.db.db
                .selectFrom(tb)
                .select((eb) => eb.fn.countAll().as('n'))
                .executeTakeFirst()
            )?.n,
          ),
      ),
    );
    expect(left).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("offers the campaign's URLs to pick from (a campaign is an intel entity place)", async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/requests/sources/campaign/${campaignId}/observables`,
      headers: drafterHttp.headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    // The URL and what it implies (its domain…).
    const items = res.json<{ items: { id: string; type: string }[] }>().items;
    expect(items.filter((o) => o.type === 'url').map((o) => o.id)).toEqual([linkedObservable]);
  });

  let aId = '';
  let bId = '';
  it('groups twenty URLs by provider into one draft and one notice each, links observable and campaign, and queues every URL for capture', async () => {
    const urls = [
      ...aUrls(),
      ...bUrls(),
      // ISP-C is not a takedown recipient kind; its credentials-in-URL site would be refused by the capture guard.
      `http://user:pw@site01.phish-c.example.jp:${ports.c}/login`,
      'http://lonely.phish-z.example.jp/x',
      'http://gone.phish-q.example.jp/x',
    ];
    const res = await draftTakedowns(
      t.platform,
      drafter,
      {
        urls,
        title: 'フィッシングサイトの停止',
        reason: '金融機関を装うフィッシングサイト',
        campaignId,
        screenshot: false,
      },
      { group },
    );
    expect(res.requests.map((r) => [r.recipientId, r.asn, r.items.length])).toEqual([
      [ids.a, 'AS64500', 12],
      [ids.b, 'AS64501', 8],
    ]);
    expect(res.deferred.map((d) => [d.reason, d.urls.length]).sort()).toEqual([
      ['no_recipient', 1],
      ['recipient_kind', 1],
    ]);
    expect(res.unresolved).toEqual([{ url: 'http://gone.phish-q.example.jp/x', reason: 'nxdomain' }]);
    [aId, bId] = res.requests.map((r) => r.id) as [string, string];
    for (const r of res.requests) expect(r.noticeReference).toMatch(/^RN-20260401-[A-Z2-9]{6}$/);
    // The call returns before any capture: each URL queued, nothing fetched yet.
    expect(res.captures).toHaveLength(20);
    expect(res.captures.every((c) => c.status === 'queued' && c.itemId)).toBe(true);
    expect(res.captures.map((c) => c.url)).toEqual([...aUrls(), ...bUrls()]);
    expect(await count('site_captures')).toBe(0);
    const queued = await requestDetail(t.platform, drafter, aId);
    expect(queued.captureProgress).toEqual({ total: 12, queued: 12, done: 0, failed: 0 });
    expect(queued.items.every((i) => i.captureState === 'queued' && i.capture === null)).toBe(true);
    const notices = await t.platform.db.db
      .selectFrom('request_notices')
      .select(['reference', 'request_id', 'item_count'])
      .orderBy('item_count', 'desc')
      .execute();
    expect(notices.map((n) => [n.request_id, n.item_count])).toEqual([
      [aId, 12],
      [bId, 8],
    ]);
    const d = await requestDetail(t.platform, drafter, aId);
    expect([d.status, d.typeCode, d.campaignId, d.fields.依頼理由]).toEqual([
      'draft',
      'takedown',
      campaignId,
      '金融機関を装うフィッシングサイト',
    ]);
    expect(d.noticeReference).toBe(res.requests[0]!.noticeReference);
    expect(d.items[0]).toMatchObject({
      kind: 'url',
      observableId: linkedObservable,
      noticeReference: d.noticeReference,
    });
    expect(d.items[1]!.observableId).toBeNull();
    // The second batch within the hour: provider B (1 notice per hour) is deferred, nothing written for it.
    const again = await draftTakedowns(
      t.platform,
      drafter,
      { urls: [url('b', 1)], title: '再依頼', reason: '再発', capture: false },
      { group },
    );
    expect([again.requests.length, again.deferred[0]?.reason, again.deferred[0]?.retryAt]).toEqual([
      0,
      'rate_limited',
      '2026-04-01T01:00:00.000Z',
    ]);
    const audit = await t.platform.db.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'in', ['request.create', 'request.notice.create', 'request.takedown.draft'])
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'request.create',
      'request.create',
      'request.notice.create',
      'request.notice.create',
      'request.takedown.draft',
    ]);
  });

  it('the capture job captures every queued URL of the batch; a second run captures nothing again', async () => {
    await jobsOf(t.platform).runDue();
    for (const [id, n] of [
      [aId, 12],
      [bId, 8],
    ] as const) {
      const d = await requestDetail(t.platform, drafter, id);
      expect(d.captureProgress).toEqual({ total: n, queued: 0, done: n, failed: 0 });
      expect(d.items.every((i) => i.captureState === 'done' && i.capture?.lastOutcome === 'up')).toBe(true);
      expect(d.items.every((i) => i.capture?.screenshot === false)).toBe(true);
    }
    expect(await count('site_captures')).toBe(20);
    expect(await jobsOf(t.platform).runDue()).toBe(0);
    expect(await runCaptures(t.platform, aId)).toEqual({ done: 0, failed: 0, left: 0 });
    expect(await count('site_captures')).toBe(20);
    const audit = await t.platform.db.db
      .selectFrom('audit_log')
      .select('actor_id')
      .where('action', '=', 'request.site.capture')
      .execute();
    expect(audit.length === 20 && audit.every((a) => a.actor_id === drafter.userId)).toBe(true);
  });

  it('records a capture the guard refuses on the request and keeps the draft', async () => {
    const res = await draftTakedowns(
      t.platform,
      drafter,
      {
        urls: [`http://user:pw@site02.phish-a.example.jp:${ports.a}/login`],
        title: '資格情報付きURL',
        reason: 'フィッシング',
        screenshot: false,
      },
      { group },
    );
    expect(res.requests).toHaveLength(1);
    expect(res.captures).toMatchObject([{ status: 'queued' }]);
    await jobsOf(t.platform).runDue();
    const d = await requestDetail(t.platform, drafter, res.requests[0]!.id);
    expect(d.items[0]!.capture).toBeNull();
    expect([d.items[0]!.captureState, d.items[0]!.captureFailure]).toEqual(['failed', 'refused']);
    expect(d.captureProgress).toEqual({ total: 1, queued: 0, done: 0, failed: 1 });
    expect(d.events.map((e) => e.action)).toEqual(['created', 'notice', 'capture_failed']);
  });

  it('queues nothing with capture: false', async () => {
    const jobs = await t.platform.db.db
      .selectFrom('jobs')
      .select('id')
      .where('type', '=', 'request.captures')
      .execute();
    const res = await draftTakedowns(
      t.platform,
      drafter,
      { urls: [url('a', 20)], title: '保全なし', reason: 'フィッシング', capture: false },
      { group },
    );
    expect([res.requests.length, res.captures]).toEqual([1, []]);
    const d = await requestDetail(t.platform, drafter, res.requests[0]!.id);
    expect([d.captureProgress, d.items[0]!.captureState, d.items[0]!.capture]).toEqual([null, null, null]);
    const after = await t.platform.db.db
      .selectFrom('jobs')
      .select('id')
      .where('type', '=', 'request.captures')
      .execute();
    expect(after).toHaveLength(jobs.length);
  });

  it('records a failing site as failed while the others are captured, a chunk at a time, resuming after a crash without capturing twice', async () => {
    const refused = `http://user:pw@site16.phish-a.example.jp:${ports.a}/login`;
    const urls = [url('a', 15), refused, url('a', 17), url('a', 18), url('a', 19)];
    const res = await draftTakedowns(
      t.platform,
      drafter,
      { urls, title: '一部取得できないサイト', reason: 'フィッシング', screenshot: false },
      { group },
    );
    const id = res.requests[0]!.id;
    const before = await count('site_captures');
    expect(await runCaptures(t.platform, id, { chunk: 2 })).toEqual({ done: 1, failed: 1, left: 3 });
    // A run that died after storing the third capture but before marking it: the next run marks it, fetches the rest.
    const third = res.captures[2]!;
    await captureSite(t.platform, drafter, third.url, {
      fetch,
      screenshot: false,
      requestId: id,
      requestItemId: third.itemId,
    });
    await jobsOf(t.platform).runDue();
    expect(await count('site_captures')).toBe(before + 4);
    const d = await requestDetail(t.platform, drafter, id);
    expect(d.captureProgress).toEqual({ total: 5, queued: 0, done: 4, failed: 1 });
    expect(d.items.map((i) => i.captureState)).toEqual(['done', 'failed', 'done', 'done', 'done']);
    expect(d.items.map((i) => i.capture?.lastOutcome ?? null)).toEqual(['up', null, 'up', 'up', 'up']);
    expect(d.events.filter((e) => e.action === 'capture_failed').map((e) => e.note)).toEqual([`${refused} refused`]);
    expect(d.status).toBe('draft');
  });

  it('drafts through the route with the default resolver, which the test host map RENKEI_TEST_HOSTS points at loopback', async () => {
    const saved = process.env.RENKEI_TEST_HOSTS;
    process.env.RENKEI_TEST_HOSTS = 'site21.phish-a.example.jp=127.0.0.2';
    try {
      const kase = await t.app.inject({
        method: 'POST',
        url: '/api/cases',
        headers: drafterHttp.headers,
        payload: { title: 'フィッシング事案', type: 'cyber_crime' },
      });
      expect(kase.statusCode, kase.body).toBe(201);
      const caseId = kase.json<{ id: string }>().id;
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/requests/takedowns',
        headers: drafterHttp.headers,
        payload: {
          urls: [`http://site21.phish-a.example.jp:${ports.a}/login`],
          title: '単発の停止依頼',
          fields: { 依頼理由: 'フィッシング', 調整機関: 'JPCERT/CC' },
          caseId,
          screenshot: false,
          profile: 'iphone',
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json<{
        requests: { id: string; recipientId: string; recipientName: string; items: { id: string; value: string }[] }[];
        captures: { url: string; itemId: string; status: string }[];
      }>();
      expect(body.requests.map((r) => [r.recipientId, r.recipientName, r.items.length])).toEqual([
        [ids.a, '見本ホスティングA株式会社', 1],
      ]);
      expect(body.captures).toEqual([
        {
          url: `http://site21.phish-a.example.jp:${ports.a}/login`,
          itemId: body.requests[0]!.items[0]!.id,
          requestId: body.requests[0]!.id,
          status: 'queued',
        },
      ]);
      const progress = await t.app.inject({
        method: 'GET',
        url: `/api/requests/${body.requests[0]!.id}`,
        headers: drafterHttp.headers,
      });
      expect(progress.json<{ captureProgress: unknown }>().captureProgress).toEqual({
        total: 1,
        queued: 1,
        done: 0,
        failed: 0,
      });
      await jobsOf(t.platform).runDue();
      const d = await requestDetail(t.platform, drafter, body.requests[0]!.id);
      expect(d.items[0]!.capture?.screenshot).toBe(false);
      expect([d.caseId, d.fields.調整機関, d.items[0]!.capture?.lastOutcome]).toEqual([caseId, 'JPCERT/CC', 'up']);
      // Not a member of the case: the outsider learns nothing.
      const hidden = await t.app.inject({
        method: 'GET',
        url: `/api/requests/${d.id}`,
        headers: outsiderHttp.headers,
      });
      expect(hidden.statusCode).toBe(404);
      // Nor does a colleague of the unit outside the case: its capture is not listed to him, nor served.
      const mine = await t.app.inject({
        method: 'GET',
        url: '/api/requests/recipients/captures?limit=200',
        headers: drafterHttp.headers,
      });
      const theirs = await t.app.inject({
        method: 'GET',
        url: '/api/requests/recipients/captures?limit=200',
        headers: headHttp.headers,
      });
      const capId = d.items[0]!.capture!.id;
      const listed = (r: typeof mine) => r.json<{ items: { id: string }[] }>().items.some((c) => c.id === capId);
      expect([listed(mine), listed(theirs)]).toEqual([true, false]);
      const detail = await t.app.inject({
        method: 'GET',
        url: `/api/requests/recipients/captures/${capId}`,
        headers: headHttp.headers,
      });
      expect(detail.statusCode).toBe(404);
    } finally {
      if (saved === undefined) delete process.env.RENKEI_TEST_HOSTS;
      else process.env.RENKEI_TEST_HOSTS = saved;
    }
  });

  it('lists captures per request and serves their HTML through an audited download, to the drafting unit only', async () => {
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/requests/recipients/captures?requestId=${aId}&limit=5`,
      headers: drafterHttp.headers,
    });
    expect(list.statusCode, list.body).toBe(200);
    const page = list.json<{ items: { id: string; htmlFileId: string; requestId: string }[]; nextCursor: string }>();
    expect([page.items.length, page.items.every((c) => c.requestId === aId), !!page.nextCursor]).toEqual([
      5,
      true,
      true,
    ]);
    const next = await t.app.inject({
      method: 'GET',
      url: `/api/requests/recipients/captures?requestId=${aId}&cursor=${encodeURIComponent(page.nextCursor)}&limit=50`,
      headers: drafterHttp.headers,
    });
    expect(next.json<{ items: unknown[] }>().items).toHaveLength(7);
    const c = page.items[0]!;
    const file = `/api/requests/recipients/captures/${c.id}/files/${c.htmlFileId}`;
    const got = await t.app.inject({ method: 'GET', url: file, headers: drafterHttp.headers });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-disposition']).toMatch(/^attachment/);
    expect(got.body).toContain('ログイン');
    for (const [u, h] of [
      [file, outsiderHttp.headers],
      [`/api/requests/recipients/captures?requestId=${aId}`, outsiderHttp.headers],
      [`/api/requests/recipients/captures/${c.id}/files/${linkedObservable}`, drafterHttp.headers],
    ] as const) {
      expect((await t.app.inject({ method: 'GET', url: u, headers: h })).statusCode, u).toBe(404);
    }
    const audit = await t.platform.db.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'request.site.capture.download')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it.skipIf(!existsSync(CHROMIUM_PATH) || engine !== 'sqlite')(
    'takes the screenshots of a batch in one shared browser, each downloadable',
    async () => {
      const res = await draftTakedowns(
        t.platform,
        drafter,
        { urls: [url('a', 13), url('a', 14)], title: '画面取得', reason: 'フィッシング', profile: 'android' },
        { group },
      );
      await jobsOf(t.platform).runDue();
      const d = await requestDetail(t.platform, drafter, res.requests[0]!.id);
      expect(d.items.map((i) => i.capture?.screenshot)).toEqual([true, true]);
      const list = await t.app.inject({
        method: 'GET',
        url: `/api/requests/recipients/captures?requestId=${d.id}`,
        headers: drafterHttp.headers,
      });
      const c = list.json<{ items: { id: string; screenshotFileId: string }[] }>().items[0]!;
      const png = await t.app.inject({
        method: 'GET',
        url: `/api/requests/recipients/captures/${c.id}/files/${c.screenshotFileId}`,
        headers: drafterHttp.headers,
      });
      expect([png.statusCode, png.headers['content-type']]).toEqual([200, 'image/png']);
      expect(png.rawPayload.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    },
    60_000,
  );

  it('sends the approved takedown by mail: the SMTP server receives the letter with both references and the PDF', async () => {
    t.platform.config.smtpUrl = smtp.url;
    await approveRequest(t.platform, head, aId, null);
    const sent = await t.app.inject({
      method: 'POST',
      url: `/api/requests/${aId}/send`,
      headers: headHttp.headers,
      payload: { via: 'mail' },
    });
    expect(sent.statusCode, sent.body).toBe(200);
    await jobsOf(t.platform).runDue();
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.to).toEqual(['abuse@a.example.test']);
    const mail = await simpleParser(smtp.received[0]!.raw);
    const d = await requestDetail(t.platform, drafter, aId);
    expect(mail.subject).toContain('テイクダウン依頼');
    expect(mail.subject).toContain(d.reference);
    expect(mail.subject).toContain(d.noticeReference!);
    expect(mail.subject).toContain(d.documentNumber!);
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      [`${d.reference}.pdf`, 'application/pdf'],
    ]);
    const text = (await readPdf(mail.attachments[0]!.content)).pages.map((pg) => pg.text).join('\n');
    expect(text).toContain('令和8年4月1日');
    expect(text).toContain(d.documentNumber!);
    expect(text).toContain('hxxp://site01.phish-a.example.jp');
  });

  it('lists recipients with their ASNs and hourly limits', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/requests/recipients', headers: drafterHttp.headers });
    const items = res.json<{ items: { id: string; asns: string[]; maxPerHour: number; limitSet: boolean }[] }>().items;
    expect(items.find((r) => r.id === ids.b)).toMatchObject({ asns: ['AS64501'], maxPerHour: 1, limitSet: true });
    expect(items.find((r) => r.id === ids.a)).toMatchObject({ asns: ['AS64500'], maxPerHour: 20, limitSet: false });
  });
  it('re-check now: every captured item of A found down (404) is taken down, and the request is done', async () => {
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/requests/${aId}/recheck`, headers: outsiderHttp.headers }))
        .statusCode,
    ).toBe(404);
    for (const u of aUrls().slice(0, 11)) down.add(hostOf(u));
    await tick(5 * HOUR);
    const first = await t.app.inject({
      method: 'POST',
      url: `/api/requests/${aId}/recheck`,
      headers: drafterHttp.headers,
    });
    expect(first.statusCode, first.body).toBe(200);
    const items = first.json<{ items: { value: string; checkOutcome: string; outcome: string }[] }>().items;
    expect(items).toHaveLength(12);
    expect(items.slice(0, 11).every((i) => i.checkOutcome === 'http_error' && i.outcome === 'taken_down')).toBe(true);
    expect([items[11]!.checkOutcome, items[11]!.outcome]).toEqual(['up', 'pending']);
    expect((await requestDetail(t.platform, drafter, aId)).status).toBe('sent');
    down.add(hostOf(url('a', 12)));
    await tick(HOUR);
    const second = await t.app.inject({
      method: 'POST',
      url: `/api/requests/${aId}/recheck`,
      headers: drafterHttp.headers,
    });
    expect(second.json<{ items: { outcome: string }[] }>().items.every((i) => i.outcome === 'taken_down')).toBe(true);
    const d = await requestDetail(t.platform, drafter, aId);
    expect([d.status, d.closedAt]).toEqual(['done', t.clock.now().toISOString()]);
    expect(d.items[0]!.outcomeAt).toBe('2026-04-01T05:00:00.000Z');
    expect(d.items[0]!.capture?.lastOutcome).toBe('http_error');
    expect(d.events.map((e) => e.action).slice(-2)).toEqual(['item_outcome', 'done']);
    const tags = await t.platform.db.db
      .selectFrom('observable_tags')
      .innerJoin('observables', 'observables.num', 'observable_tags.observable_num')
      .select(['observables.id', 'observable_tags.tag'])
      .where('observable_tags.tag', '=', 'taken-down:2026-04-01')
      .execute();
    expect(tags.some((x) => x.id === linkedObservable)).toBe(true);
    const m = await measures(t.platform, drafter);
    const row = m.timeToOutcome.find((x) => x.recipientId === ids.a && x.outcome === 'taken_down')!;
    expect(row.count).toBe(12);
    expect(row.medianHours).toBeCloseTo(5, 5);
  });

  it('the scheduled re-check sets nothing on a draft, then takes down B item by item and closes it', async () => {
    suspended.add(hostOf(url('b', 1)));
    await recheckRound();
    const draft = await requestDetail(t.platform, drafter, bId);
    expect(draft.items[0]!.capture?.lastOutcome).toBe('suspended');
    expect(draft.items.map((i) => i.outcome)).toEqual(Array(8).fill('pending'));
    await approveRequest(t.platform, head, bId, null);
    await sendRequest(t.platform, drafter, bId, 'print', null);
    await recheckRound();
    const one = await requestDetail(t.platform, drafter, bId);
    expect(one.items.map((i) => i.outcome)).toEqual(['taken_down', ...Array(7).fill('pending')]);
    expect(one.status).toBe('sent');
    // The provider pulls the server: one refused connection is not enough, the second in a row is.
    servers.b?.closeAllConnections();
    await new Promise((r) => servers.b?.close(r));
    servers.b = null;
    await recheckRound();
    const firstFailAt = t.clock.now().toISOString();
    const two = await requestDetail(t.platform, drafter, bId);
    expect(two.items[1]!.capture?.lastOutcome).toBe('connection_failed');
    expect(two.items.slice(1).map((i) => i.outcome)).toEqual(Array(7).fill('pending'));
    await recheckRound();
    const done = await requestDetail(t.platform, drafter, bId);
    expect(done.items.map((i) => i.outcome)).toEqual(Array(8).fill('taken_down'));
    // Taken down when the first of the two failed checks was made.
    expect(done.items[1]!.outcomeAt).toBe(firstFailAt);
    expect(done.status).toBe('done');
    const systemAudit = await t.platform.db.db
      .selectFrom('audit_log')
      .select(['actor_id'])
      .where('action', '=', 'request.item.outcome')
      .where('target_id', '=', bId)
      .execute();
    expect(systemAudit).toHaveLength(8);
    expect(systemAudit.every((a) => a.actor_id === null)).toBe(true);
    expect((await requestDetail(t.platform, outsider, bId).catch((e) => e)).code).toBe('NOT_FOUND');
  });
});
