import type { Command } from 'commander';
import { loadConfig } from '@renkei/server';
import { connect } from '@renkei/server/platform/db/connect';
import { migrateToLatest } from '@renkei/server/platform/db/migrate';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('データベースを最新の構造にする / apply migrations to RENKEI_DATABASE_URL')
    .action(async () => {
      const config = loadConfig();
      const db = connect(config.databaseUrl);
      try {
        const applied = await migrateToLatest(db);
        process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'up to date\n');
      } finally {
        await db.close();
      }
    });
}
