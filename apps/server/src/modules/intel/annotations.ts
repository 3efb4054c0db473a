import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { placeVisible } from './places.ts';
import { actorOf, findVisible, tagsOf } from './service.ts';
import { type OccurrenceRole, ROLE_LABELS } from './vocab.ts';

// What an analyst records on an observable he may see: the role of one occurrence, and tags.

/** Changes the role of one occurrence (加害者側 / 被害者側 / 不明): who decided and when, audited. */
export async function setRole(
  p: Platform,
  s: Subject,
  id: string,
  input: { placeType: string; placeId: string; role: OccurrenceRole },
  ip: string | null,
) {
  const found = await findVisible(p, s, { id });
  if (!found) throw new AppError('OBSERVABLE_NOT_FOUND');
  const db = p.db.db;
  const occ = await db
    .selectFrom('observable_occurrences as oo')
    .innerJoin('observable_places as pl', 'pl.num', 'oo.place_num')
    .select(['oo.place_num', 'oo.role'])
    .where('oo.observable_num', '=', found.o.num)
    .where('pl.place_type', '=', input.placeType)
    .where('pl.place_id', '=', input.placeId)
    .where(placeVisible(s, 'pl'))
    .executeTakeFirst();
  if (!occ) throw new AppError('NOT_FOUND');
  const now = p.clock.now().toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('observable_occurrences')
      .set({ role: input.role, role_decided_by: s.userId, role_decided_at: now })
      .where('observable_num', '=', found.o.num)
      .where('place_num', '=', Number(occ.place_num))
      .execute();
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'intel.role.change',
      target: { type: 'observable', id: found.o.id },
      result: 'success',
      clientIp: ip,
      details: { placeType: input.placeType, placeId: input.placeId, from: occ.role, to: input.role },
    });
  });
  return { role: input.role, roleLabel: ROLE_LABELS[input.role].ja, roleDecidedBy: s.userId, roleDecidedAt: now };
}

export async function changeTags(
  p: Platform,
  s: Subject,
  id: string,
  change: { add?: string[] | undefined; remove?: string[] | undefined },
  ip: string | null,
) {
  const found = await findVisible(p, s, { id });
  if (!found) throw new AppError('OBSERVABLE_NOT_FOUND');
  const num = found.o.num;
  await p.db.db.transaction().execute(async (trx) => {
    if (change.add?.length) {
      await trx
        .insertInto('observable_tags')
        .values(change.add.map((tag) => ({ observable_num: num, tag })))
        .onConflict((oc) => oc.columns(['observable_num', 'tag']).doNothing())
        .execute();
    }
    if (change.remove?.length) {
      await trx
        .deleteFrom('observable_tags')
        .where('observable_num', '=', num)
        .where('tag', 'in', change.remove)
        .execute();
    }
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'intel.tags.change',
      target: { type: 'observable', id: found.o.id },
      result: 'success',
      clientIp: ip,
      details: { added: change.add ?? [], removed: change.remove ?? [] },
    });
  });
  return { tags: await tagsOf(p.db.db, num) };
}
