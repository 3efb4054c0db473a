import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractIocs, toExtractJson } from './extract.ts';
import type { IocType } from './types.ts';
import { normalise } from './vectorCompare.test-util.ts';

const UP = new URL('../../../../../shared/data/ioc-vectors/upstream/', import.meta.url);
const read = (p: string): string => readFileSync(new URL(p, UP), 'utf8');
const lines = (p: string): string[] =>
  read(p)
    .split('\n')
    .filter((l) => l.trim() !== '');

const NINOSEKI_KEYS: Record<string, IocType> = {
  md5s: 'md5',
  sha1s: 'sha1',
  sha256s: 'sha256',
  sha512s: 'sha512',
  asns: 'asn',
  ipv4s: 'ipv4',
  ipv6s: 'ipv6',
  domains: 'domain',
  urls: 'url',
  btcs: 'btc',
  xmrs: 'xmr',
  eths: 'eth',
};

describe('upstream corpora', () => {
  it('ninoseki/ioc-extractor complex input: every expected value is found', () => {
    const got = toExtractJson(extractIocs(read('ninoseki-ioc-extractor/input.txt')));
    const expected = JSON.parse(read('ninoseki-ioc-extractor/expected.json')) as Record<string, unknown>;
    const missing: string[] = [];
    for (const [key, type] of Object.entries(NINOSEKI_KEYS)) {
      const have = new Set((got[type] ?? []).map((v) => normalise(type, v)));
      for (const v of (expected[key] as string[] | undefined) ?? []) {
        if (!have.has(normalise(type, v))) missing.push(`${type} ${v}`);
      }
    }
    expect(missing).toEqual([]);
  });

  const input = toExtractJson(extractIocs(read('python-iocextract/input.txt')));
  const inputValues = new Set(Object.values(input).flat());

  it.each(lines('python-iocextract/valid.txt'))('iocextract valid: %s', (line) => {
    const found = extractIocs(line);
    expect(found.length).toBeGreaterThan(0);
    // and whatever the line gives is also found in the whole corpus
    for (const f of found) expect(inputValues.has(f.value)).toBe(true);
  });

  it.each(lines('python-iocextract/invalid.txt'))('iocextract invalid: %s', (line) => {
    expect(extractIocs(line)).toEqual([]);
  });
});
