import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildApp } from '../app.ts';
import { FakeClock } from '../platform/clock.ts';
import { loadConfig } from '../platform/config.ts';
import type { Platform } from '../platform/context.ts';
import type { Engine } from '../platform/db/connect.ts';
import { openPlatform } from '../platform/open.ts';
import { createTestDatabase } from './testDatabase.ts';

export interface TestContext {
  platform: Platform;
  app: FastifyInstance;
  clock: FakeClock;
  close(): Promise<void>;
}

/** A migrated platform and app on a fresh database, with a fake clock. Each test file makes its own. */
export async function createTestContext(engine: Engine, clockStart = '2026-04-01T00:00:00.000Z'): Promise<TestContext> {
  const tdb = await createTestDatabase(engine);
  const config = loadConfig(
    { RENKEI_DATA_DIR: tdb.dataDir, RENKEI_DATABASE_URL: tdb.url, RENKEI_LOG_LEVEL: 'silent' },
    tdb.dataDir,
  );
  const clock = new FakeClock(clockStart);
  const platform = await openPlatform(config, { clock, log: pino({ level: 'silent' }) });
  const app = await buildApp(platform, { logger: false, serveWeb: false });
  return {
    platform,
    app,
    clock,
    close: async () => {
      await app.close();
      await platform.db.close();
      await tdb.drop();
    },
  };
}
