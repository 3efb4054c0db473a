import type { Transaction } from 'kysely';
import type { Platform } from '../../platform/context.ts';
import type { Database } from '../../platform/db/types.ts';
import { recordObservables } from '../intel/index.ts';
import { isObservableType } from '../intel/vocab.ts';
import { notify } from './lifecycle.ts';
import { OUTCOME_STATUSES, type OutcomeBy, closeWhenAllItemsHaveOutcomes, recordItemOutcome } from './outcome.ts';
import { addEvent } from './service.ts';

/**
 * Re-check outcomes flowing back onto request items (docs/adr/0020-requests.md, "Re-checks flow back"). A site is
 * *down* — the item is `taken_down` at the time of the check — when the re-check finds:
 * - `nxdomain` (the name no longer exists), `suspended` (a hosting suspension page), `parked` (a parking page), or
 *   `http_error` with status 404 or 410 (the page is gone): on the first such check;
 * - `connection_failed`: only when the check before it on the same capture also failed to connect or was down
 *   (two in a row; a single refused connection is too often a passing outage). The time is the first of the two.
 * `up`, `changed`, `timeout`, `refused` (the guard) and other HTTP errors (403, 5xx…) set nothing.
 */
export const DOWN_OUTCOMES = ['nxdomain', 'suspended', 'parked'] as const;
export const GONE_STATUSES = [404, 410] as const;

export interface CheckSeen {
  outcome: string;
  httpStatus: number | null;
  at: string;
}

function downNow(c: CheckSeen): boolean {
  return (
    (DOWN_OUTCOMES as readonly string[]).includes(c.outcome) ||
    (c.outcome === 'http_error' && (GONE_STATUSES as readonly number[]).includes(c.httpStatus ?? 0))
  );
}

/** When the site counts as taken down given this check and the one before it (null: not down). */
export function takenDownAt(check: CheckSeen, previous: CheckSeen | null): string | null {
  if (downNow(check)) return check.at;
  if (check.outcome === 'connection_failed' && previous) {
    if (previous.outcome === 'connection_failed' || downNow(previous)) return previous.at;
  }
  return null;
}

/**
 * Applies one check of a capture to the request item it is evidence for, in the caller's transaction: a pending
 * item of a request that has gone out becomes `taken_down` (through the outcome path: observable tag, event,
 * audit); when no item is pending any more the request is done if the lifecycle allows it. Returns the new outcome.
 */
export async function applyCheck(
  p: Platform,
  trx: Transaction<Database>,
  capture: { id: string; request_item_id: string | null },
  check: CheckSeen,
  previous: CheckSeen | null,
  by: Omit<OutcomeBy, 'source' | 'check'>,
): Promise<'taken_down' | null> {
  if (!capture.request_item_id) return null;
  const at = takenDownAt(check, previous);
  if (!at) return null;
  const item = await trx
    .selectFrom('request_items')
    .selectAll()
    .where('id', '=', capture.request_item_id)
    .executeTakeFirst();
  if (item?.outcome !== 'pending') return null;
  const r = await trx.selectFrom('requests').select('status').where('id', '=', item.request_id).executeTakeFirst();
  // A site gone before the request went out was not taken down by it: nothing is recorded for drafts.
  if (!r || !OUTCOME_STATUSES.includes(r.status)) return null;
  const full: OutcomeBy = {
    ...by,
    source: 'recheck',
    check: { captureId: capture.id, outcome: check.outcome, httpStatus: check.httpStatus },
  };
  await recordItemOutcome(p, trx, item, 'taken_down', at, full);
  await closeWhenAllItemsHaveOutcomes(p, trx, item.request_id, full);
  return 'taken_down';
}

/**
 * Watching a site after its takedown (docs/adr/0020-requests.md "Watching after a takedown"). Applied by every
 * re-check after `applyCheck`, in the same transaction:
 * - a capture not watched yet whose item is `taken_down` and whose check counts as down (`takenDownAt`) becomes
 *   watched: `down_at` = that time; from then the schedule checks it daily (WATCH_INTERVAL_MS) and stops following
 *   it WATCH_DAYS after `down_at` (`recheckDue`);
 * - a watched capture whose check is `up` or `changed` has **resurfaced**: `down_at` cleared (back to the ordinary
 *   6-hourly re-check, followed again until it is down again), the item's `resurfaced_at` set, a `resurfaced` event on
 *   the request, the observable tagged `resurfaced:<date>`, the audit record, and the request's drafter mailed.
 * Anything else (timeouts, 5xx, one refused connection) changes nothing: the watch goes on.
 */
export const WATCH_DAYS = 30;
export const WATCH_INTERVAL_MS = 24 * 3600_000;
export const RESURFACED_OUTCOMES = ['up', 'changed'] as const;

export async function applyWatch(
  p: Platform,
  trx: Transaction<Database>,
  capture: { id: string; request_item_id: string | null; down_at: string | null },
  check: CheckSeen,
  previous: CheckSeen | null,
  by: Omit<OutcomeBy, 'source' | 'check'>,
): Promise<'watching' | 'resurfaced' | null> {
  if (!capture.request_item_id) return null;
  const item = await trx
    .selectFrom('request_items')
    .selectAll()
    .where('id', '=', capture.request_item_id)
    .executeTakeFirst();
  if (!item) return null;
  if (capture.down_at === null) {
    const at = item.outcome === 'taken_down' ? takenDownAt(check, previous) : null;
    if (!at) return null;
    await trx.updateTable('site_captures').set({ down_at: at }).where('id', '=', capture.id).execute();
    return 'watching';
  }
  if (!(RESURFACED_OUTCOMES as readonly string[]).includes(check.outcome)) return null;
  // Followed again every 6 h — also when 今すぐ再確認 finds it back after its watch had ended.
  await trx.updateTable('site_captures').set({ down_at: null, recheck: 1 }).where('id', '=', capture.id).execute();
  await trx.updateTable('request_items').set({ resurfaced_at: check.at }).where('id', '=', item.id).execute();
  if (isObservableType(item.kind)) {
    await recordObservables(
      trx,
      { type: 'request', id: item.request_id },
      [
        {
          type: item.kind,
          value: item.value,
          display: item.display,
          role: 'suspect',
          firstSeen: check.at,
          lastSeen: check.at,
          tags: [`resurfaced:${check.at.slice(0, 10)}`],
        },
      ],
      { tlp: 'amber', now: check.at, decidedBy: by.userId },
    );
  }
  await addEvent(
    trx,
    item.request_id,
    check.at,
    by.userId,
    'resurfaced',
    null,
    null,
    `${item.position + 1}:${item.value}`,
  );
  await p.audit.record(trx, {
    actor: by.actor,
    action: 'request.item.resurfaced',
    target: { type: 'request', id: item.request_id },
    result: 'success',
    clientIp: by.ip,
    details: { itemId: item.id, captureId: capture.id, check: check.outcome, downAt: capture.down_at, at: check.at },
  });
  const r = await trx.selectFrom('requests').selectAll().where('id', '=', item.request_id).executeTakeFirst();
  if (r) await notify(p, trx, r.created_by, `【サイト復活】${r.title}`, r);
  return 'resurfaced';
}
