import { randomUUID } from 'node:crypto';
import { AppError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/context.ts';
import { ensureSource, importIndicators } from '../intel/importer.ts';
import type { TlpLabel } from '../intel/vocab.ts';
import type { FeedFormat } from './feeds.ts';
import type { DetectionFeedTable } from './tables.ts';

/** Time allowed until the response headers arrive; the body then streams for as long as it takes. */
const HEADERS_TIMEOUT_MS = 60_000;
/** One pull may not exceed this (the importer stops and the run is an error; committed batches stay). */
const MAX_FEED_BYTES = 8 * 1024 ** 3;
const ERROR_MAX = 500;

export interface CollectResult {
  runId: string;
  outcome: 'changed' | 'not_modified' | 'error';
  httpStatus: number | null;
  error: string | null;
  bytes: number;
  lines: number;
  accepted: number;
  badLines: number;
  newObservables: number;
}

/** Web byte chunks as Buffers (no copy), so the importer's gzip sniffing and line reader see what they expect. */
async function* buffers(body: ReadableStream<Uint8Array>): AsyncGenerator<Buffer> {
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}

function describe(err: unknown): string {
  if (err instanceof AppError) return `${err.code}: ${err.message}`;
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ? `${err.message} (${cause.code})` : err.message;
  }
  return String(err);
}

/**
 * Pulls one feed with a conditional request (If-None-Match / If-Modified-Since from the last good pull) and streams
 * the body through intel's importer: line by line, committed in batches, so memory stays bounded whatever the size
 * and the reader waits for the database (back-pressure). A 304 only marks the feed checked. A failure records an
 * error run and keeps the conditional-request state, so the next pull fetches it again; nothing recorded before is
 * removed. The feed's indicators are observables at the intel source named by the feed.
 */
export async function collectFeed(p: Platform, feedId: string): Promise<CollectResult> {
  const feed = await p.db.db.selectFrom('detection_feeds').selectAll().where('id', '=', feedId).executeTakeFirst();
  if (!feed) throw new AppError('NOT_FOUND');
  const startedAt = p.clock.now().toISOString();
  const result: CollectResult = {
    runId: randomUUID(),
    outcome: 'error',
    httpStatus: null,
    error: null,
    bytes: 0,
    lines: 0,
    accepted: 0,
    badLines: 0,
    newObservables: 0,
  };
  let etag = feed.etag;
  let lastModified = feed.last_modified;
  try {
    const headers: Record<string, string> = { accept: '*/*', 'user-agent': 'Renkei feed collector' };
    if (feed.etag) headers['if-none-match'] = feed.etag;
    if (feed.last_modified) headers['if-modified-since'] = feed.last_modified;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new Error('no response within 60 s')), HEADERS_TIMEOUT_MS);
    let res: Response;
    try {
      res = await fetch(feed.url, { headers, redirect: 'follow', signal: abort.signal });
    } finally {
      clearTimeout(timer);
    }
    result.httpStatus = res.status;
    if (res.status === 304) {
      result.outcome = 'not_modified';
    } else if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => {});
      throw new Error(`HTTP ${res.status}`);
    } else {
      const sourceId = await ensureSource(p, feed.source, feed.created_by);
      await p.db.db
        .updateTable('intel_sources')
        .set({ kind: 'feed', reliability: feed.reliability })
        .where('id', '=', sourceId)
        .execute();
      const summary = await importIndicators(p, null, buffers(res.body), {
        source: feed.source,
        format: feed.format as FeedFormat,
        tlp: feed.tlp as TlpLabel,
        columns: JSON.parse(feed.columns) as Record<string, string>,
        maxBytes: MAX_FEED_BYTES,
        onProgress: (bytes) => {
          result.bytes = bytes;
        },
      });
      result.lines = summary.lines;
      result.accepted = summary.accepted;
      result.badLines = summary.badLines;
      result.newObservables = summary.newObservables;
      if (summary.accepted === 0 && summary.badLines > 0) {
        const first = summary.bad[0];
        throw new Error(`no valid indicator in ${summary.lines} lines (line ${first?.line}: ${first?.reason})`);
      }
      result.outcome = 'changed';
      etag = res.headers.get('etag');
      lastModified = res.headers.get('last-modified');
    }
  } catch (err) {
    result.outcome = 'error';
    result.error = describe(err).slice(0, ERROR_MAX);
  }
  await finishRun(p, feed, startedAt, result, etag, lastModified);
  return result;
}

async function finishRun(
  p: Platform,
  feed: DetectionFeedTable,
  startedAt: string,
  r: CollectResult,
  etag: string | null,
  lastModified: string | null,
): Promise<void> {
  const now = p.clock.now().toISOString();
  const failed = r.outcome === 'error';
  await p.db.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('detection_feed_runs')
      .values({
        id: r.runId,
        feed_id: feed.id,
        started_at: startedAt,
        finished_at: now,
        outcome: r.outcome,
        http_status: r.httpStatus,
        error: r.error,
        bytes: r.bytes,
        lines: r.lines,
        accepted: r.accepted,
        bad_lines: r.badLines,
        new_observables: r.newObservables,
      })
      .execute();
    await trx
      .updateTable('detection_feeds')
      .set({
        last_checked_at: now,
        last_outcome: r.outcome,
        ...(failed
          ? { last_error: r.error, consecutive_failures: feed.consecutive_failures + 1 }
          : {
              last_error: null,
              consecutive_failures: 0,
              last_success_at: now,
              etag,
              last_modified: lastModified,
              ...(r.outcome === 'changed' ? { last_changed_at: now } : {}),
            }),
      })
      .where('id', '=', feed.id)
      .execute();
    await p.audit.record(trx, {
      actor: null,
      action: 'detection.feed.collect',
      target: { type: 'detection_feed', id: feed.id },
      result: failed ? 'failure' : 'success',
      details: {
        outcome: r.outcome,
        httpStatus: r.httpStatus,
        lines: r.lines,
        accepted: r.accepted,
        badLines: r.badLines,
      },
    });
  });
}
