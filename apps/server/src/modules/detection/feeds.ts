import { randomUUID } from 'node:crypto';
import type { AuditActor } from '../../platform/audit/audit.ts';
import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import { decodeCursor, encodeCursor } from '../../platform/db/cursor.ts';
import { AppError } from '../../platform/errors.ts';
import { jobsOf } from '../../platform/jobs/index.ts';
import type { DetectionFeedRunTable, DetectionFeedTable } from './tables.ts';

export const FEED_FORMATS = ['txt', 'csv', 'jsonl'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];
export const RELIABILITIES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;

export interface FeedInput {
  name: string;
  url: string;
  format: FeedFormat;
  columns?: { value?: string; type?: string } | undefined;
  source?: string | undefined;
  tlp: string;
  reliability?: string | null | undefined;
  intervalMinutes: number;
  enabled?: boolean | undefined;
}

export const actorOf = (s: Subject): AuditActor => ({ id: s.userId, login: s.login, unitId: s.unitId });

export type FeedHealth = 'ok' | 'failing' | 'stale' | 'never' | 'disabled';

/** ok: the last pull worked; failing: the last pull failed; stale: no success for three intervals. */
export function healthOf(f: DetectionFeedTable, now: Date): FeedHealth {
  if (!f.enabled) return 'disabled';
  if (!f.last_checked_at) return 'never';
  if (f.consecutive_failures > 0) return 'failing';
  const ok = f.last_success_at ? Date.parse(f.last_success_at) : 0;
  if (now.getTime() - ok > 3 * f.interval_minutes * 60_000) return 'stale';
  return 'ok';
}

export function presentFeed(f: DetectionFeedTable, now: Date) {
  return {
    id: f.id,
    name: f.name,
    url: f.url,
    format: f.format,
    columns: JSON.parse(f.columns) as { value?: string; type?: string },
    source: f.source,
    tlp: f.tlp,
    reliability: f.reliability,
    intervalMinutes: f.interval_minutes,
    enabled: f.enabled === 1,
    health: healthOf(f, now),
    nextRunAt: f.next_run_at,
    lastCheckedAt: f.last_checked_at,
    lastSuccessAt: f.last_success_at,
    lastChangedAt: f.last_changed_at,
    lastOutcome: f.last_outcome,
    lastError: f.last_error,
    consecutiveFailures: f.consecutive_failures,
    hasEtag: f.etag !== null,
    lastModified: f.last_modified,
    createdAt: f.created_at,
    updatedAt: f.updated_at,
  };
}

export function presentRun(r: DetectionFeedRunTable) {
  return {
    id: r.id,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    outcome: r.outcome,
    httpStatus: r.http_status,
    error: r.error,
    bytes: Number(r.bytes),
    lines: r.lines,
    accepted: r.accepted,
    badLines: r.bad_lines,
    newObservables: r.new_observables,
  };
}

function checkUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new AppError('VALIDATION_FAILED', 'url');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new AppError('VALIDATION_FAILED', 'url must be http(s)');
  if (u.username || u.password) throw new AppError('VALIDATION_FAILED', 'no credentials in the url');
  return u.toString();
}

export async function getFeedRow(p: Platform, id: string): Promise<DetectionFeedTable> {
  const f = await p.db.db.selectFrom('detection_feeds').selectAll().where('id', '=', id).executeTakeFirst();
  if (!f) throw new AppError('NOT_FOUND');
  return f;
}

export async function listFeeds(p: Platform) {
  const rows = await p.db.db.selectFrom('detection_feeds').selectAll().orderBy('name').orderBy('id').execute();
  const now = p.clock.now();
  return { items: rows.map((f) => presentFeed(f, now)) };
}

export async function createFeed(p: Platform, actor: AuditActor | null, input: FeedInput, clientIp: string | null) {
  const now = p.clock.now().toISOString();
  const id = randomUUID();
  const row: DetectionFeedTable = {
    id,
    name: input.name.trim(),
    url: checkUrl(input.url),
    format: input.format,
    columns: JSON.stringify(input.columns ?? {}),
    source: (input.source ?? input.name).trim(),
    tlp: input.tlp,
    reliability: input.reliability ?? null,
    interval_minutes: input.intervalMinutes,
    enabled: input.enabled === false ? 0 : 1,
    etag: null,
    last_modified: null,
    next_run_at: now,
    last_checked_at: null,
    last_success_at: null,
    last_changed_at: null,
    last_outcome: null,
    last_error: null,
    consecutive_failures: 0,
    created_by: actor?.id ?? null,
    created_at: now,
    updated_at: now,
  };
  await p.db.db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('detection_feeds').select('id').where('name', '=', row.name).executeTakeFirst();
    if (taken) throw new AppError('CONFLICT', 'a feed of that name exists');
    await trx.insertInto('detection_feeds').values(row).execute();
    await p.audit.record(trx, {
      actor,
      action: 'detection.feed.create',
      target: { type: 'detection_feed', id },
      result: 'success',
      clientIp,
      details: { format: row.format, tlp: row.tlp, intervalMinutes: row.interval_minutes },
    });
  });
  return presentFeed(row, p.clock.now());
}

export async function updateFeed(
  p: Platform,
  actor: AuditActor | null,
  id: string,
  patch: Partial<FeedInput>,
  clientIp: string | null,
) {
  const now = p.clock.now().toISOString();
  return p.db.db.transaction().execute(async (trx) => {
    const f = await trx.selectFrom('detection_feeds').selectAll().where('id', '=', id).executeTakeFirst();
    if (!f) throw new AppError('NOT_FOUND');
    const set: Partial<DetectionFeedTable> = { updated_at: now };
    if (patch.name !== undefined && patch.name.trim() !== f.name) {
      const taken = await trx
        .selectFrom('detection_feeds')
        .select('id')
        .where('name', '=', patch.name.trim())
        .executeTakeFirst();
      if (taken) throw new AppError('CONFLICT', 'a feed of that name exists');
      set.name = patch.name.trim();
    }
    if (patch.url !== undefined) {
      set.url = checkUrl(patch.url);
      // Another address: the conditional-request state of the old one means nothing there.
      if (set.url !== f.url) Object.assign(set, { etag: null, last_modified: null });
    }
    if (patch.format !== undefined) set.format = patch.format;
    if (patch.columns !== undefined) set.columns = JSON.stringify(patch.columns);
    if (patch.source !== undefined) set.source = patch.source.trim();
    if (patch.tlp !== undefined) set.tlp = patch.tlp;
    if (patch.reliability !== undefined) set.reliability = patch.reliability;
    if (patch.intervalMinutes !== undefined) set.interval_minutes = patch.intervalMinutes;
    if (patch.enabled !== undefined) set.enabled = patch.enabled ? 1 : 0;
    await trx.updateTable('detection_feeds').set(set).where('id', '=', id).execute();
    await p.audit.record(trx, {
      actor,
      action: 'detection.feed.update',
      target: { type: 'detection_feed', id },
      result: 'success',
      clientIp,
      details: { fields: Object.keys(patch) },
    });
    return presentFeed({ ...f, ...set }, p.clock.now());
  });
}

/** The run history of a feed, newest first (keyset); `errorsOnly` gives the error history. */
export async function listRuns(
  p: Platform,
  feedId: string,
  opts: { cursor?: string | undefined; limit: number; errorsOnly?: boolean },
) {
  await getFeedRow(p, feedId);
  const after = decodeCursor<[string, string]>(opts.cursor, 2);
  let q = p.db.db.selectFrom('detection_feed_runs').selectAll().where('feed_id', '=', feedId);
  if (opts.errorsOnly) q = q.where('outcome', '=', 'error');
  if (after)
    q = q.where((eb) =>
      eb.or([eb('started_at', '<', after[0]), eb.and([eb('started_at', '=', after[0]), eb('id', '<', after[1])])]),
    );
  const rows = await q
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(opts.limit + 1)
    .execute();
  const more = rows.length > opts.limit;
  const items = rows.slice(0, opts.limit);
  const last = items[items.length - 1];
  return {
    items: items.map(presentRun),
    nextCursor: more && last ? encodeCursor([last.started_at, last.id]) : null,
  };
}

/**
 * The scheduler's tick (a recurring job every minute): each enabled feed whose time has come gets one collect job,
 * claimed by moving its next run forward in the same transaction, so two runners never queue it twice.
 */
export async function enqueueDueFeeds(p: Platform): Promise<number> {
  const now = p.clock.now();
  const due = await p.db.db
    .selectFrom('detection_feeds')
    .select(['id', 'next_run_at', 'interval_minutes'])
    .where('enabled', '=', 1)
    .where('next_run_at', '<=', now.toISOString())
    .execute();
  let n = 0;
  for (const f of due) {
    const next = new Date(now.getTime() + f.interval_minutes * 60_000).toISOString();
    await p.db.db.transaction().execute(async (trx) => {
      const claimed = await trx
        .updateTable('detection_feeds')
        .set({ next_run_at: next })
        .where('id', '=', f.id)
        .where('next_run_at', '=', f.next_run_at)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) return;
      await jobsOf(p).publishInTransaction(
        trx,
        'detection.feed.collect',
        { feedId: f.id },
        { idempotencyKey: `detection.feed:${f.id}:${f.next_run_at}` },
      );
      n++;
    });
  }
  return n;
}
