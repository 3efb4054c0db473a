import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { comparisonsInPattern, observablesFromPattern, stixPatternFor } from './observables.ts';
import { pathToString } from './patternAst.ts';
import { isValidPattern, parsePattern } from './patternParse.ts';
import type { IocType } from '../ioc/types.ts';

const EXAMPLES = join(import.meta.dirname, '../../../../../shared/data/stix2-examples');

function examplePatterns(): string[] {
  const out: string[] = [];
  const expected = JSON.parse(readFileSync(join(EXAMPLES, 'expected-counts.json'), 'utf8')) as Record<string, unknown>;
  for (const file of Object.keys(expected)) {
    const bundle = JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as {
      objects: Array<Record<string, unknown>>;
    };
    for (const o of bundle.objects)
      if (o.type === 'indicator' && o.pattern_type === 'stix') out.push(String(o.pattern));
  }
  return out;
}

describe('parsePattern', () => {
  it('accepts every STIX pattern in the official examples', () => {
    const patterns = examplePatterns();
    expect(patterns.length).toBeGreaterThan(20);
    for (const p of patterns) expect(parsePattern(p), p).toMatchObject({ ok: true });
  });

  it.each([
    "[file:hashes.'SHA-256' = 'aa' AND file:name = 'x.exe']",
    "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
    "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_port IN (80, 443, 8080)]",
    "[email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final.+\\\\.exe$']",
    '[file:size > 1024] WITHIN 300 SECONDS',
    "[a:b = 1] FOLLOWEDBY ([c:d != 'x'] OR [e:f NOT LIKE 'y%']) REPEATS 5 TIMES",
    "[user-account:x = t'2016-02-29T12:00:00.123Z'] START t'2016-01-01T00:00:00Z' STOP t'2016-12-31T00:00:00Z'",
    "[artifact:payload_bin = b'aGVsbG8=' OR artifact:x = h'0aff']",
    "[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\System' AND NOT EXISTS windows-registry-key:values[0]]",
    '[x:y = -1.5 OR x:z = true OR x:w <= +3]',
  ])('accepts %s', (p) => {
    expect(isValidPattern(p)).toBe(true);
  });

  it.each([
    ["[url:value = 'http://x.com/'", 'unclosed bracket'],
    ["url:value = 'http://x.com/'", 'no brackets'],
    ['[url:value = "http://x.com/"]', 'double quotes'],
    ["[file:hashes.SHA-256 = 'aa']", 'unquoted hyphen in a property'],
    ["[url:value = 'it's']", 'unescaped quote'],
    ['[url:value = ]', 'no value'],
    ["[url:value == 'a' AND]", 'dangling AND'],
    ["[domain-name:value = 'a' AND ipv4-addr:value = '1.2.3.4']", 'two object types under AND'],
    ['[a:b = 1] REPEATS 0 TIMES', 'zero repeats'],
    ['[a:b = 1] WITHIN 0 SECONDS', 'zero seconds'],
    ["[a:b = 1] START t'2016-02-01T00:00:00Z' STOP t'2016-01-01T00:00:00Z'", 'STOP before START'],
    ["[a:b = t'2015-02-29T00:00:00Z']", 'a day that does not exist'],
    ["[a:b = t'2015-01-01 00:00:00']", 'timestamp without T/Z'],
    ["[a:b = b'abc']", 'bad base64 length'],
    ['[a:b = 1] AND', 'dangling observation operator'],
    ['', 'empty'],
    ["[a:b = 'x'] # comment", 'stray character'],
  ])('refuses %s (%s) with a position', (p) => {
    const result = parsePattern(p);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors[0]!.message.length).toBeGreaterThan(0);
      expect(result.errors[0]!.line).toBe(1);
    }
  });

  it('builds a typed tree with qualifiers, unescaped strings and paths', () => {
    const r = parsePattern("[file:hashes.'SHA-256' = 'it\\'s \\\\ x'] WITHIN 5 SECONDS REPEATS 2 TIMES");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.ast).toMatchObject({
      kind: 'observation',
      qualifiers: [
        { kind: 'within', seconds: 5 },
        { kind: 'repeats', times: 2 },
      ],
      comparison: { kind: 'comparison', operator: '=', value: { type: 'string', value: "it's \\ x" } },
    });
    if (r.ast.kind === 'observation' && r.ast.comparison.kind === 'comparison') {
      expect(pathToString(r.ast.comparison.path)).toBe("file:hashes.'SHA-256'");
    }
  });
});

describe('stixPatternFor and observablesFromPattern', () => {
  const cases: Array<[IocType, string, string]> = [
    ['url', "http://example.com/it's\\x", "[url:value = 'http://example.com/it\\'s\\\\x']"],
    ['domain', 'xn--eckwd4c7c.example.jp', "[domain-name:value = 'xn--eckwd4c7c.example.jp']"],
    ['ipv4', '192.0.2.1', "[ipv4-addr:value = '192.0.2.1']"],
    ['ipv4', '198.51.100.0/24', "[ipv4-addr:value ISSUBSET '198.51.100.0/24']"],
    ['ipv6', '2001:db8::1', "[ipv6-addr:value = '2001:db8::1']"],
    ['ipv6', '2001:db8::/32', "[ipv6-addr:value ISSUBSET '2001:db8::/32']"],
    ['email', 'taro@example.jp', "[email-addr:value = 'taro@example.jp']"],
    ['md5', 'd41d8cd98f00b204e9800998ecf8427e', "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']"],
    [
      'sha1',
      'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      "[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']",
    ],
    [
      'sha256',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']",
    ],
    ['sha512', 'cf83', "[file:hashes.'SHA-512' = 'cf83']"],
    [
      'ssdeep',
      '3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C',
      "[file:hashes.SSDEEP = '3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C']",
    ],
    ['asn', 'AS13335', '[autonomous-system:number = 13335]'],
    ['phone', '+81312345678', "[x-phone-number:value = '+81312345678']"],
    ['bank_account', '0001-001-1-1234567', "[x-bank-account:value = '0001-001-1-1234567']"],
    [
      'btc',
      'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
      "[x-cryptocurrency-wallet:value = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq' AND x-cryptocurrency-wallet:currency = 'BTC']",
    ],
  ];

  it.each(cases)('%s %s → a valid pattern that gives the value back', (type, value, expected) => {
    const pattern = stixPatternFor(type, value);
    expect(pattern).toBe(expected);
    expect(isValidPattern(pattern!)).toBe(true);
    expect(observablesFromPattern(pattern!).map((o) => [o.type, o.value])).toEqual([[type, value]]);
  });

  it('has no pattern for cve and tlp', () => {
    expect(stixPatternFor('cve', 'CVE-2024-0001')).toBeNull();
    expect(stixPatternFor('tlp', 'TLP:RED')).toBeNull();
  });

  it('reads the variants other producers write, in our canonical forms', () => {
    const found = observablesFromPattern(
      "[file:hashes.md5 = 'ABCDEF0123456789ABCDEF0123456789' OR file:hashes.'SHA256' = 'AA' OR file:name = 'x.exe']",
    );
    expect(found.map((o) => [o.type, o.value])).toEqual([
      ['md5', 'abcdef0123456789abcdef0123456789'],
      ['sha256', 'aa'],
    ]);
    expect(
      observablesFromPattern(
        "[domain-name:value = 'Example.COM' OR ipv4-addr:value = '112.64.0.0/15'] OR [ipv6-addr:value IN ('2001:DB8:0:0::1', 'nonsense')]",
      ).map((o) => [o.type, o.value]),
    ).toEqual([
      ['domain', 'example.com'],
      ['ipv4', '112.64.0.0/15'],
      ['ipv6', '2001:db8::1'],
    ]);
  });

  it('never returns negated comparisons, pattern-matching operators or unknown paths', () => {
    expect(
      observablesFromPattern(
        "[url:value != 'http://a.example/' OR url:value NOT = 'http://b.example/' OR url:value LIKE 'http://c%' OR email-message:from_ref.value = 'x@example.com']",
      ),
    ).toEqual([]);
  });

  it('lists every comparison for types we do not map', () => {
    expect(
      comparisonsInPattern("[x509-certificate:issuer = 'CN=WEBMAIL' AND NOT EXISTS x509-certificate:serial_number]"),
    ).toEqual([
      {
        path: 'x509-certificate:issuer',
        objectType: 'x509-certificate',
        operator: '=',
        negated: false,
        value: 'CN=WEBMAIL',
      },
      {
        path: 'x509-certificate:serial_number',
        objectType: 'x509-certificate',
        operator: 'EXISTS',
        negated: true,
        value: null,
      },
    ]);
  });

  it('throws a SyntaxError with a position on a bad pattern', () => {
    expect(() => observablesFromPattern("[url:value = 'x'")).toThrow(/invalid STIX pattern at 1:/);
  });
});
