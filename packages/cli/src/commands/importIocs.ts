import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { CliFailure } from '../failure.ts';
import { withPlatform } from '../platform.ts';
import { importCommand } from './import.ts';

const FORMATS = ['txt', 'csv', 'jsonl'] as const;
const TLPS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;

function formatOf(file: string, given: string | undefined): (typeof FORMATS)[number] {
  if (given !== undefined) {
    if (!(FORMATS as readonly string[]).includes(given)) throw new CliFailure('--format must be txt, csv or jsonl', 2);
    return given as (typeof FORMATS)[number];
  }
  const name = file.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'jsonl';
  return 'txt';
}

async function sizeOf(file: string): Promise<number> {
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new CliFailure(`${file} is not a file`);
    return s.size;
  } catch (err) {
    if (err instanceof CliFailure) throw err;
    throw new CliFailure(`cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** A progress bar on stderr when it is a terminal; nothing otherwise (scripts and logs stay clean). */
async function progressBar(total: number) {
  if (!process.stderr.isTTY) return { update: (_b: number, _l: number) => {}, stop: () => {} };
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: '取込 / importing [{bar}] {percentage}% | {lines} 行 / lines | {eta_formatted}',
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { lines: 0 });
  return { update: (b: number, l: number) => bar.update(b, { lines: l }), stop: () => bar.stop() };
}

/** `renkei import iocs FILE …` and `renkei import asn FILE` (INTERFACES.md). */
export function register(program: Command): void {
  const parent = importCommand(program);
  parent
    .command('iocs')
    .description(
      '指標（IoC）を一括で取り込む（txt・CSV・JSON Lines、gzip 可）/ bulk-import indicators; re-import updates last seen',
    )
    .argument('<file>', '取り込むファイル / file (txt, csv, jsonl; .gz too)')
    .requiredOption('--source <name>', '情報源の名前 / source (feed) name')
    .option('--format <format>', 'txt | csv | jsonl (default: from the file name)')
    .option('--tlp <tlp>', 'clear | green | amber | amber+strict | red', 'amber')
    .option('--value-column <name>', 'CSV: column holding the value (default "value")')
    .option('--type-column <name>', 'CSV: column holding the type (default "type")')
    .option('--batch <n>', 'lines per committed transaction', '5000')
    .action(async (file: string, opts) => {
      const format = formatOf(file, opts.format);
      if (!(TLPS as readonly string[]).includes(opts.tlp)) throw new CliFailure(`unknown TLP ${opts.tlp}`, 2);
      const batchSize = Number(opts.batch);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 50_000)
        throw new CliFailure('--batch must be 1..50000', 2);
      const total = await sizeOf(file);
      const { importIndicators } = await import('@renkei/server/modules/intel/importer');
      const bar = await progressBar(total);
      let shownBad = 0;
      const summary = await withPlatform(async (p) => {
        try {
          return await importIndicators(p, null, createReadStream(file), {
            source: opts.source,
            format,
            tlp: opts.tlp,
            batchSize,
            columns: {
              ...(opts.valueColumn ? { value: opts.valueColumn } : {}),
              ...(opts.typeColumn ? { type: opts.typeColumn } : {}),
            },
            onProgress: (bytes, lines) => bar.update(bytes, lines),
            onBadLine: (line, reason) => {
              // Every bad line is reported (to stderr), never dropped silently.
              shownBad++;
              process.stderr.write(`${file}:${line}: ${reason}\n`);
            },
          });
        } finally {
          bar.stop();
        }
      });
      process.stdout.write(
        `${summary.lines} 行 / lines: ${summary.accepted} 件取込 / imported, ${summary.badLines} 件不正 / bad, ` +
          `${summary.newObservables} new observables, ${summary.newOccurrences} new sightings, ${summary.batches} batches (source ${opts.source}, TLP:${opts.tlp.toUpperCase()})\n`,
      );
      void shownBad;
    });

  parent
    .command('asn')
    .description(
      'IPアドレス帯→AS番号の対応表を取り込む（CSV: prefix,asn,name。通信はしない）/ load a prefix → ASN table',
    )
    .argument('<file>', 'CSV prefix,asn,name (.gz too)')
    .action(async (file: string) => {
      await sizeOf(file);
      const { importAsnTable } = await import('@renkei/server/modules/intel/importer');
      const out = await withPlatform((p) =>
        importAsnTable(p, null, createReadStream(file), {
          onBadLine: (line, reason) => process.stderr.write(`${file}:${line}: ${reason}\n`),
        }),
      );
      process.stdout.write(`${out.prefixes} prefixes loaded, ${out.badLines} bad lines\n`);
    });
}
