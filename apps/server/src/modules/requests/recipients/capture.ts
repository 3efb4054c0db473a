import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { Subject } from '../../../platform/auth/subject.ts';
import type { Platform } from '../../../platform/context.ts';
import { AppError } from '../../../platform/errors.ts';
import { fileStoreFor } from '../../../platform/files/index.ts';
import { jobsOf } from '../../../platform/jobs/index.ts';
import {
  type FetchOutcome,
  type SafeFetchOptions,
  type SafeFetchResult,
  type UserAgentProfile,
  USER_AGENTS,
  safeFetch,
} from '../../../platform/net/safeFetch.ts';
import type { Selectable } from 'kysely';
import type { Browser } from 'playwright-core';
import type { AuditActor } from '../../../platform/audit/audit.ts';
import type { AnyDb } from '../../../platform/db/dialect.ts';
import { actorOf, visibleRequest } from '../access.ts';
import { WATCH_DAYS, WATCH_INTERVAL_MS, applyCheck, applyWatch } from '../flowback.ts';
import { presentCapture } from './captureList.ts';
import type { SiteCaptureTable } from './tables.ts';

/**
 * Evidence capture of a site before a takedown request (HTML, screenshot, SHA-256 hashes, in the encrypted file
 * store) and the scheduled re-check that records each outcome. The browser never reaches the network itself:
 * every request it makes is intercepted and answered by the safe fetcher (same guard, pinned addresses,
 * redirects re-checked), and its own proxy points at a closed port so anything not intercepted fails closed.
 */
export const CHROMIUM_PATH = process.env.RENKEI_CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface CaptureOptions {
  fetch?: SafeFetchOptions;
  profile?: UserAgentProfile;
  /** false: HTML and hashes only. Default: a screenshot when Chromium is installed. */
  screenshot?: boolean;
  requestId?: string | null;
  /** The request item the capture is evidence for: re-check outcomes flow back onto it. */
  requestItemId?: string | null;
  /** A browser shared by a batch of captures (`withSharedBrowser`); one is launched per capture otherwise. */
  browser?: Browser | null;
  /** Follow the site with the scheduled re-check (default true). */
  recheck?: boolean;
  clientIp?: string | null;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Launches the guarded headless Chromium (its own proxy a closed port, so anything not intercepted fails closed). */
export async function launchBrowser(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    // Fail closed: a request that escapes interception (WebSocket, preconnect) goes to a closed port.
    proxy: { server: 'http://127.0.0.1:9' },
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking', '--dns-prefetch-disable'],
  });
}

/**
 * Runs `fn` with one browser shared by a batch of captures (each capture still gets its own isolated context),
 * or null when Chromium is not installed or not wanted; the browser is closed afterwards.
 */
export async function withSharedBrowser<T>(wanted: boolean, fn: (b: Browser | null) => Promise<T>): Promise<T> {
  if (!wanted || !existsSync(CHROMIUM_PATH)) return fn(null);
  let browser: Browser | null = null;
  try {
    browser = await launchBrowser();
  } catch {
    browser = null; // each capture then launches its own and notes a failure if that fails too
  }
  try {
    return await fn(browser);
  } finally {
    await browser?.close();
  }
}

/**
 * A PNG screenshot of `url` rendered by headless Chromium, every request served through the safe fetcher. With a
 * shared browser the page gets a fresh context in it (closed afterwards); otherwise a browser is launched for it.
 */
export async function screenshotOf(
  url: string,
  profile: UserAgentProfile,
  fetch: SafeFetchOptions,
  shared: Browser | null = null,
): Promise<Buffer> {
  const browser = shared ?? (await launchBrowser());
  try {
    const mobile = profile !== 'desktop';
    const ctx = await browser.newContext({
      userAgent: USER_AGENTS[profile],
      viewport: mobile ? { width: 390, height: 844 } : { width: 1280, height: 900 },
      isMobile: mobile,
      serviceWorkers: 'block',
      javaScriptEnabled: true,
    });
    await ctx.route('**/*', async (route) => {
      const r = await safeFetch(route.request().url(), { ...fetch, profile, maxBytes: 5 * 1024 * 1024 });
      if (r.status === null || r.body === null) return route.abort('blockedbyclient');
      return route.fulfill({
        status: r.status,
        contentType: r.contentType ?? 'application/octet-stream',
        body: r.body,
      });
    });
    const page = await ctx.newPage();
    try {
      await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
      return await page.screenshot({ fullPage: false, type: 'png' });
    } finally {
      await ctx.close();
    }
  } finally {
    if (!shared) await browser.close();
  }
}

export async function captureSite(p: Platform, s: Subject, url: string, o: CaptureOptions = {}) {
  const profile = o.profile ?? 'desktop';
  // A capture joins only a request the caller may see, and an item only of that request.
  if (o.requestId) await visibleRequest(p.db.db, s, o.requestId);
  if (o.requestItemId) {
    const item = o.requestId
      ? await p.db.db
          .selectFrom('request_items')
          .select('id')
          .where('id', '=', o.requestItemId)
          .where('request_id', '=', o.requestId)
          .executeTakeFirst()
      : undefined;
    if (!item) throw new AppError('VALIDATION_FAILED', 'requestItemId');
  }
  const r = await safeFetch(url, { ...o.fetch, profile });
  if (r.outcome === 'refused') throw new AppError('VALIDATION_FAILED');
  const id = randomUUID();
  const files = fileStoreFor(p);
  const actor = actorOf(s);
  let html: { id: string; sha256: string } | null = null;
  if (r.body) {
    const ref = await files.put(
      Readable.from([r.body]),
      { ownerType: 'site_capture', ownerId: id, originalName: 'page.html', declaredType: 'text/html' },
      actor,
    );
    html = { id: ref.id, sha256: sha(r.body) };
  }
  let shot: { id: string; sha256: string } | null = null;
  let note = '';
  const wantShot = o.screenshot ?? true;
  if (!wantShot) note = 'disabled';
  else if (!existsSync(CHROMIUM_PATH)) note = 'chromium_absent';
  else if (r.body) {
    try {
      const png = await screenshotOf(url, profile, o.fetch ?? {}, o.browser ?? null);
      const ref = await files.put(
        Readable.from([png]),
        { ownerType: 'site_capture', ownerId: id, originalName: 'screenshot.png', declaredType: 'image/png' },
        actor,
      );
      shot = { id: ref.id, sha256: sha(png) };
    } catch (e) {
      note = `screenshot_failed: ${(e as Error).message.split('\n')[0]?.slice(0, 200)}`;
    }
  } else note = 'no_page';
  const now = p.clock.now().toISOString();
  await p.db.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('site_captures')
      .values({
        id,
        url,
        final_url: r.finalUrl,
        profile,
        outcome: r.outcome,
        http_status: r.status,
        html_file_id: html?.id ?? null,
        html_sha256: html?.sha256 ?? null,
        screenshot_file_id: shot?.id ?? null,
        screenshot_sha256: shot?.sha256 ?? null,
        screenshot_note: note,
        owner_unit_id: s.unitId,
        request_id: o.requestId ?? null,
        request_item_id: o.requestItemId ?? null,
        recheck: o.recheck === false ? 0 : 1,
        last_outcome: r.outcome,
        last_checked_at: now,
        down_at: null,
        created_by: s.userId,
        created_at: now,
      })
      .execute();
    await trx
      .insertInto('site_checks')
      .values({
        id: randomUUID(),
        capture_id: id,
        at: now,
        outcome: r.outcome,
        http_status: r.status,
        sha256: r.sha256,
        error: r.error,
      })
      .execute();
    await p.audit.record(trx, {
      actor,
      action: 'request.site.capture',
      target: { type: 'site_capture', id },
      result: 'success',
      clientIp: o.clientIp ?? null,
      details: { url, outcome: r.outcome, htmlSha256: html?.sha256 ?? null, screenshotSha256: shot?.sha256 ?? null },
    });
  });
  return captureDetail(p, s, id);
}

/** A capture with its check history (newest first), for the drafting unit only. */
export async function captureDetail(p: Platform, s: Subject, id: string) {
  const db = p.db.db;
  const c = await db.selectFrom('site_captures').selectAll().where('id', '=', id).executeTakeFirst();
  if (!c || c.owner_unit_id !== s.unitId) throw new AppError('NOT_FOUND');
  if (c.request_id) await visibleRequest(db, s, c.request_id);
  const checks = await db
    .selectFrom('site_checks')
    .select(['at', 'outcome', 'http_status', 'sha256', 'error'])
    .where('capture_id', '=', id)
    .orderBy('at', 'desc')
    .limit(200)
    .execute();
  return {
    ...presentCapture(c),
    checks: checks.map((k) => ({
      at: k.at,
      outcome: k.outcome,
      httpStatus: k.http_status,
      sha256: k.sha256,
      error: k.error,
    })),
  };
}

export const RECHECK_INTERVAL_MS = 6 * 3600_000;

/** A capture to re-check and what was seen last. */
type Followed = Pick<
  Selectable<SiteCaptureTable>,
  'id' | 'url' | 'profile' | 'html_sha256' | 'request_item_id' | 'last_outcome' | 'last_checked_at' | 'down_at'
> & { last_status: number | null };

/**
 * Re-checks one capture: the outcome is appended to `site_checks`, copied to the capture, and flows back onto its
 * request item (`applyCheck`: taken down when the site is down) — all in one transaction.
 */
export async function recheckCapture(
  p: Platform,
  c: Followed,
  fetch: SafeFetchOptions,
  by: { actor: AuditActor | null; userId: string | null; ip: string | null },
): Promise<{ outcome: FetchOutcome; httpStatus: number | null; itemOutcome: 'taken_down' | null }> {
  return recordCheck(p, c, await fetchCheck(c, fetch), by);
}

/** The fetch half of a re-check (no writes): several may run at once. */
export function fetchCheck(c: Followed, fetch: SafeFetchOptions) {
  return safeFetch(c.url, { ...fetch, profile: c.profile as UserAgentProfile, previousSha256: c.html_sha256 });
}

/** The write half of a re-check: one transaction; callers write one capture at a time. */
export async function recordCheck(
  p: Platform,
  c: Followed,
  r: SafeFetchResult,
  by: { actor: AuditActor | null; userId: string | null; ip: string | null },
): Promise<{ outcome: FetchOutcome; httpStatus: number | null; itemOutcome: 'taken_down' | null }> {
  const at = p.clock.now().toISOString();
  const itemOutcome = await p.db.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('site_checks')
      .values({
        id: randomUUID(),
        capture_id: c.id,
        at,
        outcome: r.outcome,
        http_status: r.status,
        sha256: r.sha256,
        error: r.error,
      })
      .execute();
    await trx
      .updateTable('site_captures')
      .set({ last_outcome: r.outcome, last_checked_at: at })
      .where('id', '=', c.id)
      .execute();
    const check = { outcome: r.outcome, httpStatus: r.status, at };
    const previous = { outcome: c.last_outcome, httpStatus: c.last_status, at: c.last_checked_at };
    const outcome = await applyCheck(p, trx, c, check, previous, by);
    // After the outcome: the check that takes the item down also starts the watch (flowback.ts applyWatch).
    await applyWatch(p, trx, c, check, previous, by);
    return outcome;
  });
  return { outcome: r.outcome, httpStatus: r.status, itemOutcome };
}

/** The captures' columns `recheckCapture` needs, with the HTTP status of the last check. */
const followedColumns = (db: AnyDb) =>
  db
    .selectFrom('site_captures')
    .select([
      'site_captures.id',
      'site_captures.url',
      'site_captures.profile',
      'site_captures.html_sha256',
      'site_captures.request_item_id',
      'site_captures.last_outcome',
      'site_captures.last_checked_at',
      'site_captures.down_at',
      (eb) =>
        eb
          .selectFrom('site_checks')
          .select('site_checks.http_status')
          .whereRef('site_checks.capture_id', '=', 'site_captures.id')
          .orderBy('site_checks.at', 'desc')
          .limit(1)
          .as('last_status'),
    ]);

/**
 * Re-checks every followed capture not checked within its interval — 6 h, or daily for a site confirmed down after
 * its takedown — and records each outcome. A watch WATCH_DAYS old ends first: that capture is followed no more.
 * Returns how many were checked.
 */
export async function recheckDue(p: Platform, fetch: SafeFetchOptions = {}, limit = 200): Promise<number> {
  const now = p.clock.now();
  const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
  await p.db.db
    .updateTable('site_captures')
    .set({ recheck: 0 })
    .where('recheck', '=', 1)
    .where('down_at', 'is not', null)
    .where('down_at', '<=', ago(WATCH_DAYS * 24 * 3600_000))
    .execute();
  // A minute's slack: the hourly run that falls exactly one interval later is not missed by a few seconds.
  const before = ago(RECHECK_INTERVAL_MS - 60_000);
  const watchedBefore = ago(WATCH_INTERVAL_MS - 60_000);
  const due = await followedColumns(p.db.db)
    .where('site_captures.recheck', '=', 1)
    .where((eb) =>
      eb.or([
        eb.and([eb('site_captures.down_at', 'is', null), eb('site_captures.last_checked_at', '<=', before)]),
        eb.and([eb('site_captures.down_at', 'is not', null), eb('site_captures.last_checked_at', '<=', watchedBefore)]),
      ]),
    )
    .orderBy('site_captures.last_checked_at')
    .limit(limit)
    .execute();
  for (const c of due) await recheckCapture(p, c, fetch, { actor: null, userId: null, ip: null });
  return due.length;
}

/**
 * 今すぐ再確認: re-checks every captured item of a visible request now (its newest capture per item, three at a
 * time); outcomes flow back as in the scheduled re-check, by the caller.
 */
export async function recheckRequest(p: Platform, s: Subject, requestId: string, ip: string | null) {
  await visibleRequest(p.db.db, s, requestId);
  const rows = await followedColumns(p.db.db)
    .select('site_captures.created_at')
    .where('site_captures.request_id', '=', requestId)
    .where('site_captures.request_item_id', 'is not', null)
    .orderBy('site_captures.created_at', 'desc')
    .limit(1000)
    .execute();
  const newest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) if (!newest.has(r.request_item_id!)) newest.set(r.request_item_id!, r);
  const fetch = recheckFetch.get(p) ?? {};
  const list = [...newest.values()];
  const fetched: SafeFetchResult[] = [];
  await eachLimited([...list.keys()], 3, async (n) => {
    fetched[n] = await fetchCheck(list[n]!, fetch);
  });
  const seen = new Map<string, FetchOutcome>();
  // Written one by one: outcomes and the request's closing are decided in order, never by two writers at once.
  for (const [n, c] of list.entries()) {
    const r = await recordCheck(p, c, fetched[n]!, { actor: actorOf(s), userId: s.userId, ip });
    seen.set(c.request_item_id!, r.outcome);
  }
  const items = await p.db.db
    .selectFrom('request_items')
    .select(['id', 'value', 'outcome', 'outcome_at', 'position'])
    .where('request_id', '=', requestId)
    .orderBy('position')
    .execute();
  return {
    items: items
      .filter((i) => seen.has(i.id))
      .map((i) => ({
        id: i.id,
        value: i.value,
        checkOutcome: seen.get(i.id)!,
        outcome: i.outcome,
        outcomeAt: i.outcome_at,
      })),
  };
}

/** Runs `fn` over `list` with at most `n` at a time; every call is awaited (errors are the caller's to catch). */
export async function eachLimited<T>(list: T[], n: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < list.length) await fn(list[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(n, list.length) }, worker));
}

const recheckFetch = new WeakMap<Platform, SafeFetchOptions>();
/** Registers the re-check schedule (hourly; each capture every 6 h). Tests pass fetch options (injected resolver). */
export function registerRecheck(p: Platform, fetch?: SafeFetchOptions): void {
  const had = recheckFetch.has(p);
  if (fetch || !had) recheckFetch.set(p, fetch ?? {});
  if (had) return;
  jobsOf(p).schedule('requests.site.recheck', '0 * * * *', async () => {
    await recheckDue(p, recheckFetch.get(p) ?? {});
  });
}
