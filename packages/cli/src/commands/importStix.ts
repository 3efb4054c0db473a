import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { CliFailure } from '../failure.ts';
import { withPlatform } from '../platform.ts';
import { importCommand } from './import.ts';

const TLPS = ['clear', 'green', 'amber', 'amber+strict', 'red'];

/** `renkei import stix FILE` (INTERFACES.md): streaming, all-or-nothing, refused bundles explained. */
export function register(program: Command): void {
  importCommand(program)
    .command('stix')
    .description('STIX 2.1 バンドルを取り込む（不正なものは理由を示して拒否）/ import a STIX 2.1 bundle (streaming)')
    .argument('<file>', 'STIX 2.1 bundle (JSON)')
    .option('--from <partner>', '提供元の連携先 / the partner it came from')
    .option('--tlp <tlp>', 'TLP マーキングのないオブジェクトの TLP / TLP of unmarked objects', 'amber')
    .action(async (file: string, opts: { from?: string; tlp: string }) => {
      if (!TLPS.includes(opts.tlp)) throw new CliFailure(`--tlp must be one of ${TLPS.join(', ')}`, 2);
      try {
        if (!(await stat(file)).isFile()) throw new CliFailure(`${file} is not a file`);
      } catch (err) {
        if (err instanceof CliFailure) throw err;
        throw new CliFailure(`cannot read ${file}`);
      }
      const { importStixBundle } = await import('@renkei/server/modules/sharing/stixImport');
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
          const r = await importStixBundle(
            p,
            null,
            createReadStream(file),
            {
              name: opts.from ? `${opts.from}/${basename(file)}` : basename(file),
              partnerId,
              defaultTlp: opts.tlp as 'amber',
            },
            null,
          );
          process.stdout.write(
            `${r.objects} objects, ${r.observables} new observables, ${r.entities} new entities, ${r.links} links (import ${r.importId})\n`,
          );
        } catch (err) {
          if (isAppError(err)) throw new CliFailure(`refused: ${err.message}`);
          throw err;
        }
      });
    });
}
