import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ipaddr from 'ipaddr.js';
import type { Platform } from '../../../platform/context.ts';
import { type SafeFetchOptions, safeFetch } from '../../../platform/net/safeFetch.ts';

/**
 * RDAP abuse-contact look-up (RFC 9083 answers, RFC 7484 bootstrap). The IANA bootstrap files ship in ./bootstrap
 * (README: how an operator refreshes them), so no network is needed to know which server to ask; answers are
 * cached in `rdap_cache` with a TTL.
 */
export type RdapKind = 'domain' | 'ip' | 'autnum';

interface BootstrapFile {
  services: [string[], string[]][];
}
export interface Bootstrap {
  dns: BootstrapFile;
  ipv4: BootstrapFile;
  ipv6: BootstrapFile;
  asn: BootstrapFile;
}

const BOOTSTRAP_DIR = join(import.meta.dirname, 'bootstrap');
let shipped: Bootstrap | null = null;
/** The shipped bootstrap files (or RENKEI_RDAP_BOOTSTRAP_DIR when an operator keeps fresher copies elsewhere). */
export function shippedBootstrap(): Bootstrap {
  if (shipped) return shipped;
  const dir = process.env.RENKEI_RDAP_BOOTSTRAP_DIR || BOOTSTRAP_DIR;
  const read = (n: string) => JSON.parse(readFileSync(join(dir, `${n}.json`), 'utf8')) as BootstrapFile;
  shipped = { dns: read('dns'), ipv4: read('ipv4'), ipv6: read('ipv6'), asn: read('asn') };
  return shipped;
}

/** Prefers an https base URL (the files list http too). */
const pick = (urls: string[]) => urls.find((u) => u.startsWith('https:')) ?? urls[0] ?? null;

/** The RDAP base URL for a query, by longest match (labels for DNS, prefix length for IPs, range for ASNs). */
export function serverFor(b: Bootstrap, kind: RdapKind, query: string): string | null {
  if (kind === 'domain') {
    const labels = query.toLowerCase().replace(/\.$/, '').split('.');
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.');
      const hit = b.dns.services.find(([tlds]) => tlds.includes(suffix));
      if (hit) return pick(hit[1]);
    }
    return null;
  }
  if (kind === 'autnum') {
    const n = Number(query.replace(/^AS/i, ''));
    for (const [ranges, urls] of b.asn.services) {
      for (const r of ranges) {
        const [lo, hi] = r.split('-').map(Number);
        if (n >= lo! && n <= (hi ?? lo!)) return pick(urls);
      }
    }
    return null;
  }
  if (!ipaddr.isValid(query)) return null;
  const ip = ipaddr.process(query);
  const file = ip.kind() === 'ipv4' ? b.ipv4 : b.ipv6;
  let best: { len: number; url: string | null } | null = null;
  for (const [cidrs, urls] of file.services) {
    for (const c of cidrs) {
      const [net, len] = ipaddr.parseCIDR(c);
      if (net.kind() === ip.kind() && ip.match([net, len]) && (!best || len > best.len))
        best = { len, url: pick(urls) };
    }
  }
  return best?.url ?? null;
}

export interface AbuseContact {
  /** The entity's name (vcard fn), e.g. the hosting company. */
  name: string | null;
  email: string | null;
  phone: string | null;
  /** The roles of the entity the contact came from ('abuse' preferred, else registrant / technical). */
  roles: string[];
  handle: string | null;
}

interface RdapEntity {
  handle?: string;
  roles?: string[];
  vcardArray?: [string, [string, Record<string, unknown>, string, unknown][]];
  entities?: RdapEntity[];
}

function vcardOf(e: RdapEntity): { fn: string | null; email: string | null; tel: string | null } {
  const props = Array.isArray(e.vcardArray?.[1]) ? e.vcardArray[1] : [];
  const get = (name: string) => props.find((p) => Array.isArray(p) && p[0] === name);
  const text = (p: (typeof props)[number] | undefined) => (p && typeof p[3] === 'string' ? p[3] : null);
  const tel = text(get('tel'));
  return { fn: text(get('fn')), email: text(get('email')), tel: tel ? tel.replace(/^tel:/, '') : null };
}

/** The abuse contact of an RDAP answer: the entity with role "abuse" (at any depth), else the registrant's. */
export function abuseContactOf(answer: { entities?: RdapEntity[]; name?: string }): AbuseContact | null {
  const all: { e: RdapEntity; parent: RdapEntity | null }[] = [];
  const walk = (list: RdapEntity[] | undefined, parent: RdapEntity | null) => {
    for (const e of list ?? []) {
      all.push({ e, parent });
      walk(e.entities, e);
    }
  };
  walk(answer.entities, null);
  const order = ['abuse', 'registrant', 'technical', 'administrative'];
  for (const role of order) {
    const hit = all.find(({ e }) => e.roles?.includes(role) && vcardOf(e).email);
    if (!hit) continue;
    const v = vcardOf(hit.e);
    // The abuse entity is usually nested under the registrant (the organisation) whose fn names the company.
    const org = hit.parent ? vcardOf(hit.parent).fn : null;
    return {
      name: org ?? v.fn ?? answer.name ?? null,
      email: v.email,
      phone: v.tel,
      roles: hit.e.roles ?? [],
      handle: hit.e.handle ?? null,
    };
  }
  return null;
}

export interface RdapOptions {
  bootstrap?: Bootstrap;
  fetch?: SafeFetchOptions;
  /** Seconds an answer stays fresh (default 24 h; a "not found" answer 1 h). */
  ttlSeconds?: number;
}

export interface RdapResult {
  kind: RdapKind;
  query: string;
  server: string | null;
  found: boolean;
  cached: boolean;
  contact: AbuseContact | null;
  /** The answer's `name` (network name) and `handle`, when any. */
  name: string | null;
  handle: string | null;
  error: string | null;
}

export function normaliseQuery(kind: RdapKind, query: string): string {
  const q = query.trim();
  if (kind === 'autnum') return `AS${q.replace(/^AS/i, '')}`;
  if (kind === 'ip') return ipaddr.isValid(q) ? ipaddr.process(q).toString() : q;
  return q.toLowerCase().replace(/\.$/, '');
}

function result(
  kind: RdapKind,
  query: string,
  server: string | null,
  status: number,
  body: string,
  cached: boolean,
): RdapResult {
  const found = status === 200 && body !== '';
  let parsed: { entities?: RdapEntity[]; name?: string; handle?: string } = {};
  if (found) {
    try {
      parsed = JSON.parse(body);
    } catch {
      return {
        kind,
        query,
        server,
        found: false,
        cached,
        contact: null,
        name: null,
        handle: null,
        error: 'invalid_json',
      };
    }
  }
  return {
    kind,
    query,
    server,
    found,
    cached,
    contact: found ? abuseContactOf(parsed) : null,
    name: typeof parsed.name === 'string' ? parsed.name : null,
    handle: typeof parsed.handle === 'string' ? parsed.handle : null,
    error: found ? null : status === 404 ? 'not_found' : `status_${status}`,
  };
}

/** Looks up `query` (cached answer while fresh; otherwise asks the bootstrap's server through the safe fetcher). */
export async function rdapLookup(
  p: Platform,
  kind: RdapKind,
  rawQuery: string,
  o: RdapOptions = {},
): Promise<RdapResult> {
  const query = normaliseQuery(kind, rawQuery);
  const key = `${kind}:${query}`;
  const now = p.clock.now();
  const db = p.db.db;
  const hit = await db.selectFrom('rdap_cache').selectAll().where('key', '=', key).executeTakeFirst();
  if (hit && hit.expires_at > now.toISOString()) return result(kind, query, hit.server, hit.status, hit.body, true);
  const server = serverFor(o.bootstrap ?? shippedBootstrap(), kind, query);
  if (!server)
    return {
      kind,
      query,
      server: null,
      found: false,
      cached: false,
      contact: null,
      name: null,
      handle: null,
      error: 'no_server',
    };
  const path = kind === 'autnum' ? `autnum/${query.slice(2)}` : `${kind}/${encodeURIComponent(query)}`;
  const url = new URL(path, server.endsWith('/') ? server : `${server}/`).href;
  const r = await safeFetch(url, { maxBytes: 1024 * 1024, timeoutMs: 10_000, ...o.fetch });
  if (r.status === null) {
    // Not reached: nothing cached, so the next look-up tries again.
    return {
      kind,
      query,
      server,
      found: false,
      cached: false,
      contact: null,
      name: null,
      handle: null,
      error: r.outcome,
    };
  }
  const status = r.status;
  const body = status === 200 ? (r.body?.toString('utf8') ?? '') : '';
  if (status === 200 || status === 404) {
    const ttl = status === 200 ? (o.ttlSeconds ?? 86_400) : 3600;
    const row = {
      server,
      status,
      body,
      fetched_at: now.toISOString(),
      expires_at: new Date(now.getTime() + ttl * 1000).toISOString(),
    };
    await db
      .insertInto('rdap_cache')
      .values({ key, ...row })
      .onConflict((c) => c.column('key').doUpdateSet(row))
      .execute();
  }
  return result(kind, query, server, status, body, false);
}
