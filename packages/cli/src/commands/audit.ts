import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CliFailure } from '../failure.ts';
import { withPlatform } from '../platform.ts';
import { progressBar } from '../progress.ts';

export function register(program: Command): void {
  const audit = program.command('audit').description('監査ログ / the audit log');
  audit
    .command('verify')
    .description('監査ログのハッシュ連鎖を検証する / check the hash chain (exit 1 naming the first bad record)')
    .action(async () => {
      const { verifyAuditChain } = await import('@renkei/server/platform/audit/verify');
      await withPlatform(async (p) => {
        const bar = progressBar('verify');
        const r = await verifyAuditChain(p.db.db, 2000, (done, total) => bar.update(done, total)).finally(() =>
          bar.stop(),
        );
        if (!r.ok)
          throw new CliFailure(
            `audit chain broken at record ${r.firstBad!.seq}: ${r.firstBad!.reason} (${r.checked} records verified before it)`,
          );
        process.stdout.write(`ok: ${r.checked} records verified\n`);
      });
    });
  audit
    .command('archive')
    .description(
      '古い監査ログを検証済みファイルへ書き出し、チェックポイントから連鎖を続ける / export and retire old records',
    )
    .requiredOption('--before <date>', 'この日時より前の記録 / records before this ISO date')
    .requiredOption('--out <file>', '書き出し先 (JSON lines) / output file')
    .action(async (opts: { before: string; out: string }) => {
      const before = new Date(opts.before);
      if (Number.isNaN(before.getTime())) throw new CliFailure('--before must be an ISO date', 2);
      const { archiveAudit } = await import('@renkei/server/platform/audit/archive');
      await withPlatform(async (p) => {
        const r = await archiveAudit(p, before, resolve(opts.out));
        if (!r) {
          process.stdout.write('nothing to archive\n');
          return;
        }
        process.stdout.write(
          `archived ${r.rows} records up to ${r.uptoSeq} (${r.lanes} chains) to ${r.file}\nsha256 ${r.sha256}\n`,
        );
      });
    });
}
