import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { CliFailure } from '../failure.ts';
import { withPlatform } from '../platform.ts';
import { importCommand } from './import.ts';

/** `renkei import misp FILE|DIR` (INTERFACES.md): a MISP event (with or without {"Event"}) or a feed folder. */
export function register(program: Command): void {
  importCommand(program)
    .command('misp')
    .description('MISP イベント JSON または MISP フィードのフォルダを取り込む / import a MISP event or feed folder')
    .argument('<path>', 'event JSON file or feed folder (manifest.json + <uuid>.json)')
    .option('--from <partner>', '提供元の連携先 / the partner it came from')
    .action(async (path: string, opts: { from?: string }) => {
      try {
        await stat(path);
      } catch {
        throw new CliFailure(`cannot read ${path}`);
      }
      const { importMispPath } = await import('@renkei/server/modules/sharing/misp');
      const { findPartnerByName } = await import('@renkei/server/modules/sharing/partners');
      const { isAppError } = await import('@renkei/server/platform/errors');
      await withPlatform(async (p) => {
        let partnerId: string | null = null;
        if (opts.from) {
          const row = await findPartnerByName(p.db.db, opts.from);
          if (!row) throw new CliFailure(`no partner named ${opts.from}`);
          partnerId = row.id;
        }
        try {
          const r = await importMispPath(p, null, path, { partnerId });
          process.stdout.write(
            `${r.events} events, ${r.attributes} attributes, ${r.observables} new observables (import ${r.importId})\n`,
          );
        } catch (err) {
          if (isAppError(err)) throw new CliFailure(`refused: ${err.message}`);
          throw err;
        }
      });
    });
}
