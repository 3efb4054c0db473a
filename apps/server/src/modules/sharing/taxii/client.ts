/**
 * The TAXII 2.1 client: subscriptions to partners' collections. A pull subscription polls incrementally
 * (`added_after` = the last `X-TAXII-Date-Added-Last` seen, then `next` while `more`) and imports each page through
 * the same path as a STIX file import; a push subscription sends what the egress policy lets that partner receive,
 * changed since the last push, as envelopes. Each run records the subscription's health.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { AuditActor } from '../../../platform/audit/audit.ts';
import type { Platform } from '../../../platform/context.ts';
import { AppError } from '../../../platform/errors.ts';
import { findPartner, partnerFacts } from '../partners.ts';
import { newReport, stixObjectsFor } from '../stixExport.ts';
import { importStixBundle } from '../stixImport.ts';
import type { StixObject } from '../stixModel.ts';
import { TAXII_MEDIA } from './server.ts';
import type { TaxiiSubscriptionTable } from './tables.ts';

const SEALED = 'taxii.subscription.token';
const PAGE = 1000;
const PUSH_BATCH = 500;
const MAX_PAGES_PER_RUN = 10_000;

export type Fetch = typeof fetch;

export interface SubscriptionInput {
  name: string;
  /** The remote API root, e.g. `https://taxii.example.jp/taxii2/renkei/`. */
  apiRootUrl: string;
  collectionId: string;
  token: string;
  direction: 'pull' | 'push';
  partnerId?: string | null;
}

export async function createSubscription(
  p: Platform,
  actor: AuditActor | null,
  input: SubscriptionInput,
  ip: string | null,
): Promise<TaxiiSubscriptionTable> {
  let url: URL;
  try {
    url = new URL(input.apiRootUrl);
  } catch {
    throw new AppError('VALIDATION_FAILED', 'apiRootUrl is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new AppError('VALIDATION_FAILED', 'http(s) only');
  if (!/^[A-Za-z0-9-]{1,100}$/.test(input.collectionId)) throw new AppError('VALIDATION_FAILED', 'collectionId');
  if (input.direction === 'push' && !input.partnerId) {
    throw new AppError('VALIDATION_FAILED', 'a push subscription needs the partner it sends to (egress policy)');
  }
  if (input.partnerId && !(await findPartner(p.db.db, input.partnerId))) throw new AppError('NOT_FOUND', 'partner');
  const row: TaxiiSubscriptionTable = {
    id: randomUUID(),
    name: input.name.trim().slice(0, 200) || url.host,
    partner_id: input.partnerId ?? null,
    api_root_url: url.href.endsWith('/') ? url.href : `${url.href}/`,
    collection_id: input.collectionId,
    token_enc: p.secrets.seal(input.token, SEALED),
    direction: input.direction,
    added_after: null,
    pushed_until: null,
    last_run_at: null,
    last_ok_at: null,
    last_error: null,
    objects_total: 0,
    disabled_at: null,
    created_by: actor?.id ?? null,
    created_at: p.clock.now().toISOString(),
  };
  await p.db.db.transaction().execute(async (trx) => {
    await trx.insertInto('taxii_subscriptions').values(row).execute();
    await p.audit.record(trx, {
      actor,
      action: 'taxii.subscription.create',
      target: { type: 'taxii_subscription', id: row.id },
      result: 'success',
      clientIp: ip,
      details: { direction: row.direction, host: url.host, partnerId: row.partner_id },
    });
  });
  return row;
}

export function presentSubscription(s: TaxiiSubscriptionTable) {
  return {
    id: s.id,
    name: s.name,
    partnerId: s.partner_id,
    apiRootUrl: s.api_root_url,
    collectionId: s.collection_id,
    direction: s.direction,
    addedAfter: s.added_after,
    pushedUntil: s.pushed_until,
    lastRunAt: s.last_run_at,
    lastOkAt: s.last_ok_at,
    lastError: s.last_error,
    objectsTotal: s.objects_total,
    disabled: s.disabled_at !== null,
  };
}

class RemoteError extends Error {}

async function remote(f: Fetch, url: string, token: string, init: { method?: string; body?: string } = {}) {
  let res: Response;
  try {
    res = await f(url, {
      method: init.method ?? 'GET',
      headers: {
        accept: TAXII_MEDIA,
        authorization: `Bearer ${token}`,
        ...(init.body ? { 'content-type': TAXII_MEDIA } : {}),
      },
      ...(init.body ? { body: init.body } : {}),
      redirect: 'error',
      signal: AbortSignal.timeout(60_000),
    });
  } catch (err) {
    throw new RemoteError(`connection failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const text = await res.text();
  if (res.status >= 400) {
    let title = '';
    try {
      title = String((JSON.parse(text) as { title?: unknown }).title ?? '');
    } catch {
      /* not a TAXII error body */
    }
    throw new RemoteError(`HTTP ${res.status}${title ? ` ${title}` : ''}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new RemoteError('the server did not answer JSON');
  }
  return { status: res.status, headers: res.headers, body };
}

/** Runs one subscription now; records its health whatever happens. Returns the objects moved. */
export async function runSubscription(p: Platform, id: string, f: Fetch = fetch): Promise<number> {
  const s = await p.db.db.selectFrom('taxii_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!s) throw new AppError('NOT_FOUND', 'no such subscription');
  const started = p.clock.now().toISOString();
  const token = p.secrets.open(s.token_enc, SEALED);
  let moved = 0;
  let error: string | null = null;
  let addedAfter = s.added_after;
  try {
    if (s.direction === 'pull') {
      const r = await pull(p, s, token, f, (cursor) => {
        addedAfter = cursor;
      });
      moved = r;
    } else {
      moved = await push(p, s, token, f);
    }
  } catch (err) {
    error = err instanceof RemoteError || err instanceof AppError ? err.message : 'unexpected failure';
    if (!(err instanceof RemoteError) && !(err instanceof AppError)) p.log.error({ err }, 'TAXII subscription failed');
  }
  await p.db.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('taxii_subscriptions')
      .set({
        last_run_at: started,
        ...(error ? { last_error: error } : { last_ok_at: started, last_error: null }),
        ...(s.direction === 'pull' ? { added_after: addedAfter } : error ? {} : { pushed_until: started }),
        objects_total: s.objects_total + moved,
      })
      .where('id', '=', s.id)
      .execute();
    await p.audit.record(trx, {
      actor: null,
      action: s.direction === 'pull' ? 'sharing.import.taxii.pull' : 'sharing.export.taxii.push',
      target: { type: 'taxii_subscription', id: s.id },
      result: error ? 'failure' : 'success',
      clientIp: null,
      details: { objects: moved, error, partnerId: s.partner_id },
    });
  });
  if (error) throw new AppError('UNAVAILABLE', error);
  return moved;
}

async function pull(
  p: Platform,
  s: TaxiiSubscriptionTable,
  token: string,
  f: Fetch,
  advance: (cursor: string) => void,
): Promise<number> {
  const objectsUrl = `${s.api_root_url}collections/${encodeURIComponent(s.collection_id)}/objects/`;
  let cursor = s.added_after;
  let next: string | null = null;
  let moved = 0;
  for (let i = 0; i < MAX_PAGES_PER_RUN; i++) {
    const q = new URLSearchParams({ limit: String(PAGE) });
    if (cursor) q.set('added_after', cursor);
    if (next) q.set('next', next);
    const { headers, body } = await remote(f, `${objectsUrl}?${q}`, token);
    const env = body as { more?: unknown; next?: unknown; objects?: unknown };
    const objects = Array.isArray(env.objects) ? (env.objects as StixObject[]) : [];
    if (objects.length) {
      const bundle = JSON.stringify({ type: 'bundle', id: `bundle--${randomUUID()}`, objects });
      await importStixBundle(
        p,
        null,
        Readable.from([bundle]),
        { name: `taxii:${s.name}`, partnerId: s.partner_id },
        null,
      );
      moved += objects.length;
    }
    const last = headers.get('x-taxii-date-added-last');
    if (env.more === true && typeof env.next === 'string') {
      next = env.next;
      continue;
    }
    if (last) {
      cursor = last;
      advance(last);
    }
    break;
  }
  return moved;
}

async function push(p: Platform, s: TaxiiSubscriptionTable, token: string, f: Fetch): Promise<number> {
  const row = s.partner_id ? await findPartner(p.db.db, s.partner_id) : undefined;
  if (!row || row.disabled_at)
    throw new AppError('VALIDATION_FAILED', 'the partner of this push is missing or disabled');
  const url = `${s.api_root_url}collections/${encodeURIComponent(s.collection_id)}/objects/`;
  const report = newReport();
  let batch: StixObject[] = [];
  let moved = 0;
  const flush = async () => {
    if (!batch.length) return;
    const { status, body } = await remote(f, url, token, { method: 'POST', body: JSON.stringify({ objects: batch }) });
    const st = body as { failure_count?: unknown };
    if (status !== 202) throw new RemoteError(`unexpected HTTP ${status}`);
    moved += batch.length - (typeof st.failure_count === 'number' ? st.failure_count : 0);
    batch = [];
  };
  const since = s.pushed_until ?? undefined;
  for await (const o of stixObjectsFor(p, { kind: 'partner', partner: partnerFacts(row) }, { since }, report)) {
    batch.push(o);
    if (batch.length >= PUSH_BATCH) await flush();
  }
  await flush();
  return moved;
}
