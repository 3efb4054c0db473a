import type { AnyDb } from '../../platform/db/dialect.ts';
import type { MailOutboxTable, MailStatus } from '../../platform/mail/types.ts';

/** Newest first, keyset-paged on (created_at, id). */
export function listOutbox(
  db: AnyDb,
  filter: { status?: MailStatus | undefined },
  after: [string, string] | null,
  limit: number,
): Promise<MailOutboxTable[]> {
  let q = db.selectFrom('mail_outbox').selectAll();
  if (filter.status) q = q.where('status', '=', filter.status);
  if (after) {
    const [at, id] = after;
    q = q.where((eb) => eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', id)])]));
  }
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export function findMessage(db: AnyDb, id: string): Promise<MailOutboxTable | undefined> {
  return db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
}
