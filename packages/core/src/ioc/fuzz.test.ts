import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { extractIocs } from './extract.ts';
import { checkDomain, checkIpv4 } from './host.ts';
import { defang } from './refang.ts';
import { parseIpv6 } from './scanIpv6.ts';

/** Fragments that matter to the scanners, mixed with arbitrary text. */
const piece = fc.oneof(
  fc.constantFrom(
    'http://',
    'hxxps[:]//',
    '[.]',
    '(dot)',
    '.',
    '@',
    ':',
    '::',
    '/',
    '?',
    '(',
    ')',
    '。',
    'ー',
    '－',
    '０',
    'example.com',
    'テスト.jp',
    '192.0.2.1',
    '2001:db8::1',
    '090-1234-5678',
    '+81 3',
    'CVE-2024-1234',
    'AS13335',
    'TLP:AMBER',
    'みずほ銀行',
    '渋谷支店',
    '普通',
    '1234567',
    '記号10180番号12345671',
    ' ',
    '\n',
  ),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ maxLength: 8 }),
);
const text = fc.array(piece, { maxLength: 60 }).map((a) => a.join(''));

describe('fuzz', () => {
  test.prop([text], { numRuns: 400 })('never throws; every value is in canonical form', (s) => {
    for (const f of extractIocs(s)) {
      switch (f.type) {
        case 'domain':
          expect(checkDomain(f.value, { lenient: true })?.ascii).toBe(f.value);
          break;
        case 'ipv4':
          expect(checkIpv4(f.value)).toBe(f.value);
          break;
        case 'ipv6':
          expect(parseIpv6(f.value)).toBe(f.value);
          break;
        case 'phone':
          expect(f.value).toMatch(/^\+81[1-9][0-9]{8,9}$/);
          break;
        case 'bank_account':
          expect(f.value).toMatch(/^[0-9]{4}-[0-9]{3}-[124]-[0-9]{7}$/);
          break;
        case 'url':
          expect(f.value).toMatch(/^[a-z]+:\/\/[\x21-\x7e]+$/);
          break;
        default:
          expect(f.value).not.toMatch(/\s/);
      }
    }
  });

  test.prop([fc.ipV4()])('a defanged IPv4 is found again', (ip) => {
    const values = extractIocs(`送信元 ${defang(ip)} です`).map((f) => f.value);
    expect(values).toContain(checkIpv4(ip));
  });

  test.prop([fc.ipV6()])('IPv6 literals are found in RFC 5952 form', (ip) => {
    const v = parseIpv6(ip);
    fc.pre(v !== undefined && v !== '::');
    const values = extractIocs(`addr ${ip} end`).map((f) => f.value);
    expect(values).toContain(v);
  });

  test.prop([fc.domain()])('a defanged domain is found again (defanged values accept any TLD)', (d) => {
    fc.pre(checkDomain(d, { lenient: true }) !== undefined);
    const values = extractIocs(`URL: hxxp://${defang(d)}/x`).map((f) => f.value);
    expect(values).toContain(checkDomain(d, { lenient: true })!.ascii);
  });
});
