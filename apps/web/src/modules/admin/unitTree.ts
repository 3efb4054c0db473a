import type { Unit } from './api';

export interface UnitRow {
  unit: Unit;
  depth: number;
  /** Names from the root down, for labels such as 本部 / 生活安全部 / サイバー犯罪対策課. */
  path: string[];
}

function compare(a: Unit, b: Unit): number {
  const order = (a.sortOrder ?? 0) - (b.sortOrder ?? 0);
  return order !== 0 ? order : a.code.localeCompare(b.code);
}

/** Flattens the unit list into tree order (parents before children), with depth. Orphans become roots. */
export function unitRows(units: Unit[]): UnitRow[] {
  const ids = new Set(units.map((unit) => unit.id));
  const children = new Map<string | null, Unit[]>();
  for (const unit of units) {
    const parent = unit.parentId && ids.has(unit.parentId) ? unit.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(unit);
    children.set(parent, list);
  }
  const rows: UnitRow[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number, path: string[]) => {
    for (const unit of (children.get(parent) ?? []).sort(compare)) {
      if (seen.has(unit.id)) continue; // a cycle in bad data must not hang the page
      seen.add(unit.id);
      const here = [...path, unit.name];
      rows.push({ unit, depth, path: here });
      walk(unit.id, depth + 1, here);
    }
  };
  walk(null, 0, []);
  return rows;
}

/** validTo is the last day in force (as the server filters it): retired from the day after. */
export function isRetired(unit: Unit, today: string): boolean {
  return unit.validTo !== null && unit.validTo < today;
}

/** Select options for a unit field, indented by depth; `excludeSubtreeOf` drops a unit and its descendants. */
export function unitOptions(units: Unit[], excludeSubtreeOf?: string): { value: string; label: string }[] {
  const excluded = new Set<string>();
  const rows = unitRows(units);
  for (const row of rows) {
    if (row.unit.id === excludeSubtreeOf || (row.unit.parentId && excluded.has(row.unit.parentId))) {
      excluded.add(row.unit.id);
    }
  }
  return rows
    .filter((row) => !excluded.has(row.unit.id))
    .map((row) => ({ value: row.unit.id, label: `${'\u3000'.repeat(row.depth)}${row.unit.name}` }));
}
