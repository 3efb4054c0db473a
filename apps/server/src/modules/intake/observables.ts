import { randomUUID } from 'node:crypto';
import type { IocFinding, IocRole } from '@renkei/core/ioc/index';
import { type SqlBool, type Transaction, sql } from 'kysely';
import type { Database } from '../../platform/db/types.ts';
import { type PlaceTypeDef, recordObservables, registerPlaceType } from '../intel/index.ts';
import { type ObservableType, isObservableType } from '../intel/vocab.ts';
import { reportVisible } from './access.ts';

export type ObservableRole = 'suspect' | 'victim' | 'unknown';

export interface ExtractedValue {
  type: string;
  value: string;
  display: string;
  role: ObservableRole;
  foundIn: string;
}

/** The extractor's hint → the role of the value in this report (the reporter's own number is 被害者側). */
export function roleFromHint(hint: IocRole): ObservableRole {
  switch (hint) {
    case 'reporter':
    case 'victim':
    case 'recipient':
      return 'victim';
    case 'suspect':
    case 'sender':
    case 'reply_to':
    case 'return_path':
      return 'suspect';
    default:
      return 'unknown';
  }
}

export function fromFindings(findings: readonly IocFinding[], foundIn: string): ExtractedValue[] {
  return findings.map((f) => ({
    type: f.type,
    value: f.value,
    display: f.display,
    role: roleFromHint(f.context.role),
    foundIn,
  }));
}

/** One value per (type, value); a decided role (victim/suspect) wins over unknown, victim over suspect. */
export function mergeValues(values: readonly ExtractedValue[]): ExtractedValue[] {
  const rank = { victim: 2, suspect: 1, unknown: 0 } as const;
  const out = new Map<string, ExtractedValue>();
  for (const v of values) {
    const k = `${v.type}\u0000${v.value}`;
    const had = out.get(k);
    if (!had || rank[v.role] > rank[had.role]) out.set(k, v);
  }
  return [...out.values()];
}

/** Reports as places of the observables module: visible exactly to those who may read the report. */
export const reportPlace: PlaceTypeDef = {
  type: 'report',
  label: { ja: '通報・相談', en: 'Report or consultation' },
  visible: (s, ref) =>
    sql<SqlBool>`exists (select 1 from intake_reports ir where ir.id = ${sql.ref(ref)} and ${reportVisible(s, null, 'ir')})`,
  countPolicy: 'counted',
  async titles(db, ids) {
    const rows = await db
      .selectFrom('intake_reports')
      .select(['id', 'receipt_number', 'summary'])
      .where('id', 'in', ids)
      .execute();
    return new Map(rows.map((r) => [r.id, `${r.receipt_number} ${r.summary}`]));
  },
};
registerPlaceType(reportPlace);

/**
 * Links a report's extracted values as observables with their roles: in the intake module's own table
 * (`intake_observables`, what the report page reads and officers correct) and in the observables module (issue 5)
 * as occurrences at the place (`report`, id), so the same URL in two reports correlates.
 */
export async function linkReportObservables(
  trx: Transaction<Database>,
  reportId: string,
  values: readonly ExtractedValue[],
  now: string,
  decidedBy: string | null,
): Promise<void> {
  const merged = mergeValues(values);
  for (let i = 0; i < merged.length; i += 200) {
    const part = merged.slice(i, i + 200);
    await trx
      .insertInto('intake_observables')
      .values(
        part.map((v) => ({
          id: randomUUID(),
          report_id: reportId,
          type: v.type,
          value: v.value,
          display: v.display,
          role: v.role,
          found_in: v.foundIn,
          role_decided_by: v.role === 'unknown' ? null : decidedBy,
          role_decided_at: v.role === 'unknown' ? null : now,
          created_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['report_id', 'type', 'value']).doNothing())
      .execute();
  }
  const items = merged
    .filter((v) => isObservableType(v.type))
    .map((v) => ({
      type: v.type as ObservableType,
      value: v.value,
      display: v.display,
      role: v.role,
      firstSeen: now,
      lastSeen: now,
    }));
  if (items.length > 0) {
    await recordObservables(trx, { type: 'report', id: reportId }, items, { tlp: 'amber', now, decidedBy });
  }
}

/** An officer's role correction, mirrored on the observables module's occurrence at this report. */
export async function setReportObservableRole(
  trx: Transaction<Database>,
  reportId: string,
  value: { type: string; value: string },
  role: ObservableRole,
  decidedBy: string,
  now: string,
): Promise<void> {
  const obs = await trx
    .selectFrom('observables')
    .select('num')
    .where('type', '=', value.type)
    .where('value', '=', value.value)
    .executeTakeFirst();
  if (!obs) return;
  const place = await trx
    .selectFrom('observable_places')
    .select('num')
    .where('place_type', '=', 'report')
    .where('place_id', '=', reportId)
    .executeTakeFirst();
  if (!place) return;
  await trx
    .updateTable('observable_occurrences')
    .set({ role, role_decided_by: decidedBy, role_decided_at: now })
    .where('observable_num', '=', Number(obs.num))
    .where('place_num', '=', Number(place.num))
    .execute();
}
