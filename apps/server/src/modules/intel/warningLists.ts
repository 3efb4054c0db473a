import { randomUUID } from 'node:crypto';
import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import { decodeCursor, encodeCursor } from '../../platform/db/cursor.ts';
import { AppError } from '../../platform/errors.ts';
import { canonicalise } from './canonical.ts';
import { actorOf } from './service.ts';

// Warning lists: the editable vocabulary of very common values (public resolvers, big platforms...) that a look-up
// flags so an analyst does not read a link into them.

export async function listWarningLists(p: Platform) {
  const lists = await p.db.db.selectFrom('warning_lists').selectAll().orderBy('code').execute();
  const counts = await p.db.db
    .selectFrom('warning_list_entries')
    .select(['list_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('list_id')
    .execute();
  const n = new Map(counts.map((c) => [c.list_id, Number(c.n)]));
  return lists.map((l) => ({
    id: l.id,
    code: l.code,
    name: l.name,
    description: l.description,
    enabled: l.enabled === 1,
    entries: n.get(l.id) ?? 0,
    updatedAt: l.updated_at,
  }));
}

export async function listWarningEntries(p: Platform, listId: string, cursor: string | undefined, limit: number) {
  const after = decodeCursor<[string, string]>(cursor, 2);
  let q = p.db.db.selectFrom('warning_list_entries').select(['type', 'value']).where('list_id', '=', listId);
  if (after) {
    q = q.where((eb) =>
      eb.or([eb('type', '>', after[0]), eb.and([eb('type', '=', after[0]), eb('value', '>', after[1])])]),
    );
  }
  const rows = await q
    .orderBy('type')
    .orderBy('value')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page, nextCursor: rows.length > limit && last ? encodeCursor([last.type, last.value]) : null };
}

export async function createWarningList(
  p: Platform,
  s: Subject,
  input: { code: string; name: string; description?: string | undefined },
  ip: string | null,
) {
  const id = randomUUID();
  const now = p.clock.now().toISOString();
  try {
    await p.db.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('warning_lists')
        .values({
          id,
          code: input.code,
          name: input.name,
          description: input.description ?? '',
          enabled: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await p.audit.record(trx, {
        actor: actorOf(s),
        action: 'intel.warning_list.create',
        target: { type: 'warning_list', id },
        result: 'success',
        clientIp: ip,
        details: { code: input.code },
      });
    });
  } catch (err) {
    if (p.dialect.isUniqueViolation(err)) throw new AppError('CONFLICT', 'code is taken');
    throw err;
  }
  return (await listWarningLists(p)).find((l) => l.id === id)!;
}

export async function changeWarningList(
  p: Platform,
  s: Subject,
  listId: string,
  change: {
    enabled?: boolean | undefined;
    name?: string | undefined;
    add?: { type: string; value: string }[] | undefined;
    remove?: { type: string; value: string }[] | undefined;
  },
  ip: string | null,
) {
  const list = await p.db.db.selectFrom('warning_lists').select('id').where('id', '=', listId).executeTakeFirst();
  if (!list) throw new AppError('NOT_FOUND');
  const canon = (e: { type: string; value: string }) => {
    const c = canonicalise(e.value, e.type);
    if (!c) throw new AppError('VALIDATION_FAILED', `not a valid ${e.type}: entry`);
    return { list_id: listId, type: c.type, value: c.value };
  };
  const add = (change.add ?? []).map(canon);
  const remove = (change.remove ?? []).map(canon);
  await p.db.db.transaction().execute(async (trx) => {
    const set: { updated_at: string; enabled?: number; name?: string } = { updated_at: p.clock.now().toISOString() };
    if (change.enabled !== undefined) set.enabled = change.enabled ? 1 : 0;
    if (change.name !== undefined) set.name = change.name;
    await trx.updateTable('warning_lists').set(set).where('id', '=', listId).execute();
    for (let i = 0; i < add.length; i += 500) {
      await trx
        .insertInto('warning_list_entries')
        .values(add.slice(i, i + 500))
        .onConflict((oc) => oc.columns(['list_id', 'type', 'value']).doNothing())
        .execute();
    }
    for (const r of remove) {
      await trx
        .deleteFrom('warning_list_entries')
        .where('list_id', '=', listId)
        .where('type', '=', r.type)
        .where('value', '=', r.value)
        .execute();
    }
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'intel.warning_list.change',
      target: { type: 'warning_list', id: listId },
      result: 'success',
      clientIp: ip,
      details: { enabled: change.enabled ?? null, added: add.length, removed: remove.length },
    });
  });
  return (await listWarningLists(p)).find((l) => l.id === listId)!;
}
