import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kysely, sql } from 'kysely';
import { testEngines } from '../../testing/engines.ts';
import { type TestDatabase, createTestDatabase } from '../../testing/testDatabase.ts';
import { type Db, connect } from '../db/connect.ts';
import { type ObjectAttributes, canReadRecord } from './policy.ts';
import { visibleTo } from './recordFilter.ts';
import { ROLES, type Role, type Subject } from './subject.ts';

interface Rec {
  id: string;
  owner: string;
  conf: 1 | 2 | 3;
  tlp: 'clear' | 'green' | 'amber' | 'red';
  membersOnly: boolean;
  members: string[];
  groups: string[];
}
const units = ['u1', 'u2', 'u3'];
const users = ['a', 'b', 'c', 'd'];
const groupIds = ['g1', 'g2'];

const recArb = (id: number) =>
  fc.record({
    id: fc.constant(`r${id}`),
    owner: fc.constantFrom(...units),
    conf: fc.constantFrom(1 as const, 2 as const, 3 as const),
    tlp: fc.constantFrom('clear' as const, 'green' as const, 'amber' as const, 'red' as const),
    membersOnly: fc.boolean(),
    members: fc.subarray(users),
    groups: fc.subarray(groupIds),
  });
const subjectArb = fc.record({
  userId: fc.constantFrom(...users),
  unitId: fc.constantFrom(...units),
  roles: fc.subarray([...ROLES] as Role[], { minLength: 1 }),
  groups: fc.subarray(groupIds),
  clearance: fc.constantFrom(1 as const, 2 as const, 3 as const),
});

describe.each(testEngines())('the SQL need-to-know filter agrees with canReadRecord on %s', (engine) => {
  let tdb: TestDatabase;
  let db: Db;
  let k: Kysely<unknown>;
  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    db = connect(tdb.url);
    k = db.db as unknown as Kysely<unknown>;
    await sql`create table recs (id text primary key, owner_unit text, confidentiality integer, tlp text, members_only integer)`.execute(
      k,
    );
    await sql`create table rec_members (rec_id text, user_id text)`.execute(k);
    await sql`create table rec_groups (rec_id text, group_id text)`.execute(k);
  });
  afterAll(async () => {
    await db.close();
    await tdb.drop();
  });

  it('returns exactly the records the in-memory rule admits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(...Array.from({ length: 12 }, (_, i) => recArb(i))),
        subjectArb,
        async (recs: Rec[], s) => {
          await sql`delete from recs`.execute(k);
          await sql`delete from rec_members`.execute(k);
          await sql`delete from rec_groups`.execute(k);
          for (const r of recs) {
            await sql`insert into recs values (${r.id}, ${r.owner}, ${r.conf}, ${r.tlp}, ${r.membersOnly ? 1 : 0})`.execute(
              k,
            );
            for (const m of r.members) await sql`insert into rec_members values (${r.id}, ${m})`.execute(k);
            for (const g of r.groups) await sql`insert into rec_groups values (${r.id}, ${g})`.execute(k);
          }
          const subject: Subject = {
            userId: s.userId,
            login: s.userId,
            name: s.userId,
            unitId: s.unitId,
            unitPath: [s.unitId],
            positionRank: null,
            isUnitHead: false,
            roles: new Set(s.roles),
            groups: new Set(s.groups),
            clearance: s.clearance,
            via: 'session',
            tokenId: null,
          };
          const where = visibleTo(
            subject,
            {
              id: 'recs.id',
              ownerUnit: 'recs.owner_unit',
              confidentiality: 'recs.confidentiality',
              tlp: 'recs.tlp',
              membersOnly: 'recs.members_only',
            },
            {
              members: { table: 'rec_members', record: 'rec_id', user: 'user_id' },
              groups: { table: 'rec_groups', record: 'rec_id', group: 'group_id' },
            },
          );
          const rows = await sql<{ id: string }>`select id from recs where ${where} order by id`.execute(k);
          const expected = recs
            .filter((r) => {
              const o: ObjectAttributes = {
                type: 'rec',
                ownerUnitId: r.owner,
                confidentiality: r.conf,
                tlp: r.tlp,
                memberIds: r.members,
                groupIds: r.groups,
                handling: r.membersOnly ? ['members_only'] : [],
              };
              return canReadRecord(subject, o);
            })
            .map((r) => r.id)
            .sort();
          expect(rows.rows.map((r) => r.id)).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});
