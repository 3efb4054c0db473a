import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../../platform/db/types.ts';

export interface TimelineEntry {
  caseId: string;
  /** note | stage | member | report | task | person | damage | attachment | observable | override | evidence … */
  kind: string;
  body: string;
  authorId: string | null;
  /** When it happened (defaults to now). */
  at?: string | null;
  now: string;
}

/** Appends one timeline entry inside the caller's transaction and touches the case (lists sort by updated_at). */
export async function addTimeline(trx: Transaction<Database>, e: TimelineEntry): Promise<string> {
  const id = randomUUID();
  await trx
    .insertInto('case_timeline')
    .values({
      id,
      case_id: e.caseId,
      at: e.at ?? e.now,
      kind: e.kind,
      body: e.body,
      author_id: e.authorId,
      created_at: e.now,
    })
    .execute();
  await trx.updateTable('cases').set({ updated_at: e.now }).where('id', '=', e.caseId).execute();
  return id;
}
