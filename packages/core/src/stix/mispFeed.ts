// MISP event JSON and feed structure (misp-rfc misp-core-format: events, manifest.json, hashes.csv), as types and
// pure helpers. A feed folder is `manifest.json`, `hashes.csv` and one `<event uuid>.json` per event.
import { createHash } from 'node:crypto';

export interface MispTag {
  name: string;
  colour?: string;
  exportable?: boolean;
}

export interface MispOrg {
  name: string;
  uuid?: string;
  id?: string;
}

export interface MispAttribute {
  uuid?: string;
  type: string;
  category?: string;
  value: string;
  to_ids?: boolean;
  comment?: string;
  timestamp?: string;
  first_seen?: string;
  last_seen?: string;
  object_relation?: string | null;
  disable_correlation?: boolean;
  distribution?: string;
  Tag?: MispTag[];
}

export interface MispObject {
  uuid?: string;
  name: string;
  'meta-category'?: string;
  template_uuid?: string;
  template_version?: string;
  description?: string;
  timestamp?: string;
  Attribute?: MispAttribute[];
  ObjectReference?: Array<{
    object_uuid?: string;
    referenced_uuid: string;
    relationship_type: string;
    comment?: string;
  }>;
}

export interface MispEvent {
  uuid: string;
  info: string;
  date?: string;
  /** Seconds since the epoch, as a string (MISP writes strings). */
  timestamp?: string;
  publish_timestamp?: string;
  published?: boolean;
  analysis?: string;
  threat_level_id?: string;
  distribution?: string;
  Orgc?: MispOrg;
  Org?: MispOrg;
  Tag?: MispTag[];
  Attribute?: MispAttribute[];
  Object?: MispObject[];
}

/** One entry of manifest.json, keyed by event uuid. */
export interface MispManifestEntry {
  info: string;
  Orgc: MispOrg;
  analysis?: string;
  Tag?: MispTag[];
  timestamp: string;
  date: string;
  threat_level_id?: string;
  'integrity:sha256'?: string;
}

export type MispManifest = Record<string, MispManifestEntry>;

/** A MISP document that cannot be read as an event / manifest / hashes file. */
export class MispFormatError extends Error {
  override name = 'MispFormatError';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The event in a parsed MISP JSON document, with or without the `{"Event": …}` wrapper (PyMISP writes both).
 * Checks what an import relies on: an object with `info`, a uuid when `requireUuid` (feeds), arrays where arrays go,
 * each attribute with a string `type` and `value`. Throws MispFormatError naming the first problem.
 */
export function unwrapMispEvent(document: unknown, options: { requireUuid?: boolean } = {}): MispEvent {
  const doc = document as { Event?: unknown } | null;
  const event = (doc && typeof doc === 'object' && 'Event' in doc ? doc.Event : doc) as Record<string, unknown> | null;
  if (!event || typeof event !== 'object' || Array.isArray(event)) throw new MispFormatError('not a MISP event object');
  if (typeof event.info !== 'string') throw new MispFormatError('event has no info');
  if (options.requireUuid && (typeof event.uuid !== 'string' || !UUID.test(event.uuid))) {
    throw new MispFormatError('event has no valid uuid');
  }
  for (const key of ['Attribute', 'Object', 'Tag']) {
    if (event[key] !== undefined && !Array.isArray(event[key])) throw new MispFormatError(`event ${key} is not a list`);
  }
  const check = (a: unknown, where: string): void => {
    const attr = a as Record<string, unknown> | null;
    if (!attr || typeof attr.type !== 'string' || typeof attr.value !== 'string') {
      throw new MispFormatError(`${where}: an attribute needs a string type and value`);
    }
  };
  for (const [i, a] of ((event.Attribute as unknown[] | undefined) ?? []).entries()) check(a, `Attribute ${i}`);
  for (const [i, o] of ((event.Object as Array<{ Attribute?: unknown }> | undefined) ?? []).entries()) {
    if (o?.Attribute !== undefined && !Array.isArray(o.Attribute)) {
      throw new MispFormatError(`Object ${i} Attribute is not a list`);
    }
    for (const [j, a] of ((o?.Attribute as unknown[] | undefined) ?? []).entries())
      check(a, `Object ${i} Attribute ${j}`);
  }
  return event as unknown as MispEvent;
}

/** Every attribute of an event, top-level and inside objects, with the tags that apply (event's + its own). */
export function mispEventAttributes(
  event: MispEvent,
): Array<{ attribute: MispAttribute; object?: MispObject; tags: string[] }> {
  const eventTags = (event.Tag ?? []).map((t) => t.name);
  const out: Array<{ attribute: MispAttribute; object?: MispObject; tags: string[] }> = [];
  for (const attribute of event.Attribute ?? []) {
    out.push({ attribute, tags: [...eventTags, ...(attribute.Tag ?? []).map((t) => t.name)] });
  }
  for (const object of event.Object ?? []) {
    for (const attribute of object.Attribute ?? []) {
      out.push({ attribute, object, tags: [...eventTags, ...(attribute.Tag ?? []).map((t) => t.name)] });
    }
  }
  return out;
}

/** The manifest.json entry of an event; `fileText` (the event file as written) adds `integrity:sha256`. */
export function mispManifestEntry(event: MispEvent, fileText?: string): MispManifestEntry {
  const entry: MispManifestEntry = {
    info: event.info,
    Orgc: event.Orgc ?? { name: 'unknown' },
    analysis: event.analysis ?? '0',
    Tag: event.Tag ?? [],
    timestamp: event.timestamp ?? '0',
    date: event.date ?? '1970-01-01',
    threat_level_id: event.threat_level_id ?? '4',
  };
  if (fileText !== undefined) entry['integrity:sha256'] = createHash('sha256').update(fileText, 'utf8').digest('hex');
  return entry;
}

/**
 * The hashes.csv rows of an event: `[md5 of the value, event uuid]` for every attribute, composite values
 * (`filename|sha256`) hashed part by part, as PyMISP's feed generator does — MISP uses them for fast look-ups.
 */
export function mispHashRows(event: MispEvent): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  for (const { attribute } of mispEventAttributes(event)) {
    const parts =
      attribute.type.includes('|') || attribute.type === 'malware-sample'
        ? attribute.value.split('|')
        : [attribute.value];
    for (const part of parts) rows.push([createHash('md5').update(part, 'utf8').digest('hex'), event.uuid]);
  }
  return rows;
}

/** hashes.csv text for some events: one `md5,uuid` line per row. */
export function mispHashesCsv(events: Iterable<MispEvent>): string {
  let out = '';
  for (const event of events) for (const [hash, uuid] of mispHashRows(event)) out += `${hash},${uuid}\n`;
  return out;
}

/** Reads hashes.csv (`md5,uuid` per line, quotes tolerated); throws MispFormatError on a malformed line. */
export function parseMispHashesCsv(text: string): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^"?([0-9a-f]{32})"?\s*,\s*"?([0-9a-f-]{36})"?\s*$/i.exec(line);
    if (!m) throw new MispFormatError(`hashes.csv line ${i + 1} is not "md5,uuid"`);
    rows.push([m[1]!.toLowerCase(), m[2]!.toLowerCase()]);
  });
  return rows;
}

/** Reads a parsed manifest.json: keys are event uuids, each entry needs info, timestamp and date. */
export function parseMispManifest(document: unknown): MispManifest {
  if (!document || typeof document !== 'object' || Array.isArray(document))
    throw new MispFormatError('manifest is not an object');
  for (const [uuid, entry] of Object.entries(document as Record<string, unknown>)) {
    if (!UUID.test(uuid)) throw new MispFormatError(`manifest key ${uuid} is not an event uuid`);
    const e = entry as Record<string, unknown> | null;
    if (!e || typeof e.info !== 'string' || e.timestamp === undefined || typeof e.date !== 'string') {
      throw new MispFormatError(`manifest entry ${uuid} needs info, timestamp and date`);
    }
  }
  return document as MispManifest;
}

/** The file name of an event in a feed folder. */
export function mispEventFileName(uuid: string): string {
  if (!UUID.test(uuid)) throw new MispFormatError(`not an event uuid: ${uuid}`);
  return `${uuid.toLowerCase()}.json`;
}
