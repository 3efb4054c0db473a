import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { readStixBundle, StixStreamError, validateStixStream } from './stream.ts';

const EXAMPLES = join(import.meta.dirname, '../../../../../shared/data/stix2-examples');
const dir = mkdtempSync(join(tmpdir(), 'stix-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(text: string, chunk = 7): Promise<{ header: unknown; objects: unknown[] }> {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += chunk) parts.push(text.slice(i, i + chunk));
  const { header, objects } = readStixBundle(Readable.from(parts));
  const out: unknown[] = [];
  for await (const item of objects()) out.push(item.object);
  return { header, objects: out };
}

describe('readStixBundle', () => {
  it('yields the same objects as JSON.parse, in order, from small chunks', async () => {
    const text = readFileSync(join(EXAMPLES, 'cti-documentation/examples/example_json/apt1.json'), 'utf8');
    const parsed = JSON.parse(text) as { id: string; objects: unknown[] };
    const { header, objects } = await collect(text);
    expect(objects).toEqual(parsed.objects);
    expect(header).toEqual({ type: 'bundle', id: parsed.id });
  });

  it('reads header fields after objects and skips unknown nested fields', async () => {
    const text = JSON.stringify({
      objects: [{ a: [1, { b: null }] }, 'x'],
      extra: { objects: [1] },
      type: 'bundle',
      id: 'bundle--1',
    });
    expect(await collect(text, 3)).toEqual({
      header: { type: 'bundle', id: 'bundle--1' },
      objects: [{ a: [1, { b: null }] }, 'x'],
    });
  });

  it.each([
    ['{"type": "bundle", "objects": [{"a": 1}', /not valid JSON/],
    ['[1, 2]', /must be a JSON object/],
    ['', /empty input|not valid JSON/],
  ])('refuses %j', async (text, message) => {
    await expect(collect(text)).rejects.toThrow(message);
  });

  it('refuses one object over the size limit', async () => {
    const text = JSON.stringify({ type: 'bundle', objects: [{ big: 'x'.repeat(5000) }] });
    const { objects } = readStixBundle(Readable.from([text]), { maxObjectChars: 1000 });
    const run = async () => {
      for await (const _ of objects()) {
        // reading
      }
    };
    await expect(run()).rejects.toBeInstanceOf(StixStreamError);
  });
});

describe('validateStixStream', () => {
  it('accepts an official example and refuses a bad object with its index', async () => {
    const file = join(EXAMPLES, 'cti-documentation/examples/example_json/poisonivy.json');
    const ok = await validateStixStream(createReadStream(file));
    expect(ok).toMatchObject({ valid: true, issues: [] });
    expect(ok.objects).toBe((JSON.parse(readFileSync(file, 'utf8')) as { objects: unknown[] }).objects.length);
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as { objects: Array<Record<string, unknown>> };
    bundle.objects[2] = { ...bundle.objects[2], modified: '1999-01-01T00:00:00Z' };
    const bad = await validateStixStream(Readable.from([JSON.stringify(bundle)]));
    expect(bad.valid).toBe(false);
    expect(bad.issues[0]!.path).toBe('/objects/2/modified');
  });

  it('refuses a stream with no bundle envelope', async () => {
    const result = await validateStixStream(Readable.from(['{"objects": []}']));
    expect(result.issues.map((i) => i.path)).toEqual(['/objects', '/id', '/type']);
  });

  it('reads a generated 60 MB bundle object by object without holding it in memory', async () => {
    const file = join(dir, 'big.json');
    const out = createWriteStream(file);
    const n = 120_000;
    out.write('{"type":"bundle","id":"bundle--56be2a3b-1534-4bef-8fe9-602926274089","objects":[');
    for (let i = 0; i < n; i++) {
      const hex = i.toString(16).padStart(12, '0');
      const indicator = {
        type: 'indicator',
        spec_version: '2.1',
        id: `indicator--d81f86b9-975b-4c0b-875e-${hex}`,
        created: '2024-01-01T00:00:00.000Z',
        modified: '2024-01-01T00:00:00.000Z',
        name: `phishing site ${i} ${'説明'.repeat(100)}`,
        pattern: `[url:value = 'http://phish-${i}.example.jp/login']`,
        pattern_type: 'stix',
        valid_from: '2024-01-01T00:00:00Z',
      };
      if (!out.write(`${i ? ',' : ''}${JSON.stringify(indicator)}`))
        await new Promise<void>((r) => out.once('drain', () => r()));
    }
    out.end(']}');
    await finished(out);
    const bytes = statSync(file).size;
    expect(bytes).toBeGreaterThan(55_000_000);
    const before = process.memoryUsage().heapUsed;
    let peak = 0;
    let count = 0;
    const { header, objects } = readStixBundle(createReadStream(file));
    for await (const item of objects()) {
      count++;
      if (item.index % 5000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - before);
    }
    expect(count).toBe(n);
    expect(header.id).toBe('bundle--56be2a3b-1534-4bef-8fe9-602926274089');
    // Holding the file would take more than its size in heap (UTF-16 strings); we stay far below it.
    expect(peak).toBeLessThan(bytes / 2);
  }, 120_000);
});
