import type { AnyDb } from './db/dialect.ts';

/**
 * "The unit head" and "a superior", as approvals and escalations need them. Positions carry a rank (1 = 所属長,
 * smaller is higher); a superior is someone of a higher rank in the same unit, or the head of an ancestor unit.
 */
export interface PersonInUnit {
  id: string;
  unitId: string;
  rank: number | null;
}

/** The unit's head: its active member in a head position (the highest rank if several). */
export async function findUnitHead(db: AnyDb, unitId: string): Promise<PersonInUnit | null> {
  const row = await db
    .selectFrom('users')
    .innerJoin('positions', 'positions.id', 'users.position_id')
    .select(['users.id', 'users.unit_id', 'positions.rank'])
    .where('users.unit_id', '=', unitId)
    .where('users.status', '=', 'active')
    .where('positions.is_head', '=', 1)
    .orderBy('positions.rank')
    .orderBy('users.id')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: row.id, unitId: row.unit_id, rank: row.rank } : null;
}

async function ancestors(db: AnyDb, unitId: string): Promise<string[]> {
  const out: string[] = [];
  let current: string | null = unitId;
  while (current && out.length < 16) {
    const row: { parent_id: string | null } | undefined = await db
      .selectFrom('units')
      .select('parent_id')
      .where('id', '=', current)
      .executeTakeFirst();
    current = row?.parent_id ?? null;
    if (current) out.push(current);
  }
  return out;
}

export async function isSuperior(db: AnyDb, a: PersonInUnit, b: PersonInUnit): Promise<boolean> {
  if (a.id === b.id) return false;
  if (a.unitId === b.unitId) return a.rank !== null && (b.rank === null || a.rank < b.rank);
  if (a.rank !== 1) return false;
  return (await ancestors(db, b.unitId)).includes(a.unitId);
}

/** Whom to escalate to: the nearest higher-ranked person in the unit, else the head of the nearest ancestor unit. */
export async function nextSuperior(db: AnyDb, person: PersonInUnit): Promise<PersonInUnit | null> {
  if (person.rank !== null && person.rank > 1) {
    const row = await db
      .selectFrom('users')
      .innerJoin('positions', 'positions.id', 'users.position_id')
      .select(['users.id', 'users.unit_id', 'positions.rank'])
      .where('users.unit_id', '=', person.unitId)
      .where('users.status', '=', 'active')
      .where('positions.rank', '<', person.rank)
      .orderBy('positions.rank', 'desc')
      .orderBy('users.id')
      .limit(1)
      .executeTakeFirst();
    if (row) return { id: row.id, unitId: row.unit_id, rank: row.rank };
  }
  for (const unit of await ancestors(db, person.unitId)) {
    const head = await findUnitHead(db, unit);
    if (head) return head;
  }
  return null;
}
