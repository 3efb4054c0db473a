import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { CliFailure } from '../failure.ts';
import { withPlatform } from '../platform.ts';

/** Match lines are written in blocks of about this many bytes, waiting for stdout to drain (back-pressure). */
const FLUSH_BYTES = 64 * 1024;

class LineWriter {
  #buf: string[] = [];
  #size = 0;
  push(s: string): void {
    this.#buf.push(s);
    this.#size += s.length;
  }
  get full(): boolean {
    return this.#size >= FLUSH_BYTES;
  }
  async flush(): Promise<void> {
    if (this.#buf.length === 0) return;
    const text = this.#buf.join('');
    this.#buf = [];
    this.#size = 0;
    if (!process.stdout.write(text)) await new Promise((r) => process.stdout.once('drain', r));
  }
}

/** A file's bytes; the writer is flushed between chunks so matches never pile up in memory. */
async function* throttled(file: string, out: LineWriter): AsyncGenerator<Buffer> {
  for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) {
    if (out.full) await out.flush();
    yield chunk as Buffer;
  }
}

/** `renkei hunt FILE…` (INTERFACES.md): JSON lines per match on stdout, a summary on stderr. */
export function register(program: Command): void {
  program
    .command('hunt')
    .description(
      'ログ（プロキシ・Web・DNS・CSV・JSON Lines、gzip 可）を登録済みの指標と照合する / match logs against all known indicators',
    )
    .argument('<files...>', 'log files (squid, nginx/apache combined, BIND query log, Zeek dns.log, CSV, JSONL; .gz)')
    .option('--record <name>', '一致した指標に目撃記録を残す（照合名）/ record sightings at a hunt of this name')
    .option('--unit <code>', 'with --record: the unit owning the hunt (its staff see the sightings)')
    .action(async (files: string[], opts: { record?: string; unit?: string }) => {
      if (opts.record !== undefined && opts.unit === undefined) throw new CliFailure('--record needs --unit', 2);
      for (const f of files) {
        try {
          if (!(await stat(f)).isFile()) throw new CliFailure(`${f} is not a file`);
        } catch (err) {
          if (err instanceof CliFailure) throw err;
          throw new CliFailure(`cannot read ${f} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
        }
      }
      const { loadIndex, huntStream } = await import('@renkei/server/modules/detection/hunt');
      const { recordHunt } = await import('@renkei/server/modules/detection/hunts');
      await withPlatform(async (p) => {
        const t0 = performance.now();
        let unitId: string | null = null;
        if (opts.unit !== undefined) {
          const u = await p.db.db.selectFrom('units').select('id').where('code', '=', opts.unit).executeTakeFirst();
          if (!u) throw new CliFailure(`no unit ${opts.unit}`);
          unitId = u.id;
        }
        const index = await loadIndex(p.db.db);
        const out = new LineWriter();
        type Match = Parameters<Parameters<typeof huntStream>[2]>[1];
        const matched = new Map<string, Match>();
        let lines = 0;
        let matches = 0;
        for (const file of files) {
          const r = await huntStream(index, throttled(file, out), (line, m) => {
            out.push(`${JSON.stringify({ file, line, type: m.type, indicator: m.indicator, observed: m.observed })}\n`);
            if (opts.record !== undefined) matched.set(`${m.type}\u0000${m.indicator}`, m);
          });
          lines += r.lines;
          matches += r.matches;
          await out.flush();
        }
        if (opts.record !== undefined)
          await recordHunt(
            p,
            null,
            unitId,
            matched,
            { lines, matches },
            {
              name: opts.record,
              record: true,
              clientIp: null,
            },
          );
        const seconds = (performance.now() - t0) / 1000;
        process.stderr.write(
          `${lines} 行 / lines read, ${matches} 件一致 / matches, ${seconds.toFixed(2)} s (${index.size} indicators)\n`,
        );
      });
    });
}
