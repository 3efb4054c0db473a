import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import { requestVisible } from './access.ts';

const HOUR = 3_600_000;
export const AGE_BUCKETS = [
  { key: '0-1d', maxDays: 1 },
  { key: '1-3d', maxDays: 3 },
  { key: '3-7d', maxDays: 7 },
  { key: '7-30d', maxDays: 30 },
  { key: '30d+', maxDays: Number.POSITIVE_INFINITY },
] as const;

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Measures over the caller's visible requests: time from sending to takedown / freeze per recipient (median and
 * mean hours, count), and open requests by age since they were drafted.
 */
export async function measures(p: Platform, s: Subject) {
  const db = p.db.db;
  const outcomes = await db
    .selectFrom('request_items')
    .innerJoin('requests', 'requests.id', 'request_items.request_id')
    .innerJoin('request_recipients', 'request_recipients.id', 'requests.recipient_id')
    .select([
      'request_recipients.id as recipient_id',
      'request_recipients.name as recipient_name',
      'request_items.outcome',
      'request_items.outcome_at',
      'requests.sent_at',
    ])
    .where(requestVisible(s))
    .where('request_items.outcome', 'in', ['taken_down', 'frozen'])
    .where('requests.sent_at', 'is not', null)
    .execute();
  const per = new Map<string, { recipientId: string; recipientName: string; outcome: string; hours: number[] }>();
  for (const o of outcomes) {
    if (!o.outcome_at || !o.sent_at) continue;
    const key = `${o.recipient_id}\u0000${o.outcome}`;
    const e = per.get(key) ?? {
      recipientId: o.recipient_id,
      recipientName: o.recipient_name,
      outcome: o.outcome,
      hours: [],
    };
    e.hours.push((Date.parse(o.outcome_at) - Date.parse(o.sent_at)) / HOUR);
    per.set(key, e);
  }
  const open = await db
    .selectFrom('requests')
    .select(['requests.created_at', 'requests.status'])
    .where(requestVisible(s))
    .where('requests.status', 'in', ['draft', 'approved', 'sent', 'acknowledged'])
    .execute();
  const now = p.clock.now().getTime();
  const byAge = AGE_BUCKETS.map((b) => ({ bucket: b.key, count: 0 }));
  for (const r of open) {
    const days = (now - Date.parse(r.created_at)) / (24 * HOUR);
    const i = AGE_BUCKETS.findIndex((b) => days < b.maxDays);
    byAge[i]!.count++;
  }
  const byStatus: Record<string, number> = {};
  for (const r of open) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  return {
    timeToOutcome: [...per.values()].map((e) => ({
      recipientId: e.recipientId,
      recipientName: e.recipientName,
      outcome: e.outcome,
      count: e.hours.length,
      medianHours: median(e.hours),
      meanHours: e.hours.reduce((a, b) => a + b, 0) / e.hours.length,
    })),
    openByAge: byAge,
    openByStatus: byStatus,
    openTotal: open.length,
  };
}
