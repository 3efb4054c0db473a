import type { Engine } from '../platform/db/connect.ts';

/**
 * The engines a database test runs on: SQLite always; PostgreSQL too when RENKEI_TEST_DATABASE_URL is set.
 * RENKEI_TEST_ENGINES=postgres (npm run test:pg) narrows the run to PostgreSQL.
 */
export function testEngines(): Engine[] {
  const only = process.env.RENKEI_TEST_ENGINES;
  const pg = process.env.RENKEI_TEST_DATABASE_URL;
  const all: Engine[] = pg ? ['sqlite', 'postgres'] : ['sqlite'];
  if (only) {
    const wanted = only.split(',').map((s) => s.trim());
    return all.filter((e) => wanted.includes(e));
  }
  return all;
}
