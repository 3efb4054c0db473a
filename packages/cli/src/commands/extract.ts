import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  emlToExtractJson,
  extractEml,
  extractIocs,
  type IocFinding,
  type IocType,
  toExtractJson,
} from '@renkei/core/ioc/index';
import { CliFailure } from '../failure.ts';

const LABELS: Record<IocType, string> = {
  url: 'URL',
  domain: 'ドメイン / domain',
  ipv4: 'IPv4',
  ipv6: 'IPv6',
  email: 'メールアドレス / e-mail',
  md5: 'MD5',
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha512: 'SHA-512',
  ssdeep: 'ssdeep',
  cve: 'CVE',
  btc: 'ビットコイン / Bitcoin',
  eth: 'イーサリアム / Ethereum',
  xmr: 'モネロ / Monero',
  phone: '電話番号 / phone',
  bank_account: '銀行口座 / bank account',
  asn: 'AS番号 / ASN',
  tlp: 'TLP',
};

const ROLES: Record<string, string> = {
  reporter: '通報者本人 / reporter',
  victim: '被害者側 / victim',
  suspect: '被疑者側 / suspect',
  sender: '差出人 / sender',
  reply_to: '返信先 / reply-to',
  return_path: 'Return-Path',
  recipient: '宛先 / recipient',
  relay: '中継 / relay',
  attachment: '添付 / attachment',
};

const LOCATIONS: Record<string, string> = {
  text: '本文 / text',
  header: 'ヘッダ / header',
  body: '本文 / body',
  link_target: 'リンク先 / link target',
  link_text: 'リンク文字列 / link text',
  attachment: '添付 / attachment',
};

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new CliFailure('no input: pipe text on stdin or give --eml FILE', 2);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** One line per distinct value: the display form, then where it was found and whose it seems to be. */
function listing(findings: readonly IocFinding[]): string {
  const byType = new Map<IocType, Map<string, IocFinding[]>>();
  for (const f of findings) {
    const values = byType.get(f.type) ?? new Map<string, IocFinding[]>();
    byType.set(f.type, values);
    values.set(f.value, [...(values.get(f.value) ?? []), f]);
  }
  if (byType.size === 0) return '指標は見つかりませんでした / no indicators found\n';
  const lines: string[] = [];
  for (const type of Object.keys(LABELS) as IocType[]) {
    const values = byType.get(type);
    if (!values) continue;
    lines.push(`■ ${LABELS[type]} (${values.size})`);
    for (const [value, fs] of [...values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const first = fs[0]!;
      const where = [
        ...new Set(
          fs.map((f) => {
            const loc = LOCATIONS[f.context.location] ?? f.context.location;
            return f.context.header ? `${loc}: ${f.context.header}` : loc;
          }),
        ),
      ];
      const roles = [...new Set(fs.map((f) => f.context.role).filter((r) => r !== 'unknown'))].map(
        (r) => ROLES[r] ?? r,
      );
      const shown = first.display !== value ? `${value}  (${first.display})` : value;
      const notes = [where.join(', '), ...roles, ...(fs.some((f) => f.defanged) ? ['無害化表記 / defanged'] : [])];
      lines.push(`  ${shown}  — ${notes.join(' · ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  program
    .command('extract')
    .description(
      'IoC（URL・ドメイン・IP・ハッシュ・電話番号・口座など）を抽出する / extract indicators from stdin or an .eml file',
    )
    .option('--eml <file>', '.eml ファイルから抽出 / read an e-mail message (.eml) instead of stdin')
    .option('--json', 'JSON オブジェクトで出力 / print one JSON object (INTERFACES.md)')
    .action(async (opts: { eml?: string; json?: boolean }) => {
      let findings: IocFinding[];
      let json: ReturnType<typeof toExtractJson>;
      if (opts.eml !== undefined) {
        let raw: Buffer;
        try {
          raw = await readFile(opts.eml);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code ?? 'error';
          throw new CliFailure(`cannot read ${opts.eml} (${code})`);
        }
        try {
          findings = (await extractEml(raw)).findings;
        } catch (err) {
          throw new CliFailure(
            `cannot parse ${opts.eml} as e-mail: ${err instanceof Error ? err.message : String(err)}`,
          );
        }
        json = emlToExtractJson(findings);
      } else {
        findings = extractIocs(await readStdin());
        json = toExtractJson(findings);
      }
      process.stdout.write(opts.json ? `${JSON.stringify(json, null, 2)}\n` : listing(findings));
    });
}
