import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { extractIocs } from './extract.ts';

/** Inputs built to hurt a backtracking or rescanning extractor: each is one fragment repeated. */
const HOSTILE: Record<string, string> = {
  labels: 'a.',
  digitsDots: '1.',
  quads: '1.1.1.1.',
  schemes: 'http://',
  bareSeparators: '://',
  nestedUrls: 'http://a.com/?u=',
  pathQuestion: '?',
  openParens: 'http://a.com/(',
  defangedSchemes: 'hxxp[:]//',
  bracketDots: 'a[.',
  spacedDots: 'a . ',
  wordAt: 'a at a dot ',
  emails: 'a@',
  emailDomains: 'a@b.',
  v6: 'a:',
  v6Double: '1::',
  hexRun: 'f',
  base58: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN',
  digits: '0',
  phoneish: '090-',
  plus81: '+81 ',
  cve: 'CVE-2020-',
  ssdeep: '3:aaa:',
  asn: 'AS1',
  tlp: 'TLP:',
  kana: 'あa.あ',
  bankAnchors: '普通',
  bankLike: 'みずほ銀行渋谷支店普通',
  yucho: '記号12345番号',
  encoded: 'http%3A%2F%2F',
  commas: 'http://a,',
};

function repeatTo(fragment: string, n: number): string {
  return fragment.repeat(Math.ceil(n / fragment.length)).slice(0, n);
}

function once(text: string): number {
  const t0 = performance.now();
  extractIocs(text, { snippets: false });
  return performance.now() - t0;
}

/** Best of several interleaved runs of n and 4n, so that a burst of load hits both sizes alike. */
function timesOf(small: string, large: string): [number, number] {
  let a = Number.POSITIVE_INFINITY;
  let b = Number.POSITIVE_INFINITY;
  for (let r = 0; r < 4; r++) {
    a = Math.min(a, once(small));
    b = Math.min(b, once(large));
  }
  return [a, b];
}

describe('linear time on hostile input', () => {
  // Warm the JIT and the lazily built tables first, so the first case is not penalised.
  extractIocs(`${repeatTo('a.1.', 4096)} みずほ銀行 渋谷支店 普通 1234567`);

  it.each(Object.entries(HOSTILE))('%s: 4x the input takes well under 16x the time', (_name, fragment) => {
    const n = 48 * 1024;
    const small = repeatTo(fragment, n);
    const large = repeatTo(fragment, 4 * n);
    // Linear growth is 4x; quadratic would be 16x (seconds, at these sizes). Generous slack for a loaded 2-core
    // machine, and a burst of load from elsewhere gets two more chances before the case fails.
    let seen: [number, number] = [0, 0];
    for (let attempt = 0; attempt < 3; attempt++) {
      seen = timesOf(small, large);
      if (seen[1] < 8 * seen[0] + 150) break;
    }
    expect(seen[1]).toBeLessThan(8 * seen[0] + 150);
  });
});
