import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { scoreBrand } from '@renkei/core/brand/index';
import { CliFailure } from '../failure.ts';

const KIND_JA: Record<string, string> = {
  lookalike_domain: '類似ドメイン',
  short_lookalike_domain: '類似ドメイン（短い名前）',
  fake_domain_in_subdomain: 'サブドメインに偽の正規ドメイン',
  official_in_subdomain: 'サブドメインに正規ドメイン',
  registered_token: 'ドメイン名にブランド語',
  registered_typo: 'ドメイン名の綴り違い',
  registered_substring: 'ドメイン名にブランド語',
  subdomain_token: 'サブドメインにブランド語',
  subdomain_substring: 'サブドメインにブランド語',
  subdomain_typo: 'サブドメインの綴り違い',
  userinfo: 'URL のユーザー名部分',
  japanese_host: '日本語ドメイン',
  path_token: 'パスにブランド語',
  path_substring: 'パスにブランド語',
  japanese_path: 'パスに日本語ブランド名',
};

export function register(program: Command): void {
  program
    .command('brand')
    .description(
      'URL・ドメインがなりすましているブランドを判定する / name the brand each URL or domain on stdin impersonates',
    )
    .option('--json', 'JSON lines {"input", "brand", "score"} で出力 / print JSON lines (INTERFACES.md)')
    .action(async (opts: { json?: boolean }) => {
      if (process.stdin.isTTY) throw new CliFailure('no input: pipe URLs or domains on stdin, one a line', 2);
      for await (const raw of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
        const input = raw.trim();
        if (input === '') continue;
        const v = scoreBrand(input);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ input, brand: v.brand, score: v.score })}\n`);
        } else if (v.officialOf !== undefined) {
          process.stdout.write(`${input}\t— 正規ドメイン / official domain of ${v.officialOf}\n`);
        } else if (v.brand === null) {
          process.stdout.write(`${input}\t— 該当なし / none (${v.score.toFixed(2)})\n`);
        } else {
          const why = [...new Set(v.signals.map((s) => `${KIND_JA[s.kind] ?? s.kind}: ${s.name}`))].join('、');
          process.stdout.write(`${input}\t${v.brand}  ${v.score.toFixed(2)}  (${why})\n`);
        }
      }
    });
}
