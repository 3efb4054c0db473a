import { type Selectable, type SqlBool, type Transaction, sql } from 'kysely';
import type { AuditActor } from '../../platform/audit/audit.ts';
import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import type { Database } from '../../platform/db/types.ts';
import { AppError } from '../../platform/errors.ts';
import { type PlaceTypeDef, recordObservables, registerPlaceType } from '../intel/index.ts';
import { isObservableType } from '../intel/vocab.ts';
import { actorOf, requestVisible, visibleRequest } from './access.ts';
import { addEvent, setStatus } from './service.ts';
import type { RequestItemTable } from './tables.ts';
import { type ItemOutcome, type RequestStatus, TRANSITIONS } from './vocab.ts';

/** Requests as places of observables: an occurrence at a request is visible to the request's readers only. */
export const requestPlace: PlaceTypeDef = {
  type: 'request',
  label: { ja: '依頼', en: 'Request' },
  visible: (s, ref) =>
    sql<SqlBool>`exists (select 1 from requests rqp where rqp.id = ${sql.ref(ref)} and ${requestVisible(s, 'rqp')})`,
  countPolicy: 'hidden',
  async titles(db, ids) {
    const rows = await db.selectFrom('requests').select(['id', 'reference', 'title']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, `${r.reference} ${r.title}`]));
  },
};
registerPlaceType(requestPlace);

/** Tags an outcome leaves on the observable: `taken-down:2026-04-03`, `frozen:2026-04-03`. */
const OUTCOME_TAG: Partial<Record<ItemOutcome, string>> = {
  taken_down: 'taken-down',
  frozen: 'frozen',
  preserved: 'preserved',
};

/**
 * Records what came back for one item (a URL taken down, an account frozen…). The outcome flows back to the
 * observable through intel's `recordObservables`: an occurrence at this request with a dated tag.
 */
export async function setItemOutcome(
  p: Platform,
  s: Subject,
  requestId: string,
  itemId: string,
  outcome: ItemOutcome,
  ip: string | null,
) {
  const db = p.db.db;
  const r = await visibleRequest(db, s, requestId);
  if (!OUTCOME_STATUSES.includes(r.status)) throw new AppError('REQUEST_BAD_TRANSITION');
  const item = await db
    .selectFrom('request_items')
    .selectAll()
    .where('id', '=', itemId)
    .where('request_id', '=', requestId)
    .executeTakeFirst();
  if (!item) throw new AppError('NOT_FOUND');
  const now = p.clock.now().toISOString();
  await db.transaction().execute(async (trx) => {
    await recordItemOutcome(p, trx, item, outcome, now, { actor: actorOf(s), userId: s.userId, ip, source: 'manual' });
  });
}

/** The statuses in which an item's outcome may be recorded (the request has gone out). */
export const OUTCOME_STATUSES: readonly string[] = ['sent', 'acknowledged', 'done'];

export interface OutcomeBy {
  /** null: the system (the scheduled re-check). */
  actor: AuditActor | null;
  userId: string | null;
  ip: string | null;
  /** manual | recheck */
  source: 'manual' | 'recheck';
  /** What the re-check saw (outcome, HTTP status), kept in the audit details. */
  check?: { captureId: string; outcome: string; httpStatus: number | null };
}

/**
 * Writes an item's outcome and its time in the caller's transaction: the observable's dated tag, the request
 * event and the audit record. `at` is when the outcome happened (the re-check that saw the site down).
 */
export async function recordItemOutcome(
  p: Platform,
  trx: Transaction<Database>,
  item: Selectable<RequestItemTable>,
  outcome: ItemOutcome,
  at: string,
  by: OutcomeBy,
): Promise<void> {
  const requestId = item.request_id;
  await trx.updateTable('request_items').set({ outcome, outcome_at: at }).where('id', '=', item.id).execute();
  const tag = OUTCOME_TAG[outcome];
  if (tag && isObservableType(item.kind)) {
    await recordObservables(
      trx,
      { type: 'request', id: requestId },
      [
        {
          type: item.kind,
          value: item.value,
          display: item.display,
          role: 'suspect',
          firstSeen: at,
          lastSeen: at,
          tags: [`${tag}:${at.slice(0, 10)}`],
        },
      ],
      { tlp: 'amber', now: at, decidedBy: by.userId },
    );
  }
  const note = `${item.position + 1}:${outcome}${by.source === 'recheck' ? ` (${by.check?.outcome ?? 'recheck'})` : ''}`;
  await addEvent(trx, requestId, p.clock.now().toISOString(), by.userId, 'item_outcome', null, null, note);
  await p.audit.record(trx, {
    actor: by.actor,
    action: 'request.item.outcome',
    target: { type: 'request', id: requestId },
    result: 'success',
    clientIp: by.ip,
    details: {
      itemId: item.id,
      outcome,
      at,
      source: by.source,
      ...(by.check ? { captureId: by.check.captureId, check: by.check.outcome, httpStatus: by.check.httpStatus } : {}),
    },
  });
}

/**
 * When every item of a sent or acknowledged request has an outcome, the request is done (TRANSITIONS allows
 * sent → done and acknowledged → done; nothing happens from any other state). Returns whether it moved.
 */
export async function closeWhenAllItemsHaveOutcomes(
  p: Platform,
  trx: Transaction<Database>,
  requestId: string,
  by: OutcomeBy,
): Promise<boolean> {
  const r = await trx.selectFrom('requests').selectAll().where('id', '=', requestId).executeTakeFirst();
  if (!r || !TRANSITIONS[r.status as RequestStatus]?.includes('done')) return false;
  const pending = await trx
    .selectFrom('request_items')
    .select('id')
    .where('request_id', '=', requestId)
    .where('outcome', '=', 'pending')
    .executeTakeFirst();
  if (pending) return false;
  const now = p.clock.now().toISOString();
  await setStatus(trx, r, 'done', now);
  await addEvent(trx, requestId, now, by.userId, 'done', r.status, 'done', '全件の結果を記録');
  await p.audit.record(trx, {
    actor: by.actor,
    action: 'request.done',
    target: { type: 'request', id: requestId },
    result: 'success',
    clientIp: by.ip,
    details: { from: r.status, source: by.source, allItemsHaveOutcomes: true },
  });
  return true;
}
