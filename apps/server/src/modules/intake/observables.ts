import { randomUUID } from 'node:crypto';
import type { IocFinding, IocRole } from '@renkei/core/ioc/index';
import type { Transaction } from 'kysely';
import type { Database } from '../../platform/db/types.ts';

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

/**
 * Links a report's extracted values as observables with their roles. Today they are kept in the intake module's own
 * table (`intake_observables`), which the report page and the queue read. When the observables module (issue 5,
 * `modules/intel`) is committed, this is the one function to extend with its `recordObservables(trx, {type:
 * 'report', id}, …)` call (place type `report` registered with the report's need-to-know).
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
}
