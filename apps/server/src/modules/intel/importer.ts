import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { AuditActor } from '../../platform/audit/audit.ts';
import type { Platform } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { canonicalise } from './canonical.ts';
import { AsnResolver, type IngestItem, ingest } from './ingest.ts';
import { ROLES, type OccurrenceRole, TLPS, type TlpLabel } from './vocab.ts';

export type ImportFormat = 'txt' | 'csv' | 'jsonl';

export interface ImportOptions {
  source: string;
  format: ImportFormat;
  tlp?: TlpLabel | undefined;
  /** CSV: which header names hold which field, e.g. { value: 'indicator', type: 'kind' }. */
  columns?: Partial<Record<CsvField, string>> | undefined;
  /** Lines per committed transaction. */
  batchSize?: number | undefined;
  /** Called with the bytes read so far after each batch (progress bars). */
  onProgress?: ((bytes: number, lines: number) => void) | undefined;
  /** Called for every refused line; the summary keeps only the first 100. */
  onBadLine?: ((line: number, reason: string) => void) | undefined;
  clientIp?: string | null | undefined;
  maxBytes?: number | undefined;
}

export interface ImportSummary {
  sourceId: string;
  lines: number;
  accepted: number;
  badLines: number;
  bad: { line: number; reason: string }[];
  newObservables: number;
  newOccurrences: number;
  batches: number;
}

type CsvField = 'value' | 'type' | 'role' | 'first_seen' | 'last_seen' | 'tags' | 'confidence';
const CSV_FIELDS: readonly CsvField[] = ['value', 'type', 'role', 'first_seen', 'last_seen', 'tags', 'confidence'];

/** Splits one CSV record (RFC 4180 quoting, on one line). Undefined when the quoting is broken. */
export function splitCsv(line: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return undefined;
        v += line.slice(i, q);
        if (line[q + 1] === '"') {
          v += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      out.push(v);
      if (i === line.length) return out;
      if (line[i] !== ',') return undefined;
      i++;
    } else {
      const c = line.indexOf(',', i);
      if (c < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, c));
      i = c + 1;
    }
  }
}

/** A byte stream, gunzipped when it starts with the gzip magic number. */
export function maybeGunzip(input: AsyncIterable<Buffer | string>, onBytes: (n: number) => void): Readable {
  async function* gen(): AsyncGenerator<Buffer> {
    let first = true;
    let gunzip: ReturnType<typeof createGunzip> | null = null;
    const it = input[Symbol.asyncIterator]();
    const counted = async function* (head: Buffer): AsyncGenerator<Buffer> {
      yield head;
      for (;;) {
        const n = await it.next();
        if (n.done) return;
        const b = typeof n.value === 'string' ? Buffer.from(n.value) : n.value;
        onBytes(b.length);
        yield b;
      }
    };
    for (;;) {
      const n = await it.next();
      if (n.done) return;
      const b = typeof n.value === 'string' ? Buffer.from(n.value) : n.value;
      if (b.length === 0) continue;
      onBytes(b.length);
      if (first && b[0] === 0x1f && b[1] === 0x8b) {
        gunzip = createGunzip();
        const source = Readable.from(counted(b));
        source.pipe(gunzip);
        source.on('error', (e) => gunzip?.destroy(e));
        for await (const out of gunzip) yield out as Buffer;
        return;
      }
      first = false;
      yield* counted(b);
      return;
    }
  }
  return Readable.from(gen());
}

function iso(v: string | undefined, fallback: string): string | undefined {
  if (v === undefined || v === '') return fallback;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

interface Parsed {
  item?: IngestItem;
  reason?: string;
  skip?: boolean;
}

function toItem(
  fields: {
    value?: unknown;
    type?: unknown;
    role?: unknown;
    first_seen?: unknown;
    last_seen?: unknown;
    tags?: unknown;
    confidence?: unknown;
  },
  now: string,
): Parsed {
  if (typeof fields.value !== 'string' || fields.value.trim() === '') return { reason: 'no value' };
  const hint = typeof fields.type === 'string' && fields.type !== '' ? fields.type : undefined;
  const c = canonicalise(fields.value, hint);
  if (!c) return { reason: hint ? `not a valid ${hint}` : 'not a recognised indicator' };
  let role: OccurrenceRole | undefined;
  if (fields.role !== undefined && fields.role !== '') {
    if (typeof fields.role !== 'string' || !(ROLES as readonly string[]).includes(fields.role))
      return { reason: 'role must be suspect, victim or unknown' };
    role = fields.role as OccurrenceRole;
  }
  const firstSeen = iso(typeof fields.first_seen === 'string' ? fields.first_seen : undefined, now);
  const lastSeen = iso(typeof fields.last_seen === 'string' ? fields.last_seen : undefined, firstSeen ?? now);
  if (!firstSeen || !lastSeen) return { reason: 'first_seen/last_seen is not a date' };
  let tags: string[] | undefined;
  if (fields.tags !== undefined && fields.tags !== '') {
    const list = Array.isArray(fields.tags)
      ? fields.tags
      : typeof fields.tags === 'string'
        ? fields.tags.split(/[;|]/)
        : null;
    if (!list?.every((t) => typeof t === 'string' && t.length <= 200)) return { reason: 'bad tags' };
    tags = (list as string[]).map((t) => t.trim()).filter(Boolean);
  }
  let confidence: number | null = null;
  if (fields.confidence !== undefined && fields.confidence !== '') {
    const n = Number(fields.confidence);
    if (!Number.isInteger(n) || n < 0 || n > 100) return { reason: 'confidence must be 0..100' };
    confidence = n;
  }
  // ISO-8601 UTC strings order as the times they name.
  const seen = [firstSeen, lastSeen].sort() as [string, string];
  return {
    item: {
      ...c,
      role,
      firstSeen: seen[0],
      lastSeen: seen[1],
      tags,
      confidence,
    },
  };
}

/** One line of a feed in the given format → an item, a refusal with its reason, or a line to skip (blank, comment, CSV header). */
function lineParser(opts: Pick<ImportOptions, 'format' | 'columns'>, now: string): (line: string) => Parsed {
  if (opts.format === 'txt') {
    return (line) => {
      const t = line.trim();
      return t === '' || t.startsWith('#') ? { skip: true } : toItem({ value: line }, now);
    };
  }
  if (opts.format === 'jsonl') {
    return (line) => {
      if (line.trim() === '') return { skip: true };
      let obj: unknown;
      try {
        obj = JSON.parse(line);
      } catch {
        return { reason: 'not JSON' };
      }
      if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return { reason: 'not a JSON object' };
      return toItem(obj as Record<string, unknown>, now);
    };
  }
  let header: Map<CsvField, number> | null = null;
  return (line) => {
    if (line.trim() === '') return { skip: true };
    const cells = splitCsv(line);
    if (!cells) return { reason: 'broken CSV quoting' };
    if (!header) {
      const names = cells.map((c) => c.trim().toLowerCase());
      header = new Map();
      for (const f of CSV_FIELDS) {
        const idx = names.indexOf((opts.columns?.[f] ?? f).toLowerCase());
        if (idx >= 0) header.set(f, idx);
      }
      if (!header.has('value'))
        throw new AppError('VALIDATION_FAILED', `CSV header has no column "${opts.columns?.value ?? 'value'}"`);
      return { skip: true };
    }
    const fields: Record<string, string | undefined> = {};
    for (const [f, i] of header) fields[f] = cells[i];
    return toItem(fields, now);
  };
}

/** Finds or creates the import source (a place of type `source`). */
export async function ensureSource(p: Platform, name: string, actorId: string | null): Promise<string> {
  const found = await p.db.db.selectFrom('intel_sources').select('id').where('name', '=', name).executeTakeFirst();
  if (found) return found.id;
  const id = randomUUID();
  await p.db.db
    .insertInto('intel_sources')
    .values({
      id,
      name,
      kind: 'import',
      reliability: null,
      created_at: p.clock.now().toISOString(),
      created_by: actorId,
    })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await p.db.db.selectFrom('intel_sources').select('id').where('name', '=', name).executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Streams indicators into the database: one line at a time (bounded memory), committed in batches (a crash loses
 * nothing committed; a rerun completes, because every write is an idempotent upsert), each batch audited in its
 * own transaction. Bad lines are counted and reported with their line numbers, never silently dropped.
 */
export async function importIndicators(
  p: Platform,
  actor: AuditActor | null,
  input: AsyncIterable<Buffer | string>,
  opts: ImportOptions,
): Promise<ImportSummary> {
  const tlp = opts.tlp ?? 'amber';
  if (!(TLPS as readonly string[]).includes(tlp)) throw new AppError('VALIDATION_FAILED', 'tlp');
  if (!/^\S.{0,199}$/u.test(opts.source)) throw new AppError('VALIDATION_FAILED', 'source name');
  const batchSize = opts.batchSize ?? 5000;
  const sourceId = await ensureSource(p, opts.source, actor?.id ?? null);
  const asn = new AsnResolver();
  let bytes = 0;
  const maxBytes = opts.maxBytes ?? Number.POSITIVE_INFINITY;
  const stream = maybeGunzip(input, (n) => {
    bytes += n;
    if (bytes > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE');
  });
  const rl = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  const summary: ImportSummary = {
    sourceId,
    lines: 0,
    accepted: 0,
    badLines: 0,
    bad: [],
    newObservables: 0,
    newOccurrences: 0,
    batches: 0,
  };
  const bad = (line: number, reason: string) => {
    summary.badLines++;
    if (summary.bad.length < 100) summary.bad.push({ line, reason });
    opts.onBadLine?.(line, reason);
  };
  let batch: IngestItem[] = [];
  let firstLine = 0;
  /** The one write path: a batch, its occurrences and its audit record, committed together. */
  const flush = async () => {
    if (batch.length === 0) return;
    const items = batch;
    batch = [];
    const now = p.clock.now().toISOString();
    await p.db.db.transaction().execute(async (trx) => {
      const r = await ingest(trx, { place: { type: 'source', id: sourceId }, tlp, sourceId }, items, now, asn);
      summary.newObservables += r.newObservables;
      summary.newOccurrences += r.newOccurrences;
      await p.audit.record(trx, {
        actor,
        action: 'intel.import.batch',
        target: { type: 'intel_source', id: sourceId },
        result: 'success',
        clientIp: opts.clientIp ?? null,
        details: {
          format: opts.format,
          tlp,
          fromLine: firstLine,
          toLine: summary.lines,
          items: items.length,
          newOccurrences: r.newOccurrences,
        },
      });
    });
    summary.batches++;
    opts.onProgress?.(bytes, summary.lines);
  };

  const parse = lineParser(opts, p.clock.now().toISOString());
  for await (const raw of rl) {
    summary.lines++;
    const lineNo = summary.lines;
    const parsed = parse(lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw);
    if (parsed.skip) continue;
    if (!parsed.item) {
      bad(lineNo, parsed.reason ?? 'bad line');
      continue;
    }
    if (batch.length === 0) firstLine = lineNo;
    batch.push(parsed.item);
    summary.accepted++;
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  await p.db.db.transaction().execute(async (trx) => {
    await p.audit.record(trx, {
      actor,
      action: 'intel.import',
      target: { type: 'intel_source', id: sourceId },
      result: 'success',
      clientIp: opts.clientIp ?? null,
      details: {
        format: opts.format,
        tlp,
        lines: summary.lines,
        accepted: summary.accepted,
        badLines: summary.badLines,
        newObservables: summary.newObservables,
        newOccurrences: summary.newOccurrences,
      },
    });
  });
  return summary;
}

/** Loads a prefix → ASN table (CSV `prefix,asn,name`, header optional), replacing the previous one. */
export async function importAsnTable(
  p: Platform,
  actor: AuditActor | null,
  input: AsyncIterable<Buffer | string>,
  opts: { clientIp?: string | null; onBadLine?: (line: number, reason: string) => void } = {},
): Promise<{ prefixes: number; badLines: number; bad: { line: number; reason: string }[] }> {
  const { canonicalCidr, ipv4Hex, ipv6Hex } = await import('./canonical.ts');
  const rl = createInterface({ input: maybeGunzip(input, () => {}), crlfDelay: Number.POSITIVE_INFINITY });
  const rows = new Map<string, { family: number; prefix_len: number; network: string; asn: string; name: string }>();
  const bad: { line: number; reason: string }[] = [];
  let badLines = 0;
  let n = 0;
  for await (const line of rl) {
    n++;
    if (line.trim() === '' || line.startsWith('#') || (n === 1 && /^prefix\s*,/i.test(line))) continue;
    const cells = splitCsv(line);
    const cidr = cells?.[0] ? canonicalCidr(cells[0]) : undefined;
    const asnRaw = cells?.[1]?.trim().replace(/^AS/i, '');
    if (!cells || !cidr || !asnRaw || !/^[0-9]{1,10}$/.test(asnRaw)) {
      badLines++;
      if (bad.length < 100) bad.push({ line: n, reason: 'expected prefix,asn,name' });
      opts.onBadLine?.(n, 'expected prefix,asn,name');
      continue;
    }
    const [addr, len] = cidr.split('/') as [string, string];
    const family = addr.includes(':') ? 6 : 4;
    const network = family === 4 ? ipv4Hex(addr) : (ipv6Hex(addr) ?? '');
    rows.set(`${family}/${len}/${network}`, {
      family,
      prefix_len: Number(len),
      network,
      asn: `AS${asnRaw}`,
      name: (cells[2] ?? '').trim().slice(0, 200),
    });
  }
  // The table is small (a full routing table is ~1.2 M prefixes, ~60 MB of rows): it is replaced in one transaction.
  await p.db.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('asn_prefixes').execute();
    const all = [...rows.values()];
    for (let i = 0; i < all.length; i += 1000)
      await trx
        .insertInto('asn_prefixes')
        .values(all.slice(i, i + 1000))
        .execute();
    await p.audit.record(trx, {
      actor,
      action: 'intel.asn.import',
      target: { type: 'asn_prefixes', id: null },
      result: 'success',
      clientIp: opts.clientIp ?? null,
      details: { prefixes: all.length, badLines },
    });
  });
  return { prefixes: rows.size, badLines, bad };
}
