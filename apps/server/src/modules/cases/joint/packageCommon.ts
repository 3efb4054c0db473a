/**
 * What the case package's export and import share (ADR 0021): the recipient (a sharing partner), the joint
 * investigation, the Renkei case extension, and the scan of text for the case's persons (要配慮個人情報).
 */
import type { Platform } from '../../../platform/context.ts';
import type { AnyDb } from '../../../platform/db/dialect.ts';
import { AppError } from '../../../platform/errors.ts';
import type { EgressPartner, PersonalKind } from '../../sharing/egress.ts';
import { findPartner, findPartnerByName, partnerFacts } from '../../sharing/partners.ts';
import { uuidv5 } from '../../sharing/stixModel.ts';

const RENKEI_NAMESPACE = '6b1d7c51-3a5e-4c55-9a43-52656e6b6569';

/**
 * The property extension carrying what STIX has no property for: on the report the case's type, stage,
 * classification, 格付, handling and dates; on a note when the matter happened and the entry's kind. Its
 * extension-definition object is not put in the bundle (STIX: SHOULD be available): core's validator reads an
 * extension-definition as an ambiguous custom object and refuses it; ADR 0021 documents the properties.
 */
export const CASE_EXTENSION_ID = `extension-definition--${uuidv5(RENKEI_NAMESPACE, 'extension:case-package:1')}`;

export interface JointRow {
  id: string;
  case_id: string;
  partner_name: string;
}

export async function jointOf(db: AnyDb, caseId: string, jointId: string | undefined): Promise<JointRow | undefined> {
  if (!jointId) return undefined;
  const j = await db
    .selectFrom('case_joint')
    .select(['id', 'case_id', 'partner_name'])
    .where('id', '=', jointId)
    .executeTakeFirst();
  if (!j || j.case_id !== caseId) throw new AppError('NOT_FOUND', 'no such joint investigation in this case');
  return j;
}

/**
 * The partner a package is for (or from): the one chosen, else the joint investigation's partner when a sharing
 * partner of that name is registered. `required`: refuse when there is none.
 */
export async function partnerOf(
  db: AnyDb,
  partnerId: string | undefined,
  joint: JointRow | undefined,
  required: boolean,
): Promise<EgressPartner | undefined> {
  const row = partnerId
    ? await findPartner(db, partnerId)
    : joint
      ? await findPartnerByName(db, joint.partner_name)
      : undefined;
  if (partnerId && !row) throw new AppError('NOT_FOUND', 'no such partner');
  if (!row && required) {
    throw new AppError(
      'VALIDATION_FAILED',
      joint
        ? `partnerId: "${joint.partner_name}" is not a registered sharing partner; choose one`
        : 'partnerId: choose the partner the package is for',
    );
  }
  return row ? partnerFacts(row) : undefined;
}

/** Active partners, for choosing a recipient on the case page. */
export async function partnerChoices(p: Platform) {
  const rows = await p.db.db
    .selectFrom('sharing_partners')
    .select(['id', 'name', 'kind', 'tlp_max', 'official'])
    .where('disabled_at', 'is', null)
    .orderBy('name')
    .execute();
  return {
    items: rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, tlpMax: r.tlp_max, official: r.official === 1 })),
  };
}

const PERSON_KIND: Record<string, PersonalKind> = { suspect: 'suspect', victim: 'victim', witness: 'reporter' };
const squash = (v: string) => v.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

/**
 * A test for the case's persons' identifying data (name, kana, address, contact, birth date) in a text: opens the
 * sealed records of the case (the export's audit record says how many were read). Values under two characters are
 * not looked for.
 */
export async function personScanner(
  p: Platform,
  caseId: string,
): Promise<{ persons: number; find: (text: string) => PersonalKind[] }> {
  const rows = await p.db.db
    .selectFrom('case_persons')
    .select(['id', 'kind', 'sealed'])
    .where('case_id', '=', caseId)
    .execute();
  const needles: { v: string; kind: PersonalKind }[] = [];
  for (const r of rows) {
    // The context string of cases/records.ts (personContext).
    const data = JSON.parse(p.secrets.open(r.sealed, `case_person:${r.id}`)) as Record<string, unknown>;
    for (const k of ['name', 'nameKana', 'birthDate', 'address', 'contact']) {
      const v = data[k];
      if (typeof v === 'string' && squash(v).length >= 2)
        needles.push({ v: squash(v), kind: PERSON_KIND[r.kind] ?? 'victim' });
    }
  }
  return {
    persons: rows.length,
    find: (text) => {
      const t = squash(text);
      return [...new Set(needles.filter((n) => t.includes(n.v)).map((n) => n.kind))];
    },
  };
}

/** For entries received in a package: the partners they came from (unknown senders: nobody). */
export async function receivedFrom(p: Platform, timelineIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (timelineIds.length === 0) return out;
  const maps = await p.db.db
    .selectFrom('sharing_object_map as m')
    .leftJoin('sharing_object_map as im', (j) =>
      j
        .onRef('im.foreign_id', '=', 'm.foreign_id')
        .on('im.format', '=', 'stix')
        .on('im.object_type', '=', 'sharing_import'),
    )
    .leftJoin('sharing_imports as i', 'i.id', 'im.object_id')
    .select(['m.object_id as timelineId', 'i.partner_id as partnerId'])
    .where('m.format', '=', 'stix')
    .where('m.object_type', '=', 'case_timeline')
    .where('m.object_id', 'in', timelineIds)
    .execute();
  for (const m of maps) {
    const list = out.get(m.timelineId) ?? [];
    list.push(m.partnerId ?? 'unknown-sender');
    out.set(m.timelineId, list);
  }
  return out;
}
