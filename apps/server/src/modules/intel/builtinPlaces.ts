import { type SqlBool, sql } from 'kysely';
import { ENTITY_LABELS, type EntityKind } from './entities.ts';
import { type PlaceTypeDef, registerPlaceType } from './places.ts';
import { isIntelReader } from './policy.ts';

const readers = (s: Parameters<PlaceTypeDef['visible']>[0]) =>
  isIntelReader(s) ? sql<SqlBool>`1 = 1` : sql<SqlBool>`1 = 0`;

/** Imports and feeds: every intel reader sees them. */
export const sourcePlace: PlaceTypeDef = {
  type: 'source',
  label: { ja: '情報源（取込・フィード）', en: 'Source (import or feed)' },
  visible: readers,
  countPolicy: 'public',
  async titles(db, ids) {
    const rows = await db.selectFrom('intel_sources').select(['id', 'name']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  },
};

/** Campaigns, actors and malware families: every intel reader sees them. */
export const entityPlace: PlaceTypeDef = {
  type: 'entity',
  label: { ja: 'キャンペーン・攻撃者・マルウェア', en: 'Campaign, actor or family' },
  visible: readers,
  countPolicy: 'public',
  async titles(db, ids) {
    const rows = await db.selectFrom('intel_entities').select(['id', 'name', 'kind']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, `${ENTITY_LABELS[r.kind as EntityKind] ?? r.kind}: ${r.name}`]));
  },
};

registerPlaceType(sourcePlace);
registerPlaceType(entityPlace);
