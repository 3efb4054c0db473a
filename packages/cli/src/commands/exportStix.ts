import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import { CliFailure } from '../failure.ts';
import { withPlatform } from '../platform.ts';

/** The shared `renkei export` parent command (stix, misp-feed, phishing). */
export function exportCommand(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'export') ??
    program.command('export').description('共有形式で出力する / outgoing sharing formats, through the egress policy')
  );
}

function checkSince(since: string | undefined): string | undefined {
  if (since === undefined) return undefined;
  const t = Date.parse(since);
  if (Number.isNaN(t)) throw new CliFailure('--since must be an ISO 8601 date or time', 2);
  return new Date(t).toISOString();
}

/** A writer to a file or stdout that respects back-pressure. */
export function writerTo(out: string | undefined) {
  const stream = out ? createWriteStream(out) : process.stdout;
  return {
    write: (chunk: string) =>
      new Promise<void>((resolve, reject) => {
        if (stream.write(chunk)) resolve();
        else {
          stream.once('drain', resolve);
          stream.once('error', reject);
        }
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (out) (stream as ReturnType<typeof createWriteStream>).end(resolve);
        else resolve();
      }),
  };
}

/** `renkei export stix [--for PARTNER] [--since ISO] [--out FILE]` (INTERFACES.md). */
export function register(program: Command): void {
  exportCommand(program)
    .command('stix')
    .description(
      'STIX 2.1 バンドルを出力する（--for なしは公開可能な TLP:CLEAR・機密性1 のみ）/ a STIX 2.1 bundle for a partner (default: public)',
    )
    .option('--for <partner>', '連携先の名称 / partner name')
    .option('--since <iso>', 'この時刻以降の変更のみ / only what changed since')
    .option('--collection <id>', 'TAXII コレクション（issue 10）/ a TAXII collection')
    .option('--out <file>', '出力先ファイル（既定: 標準出力）/ output file (default stdout)')
    .action(async (opts: { for?: string; since?: string; collection?: string; out?: string }) => {
      const since = checkSince(opts.since);
      if (opts.collection) throw new CliFailure('--collection arrives with the TAXII server (issue 10)');
      const { recipientByName } = await import('@renkei/server/modules/sharing/partners');
      const { exportStixBundle } = await import('@renkei/server/modules/sharing/stixExport');
      const { isAppError } = await import('@renkei/server/platform/errors');
      await withPlatform(async (p) => {
        try {
          const to = await recipientByName(p.db.db, opts.for);
          const w = writerTo(opts.out);
          const r = await exportStixBundle(p, null, to, { since }, w.write, null);
          await w.close();
          const withheld = Object.values(r.withheld).reduce((a, b) => a + (b ?? 0), 0);
          process.stderr.write(`${r.objects} objects, ${withheld} withheld (${opts.for ?? 'public'})\n`);
        } catch (err) {
          if (isAppError(err)) throw new CliFailure(err.message);
          throw err;
        }
      });
    });
}
