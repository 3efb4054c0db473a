import type { Selectable } from 'kysely';
import type { Subject } from '../../../platform/auth/subject.ts';
import type { Platform } from '../../../platform/context.ts';
import { decodeCursor, encodeCursor } from '../../../platform/db/cursor.ts';
import { AppError } from '../../../platform/errors.ts';
import { actorOf, isRequestStaff, requestVisible, visibleRequest } from '../access.ts';
import type { SiteCaptureTable } from './tables.ts';

export const CAPTURE_COLUMNS = [
  'id',
  'url',
  'final_url',
  'profile',
  'outcome',
  'http_status',
  'html_file_id',
  'html_sha256',
  'screenshot_file_id',
  'screenshot_sha256',
  'screenshot_note',
  'request_id',
  'request_item_id',
  'recheck',
  'last_outcome',
  'last_checked_at',
  'created_at',
] as const;

/** A capture as the API shows it (list and detail). */
export function presentCapture(c: Pick<Selectable<SiteCaptureTable>, (typeof CAPTURE_COLUMNS)[number]>) {
  return {
    id: c.id,
    url: c.url,
    finalUrl: c.final_url,
    profile: c.profile,
    outcome: c.outcome,
    httpStatus: c.http_status,
    htmlFileId: c.html_file_id,
    htmlSha256: c.html_sha256,
    screenshotFileId: c.screenshot_file_id,
    screenshotSha256: c.screenshot_sha256,
    screenshotNote: c.screenshot_note,
    requestId: c.request_id,
    requestItemId: c.request_item_id,
    recheck: c.recheck === 1,
    lastOutcome: c.last_outcome,
    lastCheckedAt: c.last_checked_at,
    createdAt: c.created_at,
  };
}

/**
 * Captures for the UI: the drafting unit's captures, newest first (keyset on created_at, id; at most 200 a page),
 * optionally of one request (which the caller must be able to see), and the audited download of a capture's
 * stored HTML or screenshot.
 */
export async function listCaptures(
  p: Platform,
  s: Subject,
  f: { requestId?: string | undefined; cursor?: string | undefined; limit: number },
) {
  if (!isRequestStaff(s)) throw new AppError('FORBIDDEN');
  if (f.requestId) await visibleRequest(p.db.db, s, f.requestId);
  let q = p.db.db
    .selectFrom('site_captures')
    .select([...CAPTURE_COLUMNS])
    .where('owner_unit_id', '=', s.unitId)
    // A capture of a request the caller may not see (a case he is not a member of) is not listed either.
    .where((eb) =>
      eb.or([
        eb('site_captures.request_id', 'is', null),
        eb.exists(
          eb
            .selectFrom('requests as rq')
            .select('rq.id')
            .whereRef('rq.id', '=', 'site_captures.request_id')
            .where(requestVisible(s, 'rq')),
        ),
      ]),
    );
  if (f.requestId) q = q.where('request_id', '=', f.requestId);
  const after = decodeCursor<[string, string]>(f.cursor, 2);
  if (after) {
    q = q.where((eb) =>
      eb.or([eb('created_at', '<', after[0]), eb.and([eb('created_at', '=', after[0]), eb('id', '<', after[1])])]),
    );
  }
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit + 1)
    .execute();
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(presentCapture),
    nextCursor: rows.length > f.limit && last ? encodeCursor([last.created_at, last.id]) : null,
  };
}

/**
 * Checks a download of a capture's HTML or screenshot: the file belongs to the capture and the capture to the
 * caller's unit (404 otherwise, nothing revealed). The download is audited. Returns the file id and whether it is
 * the HTML (sent as an attachment, never rendered).
 */
export async function captureFileForDownload(
  p: Platform,
  s: Subject,
  captureId: string,
  fileId: string,
  ip: string | null,
): Promise<{ fileId: string; html: boolean }> {
  const c = await p.db.db
    .selectFrom('site_captures')
    .select(['id', 'owner_unit_id', 'html_file_id', 'screenshot_file_id', 'request_id'])
    .where('id', '=', captureId)
    .executeTakeFirst();
  if (!c || c.owner_unit_id !== s.unitId) throw new AppError('NOT_FOUND');
  if (c.request_id) await visibleRequest(p.db.db, s, c.request_id);
  const kind = fileId === c.html_file_id ? 'html' : fileId === c.screenshot_file_id ? 'screenshot' : null;
  if (!kind) throw new AppError('NOT_FOUND');
  await p.db.db.transaction().execute((trx) =>
    p.audit.record(trx, {
      actor: actorOf(s),
      action: 'request.site.capture.download',
      target: { type: 'site_capture', id: captureId },
      result: 'success',
      clientIp: ip,
      details: { fileRefId: fileId, kind },
    }),
  );
  return { fileId, html: kind === 'html' };
}
