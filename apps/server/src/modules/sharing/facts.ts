/**
 * Gathers, in bulk, the facts the egress policy needs about intel objects (ADR 0010 §4): TLP, 格付 (release marking,
 * or derived from the places an observable occurs in), named recipients, personal-data flags and the observable's
 * role for egress (the most restrictive over its occurrences).
 */
import type { AnyDb } from '../../platform/db/dialect.ts';
import { type EgressObject, type PersonalKind, confidentialityOf, egressRole, tlpOf } from './egress.ts';

export interface Marking {
  confidentiality: 1 | 2 | 3;
  recipients: string[];
  personal: PersonalKind[];
}

const CHUNK = 500;

export async function markingsOf(db: AnyDb, objectType: string, ids: string[]): Promise<Map<string, Marking>> {
  const out = new Map<string, Marking>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    if (part.length === 0) continue;
    const rows = await db
      .selectFrom('sharing_markings')
      .selectAll()
      .where('object_type', '=', objectType)
      .where('object_id', 'in', part)
      .execute();
    for (const r of rows) {
      out.set(r.object_id, {
        confidentiality: confidentialityOf(r.confidentiality),
        recipients: JSON.parse(r.recipients) as string[],
        personal: JSON.parse(r.personal) as PersonalKind[],
      });
    }
  }
  return out;
}

/** 格付 of places by type, where the sharing module can read it; other place types count as 機密性2. */
const PLACE_CONFIDENTIALITY: Record<string, 'own' | 1> = { source: 1, entity: 1, report: 'own' };

export interface ObservableRowLite {
  num: number;
  id: string;
  type: string;
  tlp: string;
}

/** Egress facts for a list of observables (one query per chunk for occurrences and one for report 格付). */
export async function observableFacts(db: AnyDb, rows: ObservableRowLite[]): Promise<Map<number, EgressObject>> {
  const out = new Map<number, EgressObject>();
  const markings = await markingsOf(
    db,
    'observable',
    rows.map((r) => r.id),
  );
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    if (part.length === 0) continue;
    const occ = await db
      .selectFrom('observable_occurrences as o')
      .innerJoin('observable_places as pl', 'pl.num', 'o.place_num')
      .select(['o.observable_num', 'o.role', 'pl.place_type', 'pl.place_id'])
      .where(
        'o.observable_num',
        'in',
        part.map((r) => r.num),
      )
      .execute();
    const reportIds = [...new Set(occ.filter((o) => o.place_type === 'report').map((o) => o.place_id))];
    const reportConf = new Map<string, number>();
    for (let j = 0; j < reportIds.length; j += CHUNK) {
      const ids = reportIds.slice(j, j + CHUNK);
      const rs = await db
        .selectFrom('intake_reports')
        .select(['id', 'confidentiality'])
        .where('id', 'in', ids)
        .execute();
      for (const r of rs) reportConf.set(r.id, r.confidentiality);
    }
    const roles = new Map<number, string[]>();
    const conf = new Map<number, number>();
    for (const o of occ) {
      const n = Number(o.observable_num);
      roles.set(n, [...(roles.get(n) ?? []), o.role]);
      const rule = PLACE_CONFIDENTIALITY[o.place_type];
      const c = rule === 1 ? 1 : rule === 'own' ? (reportConf.get(o.place_id) ?? 3) : 2;
      conf.set(n, Math.max(conf.get(n) ?? 1, c));
    }
    for (const r of part) {
      const m = markings.get(r.id);
      out.set(r.num, {
        type: 'observable',
        id: r.id,
        tlp: tlpOf(r.tlp),
        confidentiality: m ? m.confidentiality : confidentialityOf(conf.get(r.num) ?? 1),
        recipients: m?.recipients ?? [],
        personal: m?.personal ?? [],
        observable: { type: r.type, role: egressRole(roles.get(r.num) ?? []) },
      });
    }
  }
  return out;
}

/** Egress facts for campaigns, actors and families: their TLP, and 格付 1 unless a release marking says otherwise. */
export async function entityFacts(db: AnyDb, rows: { id: string; tlp: string }[]): Promise<Map<string, EgressObject>> {
  const markings = await markingsOf(
    db,
    'intel_entity',
    rows.map((r) => r.id),
  );
  const out = new Map<string, EgressObject>();
  for (const r of rows) {
    const m = markings.get(r.id);
    out.set(r.id, {
      type: 'intel_entity',
      id: r.id,
      tlp: tlpOf(r.tlp),
      confidentiality: m?.confidentiality ?? 1,
      recipients: m?.recipients ?? [],
      personal: m?.personal ?? [],
    });
  }
  return out;
}

/** Egress facts for a STIX object kept as received. */
export function stixObjectFacts(r: { stix_id: string; tlp: string; confidentiality: number }): EgressObject {
  return {
    type: 'stix_object',
    id: r.stix_id,
    tlp: tlpOf(r.tlp),
    confidentiality: confidentialityOf(r.confidentiality),
  };
}
