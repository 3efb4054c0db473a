import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Selectable, Transaction } from 'kysely';
import type { AuditActor } from '../../../platform/audit/audit.ts';
import type { Subject } from '../../../platform/auth/subject.ts';
import type { Platform } from '../../../platform/context.ts';
import type { Database } from '../../../platform/db/types.ts';
import { AppError } from '../../../platform/errors.ts';
import { fileStoreFor } from '../../../platform/files/index.ts';
import { caseForRead, caseForWrite } from './caseGate.ts';
import {
  type CustodyAction,
  type CustodyFields,
  FINAL_ACTIONS,
  custodyGenesis,
  custodyHash,
  verifyCustodyChain,
} from './custody.ts';
import { IntakeHasher, normaliseHash } from './hashing.ts';
import type { CaseCustodyEventTable, CaseEvidenceTable } from './tables.ts';
import './tables.ts';

export const actorOf = (s: Subject): AuditActor => ({ id: s.userId, login: s.login, unitId: s.unitId });
export const EVIDENCE_OWNER = 'case_evidence';

type EvidenceRow = Selectable<CaseEvidenceTable>;
type CustodyRow = Selectable<CaseCustodyEventTable>;

export interface EvidenceMeta {
  title: string;
  description?: string | undefined;
  itemNumber?: string | undefined;
  seizedAt?: string | undefined;
  seizedFrom?: string | undefined;
  parentId?: string | undefined;
  /** Where the item is received (first custody event). */
  location: string;
  reason?: string | undefined;
}

export interface RegisterInput extends EvidenceMeta {
  sha256: string;
  md5?: string | undefined;
  sha1?: string | undefined;
  size?: number | undefined;
}

export interface CustodyInput {
  action: CustodyAction;
  at?: string | undefined;
  location: string;
  reason: string;
  counterpart?: string | undefined;
}

export function presentEvidence(e: EvidenceRow) {
  return {
    id: e.id,
    caseId: e.case_id,
    parentId: e.parent_id,
    storage: e.storage,
    itemNumber: e.item_number,
    title: e.title,
    description: e.description,
    originalName: e.original_name,
    size: e.size === null ? null : Number(e.size),
    hashes: { sha256: e.sha256, sha1: e.sha1, md5: e.md5 },
    location: e.location,
    seizedAt: e.seized_at,
    seizedFrom: e.seized_from,
    custodyState: e.custody_state,
    custodyEvents: e.custody_seq,
    downloadable: e.file_ref_id !== null,
    createdBy: e.created_by,
    createdAt: e.created_at,
  };
}

function presentCustody(c: CustodyRow) {
  return {
    seq: c.seq,
    action: c.action,
    at: c.at,
    actorId: c.actor_id,
    actorName: c.actor_name,
    location: c.location,
    reason: c.reason,
    counterpart: c.counterpart,
    recordedAt: c.recorded_at,
    hash: c.hash,
    prevHash: c.prev_hash,
  };
}

async function parentOf(trx: Transaction<Database>, caseId: string, parentId: string | undefined) {
  if (!parentId) return null;
  const parent = await trx
    .selectFrom('case_evidence')
    .select(['id', 'case_id'])
    .where('id', '=', parentId)
    .executeTakeFirst();
  if (!parent || parent.case_id !== caseId)
    throw new AppError('VALIDATION_FAILED', 'parentId is not an item of this case');
  return parent.id;
}

/**
 * Appends one custody event to an item's chain inside the caller's transaction. The item row is updated first
 * (sequence and head), which serialises concurrent writers of the same item on both engines.
 */
async function appendCustody(
  trx: Transaction<Database>,
  item: { id: string; sha256: string },
  fields: Omit<CustodyFields, 'evidence_id' | 'seq'>,
): Promise<CustodyRow> {
  const bumped = await trx
    .updateTable('case_evidence')
    .set((eb) => ({ custody_seq: eb('custody_seq', '+', 1) }))
    .where('id', '=', item.id)
    .returning(['custody_seq', 'custody_head', 'custody_state'])
    .executeTakeFirstOrThrow();
  const seq = Number(bumped.custody_seq);
  if (seq > 1 && FINAL_ACTIONS.has(bumped.custody_state)) {
    throw new AppError('CONFLICT', 'the item has been returned or disposed of; no further custody can be recorded');
  }
  const prev = seq === 1 ? custodyGenesis(item.id, item.sha256) : bumped.custody_head;
  const full: CustodyFields = { ...fields, evidence_id: item.id, seq };
  const row: CustodyRow = { id: randomUUID(), ...full, prev_hash: prev, hash: custodyHash(prev, full) };
  await trx.insertInto('case_custody_events').values(row).execute();
  await trx
    .updateTable('case_evidence')
    .set({ custody_head: row.hash, custody_state: fields.action })
    .where('id', '=', item.id)
    .execute();
  return row;
}

async function insertItem(
  trx: Transaction<Database>,
  s: Subject,
  row: Omit<EvidenceRow, 'custody_state' | 'custody_seq' | 'custody_head'>,
  meta: EvidenceMeta,
  now: string,
) {
  await trx
    .insertInto('case_evidence')
    .values({ ...row, custody_state: 'received', custody_seq: 0, custody_head: '' })
    .execute();
  const first = await appendCustody(trx, row, {
    action: 'received',
    at: meta.seizedAt ?? now,
    actor_id: s.userId,
    actor_name: s.name,
    location: meta.location,
    reason: meta.reason ?? (row.parent_id ? '派生資料の作成' : '証拠品の受領'),
    counterpart: meta.seizedFrom ?? null,
    recorded_at: now,
  });
  return { ...row, custody_state: 'received', custody_seq: 1, custody_head: first.hash } as EvidenceRow;
}

function validMeta(meta: EvidenceMeta): void {
  if (!meta.title.trim()) throw new AppError('VALIDATION_FAILED', 'title is required');
  if (!meta.location.trim()) throw new AppError('VALIDATION_FAILED', 'location is required');
  if (meta.seizedAt && Number.isNaN(Date.parse(meta.seizedAt))) {
    throw new AppError('VALIDATION_FAILED', 'seizedAt is not a date-time');
  }
}

/**
 * An upload: streamed through SHA-256/SHA-1/MD5 into the encrypted file store (never held in memory), then the
 * item, its file reference and its first custody event (受領) in one transaction with the audit record.
 */
export async function uploadEvidence(
  p: Platform,
  s: Subject,
  caseId: string,
  meta: EvidenceMeta,
  file: { stream: Readable; name: string; declaredType: string | null },
  ip: string | null,
) {
  validMeta(meta);
  await caseForWrite(p, s, caseId);
  const store = fileStoreFor(p);
  const hasher = new IntakeHasher();
  const staged = await store.stage(file.stream.pipe(hasher));
  try {
    const h = hasher.hashes;
    if (h.sha256 !== staged.sha256) throw new Error('evidence: hash mismatch between intake and store');
    const id = randomUUID();
    const now = p.clock.now().toISOString();
    return await p.db.db.transaction().execute(async (trx) => {
      await caseForWrite(p, s, caseId, trx);
      const parentId = await parentOf(trx, caseId, meta.parentId);
      const ref = await store.attach(
        trx,
        staged,
        { ownerType: EVIDENCE_OWNER, ownerId: id, originalName: file.name, declaredType: file.declaredType },
        s.userId,
      );
      const item = await insertItem(
        trx,
        s,
        {
          id,
          case_id: caseId,
          parent_id: parentId,
          storage: 'store',
          item_number: meta.itemNumber ?? null,
          title: meta.title,
          description: meta.description ?? '',
          file_ref_id: ref.id,
          original_name: file.name,
          size: h.size,
          sha256: h.sha256,
          md5: h.md5,
          sha1: h.sha1,
          location: meta.location,
          seized_at: meta.seizedAt ?? null,
          seized_from: meta.seizedFrom ?? null,
          created_by: s.userId,
          created_at: now,
        },
        meta,
        now,
      );
      await p.audit.record(trx, {
        actor: actorOf(s),
        action: 'case.evidence.upload',
        target: { type: 'case_evidence', id },
        result: 'success',
        clientIp: ip,
        details: { caseId, parentId, size: h.size, sha256: h.sha256, fileRef: ref.id },
      });
      return presentEvidence(item);
    });
  } finally {
    await store.settle(staged);
  }
}

/** Registration without upload: what lives on forensic storage (a disk image), by its hashes and location. */
export async function registerEvidence(
  p: Platform,
  s: Subject,
  caseId: string,
  input: RegisterInput,
  ip: string | null,
) {
  validMeta(input);
  const sha256 = normaliseHash('sha256', input.sha256);
  const md5 = input.md5 ? normaliseHash('md5', input.md5) : null;
  const sha1 = input.sha1 ? normaliseHash('sha1', input.sha1) : null;
  if (!sha256 || (input.md5 && !md5) || (input.sha1 && !sha1)) {
    throw new AppError('VALIDATION_FAILED', 'hashes must be hexadecimal SHA-256 (64), SHA-1 (40) and MD5 (32)');
  }
  const id = randomUUID();
  const now = p.clock.now().toISOString();
  return p.db.db.transaction().execute(async (trx) => {
    await caseForWrite(p, s, caseId, trx);
    const parentId = await parentOf(trx, caseId, input.parentId);
    const item = await insertItem(
      trx,
      s,
      {
        id,
        case_id: caseId,
        parent_id: parentId,
        storage: 'forensic',
        item_number: input.itemNumber ?? null,
        title: input.title,
        description: input.description ?? '',
        file_ref_id: null,
        original_name: null,
        size: input.size ?? null,
        sha256,
        md5,
        sha1,
        location: input.location,
        seized_at: input.seizedAt ?? null,
        seized_from: input.seizedFrom ?? null,
        created_by: s.userId,
        created_at: now,
      },
      input,
      now,
    );
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.evidence.register',
      target: { type: 'case_evidence', id },
      result: 'success',
      clientIp: ip,
      details: { caseId, parentId, sha256 },
    });
    return presentEvidence(item);
  });
}

export async function listEvidence(p: Platform, s: Subject, caseId: string) {
  await caseForRead(p, s, caseId);
  const rows = await p.db.db
    .selectFrom('case_evidence')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1000)
    .execute();
  return { items: rows.map(presentEvidence) };
}

async function itemOf(p: Platform, caseId: string, id: string): Promise<EvidenceRow> {
  const e = await p.db.db.selectFrom('case_evidence').selectAll().where('id', '=', id).executeTakeFirst();
  if (!e || e.case_id !== caseId) throw new AppError('NOT_FOUND');
  return e;
}

async function chainOf(p: Platform, id: string) {
  return p.db.db.selectFrom('case_custody_events').selectAll().where('evidence_id', '=', id).orderBy('seq').execute();
}

/** One item with its custody chain (and whether the chain holds), its parent and the items derived from it. */
export async function getEvidence(p: Platform, s: Subject, caseId: string, id: string) {
  await caseForRead(p, s, caseId);
  const e = await itemOf(p, caseId, id);
  const [events, children, warrants] = await Promise.all([
    chainOf(p, id),
    p.db.db
      .selectFrom('case_evidence')
      .select(['id', 'title'])
      .where('parent_id', '=', id)
      .orderBy('created_at')
      .execute(),
    p.db.db
      .selectFrom('case_warrant_links')
      .innerJoin('case_warrants', 'case_warrants.id', 'case_warrant_links.warrant_id')
      .select(['case_warrants.id', 'case_warrants.kind', 'case_warrants.reference', 'case_warrants.status'])
      .where('case_warrant_links.target_type', '=', 'evidence')
      .where('case_warrant_links.target_id', '=', id)
      .execute(),
  ]);
  return {
    ...presentEvidence(e),
    custody: events.map(presentCustody),
    chain: verifyCustodyChain(e, events),
    derived: children,
    warrants,
  };
}

export async function recordCustody(
  p: Platform,
  s: Subject,
  caseId: string,
  id: string,
  input: CustodyInput,
  ip: string | null,
) {
  if (!input.location.trim() || !input.reason.trim()) {
    throw new AppError('VALIDATION_FAILED', 'location and reason are required');
  }
  if (input.at && Number.isNaN(Date.parse(input.at))) throw new AppError('VALIDATION_FAILED', 'at is not a date-time');
  const now = p.clock.now().toISOString();
  if (input.at && Date.parse(input.at) > Date.parse(now)) {
    throw new AppError('VALIDATION_FAILED', 'a custody event cannot be in the future');
  }
  await caseForWrite(p, s, caseId);
  const e = await itemOf(p, caseId, id);
  return p.db.db.transaction().execute(async (trx) => {
    const row = await appendCustody(trx, e, {
      action: input.action,
      at: input.at ? new Date(input.at).toISOString() : now,
      actor_id: s.userId,
      actor_name: s.name,
      location: input.location,
      reason: input.reason,
      counterpart: input.counterpart ?? null,
      recorded_at: now,
    });
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.evidence.custody',
      target: { type: 'case_evidence', id },
      result: 'success',
      clientIp: ip,
      details: { caseId, seq: row.seq, custodyAction: row.action, hash: row.hash },
    });
    return presentCustody(row);
  });
}

export async function verifyCustody(p: Platform, s: Subject, caseId: string, id: string) {
  await caseForRead(p, s, caseId);
  const e = await itemOf(p, caseId, id);
  return verifyCustodyChain(e, await chainOf(p, id));
}

/** Authorises and audits a download; returns the file reference to stream. */
export async function authoriseDownload(p: Platform, s: Subject, caseId: string, id: string, ip: string | null) {
  await caseForRead(p, s, caseId);
  const e = await itemOf(p, caseId, id);
  if (!e.file_ref_id)
    throw new AppError('NOT_FOUND', 'this item is registered only; its bytes are on forensic storage');
  const refId = e.file_ref_id;
  await p.db.db.transaction().execute((trx) =>
    p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.evidence.download',
      target: { type: 'case_evidence', id },
      result: 'success',
      clientIp: ip,
      details: { caseId, fileRef: refId, sha256: e.sha256 },
    }),
  );
  return refId;
}
