import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testEngines } from '../../../testing/engines.ts';
import { createTestDatabase } from '../../../testing/testDatabase.ts';
import { connect } from '../connect.ts';
import { migrations } from './index.ts';

/**
 * Migration 0016 on a database that already holds cases: its backfill writes the same search documents as its
 * triggers do for rows written afterwards (same parts of 16 entries, same text, same order).
 */
describe.each(testEngines())('migration 0016 case_search on %s', (engine) => {
  it('backfills existing cases and timelines exactly as the triggers write new ones', async () => {
    const t = await createTestDatabase(engine);
    const db = connect(t.url);
    const k = db.db as unknown as Kysely<unknown>;
    try {
      const upTo = (last: string) =>
        new Migrator({
          db: db.db,
          provider: {
            async getMigrations() {
              const out: Record<string, Migration> = {};
              for (const [n, m] of Object.entries(migrations)) if (n <= last) out[n] = { up: (d) => m.up(d, engine) };
              return out;
            },
          },
        }).migrateToLatest();
      const write = async (prefix: string) => {
        for (let c = 0; c < 3; c++) {
          const id = `${prefix}-${c}`;
          await sql`insert into cases (id, case_number, number_year, number_seq, title, summary, type, lead_unit_id,
              status, stage, confidentiality, handling, tlp, created_by, created_at, updated_at)
            values (${id}, ${`No-${c}-${prefix}`}, 2026, ${prefix === 'a' ? c : c + 10}, ${`DDoS事案 ${c}`},
              ${c === 1 ? '' : '概要'}, 'cyber_crime', 'u', 'open', 'recognised', 1, '[]', 'amber', 'u',
              '2026-01-01', '2026-01-01')`.execute(k);
          // 5, 20 and 35 entries: one, two and three timeline parts.
          for (let e = 0; e < 5 + c * 15; e++)
            await sql`insert into case_timeline (id, case_id, at, kind, body, author_id, created_at)
              values (${`${id}-${String(e).padStart(3, '0')}`}, ${id}, '2026-01-01', 'note', ${`記録${e} Phishing`}, null,
                ${`2026-01-01T00:00:${String(e).padStart(2, '0')}Z`})`.execute(k);
        }
      };
      expect((await upTo('0015_request_recipients')).error).toBeUndefined();
      await write('a');
      expect((await upTo('0016_case_search')).error).toBeUndefined();
      await write('b');
      const docs = await sql<{ key: string; part: number; body: string }>`select key, part, body from case_search
        order by key, part`.execute(k);
      const of = (prefix: string) =>
        docs.rows
          .filter((d) => d.key.startsWith(`${prefix}-`))
          .map((d) => [d.key.slice(2), Number(d.part), d.body.replace(`-${prefix}`, '-x')]);
      expect(of('a')).toHaveLength(2 + 3 + 4);
      expect(of('a')).toEqual(of('b'));
      expect(of('a')[0]).toEqual(['0', 0, 'ddos事案 0\n概要\nno-0-x']);
      expect(of('a')[7]![2]).toBe(Array.from({ length: 16 }, (_, e) => `記録${e + 16} phishing`).join('\n'));
    } finally {
      await db.close();
      await t.drop();
    }
  });
});
