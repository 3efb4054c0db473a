import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../testing/engines.ts';
import { makeUser } from '../testing/factories.ts';
import { type TestContext, createTestContext } from '../testing/testPlatform.ts';
import { findUnitHead, isSuperior, nextSuperior, type PersonInUnit } from './organisation.ts';

describe.each(testEngines())('unit heads and superiors on %s', (engine) => {
  let t: TestContext;
  const people: Record<string, PersonInUnit> = {};
  beforeAll(async () => {
    t = await createTestContext(engine);
    const db = t.platform.db.db;
    const pos = Object.fromEntries(
      (await db.selectFrom('positions').select(['code', 'id']).execute()).map((p) => [p.code, p.id]),
    );
    const place = async (name: string, unit: string, position: string, rank: number) => {
      const u = await makeUser(t.platform, { roles: ['investigator'], unit });
      await db.updateTable('users').set({ position_id: pos[position]! }).where('id', '=', u.id).execute();
      const unitRow = await db.selectFrom('users').select('unit_id').where('id', '=', u.id).executeTakeFirstOrThrow();
      people[name] = { id: u.id, unitId: unitRow.unit_id, rank };
    };
    await place('bureauHead', 'seian', 'head', 1);
    await place('head', 'cyber-ka', 'head', 1);
    await place('chief', 'cyber-ka', 'chief', 4);
    await place('officer', 'cyber-ka', 'staff', 6);
    await place('stationOfficer', 'st-koriyama', 'staff', 6);
  });
  afterAll(async () => t.close());

  it('finds the head of a unit, and none where nobody holds the post', async () => {
    expect((await findUnitHead(t.platform.db.db, people.officer!.unitId))?.id).toBe(people.head!.id);
    expect(await findUnitHead(t.platform.db.db, people.stationOfficer!.unitId)).toBeNull();
  });

  it('orders superiors by rank within a unit and through ancestor heads', async () => {
    const db = t.platform.db.db;
    expect(await isSuperior(db, people.chief!, people.officer!)).toBe(true);
    expect(await isSuperior(db, people.officer!, people.chief!)).toBe(false);
    expect(await isSuperior(db, people.bureauHead!, people.officer!)).toBe(true);
    expect(await isSuperior(db, people.head!, people.stationOfficer!)).toBe(false);
    expect((await nextSuperior(db, people.officer!))?.id).toBe(people.chief!.id);
    expect((await nextSuperior(db, people.chief!))?.id).toBe(people.head!.id);
    expect((await nextSuperior(db, people.head!))?.id).toBe(people.bureauHead!.id);
  });
});
