import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractIocs, toExtractJson } from './extract.ts';
import { defang } from './refang.ts';
import { checkVector, type VectorCase } from './vectorCompare.test-util.ts';

const DATA = new URL('../../../../../shared/data/ioc-vectors/', import.meta.url);
const file = JSON.parse(readFileSync(new URL('vectors.json', DATA), 'utf8')) as {
  vectors: VectorCase[];
  defang_vectors: Array<{ id: string; input: string; expected: string }>;
};

describe('ioc-vectors', () => {
  it.each(file.vectors.map((v) => [v.id, v] as const))('%s', (_id, v) => {
    const got = toExtractJson(extractIocs(v.input));
    expect(checkVector(v, got)).toEqual([]);
  });

  it.each(file.defang_vectors.map((v) => [v.id, v] as const))('%s', (_id, v) => {
    expect(defang(v.input)).toBe(v.expected);
  });
});
