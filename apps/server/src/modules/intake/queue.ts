import { workingMillisBetween } from '@renkei/core/calendar/index';
import type { Selectable } from 'kysely';
import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import { decodeCursor, encodeCursor, pageLimit } from '../../platform/db/cursor.ts';
import { cyberUnitId, reportVisible } from './access.ts';
import type { IntakeReportTable } from './tables.ts';

type ReportRow = Selectable<IntakeReportTable>;

import { CHANNEL_LABELS, STATUS_LABELS } from './labels.ts';

function clocks(now: Date, from: string | null) {
  if (!from) return null;
  const start = new Date(from);
  return {
    calendarMs: Math.max(0, now.getTime() - start.getTime()),
    workingMs: Math.max(0, workingMillisBetween(start, now)),
  };
}

export interface QueueRow extends ReportRow {
  unit_name: string;
  assignee_name: string | null;
  cluster_size: number | null;
  cluster_first_at: string | null;
  cluster_latest_at: string | null;
}

export function queueItem(r: QueueRow, now: Date) {
  return {
    id: r.id,
    receiptNumber: r.receipt_number,
    channel: r.channel,
    channelLabel: CHANNEL_LABELS[r.channel] ?? r.channel,
    kind: r.kind,
    status: r.status,
    statusLabel: STATUS_LABELS[r.status]?.ja ?? r.status,
    summary: r.summary,
    category: r.category,
    suggestedCategory: r.suggested_category,
    suggestedScore: r.suggested_score === null ? null : Number(r.suggested_score),
    urgent: r.urgent === 1,
    ownerUnitId: r.owner_unit_id,
    ownerUnitName: r.unit_name,
    assigneeId: r.assignee_id,
    assigneeName: r.assignee_name,
    receivedAt: r.received_at,
    assignedAt: r.assigned_at,
    acknowledgedAt: r.acknowledged_at,
    escalatedAt: r.escalated_at,
    closedAt: r.closed_at,
    outcome: r.outcome,
    flags: JSON.parse(r.flags) as string[],
    clocks: {
      sinceReceipt: clocks(r.closed_at ? new Date(r.closed_at) : now, r.received_at),
      sinceAssignment: clocks(r.closed_at ? new Date(r.closed_at) : now, r.assigned_at),
    },
    cluster: r.cluster_id
      ? {
          id: r.cluster_id,
          size: Number(r.cluster_size ?? 1),
          firstAt: r.cluster_first_at,
          latestAt: r.cluster_latest_at,
        }
      : null,
  };
}

export function baseQuery(p: Platform, s: Subject, cyber: string) {
  return p.db.db
    .selectFrom('intake_reports')
    .innerJoin('units', 'units.id', 'intake_reports.owner_unit_id')
    .leftJoin('users', 'users.id', 'intake_reports.assignee_id')
    .leftJoin('intake_clusters', 'intake_clusters.id', 'intake_reports.cluster_id')
    .selectAll('intake_reports')
    .select([
      'units.name as unit_name',
      'users.name as assignee_name',
      'intake_clusters.size as cluster_size',
      'intake_clusters.first_at as cluster_first_at',
      'intake_clusters.latest_at as cluster_latest_at',
    ])
    .where(reportVisible(s, cyber));
}

export interface QueueFilter {
  status?: string;
  category?: string;
  channel?: string;
  cluster?: string;
  olderThanHours?: string;
  urgent?: string;
  unit?: string;
  cursor?: string;
  limit?: string;
}

/** The queue: reports the subject may see, newest first, keyset-paged; filters in SQL. */
export async function queue(p: Platform, s: Subject, f: QueueFilter) {
  const cyber = await cyberUnitId(p);
  const limit = pageLimit(f.limit, 50, 200);
  const now = p.clock.now();
  let q = baseQuery(p, s, cyber);
  if (f.status) q = q.where('intake_reports.status', '=', f.status);
  if (f.category) {
    q = q.where((eb) =>
      eb.or([
        eb('intake_reports.category', '=', f.category!),
        eb.and([eb('intake_reports.category', 'is', null), eb('intake_reports.suggested_category', '=', f.category!)]),
      ]),
    );
  }
  if (f.channel) q = q.where('intake_reports.channel', '=', f.channel);
  if (f.cluster) q = q.where('intake_reports.cluster_id', '=', f.cluster);
  if (f.urgent) q = q.where('intake_reports.urgent', '=', f.urgent === 'true' ? 1 : 0);
  if (f.unit) q = q.where('intake_reports.owner_unit_id', '=', f.unit);
  if (f.olderThanHours) {
    const before = new Date(now.getTime() - Number(f.olderThanHours) * 3600_000).toISOString();
    q = q.where('intake_reports.received_at', '<=', before);
  }
  const after = decodeCursor<[string, string]>(f.cursor, 2);
  if (after) {
    q = q.where((eb) =>
      eb.or([
        eb('intake_reports.received_at', '<', after[0]),
        eb.and([eb('intake_reports.received_at', '=', after[0]), eb('intake_reports.id', '<', after[1])]),
      ]),
    );
  }
  const rows = (await q
    .orderBy('intake_reports.received_at', 'desc')
    .orderBy('intake_reports.id', 'desc')
    .limit(limit + 1)
    .execute()) as QueueRow[];
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => queueItem(r, now)),
    nextCursor: rows.length > limit && last ? encodeCursor([last.received_at, last.id]) : null,
  };
}
