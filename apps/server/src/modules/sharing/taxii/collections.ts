/**
 * TAXII collections: creation, per-partner read/write grants, and publishing our model into a collection. A
 * collection's content for a reader is built by the STIX export pipeline FOR THAT READER (`stixObjectsFor`), so
 * the one egress policy decides what each partner can ever be served; rows are stored per audience.
 */
import { randomUUID } from 'node:crypto';
import type { AuditActor } from '../../../platform/audit/audit.ts';
import type { Platform } from '../../../platform/context.ts';
import type { AnyDb } from '../../../platform/db/dialect.ts';
import { AppError } from '../../../platform/errors.ts';
import type { TlpLabel } from '../../intel/vocab.ts';
import { findPartner, findPartnerByName, partnerFacts } from '../partners.ts';
import { newReport, stixObjectsFor } from '../stixExport.ts';
import { tlpOfObject } from '../stixImport.ts';
import type { StixObject } from '../stixModel.ts';
import { type NewObject, addObjects } from './objects.ts';
import type { TaxiiCollectionTable } from './tables.ts';

export const DEFAULT_API_ROOT = 'renkei';
const ROOT_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

export async function createCollection(
  p: Platform,
  actor: AuditActor | null,
  input: { title: string; description?: string; apiRoot?: string; alias?: string | null },
  ip: string | null,
): Promise<TaxiiCollectionTable> {
  const title = input.title.trim();
  if (!title || title.length > 200) throw new AppError('VALIDATION_FAILED', 'title: 1–200 characters');
  const apiRoot = input.apiRoot ?? DEFAULT_API_ROOT;
  if (!ROOT_NAME.test(apiRoot)) throw new AppError('VALIDATION_FAILED', 'api root: lower-case letters, digits, -');
  const row: TaxiiCollectionTable = {
    id: randomUUID(),
    api_root: apiRoot,
    title,
    description: input.description ?? '',
    alias: input.alias ?? null,
    last_added_us: 0,
    published_at: null,
    created_by: actor?.id ?? null,
    created_at: p.clock.now().toISOString(),
  };
  await p.db.db.transaction().execute(async (trx) => {
    await trx.insertInto('taxii_collections').values(row).execute();
    await p.audit.record(trx, {
      actor,
      action: 'taxii.collection.create',
      target: { type: 'taxii_collection', id: row.id },
      result: 'success',
      clientIp: ip,
      details: { apiRoot, title },
    });
  });
  return row;
}

export async function findCollection(db: AnyDb, id: string): Promise<TaxiiCollectionTable | undefined> {
  return db.selectFrom('taxii_collections').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listCollections(db: AnyDb) {
  const rows = await db.selectFrom('taxii_collections').selectAll().orderBy('created_at').execute();
  const grants = await db
    .selectFrom('taxii_grants as g')
    .innerJoin('sharing_partners as s', 's.id', 'g.partner_id')
    .select(['g.collection_id', 'g.partner_id', 'g.can_read', 'g.can_write', 's.name'])
    .execute();
  return rows.map((c) => ({
    id: c.id,
    apiRoot: c.api_root,
    title: c.title,
    description: c.description,
    publishedAt: c.published_at,
    grants: grants
      .filter((g) => g.collection_id === c.id)
      .map((g) => ({ partnerId: g.partner_id, partner: g.name, read: g.can_read === 1, write: g.can_write === 1 })),
  }));
}

/** Sets a partner's read/write on a collection (both false removes the grant). A new reader gets the content. */
export async function grantCollection(
  p: Platform,
  actor: AuditActor | null,
  collectionId: string,
  partnerRef: { id?: string; name?: string },
  rights: { read: boolean; write: boolean },
  ip: string | null,
): Promise<void> {
  const c = await findCollection(p.db.db, collectionId);
  if (!c) throw new AppError('NOT_FOUND', 'no such collection');
  const partner = partnerRef.id
    ? await findPartner(p.db.db, partnerRef.id)
    : await findPartnerByName(p.db.db, partnerRef.name ?? '');
  if (!partner) throw new AppError('NOT_FOUND', 'no such partner');
  const now = p.clock.now().toISOString();
  await p.db.db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('taxii_grants')
      .where('collection_id', '=', c.id)
      .where('partner_id', '=', partner.id)
      .execute();
    if (rights.read || rights.write) {
      await trx
        .insertInto('taxii_grants')
        .values({
          collection_id: c.id,
          partner_id: partner.id,
          can_read: rights.read ? 1 : 0,
          can_write: rights.write ? 1 : 0,
          granted_by: actor?.id ?? null,
          granted_at: now,
        })
        .execute();
    }
    await p.audit.record(trx, {
      actor,
      action: 'taxii.collection.grant',
      target: { type: 'taxii_collection', id: c.id },
      result: 'success',
      clientIp: ip,
      details: { partnerId: partner.id, read: rights.read, write: rights.write },
    });
  });
  if (rights.read && c.published_at) await publishCollection(p, actor, c.id, ip, partner.id);
}

export interface GrantView {
  canRead: boolean;
  canWrite: boolean;
}

export async function grantOf(db: AnyDb, collectionId: string, partnerId: string): Promise<GrantView | null> {
  const g = await db
    .selectFrom('taxii_grants')
    .selectAll()
    .where('collection_id', '=', collectionId)
    .where('partner_id', '=', partnerId)
    .executeTakeFirst();
  return g ? { canRead: g.can_read === 1, canWrite: g.can_write === 1 } : null;
}

const BATCH = 500;

/**
 * Publishes our model into the collection for every reader (or one): the STIX export for that reader, through the
 * egress policy, stored with that reader as the audience. Idempotent: unchanged objects are not added again; a
 * changed object is a new version. Audited with counts sent and withheld per partner, never the values.
 */
export async function publishCollection(
  p: Platform,
  actor: AuditActor | null,
  collectionId: string,
  ip: string | null,
  onlyPartnerId?: string,
): Promise<{ partners: number; added: number; withheld: number; removed: number }> {
  const c = await findCollection(p.db.db, collectionId);
  if (!c) throw new AppError('NOT_FOUND', 'no such collection');
  let q = p.db.db
    .selectFrom('taxii_grants')
    .select('partner_id')
    .where('collection_id', '=', c.id)
    .where('can_read', '=', 1);
  if (onlyPartnerId) q = q.where('partner_id', '=', onlyPartnerId);
  const readers = await q.execute();
  let added = 0;
  let withheld = 0;
  let removed = 0;
  for (const r of readers) {
    const row = await findPartner(p.db.db, r.partner_id);
    if (!row || row.disabled_at) continue;
    const report = newReport();
    const runId = randomUUID();
    let batch: NewObject[] = [];
    let addedHere = 0;
    const flush = async () => {
      const items = batch;
      batch = [];
      addedHere += await p.db.db.transaction().execute((trx) => addObjects(trx, c.id, items, p.clock.now().getTime()));
    };
    for await (const o of stixObjectsFor(p, { kind: 'partner', partner: partnerFacts(row) }, {}, report)) {
      if (o.type === 'report') continue; // a per-export summary: it would be a new object on every publish
      batch.push({ object: o, tlp: tlpOf(o), confidentiality: 1, audience: row.id, runId });
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    const held = Object.values(report.withheld).reduce((a, b) => a + (b ?? 0), 0);
    added += addedHere;
    withheld += held;
    await p.db.db.transaction().execute(async (trx) => {
      // What this partner may no longer receive (re-marked, withdrawn) stops being served.
      const gone = await trx
        .deleteFrom('taxii_objects')
        .where('collection_id', '=', c.id)
        .where('audience', '=', row.id)
        .where((eb) => eb.or([eb('run_id', 'is', null), eb('run_id', '<>', runId)]))
        .executeTakeFirst();
      removed += Number(gone.numDeletedRows);
      await trx
        .updateTable('taxii_collections')
        .set({ published_at: p.clock.now().toISOString() })
        .where('id', '=', c.id)
        .execute();
      await p.audit.record(trx, {
        actor,
        action: 'sharing.export.taxii',
        target: { type: 'taxii_collection', id: c.id },
        result: 'success',
        clientIp: ip,
        details: { partnerId: row.id, added: addedHere, withheld: held, removed: Number(gone.numDeletedRows) },
      });
    });
  }
  return { partners: readers.length, added, withheld, removed };
}

/** The TLP an object is stored under: its marking, amber when it has none (our default). */
function tlpOf(o: StixObject): TlpLabel {
  return tlpOfObject(o) ?? (o.type === 'marking-definition' || o.type === 'identity' ? 'clear' : 'amber');
}

export { tlpOf as storedTlpOf };
