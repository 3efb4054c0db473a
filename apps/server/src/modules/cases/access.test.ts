import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role, Subject } from '../../platform/auth/subject.ts';
import { testEngines } from '../../testing/engines.ts';
import { unitId } from '../../testing/factories.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';
import { type CaseAction, caseAccess, caseVisibleTo, caseWritableBy, mayOnCase, memberCasesOf } from './access.ts';
import type { MemberRole } from './tables.ts';
import './tables.ts';

const ROLES: Role[][] = [['investigator'], ['cyber_analyst'], ['station_officer'], ['viewer'], ['admin'], ['auditor']];
const MEMBERSHIP: (MemberRole | null)[] = [null, 'reader', 'member', 'lead'];
const ACTIONS: CaseAction[] = ['read', 'write', 'manage'];
const UNITS = ['cyber-ka', 'st-fukushima', 'sosa-nika'];
const CLEARANCE: (1 | 2 | 3)[] = [1, 3];

function subject(id: string, roles: Role[], unit: string, clearance: 1 | 2 | 3): Subject {
  return {
    userId: id,
    login: id,
    name: id,
    unitId: unit,
    unitPath: [unit],
    positionRank: null,
    isUnitHead: false,
    roles: new Set(roles),
    groups: new Set(),
    clearance,
    via: 'session',
    tokenId: null,
  };
}

/** What the rule says, written out plainly: members only, content roles only, clearance, lead manages. */
function expected(roles: Role[], m: MemberRole | null, a: CaseAction, clearance: number, conf: number): boolean {
  const content = roles.some((r) => r !== 'admin' && r !== 'auditor');
  if (!content || m === null || clearance < conf) return false;
  if (a === 'read') return true;
  if (a === 'write') return m !== 'reader';
  return m === 'lead';
}

describe.each(testEngines())('case need-to-know on %s', (engine) => {
  let t: TestContext;
  const CASE = 'case-access-1';
  const units: Record<string, string> = {};
  const people: { s: Subject; m: MemberRole | null }[] = [];

  beforeAll(async () => {
    t = await createTestContext(engine);
    const db = t.platform.db.db;
    for (const u of UNITS) units[u] = await unitId(t.platform, u);
    const now = t.clock.now().toISOString();
    await db
      .insertInto('cases')
      .values({
        id: CASE,
        case_number: '令和8年サ対第1号',
        number_year: 2026,
        number_seq: 1,
        title: 'ランサムウェアによる病院の業務停止事件',
        summary: '電子カルテが暗号化された',
        type: 'cyber_attack',
        classification_code: null,
        lead_unit_id: units['cyber-ka']!,
        status: 'open',
        stage: 'investigating',
        confidentiality: 2,
        handling: '[]',
        tlp: 'amber',
        recognised_on: '2026-04-01',
        cleared_on: null,
        referred_on: null,
        closed_at: null,
        created_by: 'x',
        created_at: now,
        updated_at: now,
      })
      .execute();
    let n = 0;
    for (const roles of ROLES)
      for (const u of UNITS)
        for (const m of MEMBERSHIP)
          for (const c of CLEARANCE) {
            const id = `u${++n}`;
            people.push({ s: subject(id, roles, units[u]!, c), m });
            if (m)
              await db
                .insertInto('case_members')
                .values({
                  case_id: CASE,
                  user_id: id,
                  role: m,
                  added_by: 'x',
                  added_at: now,
                  via: 'lead',
                  reason: null,
                })
                .execute();
          }
  });
  afterAll(async () => t?.close());

  it('code and SQL agree with the rule over roles × units × membership × clearance × actions', async () => {
    const db = t.platform.db.db;
    let checked = 0;
    for (const { s, m } of people) {
      const sqlRead = await db
        .selectFrom('cases')
        .select('id')
        .where('id', '=', CASE)
        .where(caseVisibleTo(s))
        .execute();
      const listed = await db.selectFrom('cases').select('id').where('id', '=', CASE).where(memberCasesOf(s)).execute();
      expect(listed.length === 1, 'list form').toBe(expected([...s.roles], m, 'read', s.clearance, 2));
      const sqlWrite = await db
        .selectFrom('cases')
        .select('id')
        .where('id', '=', CASE)
        .where(caseWritableBy(s))
        .execute();
      for (const a of ACTIONS) {
        const want = expected([...s.roles], m, a, s.clearance, 2);
        expect(mayOnCase(s, { confidentiality: 2 }, m, a), `${[...s.roles]} ${m} ${a} ${s.clearance}`).toBe(want);
        expect((await caseAccess(db, s, CASE, a)) !== null).toBe(want);
        if (a === 'read') expect(sqlRead.length === 1).toBe(want);
        if (a === 'write') expect(sqlWrite.length === 1).toBe(want);
        checked++;
      }
    }
    expect(checked).toBe(ROLES.length * UNITS.length * MEMBERSHIP.length * CLEARANCE.length * ACTIONS.length);
    // Being in the lead unit gives nothing without membership.
    const sameUnit = subject('nobody', ['cyber_analyst'], units['cyber-ka']!, 3);
    expect(await caseAccess(db, sameUnit, CASE, 'read')).toBeNull();
  });

  it('finds cases and timeline entries by Japanese text (three characters and fewer)', async () => {
    const db = t.platform.db.db;
    const d = t.platform.dialect;
    const idx = { table: 'cases', key: 'id', columns: ['title', 'summary', 'case_number'] };
    const hit = (q: string) =>
      db
        .selectFrom('cases')
        .select('id')
        .where(sql<boolean>`id in (${d.textSearchKeys(idx, q)})`)
        .execute();
    expect((await hit('ランサムウェア')).map((r) => r.id)).toEqual([CASE]);
    expect((await hit('カルテ')).length).toBe(1);
    expect((await hit('病院')).length).toBe(1);
    expect((await hit('詐欺事件')).length).toBe(0);
    expect((await hit('100%')).length).toBe(0);
  });
});
