import type { Command } from 'commander';
import { CliFailure } from '../failure.ts';
import { withPlatform } from '../platform.ts';
import { exportCommand, writerTo } from './exportStix.ts';

/** `renkei export misp-feed DIR [--for PARTNER]` and `renkei export phishing-urls` (INTERFACES.md, issue 9). */
export function register(program: Command): void {
  const parent = exportCommand(program);
  parent
    .command('misp-feed')
    .description('MISP フィード（manifest.json・hashes.csv・イベント）を出力する / write a MISP feed folder')
    .argument('<dir>', 'output folder')
    .option('--for <partner>', '連携先の名称（なしは公開可能なもののみ）/ partner name (default: public)')
    .action(async (dir: string, opts: { for?: string }) => {
      const { recipientByName } = await import('@renkei/server/modules/sharing/partners');
      const { exportMispFeed } = await import('@renkei/server/modules/sharing/misp');
      const { isAppError } = await import('@renkei/server/platform/errors');
      await withPlatform(async (p) => {
        try {
          const to = await recipientByName(p.db.db, opts.for);
          const r = await exportMispFeed(p, null, to, dir, null);
          const withheld = Object.values(r.withheld).reduce((a, b) => a + (b ?? 0), 0);
          process.stderr.write(`${r.objects} attributes, ${withheld} withheld (${opts.for ?? 'public'})\n`);
        } catch (err) {
          if (isAppError(err)) throw new CliFailure(err.message);
          throw err;
        }
      });
    });
  parent
    .command('phishing-urls')
    .description('フィッシングURL一覧（テキスト・CSV）/ phishing URL list for a partner (default: public)')
    .option('--for <partner>', '連携先の名称 / partner name')
    .option('--since <iso>', 'この時刻以降に確認したもの / seen since')
    .option('--format <f>', 'txt | csv', 'txt')
    .option('--out <file>', '出力先ファイル / output file (default stdout)')
    .action(async (opts: { for?: string; since?: string; format: string; out?: string }) => {
      if (opts.format !== 'txt' && opts.format !== 'csv') throw new CliFailure('--format must be txt or csv', 2);
      if (opts.since !== undefined && Number.isNaN(Date.parse(opts.since))) {
        throw new CliFailure('--since must be an ISO 8601 date or time', 2);
      }
      const since = opts.since === undefined ? undefined : new Date(Date.parse(opts.since)).toISOString();
      const { recipientByName } = await import('@renkei/server/modules/sharing/partners');
      const { exportPhishingList } = await import('@renkei/server/modules/sharing/phishing');
      const { isAppError } = await import('@renkei/server/platform/errors');
      await withPlatform(async (p) => {
        try {
          const to = await recipientByName(p.db.db, opts.for);
          const w = writerTo(opts.out);
          await exportPhishingList(p, null, to, { since, format: opts.format as 'txt' }, w.write, null);
          await w.close();
        } catch (err) {
          if (isAppError(err)) throw new CliFailure(err.message);
          throw err;
        }
      });
    });
}
