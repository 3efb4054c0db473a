import type { Command } from 'commander';
import { loadConfig } from '@renkei/server';
import { createBackup } from '@renkei/server/platform/backup/index';
import { loadMasterKey } from '@renkei/server/platform/keys';
import { CliFailure } from '../failure.ts';

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

export function register(program: Command): void {
  program
    .command('backup')
    .description(
      'データベースとファイル保管庫を暗号化した1つのファイルにバックアップする / online backup (database + file store)',
    )
    .argument('<out>', 'バックアップファイル / backup file to write')
    .option('--force', '既存のファイルを置き換える / replace OUT if it exists')
    .action(async (out: string, opts: { force?: boolean }) => {
      const config = loadConfig();
      const summary = await createBackup({
        config,
        masterKey: loadMasterKey(config.dataDir),
        out,
        force: opts.force === true,
      }).catch((err: unknown) => {
        throw new CliFailure(`backup failed: ${err instanceof Error ? err.message : String(err)}`);
      });
      const lines = [
        `backup written: ${summary.path} (${mib(summary.archiveBytes)})`,
        `  ${summary.engine}: ${summary.tables} tables, ${summary.rows} rows; file store: ${summary.files} files, ${mib(summary.fileBytes)}`,
        '  マスターキーは含まれていません。keys/master.key（または RENKEI_MASTER_KEY）を別に保管してください。',
        '  The master key is NOT in the backup: keep keys/master.key (or RENKEI_MASTER_KEY) safe, separately.',
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
