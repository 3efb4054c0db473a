import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSubject } from '../../platform/auth/loadSubject.ts';
import type { Subject } from '../../platform/auth/subject.ts';
import { jobsOf } from '../../platform/jobs/index.ts';
import type { Resolver } from '../../platform/net/guard.ts';
import { testEngines } from '../../testing/engines.ts';
import { type SignedIn, makeUser, signIn } from '../../testing/factories.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';
import { importAsnTable } from '../intel/importer.ts';
import { registerCaptureJobs } from './captureJobs.ts';
import { sendRequest } from './lifecycle.ts';
import { requestDetail } from './queries.ts';
import { recheckRequest, registerRecheck } from './recipients/capture.ts';
import { setRecipientNetwork } from './recipients/notices.ts';
import { approveRequest } from './service.ts';
import { draftTakedowns } from './takedowns.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Re-queuing failed captures, and watching a site after its takedown (docs/adr/0020-requests.md "Watching after a
 * takedown") on a fake clock: a local node:http server on 127.0.0.2 answers for every site through an injected
 * resolver; a host listed in `fenced` resolves to a private address instead, which the capture guard refuses.
 */
describe.each(testEngines())('failed captures retried, sites watched after takedown on %s', (engine) => {
  let t: TestContext;
  let drafter: Subject;
  let head: Subject;
  let drafterHttp: SignedIn;
  let outsiderHttp: SignedIn;
  let viewerHttp: SignedIn;
  let server: http.Server;
  let port = 0;
  const down = new Set<string>();
  const fenced = new Set<string>();
  const resolver: Resolver = async (host) => {
    if (!/^site\d+\.phish-a\.example\.jp$/.test(host)) throw Object.assign(new Error('nx'), { code: 'ENOTFOUND' });
    return [{ address: fenced.has(host) ? '10.0.0.7' : '127.0.0.2', family: 4 }];
  };
  const fetch = { resolver, allowLoopbackInTests: true, proxy: null, timeoutMs: 5000 };
  const group = { resolver, rdap: { fetch } };
  const host = (n: number) => `site${String(n).padStart(2, '0')}.phish-a.example.jp`;
  const url = (n: number) => `http://${host(n)}:${port}/login`;
  const run = async (ms: number) => {
    t.clock.advance(ms);
    await jobsOf(t.platform).runDue();
  };
  /** The checks of the newest capture of an item made after `after` (ISO). */
  const checksOf = async (itemId: string, after = '') => {
    const rows = await t.platform.db.db
      .selectFrom('site_checks')
      .innerJoin('site_captures', 'site_captures.id', 'site_checks.capture_id')
      .select(['site_checks.at', 'site_checks.outcome'])
      .where('site_captures.request_item_id', '=', itemId)
      .where('site_checks.at', '>', after)
      .orderBy('site_checks.at')
      .execute();
    return rows;
  };
  const retry = (id: string, h: SignedIn) =>
    t.app.inject({ method: 'POST', url: `/api/requests/${id}/captures/retry`, headers: h.headers, payload: {} });
  const draft = (urls: string[], title: string) =>
    draftTakedowns(t.platform, drafter, { urls, title, reason: 'フィッシング', screenshot: false }, { group });

  beforeAll(async () => {
    t = await createTestContext(engine, '2026-04-01T00:00:00.000Z');
    const db = t.platform.db.db;
    server = http.createServer((req, res) => {
      const h = String(req.headers.host ?? '').replace(/:\d+$/, '');
      res.setHeader('content-type', 'text/html; charset=utf-8');
      if (down.has(h)) {
        res.statusCode = 404;
        res.end('Not Found');
      } else res.end(`<html><body><h1>ログイン</h1><p>${h}</p></body></html>`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.2', r));
    port = (server.address() as AddressInfo).port;
    const d = await makeUser(t.platform, { roles: ['cyber_analyst'], unit: 'cyber-ka' });
    const h = await makeUser(t.platform, { roles: ['cyber_analyst'], unit: 'cyber-ka' });
    const x = await makeUser(t.platform, { roles: ['cyber_analyst'], unit: 'st-koriyama' });
    const v = await makeUser(t.platform, { roles: ['viewer'], unit: 'cyber-ka' });
    const headPos = await db.selectFrom('positions').select('id').where('is_head', '=', 1).executeTakeFirstOrThrow();
    await db.updateTable('users').set({ position_id: headPos.id }).where('id', '=', h.id).execute();
    await db.updateTable('users').set({ email: 'drafter@police.example.test' }).where('id', '=', d.id).execute();
    drafter = (await loadSubject(db, d.id, 'session'))!;
    head = (await loadSubject(db, h.id, 'session'))!;
    drafterHttp = await signIn(t.app, t.platform, d.login, d.password);
    outsiderHttp = await signIn(t.app, t.platform, x.login, x.password);
    viewerHttp = await signIn(t.app, t.platform, v.login, v.password);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/requests/recipients',
      headers: drafterHttp.headers,
      payload: { name: '見本ホスティングA株式会社', kind: 'hosting', abuseEmail: 'abuse@a.example.test' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const csv = 'prefix,asn,name\n127.0.0.2/32,64500,HOSTING-A\n10.0.0.7/32,64500,HOSTING-A\n';
    await importAsnTable(
      t.platform,
      null,
      (async function* () {
        yield csv;
      })(),
    );
    await setRecipientNetwork(t.platform, drafter, { recipientId: res.json<{ id: string }>().id, asn: 'AS64500' });
    registerRecheck(t.platform, fetch);
    registerCaptureJobs(t.platform, fetch);
  }, 120_000);
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((r) => (server ? server.close(r) : r(null)));
    await t?.close();
  });

  let rid = '';
  it('re-queues only the failed captures, by request staff who see the request; the same job captures them', async () => {
    fenced.add(host(2));
    const res = await draft([url(1), url(2), url(3)], '停止依頼');
    rid = res.requests[0]!.id;
    await jobsOf(t.platform).runDue();
    const before = await requestDetail(t.platform, drafter, rid);
    expect(before.captureProgress).toEqual({ total: 3, queued: 0, done: 2, failed: 1 });
    expect(before.items.map((i) => i.captureState)).toEqual(['done', 'failed', 'done']);
    fenced.delete(host(2));
    expect((await retry(rid, viewerHttp)).statusCode).toBe(403);
    expect((await retry(rid, outsiderHttp)).statusCode).toBe(404);
    const ok = await retry(rid, drafterHttp);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ retried: 1 });
    const queued = await requestDetail(t.platform, drafter, rid);
    expect(queued.captureProgress).toEqual({ total: 3, queued: 1, done: 2, failed: 0 });
    expect(queued.items.map((i) => i.captureState)).toEqual(['done', 'queued', 'done']);
    expect(queued.events.at(-1)).toMatchObject({ action: 'captures_retried', note: '1' });
    await jobsOf(t.platform).runDue();
    const after = await requestDetail(t.platform, drafter, rid);
    expect(after.captureProgress).toEqual({ total: 3, queued: 0, done: 3, failed: 0 });
    expect(after.items.map((i) => i.capture?.lastOutcome)).toEqual(['up', 'up', 'up']);
    // The items captured the first time were not captured again.
    const captures = await t.platform.db.db
      .selectFrom('site_captures')
      .select('request_item_id')
      .where('request_id', '=', rid)
      .execute();
    expect(captures).toHaveLength(3);
    // Nothing failed any more: nothing to re-queue, nothing written.
    expect((await retry(rid, drafterHttp)).json()).toEqual({ retried: 0 });
    const audit = await t.platform.db.db
      .selectFrom('audit_log')
      .select(['actor_id', 'target_id'])
      .where('action', '=', 'request.captures.retry')
      .execute();
    expect(audit).toEqual([{ actor_id: drafter.userId, target_id: rid }]);
  });

  it('retries again after a retry failed too (each retry runs as its own job)', async () => {
    fenced.add(host(9));
    const res = await draft([url(9)], '再試行の再試行');
    const id = res.requests[0]!.id;
    await jobsOf(t.platform).runDue();
    expect((await retry(id, drafterHttp)).json()).toEqual({ retried: 1 });
    await jobsOf(t.platform).runDue();
    expect((await requestDetail(t.platform, drafter, id)).captureProgress?.failed).toBe(1);
    fenced.delete(host(9));
    expect((await retry(id, drafterHttp)).json()).toEqual({ retried: 1 });
    await jobsOf(t.platform).runDue();
    const d = await requestDetail(t.platform, drafter, id);
    expect([d.captureProgress?.done, d.items[0]!.capture?.lastOutcome]).toEqual([1, 'up']);
    expect(d.events.map((e) => e.action)).toEqual([
      'created',
      'notice',
      'capture_failed',
      'captures_retried',
      'capture_failed',
      'captures_retried',
    ]);
  });

  let downAt = '';
  let ids: string[] = [];
  it('watches a site confirmed down daily, not every 6 h', async () => {
    await approveRequest(t.platform, head, rid, null);
    await sendRequest(t.platform, drafter, rid, 'print', null);
    down.add(host(1));
    down.add(host(2));
    await run(7 * HOUR);
    downAt = t.clock.now().toISOString();
    const d = await requestDetail(t.platform, drafter, rid);
    ids = d.items.map((i) => i.id);
    expect(d.items.map((i) => i.outcome)).toEqual(['taken_down', 'taken_down', 'pending']);
    const until = new Date(Date.parse(downAt) + 30 * DAY).toISOString();
    expect(d.items.map((i) => [i.capture?.watch, i.capture?.downAt, i.capture?.watchUntil])).toEqual([
      ['watching', downAt, until],
      ['watching', downAt, until],
      ['following', null, null],
    ]);
    // Six hours on: the site still up is checked, the two down are not.
    await run(7 * HOUR);
    expect((await Promise.all(ids.map((i) => checksOf(i, downAt)))).map((c) => c.length)).toEqual([0, 0, 1]);
    // A day after it was found down: checked again.
    await run(17 * HOUR);
    expect((await Promise.all(ids.map((i) => checksOf(i, downAt)))).map((c) => c.length)).toEqual([1, 1, 2]);
    expect((await requestDetail(t.platform, drafter, rid)).items[0]!.resurfacedAt).toBeNull();
  });

  it('flags a site that comes back (復活): event, item, observable tag, audit, mail to the drafter', async () => {
    down.delete(host(1));
    await run(DAY);
    const at = t.clock.now().toISOString();
    const d = await requestDetail(t.platform, drafter, rid);
    expect(d.items.map((i) => i.resurfacedAt)).toEqual([at, null, null]);
    expect(d.items[0]).toMatchObject({ outcome: 'taken_down', capture: { lastOutcome: 'up', watch: 'following' } });
    expect(d.items[1]!.capture?.watch).toBe('watching');
    expect(d.events.filter((e) => e.action === 'resurfaced').map((e) => [e.at, e.note])).toEqual([[at, `1:${url(1)}`]]);
    const tags = await t.platform.db.db
      .selectFrom('observable_tags')
      .innerJoin('observables', 'observables.num', 'observable_tags.observable_num')
      .select(['observables.value', 'observable_tags.tag'])
      .where('observable_tags.tag', 'like', 'resurfaced:%')
      .execute();
    expect(tags).toEqual([{ value: url(1), tag: `resurfaced:${at.slice(0, 10)}` }]);
    const audit = await t.platform.db.db
      .selectFrom('audit_log')
      .select(['actor_id', 'target_id'])
      .where('action', '=', 'request.item.resurfaced')
      .execute();
    expect(audit).toEqual([{ actor_id: null, target_id: rid }]);
    const mail = await t.platform.db.db
      .selectFrom('mail_outbox')
      .select(['to_addrs', 'subject', 'body_text'])
      .where('subject', 'like', '%サイト復活%')
      .execute();
    expect(mail).toHaveLength(1);
    expect(JSON.parse(mail[0]!.to_addrs)).toEqual(['drafter@police.example.test']);
    expect(mail[0]!.body_text).toContain(d.reference);
    // Up again, it is followed every 6 h as before; down again, the daily watch starts over.
    down.add(host(1));
    await run(6 * HOUR);
    const again = await requestDetail(t.platform, drafter, rid);
    expect([again.items[0]!.capture?.watch, again.items[0]!.capture?.downAt]).toEqual([
      'watching',
      t.clock.now().toISOString(),
    ]);
    expect(again.items[0]!.resurfacedAt).toBe(at);
  });

  it('stops following a site 30 days after it was found down when it stayed down', async () => {
    const end = Date.parse(downAt) + 30 * DAY;
    while (t.clock.now().getTime() < end + 2 * DAY) await run(DAY);
    const quiet = await checksOf(ids[1]!, downAt);
    // Daily from the day after it went down until the 30 days ran out: 29 checks, none after.
    expect(quiet).toHaveLength(29);
    expect(Date.parse(quiet.at(-1)!.at)).toBeLessThan(end);
    expect(quiet.every((c) => c.outcome === 'http_error')).toBe(true);
    const d = await requestDetail(t.platform, drafter, rid);
    // The first site, down again since two days after, stayed down as well: its own 30 days ran out too.
    expect(d.items.map((i) => i.capture?.watch)).toEqual(['ended', 'ended', 'following']);
    expect(d.items[1]!.resurfacedAt).toBeNull();
    // Even if it came back now, nobody looks any more: no check, no flag.
    down.delete(host(2));
    await run(3 * DAY);
    expect(await checksOf(ids[1]!, new Date(end).toISOString())).toEqual([]);
    expect((await requestDetail(t.platform, drafter, rid)).items[1]!.resurfacedAt).toBeNull();
    // 今すぐ再確認 by a person still finds it back: flagged, and followed every 6 h again.
    const now = await recheckRequest(t.platform, drafter, rid, null);
    expect(now.items.map((i) => i.checkOutcome)).toEqual(['http_error', 'up', 'up']);
    const back = await requestDetail(t.platform, drafter, rid);
    expect([back.items[1]!.resurfacedAt, back.items[1]!.capture?.watch]).toEqual([
      t.clock.now().toISOString(),
      'following',
    ]);
    const manual = t.clock.now().toISOString();
    await run(7 * HOUR);
    expect((await checksOf(ids[1]!, manual)).map((c) => c.outcome)).toEqual(['up']);
  });
});
