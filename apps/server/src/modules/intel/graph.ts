import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { observableVisible, placeType, placeVisible } from './places.ts';
import { TYPE_LABELS, isObservableType } from './vocab.ts';

export const LINK_LABELS: Record<string, string> = {
  host: 'ホスト',
  registered_domain: '登録ドメイン',
  email_domain: 'メールドメイン',
  prefix: 'IPアドレス帯',
  announced_by: 'AS番号',
  occurrence: '出現',
};

export interface GraphNode {
  id: string;
  kind: 'observable' | 'place';
  type: string;
  label: string;
  typeLabel: string;
  refId: string;
}
export interface GraphEdge {
  source: string;
  target: string;
  kind: string;
  label: string;
  role?: string;
}

const MAX_NODES = 500;
const PER_NODE = 50;

/**
 * Neighbourhood of an observable for the graph explorer: derived links, the places the viewer may see (reports,
 * cases, requests, sources, campaigns) and, at depth 2, those places' other observables. `types` keeps only nodes
 * of those observable or place types (the start node is always kept). Japanese labels.
 */
export async function graphOf(p: Platform, s: Subject, id: string, depth: number, types: string[] | undefined) {
  const db = p.db.db;
  const start = await db
    .selectFrom('observables')
    .select(['num', 'id', 'type', 'display'])
    .where('id', '=', id)
    .where(observableVisible(s, 'observables.num'))
    .executeTakeFirst();
  if (!start) throw new AppError('OBSERVABLE_NOT_FOUND');
  const keep = (t: string) => !types || types.length === 0 || types.includes(t);
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  let truncated = false;
  const addObs = (o: { id: string; type: string; display: string }) => {
    const key = `o:${o.id}`;
    if (!nodes.has(key)) {
      if (nodes.size >= MAX_NODES) {
        truncated = true;
        return null;
      }
      const tl = isObservableType(o.type) ? TYPE_LABELS[o.type].ja : o.type;
      nodes.set(key, {
        id: key,
        kind: 'observable',
        type: o.type,
        typeLabel: tl,
        label: `${tl}: ${o.display}`,
        refId: o.id,
      });
    }
    return key;
  };
  const addEdge = (e: GraphEdge) => {
    if (nodes.has(e.source) && nodes.has(e.target)) edges.set(`${e.source}|${e.target}|${e.kind}`, e);
  };
  addObs(start);
  let frontier: { num: number; key: string }[] = [{ num: Number(start.num), key: `o:${start.id}` }];
  const expandedPlaces = new Set<number>();
  for (let level = 0; level < depth && frontier.length > 0; level++) {
    const next: { num: number; key: string }[] = [];
    for (const f of frontier) {
      const links = await db
        .selectFrom('observable_links as l')
        .innerJoin('observables as o', (j) =>
          j.on((eb) =>
            eb.or([
              eb.and([eb('l.from_num', '=', f.num), eb('o.num', '=', eb.ref('l.to_num'))]),
              eb.and([eb('l.to_num', '=', f.num), eb('o.num', '=', eb.ref('l.from_num'))]),
            ]),
          ),
        )
        .select(['o.num', 'o.id', 'o.type', 'o.display', 'l.kind', 'l.from_num'])
        .where(observableVisible(s, 'o.num'))
        .limit(PER_NODE)
        .execute();
      for (const l of links) {
        if (!keep(l.type)) continue;
        const key = addObs(l);
        if (!key) continue;
        const out = Number(l.from_num) === f.num;
        addEdge({
          source: out ? f.key : key,
          target: out ? key : f.key,
          kind: l.kind,
          label: LINK_LABELS[l.kind] ?? l.kind,
        });
        next.push({ num: Number(l.num), key });
      }
      const places = await db
        .selectFrom('observable_occurrences as oo')
        .innerJoin('observable_places as pl', 'pl.num', 'oo.place_num')
        .select(['pl.num', 'pl.place_type', 'pl.place_id', 'oo.role'])
        .where('oo.observable_num', '=', f.num)
        .where(placeVisible(s, 'pl'))
        .orderBy('oo.place_num', 'desc')
        .limit(PER_NODE)
        .execute();
      const byType = new Map<string, string[]>();
      for (const pl of places) byType.set(pl.place_type, [...(byType.get(pl.place_type) ?? []), pl.place_id]);
      const titles = new Map<string, string>();
      for (const [t, ids] of byType) {
        const got = (await placeType(t)?.titles?.(db, ids)) ?? new Map<string, string>();
        for (const [pid, title] of got) titles.set(`${t}:${pid}`, title);
      }
      for (const pl of places) {
        if (!keep(pl.place_type)) continue;
        const key = `${pl.place_type}:${pl.place_id}`;
        if (!nodes.has(key)) {
          if (nodes.size >= MAX_NODES) {
            truncated = true;
            continue;
          }
          const tl = placeType(pl.place_type)?.label.ja ?? pl.place_type;
          nodes.set(key, {
            id: key,
            kind: 'place',
            type: pl.place_type,
            typeLabel: tl,
            label: titles.get(key) ?? tl,
            refId: pl.place_id,
          });
        }
        addEdge({ source: f.key, target: key, kind: 'occurrence', label: LINK_LABELS.occurrence!, role: pl.role });
        // Sources are feeds of thousands of values: they are not expanded into their members.
        if (level + 1 < depth && pl.place_type !== 'source' && !expandedPlaces.has(Number(pl.num))) {
          expandedPlaces.add(Number(pl.num));
          const members = await db
            .selectFrom('observable_occurrences as oo')
            .innerJoin('observables as o', 'o.num', 'oo.observable_num')
            .select(['o.num', 'o.id', 'o.type', 'o.display', 'oo.role'])
            .where('oo.place_num', '=', Number(pl.num))
            .limit(PER_NODE)
            .execute();
          for (const m of members) {
            if (!keep(m.type)) continue;
            const mk = addObs(m);
            if (!mk) continue;
            addEdge({ source: mk, target: key, kind: 'occurrence', label: LINK_LABELS.occurrence!, role: m.role });
          }
        }
      }
    }
    frontier = next;
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()], truncated };
}
