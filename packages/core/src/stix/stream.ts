// Reads a STIX bundle object by object from a byte stream (a file, an upload), so a 100 MB bundle never sits in
// memory: stream-json tokenises, and only the object being read is assembled. Top-level fields (type, id,
// spec_version) are collected wherever they appear, before or after `objects`.
import type { Readable } from 'node:stream';
import { getManyValues, isMany, none } from 'stream-chain/defs.js';
import Assembler from 'stream-json/assembler.js';
import { jsonParser } from 'stream-json/core/parser.js';
import type { StixIssue } from './schema.ts';
import { type BundleValidation, validateStixObject } from './semantic.ts';

/** Top-level primitive fields of the bundle; complete once `objects` has been read to the end. */
export type BundleHeader = Record<string, string | number | boolean | null>;

export interface StreamedObject {
  /** Position in `objects`, from 0. */
  index: number;
  /** The parsed object (normally a STIX object; anything else is passed on for validation to refuse). */
  object: unknown;
}

/** A bundle that cannot be read: not JSON, not an object, or one object over the size limit. */
export class StixStreamError extends Error {
  override name = 'StixStreamError';
}

export interface ReadBundleOptions {
  /** Refuse one object larger than this many characters of keys and values (default 16 MiB). */
  maxObjectChars?: number;
}

type Token = { name: string; value?: unknown };

/**
 * Reads a bundle: `header` fills as the stream goes, `objects()` yields each element of `objects` in order.
 * Iterate `objects()` once. Throws StixStreamError on bad JSON (with the parser's message) or an oversized object.
 */
export function readStixBundle(
  input: Readable | AsyncIterable<Buffer | string>,
  options: ReadBundleOptions = {},
): { header: BundleHeader; objects: () => AsyncGenerator<StreamedObject> } {
  const header: BundleHeader = {};
  const limit = options.maxObjectChars ?? 16 * 1024 * 1024;
  async function* objects(): AsyncGenerator<StreamedObject> {
    const tokenize = jsonParser({ packValues: true, streamValues: false });
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const ready: StreamedObject[] = [];
    let depth = 0;
    let key: string | null = null;
    let inObjects = false;
    let skipDepth = 0;
    let asm: Assembler | null = null;
    let size = 0;
    let index = 0;
    let started = false;
    const handle = (token: Token): void => {
      if (asm) {
        asm.consume(token as never);
        size += typeof token.value === 'string' ? token.value.length + 2 : 1;
        if (size > limit) throw new StixStreamError(`object ${index} in objects is larger than ${limit} characters`);
        if (asm.done) {
          ready.push({ index: index++, object: asm.current });
          asm = null;
        }
        return;
      }
      const opens = token.name === 'startObject' || token.name === 'startArray';
      const closes = token.name === 'endObject' || token.name === 'endArray';
      if (!started) {
        if (token.name !== 'startObject') throw new StixStreamError('a STIX bundle must be a JSON object');
        started = true;
        depth = 1;
      } else if (skipDepth > 0) {
        if (opens) skipDepth++;
        else if (closes) skipDepth--;
      } else if (inObjects) {
        if (token.name === 'endArray') {
          inObjects = false;
          depth = 1;
        } else if (opens) {
          asm = new Assembler();
          size = 0;
          asm.consume(token as never);
        } else {
          ready.push({ index: index++, object: token.value ?? null });
        }
      } else if (depth === 1 && token.name === 'keyValue') {
        key = String(token.value);
      } else if (depth === 1 && opens) {
        if (key === 'objects' && token.name === 'startArray') {
          inObjects = true;
          depth = 2;
        } else skipDepth = 1;
        key = null;
      } else if (depth === 1 && token.name === 'endObject') {
        depth = 0;
      } else if (depth === 1 && key !== null) {
        header[key] = token.name === 'numberValue' ? Number(token.value) : (token.value as string | boolean | null);
        key = null;
      }
    };
    const feed = (value: string | typeof none): void => {
      let result: unknown;
      try {
        result = tokenize(value as string);
      } catch (error) {
        throw new StixStreamError(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (isMany(result)) for (const token of getManyValues(result) as Token[]) handle(token);
    };
    for await (const chunk of input) {
      let text: string;
      try {
        text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      } catch {
        throw new StixStreamError('not valid UTF-8');
      }
      feed(text);
      while (ready.length > 0) yield ready.shift()!;
    }
    feed(none);
    while (ready.length > 0) yield ready.shift()!;
    if (!started) throw new StixStreamError('empty input: a STIX bundle must be a JSON object');
  }
  return { header, objects };
}

/** A string with its own storage (JSON round trip), sharing nothing with the strings it was built from. */
const flatCopy = (s: string): string => JSON.parse(JSON.stringify(s)) as string;

/**
 * Validates a bundle from a stream with bounded memory: each object with validateStixObject, the envelope once
 * read, duplicates by id + modified (only the ids are kept). `onObject` sees every object with its issues, so an
 * import can store the good ones as it goes. Stops collecting after `maxIssues` (default 100) but reads to the end.
 */
export async function validateStixStream(
  input: Readable | AsyncIterable<Buffer | string>,
  options: ReadBundleOptions & {
    maxIssues?: number;
    onObject?: (object: StreamedObject, issues: StixIssue[]) => void | Promise<void>;
  } = {},
): Promise<BundleValidation & { objects: number; header: BundleHeader }> {
  const max = options.maxIssues ?? 100;
  const issues: StixIssue[] = [];
  const seen = new Set<string>();
  const { header, objects } = readStixBundle(input, options);
  let count = 0;
  for await (const item of objects()) {
    count++;
    const found = validateStixObject(item.object, `/objects/${item.index}`);
    const o = item.object as Record<string, unknown> | null;
    if (o && typeof o === 'object' && typeof o.id === 'string') {
      // A copy, not a concatenation: the parsed id and modified are slices of the input chunk, and a key made of
      // them would keep every chunk of the bundle alive for the whole read (~1 KB per object).
      const key = flatCopy(`${o.id} ${typeof o.modified === 'string' ? o.modified : ''}`);
      if (seen.has(key)) {
        found.push({
          objectId: o.id,
          path: `/objects/${item.index}/id`,
          rule: 'semantic',
          message: 'the same object twice (same id and modified)',
        });
      }
      seen.add(key);
    }
    if (issues.length < max) issues.push(...found);
    await options.onObject?.(item, found);
  }
  const bundleId = typeof header.id === 'string' ? header.id : null;
  const envelope = (path: string, message: string): StixIssue => ({
    objectId: bundleId,
    path,
    rule: 'schema',
    message,
  });
  if (header.type !== 'bundle') issues.unshift(envelope('/type', 'must be "bundle"'));
  if (typeof header.id !== 'string' || !/^bundle--[0-9a-fA-F-]{36}$/.test(header.id)) {
    issues.unshift(envelope('/id', 'must be a bundle identifier (bundle--<UUID>)'));
  }
  if (count === 0) issues.unshift(envelope('/objects', 'must have at least one object'));
  if (header.spec_version !== undefined) {
    issues.unshift({
      objectId: bundleId,
      path: '/spec_version',
      rule: 'semantic',
      message: `a STIX 2.1 bundle has no spec_version (this looks like STIX ${String(header.spec_version)})`,
    });
  }
  return { valid: issues.length === 0, issues: issues.slice(0, max), objects: count, header };
}
