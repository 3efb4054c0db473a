import { sql, type SqlBool } from 'kysely';
import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { type PlaceTypeDef, recordObservables, registerPlaceType } from '../intel/index.ts';
import { isObservableType } from '../intel/vocab.ts';
import { actorOf, requestVisible, visibleRequest } from './access.ts';
import { addEvent } from './service.ts';
import type { ItemOutcome } from './vocab.ts';

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
  if (!['sent', 'acknowledged', 'done'].includes(r.status)) throw new AppError('REQUEST_BAD_TRANSITION');
  const item = await db
    .selectFrom('request_items')
    .selectAll()
    .where('id', '=', itemId)
    .where('request_id', '=', requestId)
    .executeTakeFirst();
  if (!item) throw new AppError('NOT_FOUND');
  const now = p.clock.now().toISOString();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('request_items').set({ outcome, outcome_at: now }).where('id', '=', itemId).execute();
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
            firstSeen: now,
            lastSeen: now,
            tags: [`${tag}:${now.slice(0, 10)}`],
          },
        ],
        { tlp: 'amber', now, decidedBy: s.userId },
      );
    }
    await addEvent(trx, requestId, now, s.userId, 'item_outcome', null, null, `${item.position + 1}:${outcome}`);
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'request.item.outcome',
      target: { type: 'request', id: requestId },
      result: 'success',
      clientIp: ip,
      details: { itemId, outcome },
    });
  });
}
