import type { Command } from 'commander';
import { loadConfig } from '@renkei/server';
import { restoreBackup } from '@renkei/server/platform/backup/index';
import { loadMasterKey } from '@renkei/server/platform/keys';
import { CliFailure } from '../failure.ts';

export function register(program: Command): void {
  program
    .command('restore')
    .description('バックアップから復元する（サーバ停止中に実行） / restore a backup (server stopped)')
    .argument('<in>', 'バックアップファイル / backup file')
    .option('--force', 'データのある環境を置き換える / replace a database and file store that hold data')
    .action(async (input: string, opts: { force?: boolean }) => {
      const config = loadConfig();
      const summary = await restoreBackup({
        config,
        masterKey: loadMasterKey(config.dataDir),
        input,
        force: opts.force === true,
      }).catch((err: unknown) => {
        throw new CliFailure(`restore failed: ${err instanceof Error ? err.message : String(err)}`);
      });
      const lines = [
        `restored the backup of ${summary.createdAt} (${summary.engine}): ${summary.tables} tables, ${summary.rows} rows, ${summary.files} files — all checksums match`,
      ];
      if (summary.migrationsApplied.length) lines.push(`  migrated: ${summary.migrationsApplied.join(', ')}`);
      if (summary.previousFiles) lines.push(`  the replaced file store was kept in ${summary.previousFiles}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
