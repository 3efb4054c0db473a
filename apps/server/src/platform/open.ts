import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import { type Platform, createPlatform } from './context.ts';
import { connect } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { ensureVocabularies } from './bootstrap.ts';
import { loadMasterKey } from './keys.ts';
import { createLogger } from './logging.ts';

/** Connects, migrates and seeds the vocabularies: what the server, the CLI and the tests all start from. */
export async function openPlatform(
  config: Config,
  options: { clock?: Clock; log?: Logger; migrate?: boolean } = {},
): Promise<Platform> {
  const db = connect(config.databaseUrl);
  try {
    if (options.migrate !== false) await migrateToLatest(db);
    const platform = createPlatform({
      config,
      db,
      masterKey: loadMasterKey(config.dataDir),
      log: options.log ?? createLogger(config.logLevel),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    if (options.migrate !== false) await ensureVocabularies(platform);
    return platform;
  } catch (err) {
    await db.close();
    throw err;
  }
}
