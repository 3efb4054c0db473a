import { randomUUID } from 'node:crypto';
import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import type { UnitTable } from '../../platform/db/types.ts';
import { AppError } from '../../platform/errors.ts';
import { presentPosition, presentUnit } from './presenter.ts';

const actor = (s: Subject) => ({ id: s.userId, login: s.login, unitId: s.unitId });

export interface UnitInput {
  code?: string;
  name?: string;
  nameKana?: string;
  kind?: string;
  parentId?: string | null;
  abbreviation?: string | null;
  validFrom?: string;
  validTo?: string | null;
  sortOrder?: number;
}

export async function listUnits(p: Platform, includeRetired: boolean, today: string) {
  let q = p.db.db.selectFrom('units').selectAll();
  if (!includeRetired) q = q.where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', today)]));
  const rows = await q.orderBy('sort_order').orderBy('code').execute();
  return rows.map(presentUnit);
}

/** A parent must exist, and a unit may not become its own ancestor. */
async function checkParent(p: Platform, unitId: string | null, parentId: string | null | undefined): Promise<void> {
  if (!parentId) return;
  let current: string | null = parentId;
  const seen = new Set<string>();
  while (current) {
    if (current === unitId) throw new AppError('VALIDATION_FAILED', 'parentId would make a cycle');
    if (seen.has(current)) break;
    seen.add(current);
    const row: { parent_id: string | null } | undefined = await p.db.db
      .selectFrom('units')
      .select('parent_id')
      .where('id', '=', current)
      .executeTakeFirst();
    if (!row) throw new AppError('VALIDATION_FAILED', 'parentId: no such unit');
    current = row.parent_id;
  }
}

function checkValidity(from: string, to: string | null): void {
  if (Number.isNaN(Date.parse(from)) || (to && Number.isNaN(Date.parse(to)))) {
    throw new AppError('VALIDATION_FAILED', 'validFrom/validTo must be real dates');
  }
  if (to && to < from) throw new AppError('VALIDATION_FAILED', 'validTo is before validFrom');
}

export async function createUnit(
  p: Platform,
  s: Subject,
  input: UnitInput & { code: string; name: string; kind: string },
  ip: string,
) {
  const now = p.clock.now().toISOString();
  const row: UnitTable = {
    id: randomUUID(),
    code: input.code,
    name: input.name,
    name_kana: input.nameKana ?? '',
    kind: input.kind,
    parent_id: input.parentId ?? null,
    abbreviation: input.abbreviation ?? null,
    valid_from: input.validFrom ?? now.slice(0, 10),
    valid_to: input.validTo ?? null,
    sort_order: input.sortOrder ?? 0,
    created_at: now,
    updated_at: now,
  };
  checkValidity(row.valid_from, row.valid_to);
  await checkParent(p, row.id, row.parent_id);
  try {
    await p.db.db.transaction().execute(async (trx) => {
      await trx.insertInto('units').values(row).execute();
      await p.audit.record(trx, {
        actor: actor(s),
        action: 'unit.create',
        target: { type: 'unit', id: row.id },
        result: 'success',
        clientIp: ip,
        details: { code: row.code },
      });
    });
  } catch (err) {
    if (p.dialect.isUniqueViolation(err)) throw new AppError('UNIT_CODE_TAKEN');
    throw err;
  }
  return presentUnit(row);
}

export async function updateUnit(p: Platform, s: Subject, id: string, input: UnitInput, ip: string) {
  const existing = await p.db.db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
  if (!existing) throw new AppError('NOT_FOUND');
  const next: UnitTable = {
    ...existing,
    code: input.code ?? existing.code,
    name: input.name ?? existing.name,
    name_kana: input.nameKana ?? existing.name_kana,
    kind: input.kind ?? existing.kind,
    parent_id: input.parentId !== undefined ? input.parentId : existing.parent_id,
    abbreviation: input.abbreviation !== undefined ? input.abbreviation : existing.abbreviation,
    valid_from: input.validFrom ?? existing.valid_from,
    valid_to: input.validTo !== undefined ? input.validTo : existing.valid_to,
    sort_order: input.sortOrder ?? existing.sort_order,
    updated_at: p.clock.now().toISOString(),
  };
  checkValidity(next.valid_from, next.valid_to);
  await checkParent(p, id, next.parent_id);
  try {
    await p.db.db.transaction().execute(async (trx) => {
      await trx.updateTable('units').set(next).where('id', '=', id).execute();
      await p.audit.record(trx, {
        actor: actor(s),
        action: 'unit.update',
        target: { type: 'unit', id },
        result: 'success',
        clientIp: ip,
        details: { fields: Object.keys(input) },
      });
    });
  } catch (err) {
    if (p.dialect.isUniqueViolation(err)) throw new AppError('UNIT_CODE_TAKEN');
    throw err;
  }
  return presentUnit(next);
}

export async function listPositions(p: Platform) {
  const rows = await p.db.db.selectFrom('positions').selectAll().orderBy('rank').orderBy('code').execute();
  return rows.map(presentPosition);
}

export async function savePosition(
  p: Platform,
  s: Subject,
  id: string | null,
  input: { code?: string; name?: string; nameEn?: string; rank?: number; isHead?: boolean },
  ip: string,
) {
  const now = p.clock.now().toISOString();
  const existing = id
    ? await p.db.db.selectFrom('positions').selectAll().where('id', '=', id).executeTakeFirst()
    : undefined;
  if (id && !existing) throw new AppError('NOT_FOUND');
  const row = {
    id: existing?.id ?? randomUUID(),
    code: input.code ?? existing?.code ?? '',
    name: input.name ?? existing?.name ?? '',
    name_en: input.nameEn ?? existing?.name_en ?? '',
    rank: input.rank ?? existing?.rank ?? 99,
    is_head: input.isHead === undefined ? (existing?.is_head ?? 0) : input.isHead ? 1 : 0,
    created_at: existing?.created_at ?? now,
  };
  try {
    await p.db.db.transaction().execute(async (trx) => {
      if (existing) await trx.updateTable('positions').set(row).where('id', '=', row.id).execute();
      else await trx.insertInto('positions').values(row).execute();
      await p.audit.record(trx, {
        actor: actor(s),
        action: existing ? 'position.update' : 'position.create',
        target: { type: 'position', id: row.id },
        result: 'success',
        clientIp: ip,
      });
    });
  } catch (err) {
    if (p.dialect.isUniqueViolation(err)) throw new AppError('CONFLICT', 'position code is taken');
    throw err;
  }
  return presentPosition(row);
}

export async function listRoles(p: Platform) {
  const rows = await p.db.db.selectFrom('roles').selectAll().orderBy('code').execute();
  return rows.map((r) => ({ code: r.code, nameJa: r.name_ja, nameEn: r.name_en, description: r.description }));
}

export async function listGroups(p: Platform) {
  const rows = await p.db.db.selectFrom('groups').selectAll().orderBy('name').execute();
  return rows.map((g) => ({ id: g.id, name: g.name, description: g.description }));
}

export async function createGroup(p: Platform, s: Subject, input: { name: string; description?: string }, ip: string) {
  const row = {
    id: randomUUID(),
    name: input.name,
    description: input.description ?? '',
    created_at: p.clock.now().toISOString(),
  };
  try {
    await p.db.db.transaction().execute(async (trx) => {
      await trx.insertInto('groups').values(row).execute();
      await p.audit.record(trx, {
        actor: actor(s),
        action: 'group.create',
        target: { type: 'group', id: row.id },
        result: 'success',
        clientIp: ip,
      });
    });
  } catch (err) {
    if (p.dialect.isUniqueViolation(err)) throw new AppError('CONFLICT', 'group name is taken');
    throw err;
  }
  return { id: row.id, name: row.name, description: row.description };
}
