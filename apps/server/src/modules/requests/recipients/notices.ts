import { randomBytes, randomUUID } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import type { Subject } from '../../../platform/auth/subject.ts';
import type { Platform } from '../../../platform/context.ts';
import type { Transaction } from 'kysely';
import type { AnyDb } from '../../../platform/db/dialect.ts';
import type { Database } from '../../../platform/db/types.ts';
import { AppError } from '../../../platform/errors.ts';
import { type Resolver, bareHost, systemResolver } from '../../../platform/net/guard.ts';
import { AsnResolver } from '../../intel/ingest.ts';
import { actorOf } from '../access.ts';
import { type AbuseContact, type RdapOptions, rdapLookup } from './rdap.ts';

/**
 * Grouping many items (URLs) per recipient into one notice with a reference number, as IntelMQ's mailgen does:
 * URL → host → address (DNS, or the literal) → announcing AS (intel's imported prefix table) → the recipient
 * mapped to that AS, else the RDAP abuse contact of the address (matched to a directory entry by e-mail).
 */
export interface NoticeItem {
  url: string;
  host: string;
  address: string | null;
  asn: string | null;
  cidr: string | null;
}

export interface NoticeGroup {
  /** request_recipients.id, or null when no directory entry matches yet. */
  recipientId: string | null;
  recipientName: string | null;
  asn: string | null;
  /** The AS name from the prefix table (the provider). */
  provider: string | null;
  contact: AbuseContact | null;
  items: NoticeItem[];
}

export interface GroupOptions {
  resolver?: Resolver;
  rdap?: RdapOptions;
}

export const DEFAULT_NOTICES_PER_HOUR = Number(process.env.RENKEI_NOTICES_PER_HOUR ?? 20);
const MAX_ITEMS = 1000;

function hostOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? bareHost(u.hostname) : null;
  } catch {
    return null;
  }
}

/** Groups items by recipient (no writes except the RDAP cache). Items whose host does not resolve are returned apart. */
export async function groupItems(
  p: Platform,
  urls: string[],
  o: GroupOptions = {},
): Promise<{ groups: NoticeGroup[]; unresolved: { url: string; reason: string }[] }> {
  if (urls.length === 0 || urls.length > MAX_ITEMS) throw new AppError('VALIDATION_FAILED');
  const resolver = o.resolver ?? systemResolver;
  const db = p.db.db;
  const unresolved: { url: string; reason: string }[] = [];
  const items: NoticeItem[] = [];
  const addressOf = new Map<string, string | null>();
  for (const url of [...new Set(urls)]) {
    const host = hostOf(url);
    if (!host) {
      unresolved.push({ url, reason: 'invalid_url' });
      continue;
    }
    if (!addressOf.has(host)) {
      if (ipaddr.isValid(host)) addressOf.set(host, ipaddr.process(host).toString());
      else {
        try {
          addressOf.set(host, (await resolver(host))[0]?.address ?? null);
        } catch {
          addressOf.set(host, null);
        }
      }
    }
    const address = addressOf.get(host) ?? null;
    if (!address) unresolved.push({ url, reason: 'nxdomain' });
    else items.push({ url, host, address, asn: null, cidr: null });
  }
  const addrs = [...new Set(items.map((i) => i.address!))].map((value) => ({
    type: value.includes(':') ? ('ipv6' as const) : ('ipv4' as const),
    value,
  }));
  const asns = await new AsnResolver().resolve(db, addrs);
  const names = new Map<string, string>();
  for (const it of items) {
    const a = asns.get(it.address!);
    if (a) {
      it.asn = a.asn.toUpperCase().startsWith('AS') ? a.asn.toUpperCase() : `AS${a.asn}`;
      it.cidr = a.cidr;
      names.set(it.asn, a.name);
    }
  }
  const mapped = new Map(
    (
      await db
        .selectFrom('request_recipient_asns')
        .select(['asn', 'recipient_id'])
        .where('asn', 'in', [...names.keys(), '-'])
        .execute()
    ).map((r) => [r.asn, r.recipient_id]),
  );
  const groups = new Map<string, NoticeGroup>();
  const contactOf = new Map<string, AbuseContact | null>();
  for (const it of items) {
    let recipientId = it.asn ? (mapped.get(it.asn) ?? null) : null;
    let contact: AbuseContact | null = null;
    if (!recipientId) {
      // One RDAP look-up per AS (or per address when the AS is unknown).
      const k = it.asn ?? it.address!;
      if (!contactOf.has(k)) contactOf.set(k, (await rdapLookup(p, 'ip', it.address!, o.rdap)).contact);
      contact = contactOf.get(k) ?? null;
      if (contact?.email) {
        const r = await db
          .selectFrom('request_recipients')
          .select('id')
          .where('abuse_email', '=', contact.email)
          .executeTakeFirst();
        recipientId = r?.id ?? null;
      }
    }
    const key = recipientId ?? (contact?.email ? `mail:${contact.email}` : `as:${it.asn ?? it.address}`);
    let g = groups.get(key);
    if (!g) {
      g = {
        recipientId,
        recipientName: null,
        asn: it.asn,
        provider: it.asn ? (names.get(it.asn) ?? null) : null,
        contact,
        items: [],
      };
      groups.set(key, g);
    }
    g.items.push(it);
  }
  const ids = [...groups.values()].map((g) => g.recipientId).filter((x): x is string => !!x);
  if (ids.length) {
    const rows = await db.selectFrom('request_recipients').select(['id', 'name']).where('id', 'in', ids).execute();
    for (const g of groups.values()) g.recipientName = rows.find((r) => r.id === g.recipientId)?.name ?? null;
  }
  return { groups: [...groups.values()].sort((a, b) => b.items.length - a.items.length), unresolved };
}

const REF_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function newReference(now: Date): string {
  const day = new Date(now.getTime() + 9 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
  const tail = [...randomBytes(6)].map((b) => REF_ALPHABET[b % REF_ALPHABET.length]).join('');
  return `RN-${day}-${tail}`;
}

/** The notice reference quoted in a reply (subject or body), if any: ties the reply back to its notice. */
export function referenceIn(text: string): string | null {
  return text.match(/RN-\d{8}-[A-Z2-9]{6}/)?.[0] ?? null;
}

export interface CreatedNotice {
  id: string;
  reference: string;
  recipientId: string;
  itemCount: number;
}
export interface DeferredGroup {
  recipientId: string | null;
  reason: 'rate_limited' | 'no_recipient';
  /** When a rate-limited recipient may be sent the next notice. */
  retryAt: string | null;
  items: NoticeItem[];
}

/** How many notices a recipient may still be sent this hour, and when the oldest counted one ages out. */
export async function sendingBudget(
  p: Platform,
  recipientId: string,
  db: AnyDb = p.db.db,
): Promise<{ limit: number; used: number; retryAt: string | null }> {
  const now = p.clock.now();
  const since = new Date(now.getTime() - 3600_000).toISOString();
  const lim = await db
    .selectFrom('request_recipient_limits')
    .select('max_per_hour')
    .where('recipient_id', '=', recipientId)
    .executeTakeFirst();
  const recent = await db
    .selectFrom('request_notices')
    .select('created_at')
    .where('recipient_id', '=', recipientId)
    .where('created_at', '>', since)
    .orderBy('created_at')
    .execute();
  const limit = lim?.max_per_hour ?? DEFAULT_NOTICES_PER_HOUR;
  const oldest = recent[0]?.created_at;
  return {
    limit,
    used: recent.length,
    retryAt: recent.length >= limit && oldest ? new Date(Date.parse(oldest) + 3600_000).toISOString() : null,
  };
}

/**
 * Groups the URLs and writes one notice per recipient (reference number, items) within each recipient's hourly
 * limit; groups over the limit or without a directory entry are returned as deferred, nothing written for them.
 */
export async function createNotices(
  p: Platform,
  s: Subject,
  urls: string[],
  o: GroupOptions & { clientIp?: string | null } = {},
): Promise<{ notices: CreatedNotice[]; deferred: DeferredGroup[]; unresolved: { url: string; reason: string }[] }> {
  const { groups, unresolved } = await groupItems(p, urls, o);
  const notices: CreatedNotice[] = [];
  const deferred: DeferredGroup[] = [];
  for (const g of groups) {
    if (!g.recipientId) {
      deferred.push({ recipientId: null, reason: 'no_recipient', retryAt: null, items: g.items });
      continue;
    }
    const recipientId = g.recipientId;
    const created = await p.db.db
      .transaction()
      .execute((trx) => writeNotice(p, trx, s, { ...g, recipientId }, null, o.clientIp ?? null));
    if ('reference' in created) notices.push(created);
    else deferred.push({ recipientId, reason: 'rate_limited', retryAt: created.retryAt, items: g.items });
  }
  return { notices, deferred, unresolved };
}

/**
 * Writes one notice for a group in the caller's transaction, within the recipient's hourly limit (counted inside the
 * transaction; a concurrent writer could overshoot by one, which a limit of courtesy tolerates). Over the limit:
 * nothing written, `{ retryAt }` returned. `requestId`: the request drafted from it in the same transaction.
 */
export async function writeNotice(
  p: Platform,
  trx: Transaction<Database>,
  s: Subject,
  g: NoticeGroup & { recipientId: string },
  requestId: string | null,
  clientIp: string | null,
): Promise<CreatedNotice | { retryAt: string | null }> {
  const budget = await sendingBudget(p, g.recipientId, trx);
  if (budget.used >= budget.limit) return { retryAt: budget.retryAt };
  const now = p.clock.now();
  const notice = {
    id: randomUUID(),
    reference: newReference(now),
    recipientId: g.recipientId,
    itemCount: g.items.length,
  };
  await trx
    .insertInto('request_notices')
    .values({
      id: notice.id,
      reference: notice.reference,
      recipient_id: g.recipientId,
      items: JSON.stringify(g.items),
      item_count: g.items.length,
      owner_unit_id: s.unitId ?? '',
      request_id: requestId,
      created_by: s.userId,
      created_at: now.toISOString(),
    })
    .execute();
  await p.audit.record(trx, {
    actor: actorOf(s),
    action: 'request.notice.create',
    target: { type: 'request_notice', id: notice.id },
    result: 'success',
    clientIp,
    details: { reference: notice.reference, recipientId: g.recipientId, items: g.items.length, requestId },
  });
  return notice;
}

/** A notice by its reference, only for its unit (a reply quoting it is tied back by the drafting unit). */
export async function noticeByReference(p: Platform, s: Subject, reference: string) {
  const row = await p.db.db
    .selectFrom('request_notices')
    .selectAll()
    .where('reference', '=', reference)
    .executeTakeFirst();
  if (!row || row.owner_unit_id !== (s.unitId ?? '')) throw new AppError('NOT_FOUND');
  return {
    id: row.id,
    reference: row.reference,
    recipientId: row.recipient_id,
    items: JSON.parse(row.items) as NoticeItem[],
    requestId: row.request_id,
    createdAt: row.created_at,
  };
}

/** Maps an AS to a directory recipient (grouping then needs no RDAP for it) and/or sets its hourly limit. */
export async function setRecipientNetwork(
  p: Platform,
  s: Subject,
  input: { recipientId: string; asn?: string; maxPerHour?: number },
  clientIp: string | null = null,
): Promise<void> {
  const db = p.db.db;
  const exists = await db
    .selectFrom('request_recipients')
    .select('id')
    .where('id', '=', input.recipientId)
    .executeTakeFirst();
  if (!exists) throw new AppError('NOT_FOUND');
  const now = p.clock.now().toISOString();
  await db.transaction().execute(async (trx) => {
    if (input.asn) {
      const asn = `AS${input.asn.replace(/^AS/i, '')}`;
      await trx
        .insertInto('request_recipient_asns')
        .values({ asn, recipient_id: input.recipientId, created_at: now })
        .onConflict((c) => c.column('asn').doUpdateSet({ recipient_id: input.recipientId, created_at: now }))
        .execute();
    }
    if (input.maxPerHour !== undefined) {
      await trx
        .insertInto('request_recipient_limits')
        .values({ recipient_id: input.recipientId, max_per_hour: input.maxPerHour, updated_at: now })
        .onConflict((c) => c.column('recipient_id').doUpdateSet({ max_per_hour: input.maxPerHour!, updated_at: now }))
        .execute();
    }
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'request.recipient.network',
      target: { type: 'request_recipient', id: input.recipientId },
      result: 'success',
      clientIp,
      details: { asn: input.asn ?? null, maxPerHour: input.maxPerHour ?? null },
    });
  });
}
