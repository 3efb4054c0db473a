import { createGunzip } from 'node:zlib';
import type { AnyDb } from '../../platform/db/dialect.ts';
import { type HuntMatch, IndicatorIndex, LineMatcher, SUBDOMAIN_TAG } from './matcher.ts';

/** A line longer than this is cut (bounded memory against a file without newlines). */
const MAX_LINE = 1024 * 1024;
const HUNT_TYPES = ['url', 'domain', 'ipv4', 'ipv6'] as const;
const PAGE = 50_000;

export interface HuntFileResult {
  lines: number;
  matches: number;
}

/** Byte chunks, gunzipped when the stream starts with the gzip magic number. */
async function* maybeGunzip(input: AsyncIterable<Buffer | Uint8Array | string>): AsyncGenerator<Buffer> {
  const it = input[Symbol.asyncIterator]();
  const toBuf = (v: Buffer | Uint8Array | string) =>
    typeof v === 'string' ? Buffer.from(v) : Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  let first = await it.next();
  while (!first.done && toBuf(first.value).length === 0) first = await it.next();
  if (first.done) return;
  const head = toBuf(first.value);
  if (head[0] === 0x1f && head[1] === 0x8b) {
    const gunzip = createGunzip();
    const feed = (async () => {
      try {
        let chunk: Buffer | undefined = head;
        while (chunk) {
          if (!gunzip.write(chunk)) await new Promise((r) => gunzip.once('drain', r));
          const n = await it.next();
          chunk = n.done ? undefined : toBuf(n.value);
        }
        gunzip.end();
      } catch (e) {
        gunzip.destroy(e as Error);
      }
    })();
    for await (const out of gunzip) yield out as Buffer;
    await feed;
    return;
  }
  yield head;
  for (;;) {
    const n = await it.next();
    if (n.done) return;
    yield toBuf(n.value);
  }
}

/**
 * Streams one log (plain or gzip) line by line through the matcher: `onMatch` gets each match with its 1-based line
 * number. Lines starting with "#" (Zeek headers, comments) are skipped but counted. Memory: one chunk and one line.
 */
export async function huntStream(
  index: IndicatorIndex,
  input: AsyncIterable<Buffer | Uint8Array | string>,
  onMatch: (line: number, m: HuntMatch) => void,
): Promise<HuntFileResult> {
  const matcher = new LineMatcher(index);
  let lineNo = 0;
  let matches = 0;
  let carry: Buffer | null = null;
  const emitFor = (n: number) => (m: HuntMatch) => {
    matches++;
    onMatch(n, m);
  };
  const doLine = (buf: Buffer, s: number, e: number) => {
    lineNo++;
    if (e > s && buf[e - 1] === 0x0d) e--;
    if (e - s > MAX_LINE) e = s + MAX_LINE;
    if (e === s || buf[s] === 0x23) return;
    matcher.match(buf, s, e, emitFor(lineNo));
  };
  for await (const chunk of maybeGunzip(input)) {
    let buf = chunk;
    if (carry) {
      buf = Buffer.concat([carry, chunk]);
      carry = null;
    }
    let s = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, s);
      if (nl < 0) break;
      doLine(buf, s, nl);
      s = nl + 1;
    }
    if (s < buf.length) {
      carry = buf.subarray(s);
      // A line with no end in sight: match what we have, drop the rest of it.
      if (carry.length > MAX_LINE) {
        doLine(carry, 0, carry.length);
        carry = null;
      }
    }
  }
  if (carry && carry.length > 0) doLine(carry, 0, carry.length);
  return { lines: lineNo, matches };
}

/** Every URL, domain and IP indicator in the database (expired ones too), read in pages. */
export async function loadIndex(db: AnyDb): Promise<IndicatorIndex> {
  const index = new IndicatorIndex();
  const sub = new Set<number>(
    (await db.selectFrom('observable_tags').select('observable_num').where('tag', '=', SUBDOMAIN_TAG).execute()).map(
      (r) => Number(r.observable_num),
    ),
  );
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('observables')
      .select(['num', 'type', 'value'])
      .where('num', '>', after)
      .where('type', 'in', HUNT_TYPES)
      // Values only derived by intel (a URL's host and registered domain) are not indicators by themselves: the
      // registered domain of a phishing page on a shared host would otherwise flag all of that host's traffic.
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('observable_occurrences as oc')
            .select('oc.observable_num')
            .whereRef('oc.observable_num', '=', 'observables.num')
            .where((eb) => eb.or([eb('oc.reason', 'is', null), eb('oc.reason', '<>', 'derived')])),
        ),
      )
      .orderBy('num')
      .limit(PAGE)
      .execute();
    for (const r of rows) index.add(r.type, r.value, sub.has(Number(r.num)));
    if (rows.length < PAGE) break;
    after = Number(rows[rows.length - 1]!.num);
  }
  return index;
}
