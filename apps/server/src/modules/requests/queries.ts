import { randomUUID } from 'node:crypto';
import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import { decodeCursor, encodeCursor } from '../../platform/db/cursor.ts';
import { placeVisible } from '../intel/places.ts';
import { DEFAULT_NOTICES_PER_HOUR } from './recipients/notices.ts';
import { actorOf, requestVisible, visibleRequest } from './access.ts';
import { captureStates } from './captureJobs.ts';
import { WATCH_DAYS } from './flowback.ts';
import type { RequestTable } from './tables.ts';
import { toType } from './types.ts';

export interface ListFilter {
  status?: string | undefined;
  typeCode?: string | undefined;
  recipientId?: string | undefined;
  caseId?: string | undefined;
  campaignId?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** The caller's visible requests, newest first (keyset on created_at, id), filtered in SQL. */
export async function listRequests(p: Platform, s: Subject, f: ListFilter) {
  let q = p.db.db
    .selectFrom('requests')
    .innerJoin('request_types', 'request_types.code', 'requests.type_code')
    .innerJoin('request_recipients', 'request_recipients.id', 'requests.recipient_id')
    .select([
      'requests.id',
      'requests.reference',
      'requests.title',
      'requests.status',
      'requests.type_code',
      'request_types.name as type_name',
      'request_recipients.name as recipient_name',
      'requests.document_number',
      'requests.due_at',
      'requests.period_until',
      'requests.created_at',
      'requests.sent_at',
    ])
    .where(requestVisible(s));
  if (f.status) q = q.where('requests.status', '=', f.status);
  if (f.typeCode) q = q.where('requests.type_code', '=', f.typeCode);
  if (f.recipientId) q = q.where('requests.recipient_id', '=', f.recipientId);
  if (f.caseId) q = q.where('requests.case_id', '=', f.caseId);
  if (f.campaignId) q = q.where('requests.campaign_id', '=', f.campaignId);
  const after = decodeCursor<[string, string]>(f.cursor, 2);
  if (after) {
    q = q.where((eb) =>
      eb.or([
        eb('requests.created_at', '<', after[0]),
        eb.and([eb('requests.created_at', '=', after[0]), eb('requests.id', '<', after[1])]),
      ]),
    );
  }
  const rows = await q
    .orderBy('requests.created_at', 'desc')
    .orderBy('requests.id', 'desc')
    .limit(f.limit + 1)
    .execute();
  const more = rows.length > f.limit;
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: r.id,
      reference: r.reference,
      title: r.title,
      status: r.status,
      typeCode: r.type_code,
      typeName: r.type_name,
      recipientName: r.recipient_name,
      documentNumber: r.document_number,
      dueAt: r.due_at,
      periodUntil: r.period_until,
      createdAt: r.created_at,
      sentAt: r.sent_at,
    })),
    nextCursor: more && last ? encodeCursor([last.created_at, last.id]) : null,
  };
}

function present(r: RequestTable) {
  return {
    id: r.id,
    reference: r.reference,
    title: r.title,
    status: r.status,
    typeCode: r.type_code,
    recipientId: r.recipient_id,
    confidentiality: r.confidentiality,
    caseId: r.case_id,
    reportId: r.report_id,
    campaignId: r.campaign_id,
    fields: JSON.parse(r.fields) as Record<string, string | number>,
    documentNumber: r.document_number,
    createdBy: r.created_by,
    approvedBy: r.approved_by,
    approvedAt: r.approved_at,
    sentAt: r.sent_at,
    acknowledgedAt: r.acknowledged_at,
    closedAt: r.closed_at,
    dueAt: r.due_at,
    periodStart: r.period_start,
    periodUntil: r.period_until,
    periodDays: r.period_days,
    warnedAt: r.warned_at,
    createdAt: r.created_at,
  };
}

/**
 * How the re-check follows a captured site: `watching` daily since it was confirmed down after the takedown (until
 * `watchUntil`), `ended` when that watch ran out without the site coming back, `following` every 6 h otherwise, or
 * `stopped` (not followed).
 */
function watchOf(c: { down_at: string | null; recheck: number }) {
  const watchUntil = c.down_at ? new Date(Date.parse(c.down_at) + WATCH_DAYS * 24 * 3600_000).toISOString() : null;
  const watch = c.down_at ? (c.recheck === 1 ? 'watching' : 'ended') : c.recheck === 1 ? 'following' : 'stopped';
  return { downAt: c.down_at, watch, watchUntil };
}

/** One request with its items, history, documents; the caller may approve it when he heads the unit. */
export async function requestDetail(p: Platform, s: Subject, id: string) {
  const db = p.db.db;
  const r = await visibleRequest(db, s, id);
  const [type, recipient, items, events, documents, captures, notice, queued] = await Promise.all([
    db.selectFrom('request_types').selectAll().where('code', '=', r.type_code).executeTakeFirstOrThrow(),
    db.selectFrom('request_recipients').selectAll().where('id', '=', r.recipient_id).executeTakeFirstOrThrow(),
    db.selectFrom('request_items').selectAll().where('request_id', '=', id).orderBy('position').execute(),
    db
      .selectFrom('request_events')
      .leftJoin('users', 'users.id', 'request_events.actor_id')
      .select(['request_events.id', 'at', 'action', 'from_status', 'to_status', 'note', 'users.name as actor_name'])
      .where('request_id', '=', id)
      .orderBy('request_events.seq')
      .execute(),
    db.selectFrom('request_documents').selectAll().where('request_id', '=', id).orderBy('created_at').execute(),
    db
      .selectFrom('site_captures')
      .select([
        'id',
        'request_item_id',
        'last_outcome',
        'last_checked_at',
        'screenshot_file_id',
        'created_at',
        'down_at',
        'recheck',
      ])
      .where('request_id', '=', id)
      .where('request_item_id', 'is not', null)
      .orderBy('created_at', 'desc')
      .limit(2000)
      .execute(),
    db
      .selectFrom('request_notices')
      .select('reference')
      .where('request_id', '=', id)
      .orderBy('created_at')
      .executeTakeFirst(),
    captureStates(p, id),
  ]);
  // The newest capture of each item (a site captured again replaces the older one here; all stay listed).
  const captureOf = new Map<string, (typeof captures)[number]>();
  for (const c of captures) if (!captureOf.has(c.request_item_id!)) captureOf.set(c.request_item_id!, c);
  const noticeReference = notice?.reference ?? null;
  return {
    ...present(r),
    type: toType(type),
    recipient: presentRecipient(recipient),
    noticeReference,
    /** The background captures of a takedown's items (null when none was queued): counts per state. */
    captureProgress: queued.progress,
    canApprove: r.status === 'draft' && s.isUnitHead && r.created_by !== s.userId && r.owner_unit_id === s.unitId,
    items: items.map((i) => ({
      id: i.id,
      position: i.position,
      kind: i.kind,
      value: i.value,
      display: i.display,
      observableId: i.observable_id,
      recipientId: i.recipient_id,
      details: JSON.parse(i.details) as Record<string, unknown>,
      outcome: i.outcome,
      outcomeAt: i.outcome_at,
      /** When the site, confirmed down after the takedown, answered again (復活; the latest time), or null. */
      resurfacedAt: i.resurfaced_at,
      noticeReference,
      /** queued | done | failed while or after the background capture; null when none was queued. */
      captureState: queued.items.get(i.id)?.state ?? null,
      captureFailure: queued.items.get(i.id)?.state === 'failed' ? (queued.items.get(i.id)?.outcome ?? null) : null,
      capture: captureOf.has(i.id)
        ? {
            id: captureOf.get(i.id)!.id,
            lastOutcome: captureOf.get(i.id)!.last_outcome,
            lastCheckedAt: captureOf.get(i.id)!.last_checked_at,
            screenshot: captureOf.get(i.id)!.screenshot_file_id !== null,
            ...watchOf(captureOf.get(i.id)!),
          }
        : null,
    })),
    events: events.map((e) => ({
      id: e.id,
      at: e.at,
      action: e.action,
      from: e.from_status,
      to: e.to_status,
      note: e.note,
      actorName: e.actor_name,
    })),
    documents: documents.map((d) => ({
      id: d.id,
      kind: d.kind,
      fileId: d.file_id,
      documentNumber: d.document_number,
      mailId: d.mail_id,
      createdAt: d.created_at,
    })),
  };
}

/** The stored PDF of one of the request's documents (the record of what was sent). */
export async function documentFile(p: Platform, s: Subject, id: string, docId: string) {
  await visibleRequest(p.db.db, s, id);
  const d = await p.db.db
    .selectFrom('request_documents')
    .selectAll()
    .where('id', '=', docId)
    .where('request_id', '=', id)
    .executeTakeFirst();
  return d ?? null;
}

export function presentRecipient(r: {
  id: string;
  name: string;
  kind: string;
  abuse_email: string | null;
  legal_email: string | null;
  fax: string | null;
  phone: string | null;
  address: string | null;
  bank_code: string | null;
  notes: string;
}) {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    abuseEmail: r.abuse_email,
    legalEmail: r.legal_email,
    fax: r.fax,
    phone: r.phone,
    address: r.address,
    bankCode: r.bank_code,
    notes: r.notes,
  };
}

/**
 * The directory (at most 500 entries, by kind and name) with each recipient's mapped ASNs and hourly notice limit
 * (`maxPerHour`: its own, else the default RENKEI_NOTICES_PER_HOUR; `limitSet`: whether it has its own).
 */
export async function listRecipients(p: Platform, kind: string | undefined) {
  const db = p.db.db;
  let q = db.selectFrom('request_recipients').selectAll();
  if (kind) q = q.where('kind', '=', kind);
  const rows = await q.orderBy('kind').orderBy('name').limit(500).execute();
  const ids = rows.map((r) => r.id);
  const [asns, limits] =
    ids.length === 0
      ? [[], []]
      : await Promise.all([
          db
            .selectFrom('request_recipient_asns')
            .select(['asn', 'recipient_id'])
            .where('recipient_id', 'in', ids)
            .execute(),
          db
            .selectFrom('request_recipient_limits')
            .select(['recipient_id', 'max_per_hour'])
            .where('recipient_id', 'in', ids)
            .execute(),
        ]);
  const limitOf = new Map(limits.map((l) => [l.recipient_id, l.max_per_hour]));
  return rows.map((r) => ({
    ...presentRecipient(r),
    asns: asns
      .filter((a) => a.recipient_id === r.id)
      .map((a) => a.asn)
      .sort((a, b) => Number(a.slice(2)) - Number(b.slice(2))),
    maxPerHour: limitOf.get(r.id) ?? DEFAULT_NOTICES_PER_HOUR,
    limitSet: limitOf.has(r.id),
  }));
}

export interface RecipientInput {
  name: string;
  kind: string;
  abuseEmail?: string | undefined;
  legalEmail?: string | undefined;
  fax?: string | undefined;
  phone?: string | undefined;
  address?: string | undefined;
  bankCode?: string | undefined;
  notes?: string | undefined;
}

export async function createRecipient(p: Platform, s: Subject, input: RecipientInput, ip: string | null) {
  const id = randomUUID();
  const now = p.clock.now().toISOString();
  await p.db.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('request_recipients')
      .values({
        id,
        name: input.name,
        kind: input.kind,
        abuse_email: input.abuseEmail ?? null,
        legal_email: input.legalEmail ?? null,
        fax: input.fax ?? null,
        phone: input.phone ?? null,
        address: input.address ?? null,
        bank_code: input.bankCode ?? null,
        notes: input.notes ?? '',
        created_at: now,
        updated_at: now,
      })
      .execute();
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'request.recipient.create',
      target: { type: 'request_recipient', id },
      result: 'success',
      clientIp: ip,
      details: { kind: input.kind },
    });
  });
  return { id };
}

export async function listTypes(p: Platform) {
  const rows = await p.db.db.selectFrom('request_types').selectAll().where('active', '=', 1).orderBy('sort').execute();
  return rows.map(toType);
}

/**
 * Observables to pick from when drafting: those at a campaign or a case the caller may see (intel's place rule,
 * so a case is offered to its members only). A campaign is an intel entity: its observables occur at the place
 * type `entity`.
 */
export async function sourceObservables(p: Platform, s: Subject, kind: 'campaign' | 'case', placeId: string) {
  const placeType = kind === 'campaign' ? 'entity' : 'case';
  const rows = await p.db.db
    .selectFrom('observable_places as pl')
    .innerJoin('observable_occurrences as oc', 'oc.place_num', 'pl.num')
    .innerJoin('observables as o', 'o.num', 'oc.observable_num')
    .select(['o.id', 'o.type', 'o.value', 'o.display'])
    .where('pl.place_type', '=', placeType)
    .where('pl.place_id', '=', placeId)
    .where(placeVisible(s, 'pl'))
    .orderBy('o.type')
    .orderBy('o.value')
    .limit(1000)
    .execute();
  return { items: rows };
}
