import type { Transaction } from 'kysely';
import { loadSubject } from '../../platform/auth/loadSubject.ts';
import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import type { AnyDb } from '../../platform/db/dialect.ts';
import type { Database } from '../../platform/db/types.ts';
import { AppError } from '../../platform/errors.ts';
import { jobsOf } from '../../platform/jobs/index.ts';
import type { SafeFetchOptions, UserAgentProfile } from '../../platform/net/safeFetch.ts';
import { captureSite, eachLimited, withSharedBrowser } from './recipients/capture.ts';
import { actorOf, isRequestStaff, visibleRequest } from './access.ts';
import { addEvent } from './service.ts';

/**
 * Takedown captures in the background (docs/adr/0020-requests.md "Captures in the background"): drafting queues one
 * row per URL item (`request_capture_queue`, state queued) and a `request.captures` job per request in the drafts'
 * transaction; the job captures a chunk of the request's queued items three at a time with one shared browser,
 * writes each outcome (done, or failed with a `capture_failed` event on the request — the draft stays), and queues
 * the next chunk until none is left. Resumable and idempotent: only queued items are captured, and an item whose
 * capture was stored before a crash (a `site_captures` row for it) is marked done, not captured again.
 */
export const CAPTURE_CONCURRENCY = 3;
/** Items per job run: a run stays short (other jobs — mail — are not held up) and one browser serves it. */
export const CAPTURE_CHUNK = 12;
export type CaptureState = 'queued' | 'done' | 'failed';

const captureFetch = new WeakMap<Platform, SafeFetchOptions>();
const registered = new WeakSet<Platform>();

/** Registers the capture job (once per platform); tests pass fetch options (injected resolver, loopback allowed). */
export function registerCaptureJobs(p: Platform, fetch?: SafeFetchOptions): void {
  if (fetch) captureFetch.set(p, fetch);
  if (registered.has(p)) return;
  registered.add(p);
  jobsOf(p).register(
    'request.captures',
    async ({ requestId }) => {
      await runCaptures(p, requestId);
    },
    { retries: 5, backoff: { initialMs: 30_000, factor: 2, maxMs: 600_000 }, leaseMs: 15 * 60_000 },
  );
}

export interface QueuedCapture {
  requestId: string;
  itemId: string;
  url: string;
}

/** Queues the captures of freshly drafted items and their request's job, in the drafts' transaction. */
export async function queueCaptures(
  p: Platform,
  trx: Transaction<Database>,
  s: Subject,
  items: QueuedCapture[],
  o: { profile: UserAgentProfile; screenshot: boolean },
): Promise<void> {
  if (items.length === 0) return;
  const now = p.clock.now().toISOString();
  for (const i of items) {
    await trx
      .insertInto('request_capture_queue')
      .values({
        item_id: i.itemId,
        request_id: i.requestId,
        url: i.url,
        profile: o.profile,
        screenshot: o.screenshot ? 1 : 0,
        state: 'queued',
        outcome: null,
        capture_id: null,
        requested_by: s.userId,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
  for (const requestId of new Set(items.map((i) => i.requestId)))
    await jobsOf(p).publishInTransaction(
      trx,
      'request.captures',
      { requestId },
      { idempotencyKey: keyOf(requestId, 0) },
    );
}

/**
 * A chunk's job key: the request, how many of its items were processed, and for re-queued failures the retry
 * generation (keys are unique for good, so a retry's chunks must not reuse the first run's keys).
 */
const keyOf = (requestId: string, processed: number, generation = 0) =>
  `request.captures:${requestId}:${generation > 0 ? `r${generation}:` : ''}${processed}`;

/** How many times the request's failed captures were re-queued (its `captures_retried` events). */
async function generationOf(db: AnyDb, requestId: string): Promise<number> {
  const row = await db
    .selectFrom('request_events')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('request_id', '=', requestId)
    .where('action', '=', 'captures_retried')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * 失敗した取得を再試行: re-queues the request's failed captures (only those) under the caller's rights, in one
 * transaction with a `captures_retried` event, the audit record and the `request.captures` job that runs them as
 * before. Nothing failed: nothing written, `{ retried: 0 }`.
 */
export async function retryCaptures(
  p: Platform,
  s: Subject,
  requestId: string,
  ip: string | null,
): Promise<{ retried: number }> {
  if (!isRequestStaff(s)) throw new AppError('FORBIDDEN');
  await visibleRequest(p.db.db, s, requestId);
  return p.db.db.transaction().execute(async (trx) => {
    const failed = await trx
      .selectFrom('request_capture_queue')
      .select(['item_id', 'outcome'])
      .where('request_id', '=', requestId)
      .where('state', '=', 'failed')
      .execute();
    if (failed.length === 0) return { retried: 0 };
    const now = p.clock.now().toISOString();
    const ids = failed.map((f) => f.item_id);
    await trx
      .updateTable('request_capture_queue')
      .set({ state: 'queued', outcome: null, capture_id: null, requested_by: s.userId, updated_at: now })
      .where('request_id', '=', requestId)
      .where('state', '=', 'failed')
      .where('item_id', 'in', ids)
      .execute();
    await addEvent(trx, requestId, now, s.userId, 'captures_retried', null, null, String(ids.length));
    const generation = await generationOf(trx, requestId);
    await jobsOf(p).publishInTransaction(
      trx,
      'request.captures',
      { requestId },
      { idempotencyKey: keyOf(requestId, 0, generation) },
    );
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'request.captures.retry',
      target: { type: 'request', id: requestId },
      result: 'success',
      clientIp: ip,
      details: { items: ids, previously: failed.map((f) => f.outcome ?? 'failed') },
    });
    return { retried: ids.length };
  });
}

type Result = { itemId: string; url: string; state: 'done' | 'failed'; outcome: string; captureId: string | null };

/**
 * Captures the next chunk of a request's queued items; returns what it did and how many are left (the next chunk is
 * queued as its own job when some are).
 */
export async function runCaptures(
  p: Platform,
  requestId: string,
  o: { chunk?: number } = {},
): Promise<{ done: number; failed: number; left: number }> {
  const db = p.db.db;
  // Stored before a crash but not marked: done, never captured twice.
  const stored = await db
    .selectFrom('request_capture_queue as q')
    .innerJoin('site_captures as c', 'c.request_item_id', 'q.item_id')
    .select(['q.item_id', 'c.id', 'c.outcome'])
    .where('q.request_id', '=', requestId)
    .where('q.state', '=', 'queued')
    .execute();
  for (const c of stored) {
    await db
      .updateTable('request_capture_queue')
      .set({ state: 'done', outcome: c.outcome, capture_id: c.id, updated_at: p.clock.now().toISOString() })
      .where('item_id', '=', c.item_id)
      .where('state', '=', 'queued')
      .execute();
  }
  const rows = await db
    .selectFrom('request_capture_queue as q')
    .innerJoin('request_items as i', 'i.id', 'q.item_id')
    .select(['q.item_id', 'q.url', 'q.profile', 'q.screenshot', 'q.requested_by'])
    .where('q.request_id', '=', requestId)
    .where('q.state', '=', 'queued')
    .orderBy('i.position')
    .limit(o.chunk ?? CAPTURE_CHUNK)
    .execute();
  if (rows.length === 0) return { done: 0, failed: 0, left: 0 };
  const subjects = new Map<string, Subject | null>();
  for (const by of new Set(rows.map((r) => r.requested_by))) subjects.set(by, await loadSubject(db, by, 'session'));
  const fetch = captureFetch.get(p);
  const results: Result[] = [];
  await withSharedBrowser(
    rows.some((r) => r.screenshot === 1),
    (browser) =>
      eachLimited(rows, CAPTURE_CONCURRENCY, async (r) => {
        const s = subjects.get(r.requested_by);
        try {
          // The drafter's rights now: an account disabled since, or a request he may no longer see, fails.
          if (!s) throw new AppError('FORBIDDEN');
          const c = await captureSite(p, s, r.url, {
            browser,
            profile: r.profile as UserAgentProfile,
            ...(r.screenshot === 1 ? {} : { screenshot: false }),
            ...(fetch ? { fetch } : {}),
            requestId,
            requestItemId: r.item_id,
            clientIp: null,
          });
          results.push({ itemId: r.item_id, url: r.url, state: 'done', outcome: c.outcome, captureId: c.id });
        } catch (e) {
          // The guard refused the target (private address…) or the store failed: recorded, the draft kept.
          const outcome = e instanceof AppError && e.code === 'VALIDATION_FAILED' ? 'refused' : 'failed';
          results.push({ itemId: r.item_id, url: r.url, state: 'failed', outcome, captureId: null });
        }
      }),
  );
  // Outcomes written one writer per request, in item order, with the next chunk's job in the same transaction.
  const order = new Map(rows.map((r, n) => [r.item_id, n]));
  results.sort((a, b) => order.get(a.itemId)! - order.get(b.itemId)!);
  const by = rows[0]!.requested_by;
  return db.transaction().execute(async (trx) => {
    const at = p.clock.now().toISOString();
    for (const r of results) {
      const changed = await trx
        .updateTable('request_capture_queue')
        .set({ state: r.state, outcome: r.outcome, capture_id: r.captureId, updated_at: at })
        .where('item_id', '=', r.itemId)
        .where('state', '=', 'queued')
        .executeTakeFirst();
      if (r.state === 'failed' && Number(changed.numUpdatedRows) > 0)
        await addEvent(trx, requestId, at, by, 'capture_failed', null, null, `${r.url} ${r.outcome}`);
    }
    const counts = await trx
      .selectFrom('request_capture_queue')
      .select(['state', (eb) => eb.fn.countAll<string | number>().as('n')])
      .where('request_id', '=', requestId)
      .groupBy('state')
      .execute();
    const n = (st: CaptureState) => Number(counts.find((c) => c.state === st)?.n ?? 0);
    const left = n('queued');
    if (left > 0)
      await jobsOf(p).publishInTransaction(
        trx,
        'request.captures',
        { requestId },
        { idempotencyKey: keyOf(requestId, n('done') + n('failed'), await generationOf(trx, requestId)) },
      );
    return {
      done: results.filter((r) => r.state === 'done').length,
      failed: results.filter((r) => r.state === 'failed').length,
      left,
    };
  });
}

export interface CaptureProgress {
  total: number;
  queued: number;
  done: number;
  failed: number;
}

/** Each queued item's capture state and the request's counts (null when nothing was queued for capture). */
export async function captureStates(
  p: Platform,
  requestId: string,
): Promise<{ progress: CaptureProgress | null; items: Map<string, { state: CaptureState; outcome: string | null }> }> {
  const rows = await p.db.db
    .selectFrom('request_capture_queue')
    .select(['item_id', 'state', 'outcome'])
    .where('request_id', '=', requestId)
    .execute();
  const items = new Map(rows.map((r) => [r.item_id, { state: r.state as CaptureState, outcome: r.outcome }]));
  if (rows.length === 0) return { progress: null, items };
  const count = (st: CaptureState) => rows.filter((r) => r.state === st).length;
  return {
    progress: { total: rows.length, queued: count('queued'), done: count('done'), failed: count('failed') },
    items,
  };
}
