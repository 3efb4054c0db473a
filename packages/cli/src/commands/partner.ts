import type { Command } from 'commander';
import { CliFailure } from '../failure.ts';
import { withPlatform } from '../platform.ts';

const KINDS = ['npa', 'jc3', 'prefecture', 'vendor', 'council', 'bank', 'telecom', 'isp', 'other'];
const CEILINGS = ['clear', 'green', 'amber', 'amber+strict'];

/** `renkei partner add|list`: sharing partner organisations (issue 9). */
export function register(program: Command): void {
  const partner = program.command('partner').description('連携先 / sharing partners');
  partner
    .command('add')
    .description('連携先を追加する / add a sharing partner organisation')
    .requiredOption('--name <name>', '名称 / name (unique)')
    .option('--kind <kind>', `種別 / kind: ${KINDS.join(', ')}`, 'other')
    .option('--tlp-max <tlp>', `TLP の上限 / TLP ceiling: ${CEILINGS.join(', ')}`, 'green')
    .option('--official', '公的機関（機密性2 を受領可）/ official body (NPA, prefecture, JC3 under agreement)')
    .option('--not-official', '公的機関として扱わない / not an official body')
    .option('--agreement <text>', '協定 / agreement under which we share', '')
    .option('--contact <text>', '連絡先 (氏名 <mail>) / contact', '')
    .action(
      async (opts: {
        name: string;
        kind: string;
        tlpMax: string;
        official?: boolean;
        notOfficial?: boolean;
        agreement: string;
        contact: string;
      }) => {
        if (!KINDS.includes(opts.kind)) throw new CliFailure(`--kind must be one of ${KINDS.join(', ')}`, 2);
        if (!CEILINGS.includes(opts.tlpMax)) {
          throw new CliFailure(`--tlp-max must be one of ${CEILINGS.join(', ')} (RED never leaves)`, 2);
        }
        if (opts.official && opts.notOfficial) throw new CliFailure('give --official or --not-official, not both', 2);
        const svc = await import('@renkei/server/modules/sharing/partners');
        const { isAppError } = await import('@renkei/server/platform/errors');
        await withPlatform(async (p) => {
          try {
            const contact = opts.contact.trim();
            const out = await svc.createPartner(
              p,
              null,
              {
                name: opts.name,
                kind: opts.kind as 'other',
                tlpMax: opts.tlpMax as 'green',
                official: opts.official ? true : opts.notOfficial ? false : undefined,
                agreement: opts.agreement,
                contacts: contact ? [{ name: contact }] : [],
              },
              null,
            );
            process.stdout.write(`${out.id}\n`);
          } catch (err) {
            if (isAppError(err)) throw new CliFailure(err.message);
            throw err;
          }
        });
      },
    );
  partner
    .command('list')
    .description('連携先の一覧 / list partners (JSON lines)')
    .action(async () => {
      const svc = await import('@renkei/server/modules/sharing/partners');
      await withPlatform(async (p) => {
        for (const row of await svc.listPartners(p.db.db)) {
          process.stdout.write(
            `${JSON.stringify({ id: row.id, name: row.name, kind: row.kind, tlpMax: row.tlpMax, official: row.official })}\n`,
          );
        }
      });
    });
}
