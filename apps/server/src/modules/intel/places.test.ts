import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subject } from '../../platform/auth/subject.ts';
import { testEngines } from '../../testing/engines.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';
import './builtinPlaces.ts';
import { recordObservables } from './ingest.ts';
import { type PlaceTypeDef, registerPlaceType } from './places.ts';
import { placesOf } from './service.ts';

/** Places whose id starts with "v-" are visible, "h-" hidden: enough to page across the look-up's scan windows. */
const pagingPlace: PlaceTypeDef = {
  type: 'paging_test',
  label: { ja: '試験', en: 'Test' },
  visible: (_s, ref) => sql`${sql.ref(ref)} like 'v-%'`,
};
registerPlaceType(pagingPlace);

const analyst: Subject = {
  userId: 'u',
  login: 'u',
  name: 'u',
  unitId: 'x',
  unitPath: ['x'],
  positionRank: null,
  isUnitHead: false,
  roles: new Set(['cyber_analyst']),
  groups: new Set(),
  clearance: 2,
  via: 'session',
  tokenId: null,
};

describe.each(testEngines())('places of a value, paged across scan windows, on %s', (engine) => {
  let t: TestContext;
  const nums = new Map<string, number>();
  beforeAll(async () => {
    t = await createTestContext(engine);
    const now = t.clock.now().toISOString();
    await t.platform.db.db.transaction().execute(async (trx) => {
      const item = (value: string) => ({
        type: 'domain' as const,
        value,
        display: value,
        firstSeen: now,
        lastSeen: now,
      });
      // 400 places of "common.example.jp": every third one hidden; 150 hidden-only places of "secret.example.jp".
      for (let i = 0; i < 400; i++) {
        const r = await recordObservables(
          trx,
          { type: 'paging_test', id: `${i % 3 === 0 ? 'h' : 'v'}-${String(i).padStart(4, '0')}` },
          [item('common.example.jp')],
          { tlp: 'amber', now },
        );
        for (const [k, v] of r.nums) nums.set(k.split('\u0000')[1]!, v.num);
      }
      for (let i = 0; i < 150; i++) {
        const r = await recordObservables(trx, { type: 'paging_test', id: `h-s${i}` }, [item('secret.example.jp')], {
          tlp: 'amber',
          now,
        });
        for (const [k, v] of r.nums) nums.set(k.split('\u0000')[1]!, v.num);
      }
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('returns every visible place once, newest first, and none of the hidden ones', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const page = await placesOf(t.platform.db.db, analyst, nums.get('common.example.jp')!, { cursor, limit: 50 });
      expect(page.items.length).toBeLessThanOrEqual(50);
      seen.push(...page.items.map((i) => i.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    const expected = Array.from({ length: 400 }, (_, i) => i)
      .filter((i) => i % 3 !== 0)
      .map((i) => `v-${String(i).padStart(4, '0')}`)
      .reverse();
    expect(seen).toEqual(expected);
  });

  it('a value whose places are all hidden gives an empty page and no cursor', async () => {
    const page = await placesOf(t.platform.db.db, analyst, nums.get('secret.example.jp')!, { limit: 50 });
    expect(page).toEqual({ items: [], nextCursor: null });
  });
});
