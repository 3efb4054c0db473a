import { type Expression, type SqlBool, sql } from 'kysely';
import type { Subject } from '../../platform/auth/subject.ts';
import type { AnyDb } from '../../platform/db/dialect.ts';

/**
 * Places are other modules' records (reports, cases, requests…) plus the intel module's own sources and
 * campaigns. Each place type says, in SQL, whether a viewer may see a place: the look-up, the lists and the graph
 * join occurrences to that expression, so a place the viewer may not see is neither listed nor revealed.
 */
export interface PlaceTypeDef {
  type: string;
  label: { ja: string; en: string };
  /**
   * "The viewer may see the place whose id is in column `placeIdRef`" (e.g. `pl.place_id`), typically
   * `exists (select 1 from cases where cases.id = <ref> and visibleTo(s, …))`.
   */
  visible(s: Subject, placeIdRef: string): Expression<SqlBool>;
  /**
   * What a viewer learns of places of this type he may not see:
   * - 'hidden' (default): nothing, not even a count;
   * - 'counted': their number, never which ones;
   * - 'public': every intel reader sees every place of the type (sources, campaigns): counts come from the counter.
   */
  countPolicy?: 'hidden' | 'counted' | 'public';
  /** Titles for display, only ever asked for ids the viewer may see. */
  titles?(db: AnyDb, ids: string[]): Promise<Map<string, string>>;
}

const registry = new Map<string, PlaceTypeDef>();

/** Registers a place type (other modules call this once at load). Registering the same definition twice is a no-op. */
export function registerPlaceType(def: PlaceTypeDef): void {
  const had = registry.get(def.type);
  if (had && had !== def) throw new Error(`place type ${def.type} is registered twice`);
  if (!/^[a-z][a-z0-9_]{0,31}$/.test(def.type)) throw new Error(`bad place type name ${def.type}`);
  registry.set(def.type, def);
}

export function placeType(type: string): PlaceTypeDef | undefined {
  return registry.get(type);
}

export function placeTypes(): PlaceTypeDef[] {
  return [...registry.values()];
}

/**
 * The SQL form of "the viewer may see this occurrence's place", over a row of `observable_places` under `alias`.
 * Unregistered place types are invisible (deny by default).
 */
export function placeVisible(s: Subject, alias: string): Expression<SqlBool> {
  const parts = placeTypes().map(
    (d) => sql<SqlBool>`(${sql.ref(`${alias}.place_type`)} = ${d.type} and ${d.visible(s, `${alias}.place_id`)})`,
  );
  if (parts.length === 0) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

/** The observable in column `numRef` has at least one occurrence the viewer may see. */
export function observableVisible(s: Subject, numRef: string): Expression<SqlBool> {
  return sql<SqlBool>`exists (select 1 from observable_occurrences vo
    join observable_places vp on vp.num = vo.place_num
    where vo.observable_num = ${sql.ref(numRef)} and ${placeVisible(s, 'vp')})`;
}
