import { type SqlBool, sql } from 'kysely';
import { type PlaceTypeDef, registerPlaceType } from '../intel/index.ts';
import { caseVisibleTo } from './access.ts';

/** Cases as places of the observables module: an occurrence at a case is visible exactly to the case's readers. */
export const casePlace: PlaceTypeDef = {
  type: 'case',
  label: { ja: '事件', en: 'Case' },
  visible: (s, ref) => sql<SqlBool>`${caseVisibleTo(s, ref)}`,
  // Hidden: a non-member learns nothing, not even that some case holds the value.
  countPolicy: 'hidden',
  async titles(db, ids) {
    const rows = await db.selectFrom('cases').select(['id', 'case_number', 'title']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, `${r.case_number} ${r.title}`]));
  },
};
registerPlaceType(casePlace);
