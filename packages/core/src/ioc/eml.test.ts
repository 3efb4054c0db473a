import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emlToExtractJson, extractEml } from './eml.ts';
import { checkDomain, checkIpv4 } from './host.ts';
import { normalise } from './vectorCompare.test-util.ts';

const DATA = new URL('../../../../../shared/data/phishing-eml/', import.meta.url);

interface Golden {
  from: string;
  reply_to: string | null;
  return_path: string | null;
  attachments: Array<{ filename: string; md5: string; sha256: string }>;
  html_a_hrefs: string[];
}
const manifest = JSON.parse(readFileSync(new URL('phishing_pot/manifest.json', DATA), 'utf8')) as Array<{
  file: string;
  golden_python_email: Golden;
}>;

/** An address as the manifest gives it, when it is a real address (phishing@pot has no TLD). */
function validAddress(raw: string | null): string | undefined {
  if (!raw) return undefined;
  const m = /<([^<>]*)>\s*$/.exec(raw);
  const addr = (
    m
      ? m[1]!
      : (raw
          .trim()
          .split(/[\s,]+/)
          .pop() ?? '')
  ).trim();
  const at = addr.lastIndexOf('@');
  if (at <= 0 || !checkDomain(addr.slice(at + 1))) return undefined;
  return normalise('email', addr);
}

function validUrl(href: string): string | undefined {
  const m = /^(https?):\/\/([^/?#:]*)/i.exec(href);
  if (!m) return undefined;
  if (!checkIpv4(m[2]!) && !checkDomain(m[2]!)) return undefined;
  return normalise('url', href);
}

describe('phishing-eml manifests', () => {
  it.each(manifest.map((m) => [m.file, m] as const))('%s', async (file, m) => {
    const { findings } = await extractEml(readFileSync(new URL(`phishing_pot/${file}`, DATA)));
    const got = emlToExtractJson(findings);
    const urls = new Set((got.url ?? []).map((u) => normalise('url', u)));
    const emails = new Set((got.email ?? []).map((e) => normalise('email', e)));
    const missing: string[] = [];
    const g = m.golden_python_email;
    for (const href of g.html_a_hrefs) {
      if (/^mailto:/i.test(href)) {
        const addr = validAddress(href.slice(7).split('?')[0]!.replace(/[<>]/g, ''));
        if (addr && !emails.has(addr)) missing.push(`mailto ${addr}`);
        continue;
      }
      const u = validUrl(href);
      if (u && !urls.has(u)) missing.push(`href ${u}`);
    }
    for (const [what, raw] of [
      ['reply_to', g.reply_to],
      ['return_path', g.return_path],
      ['from', g.from],
    ] as const) {
      const addr = validAddress(raw);
      if (addr && !emails.has(addr)) missing.push(`${what} ${addr}`);
    }
    for (const a of g.attachments) {
      if (!got.md5?.includes(a.md5)) missing.push(`md5 ${a.filename}`);
      if (!got.sha256?.includes(a.sha256)) missing.push(`sha256 ${a.filename}`);
    }
    expect(missing).toEqual([]);
  });

  it('decodes the Japanese phishing mail (UTF-8 base64) and finds its sender infrastructure', async () => {
    const { findings, subject } = await extractEml(
      readFileSync(new URL('japanese/jp-amazon-utf8-base64-2020-10-17.eml', DATA)),
    );
    const got = emlToExtractJson(findings);
    expect(subject).toMatch(/[ぁ-んァ-ヶ一-龯]/);
    expect(got.ipv4).toContain('160.16.240.163');
    expect(got.email).toContain('admin@ducqcqzy.icu');
    const from = findings.find((f) => f.context.header === 'from');
    expect(from?.context.role).toBe('sender');
  });
});
