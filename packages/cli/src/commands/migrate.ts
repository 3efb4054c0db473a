import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('データベースを最新の構造にする / apply migrations to RENKEI_DATABASE_URL')
    .action(async () => {
      const { loadConfig } = await import('@renkei/server/platform/config');
      const { connect } = await import('@renkei/server/platform/db/connect');
      const { migrateToLatest } = await import('@renkei/server/platform/db/migrate');
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
