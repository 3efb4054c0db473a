import { randomUUID } from 'node:crypto';
import { type SqlBool, sql } from 'kysely';
import type { AuditActor } from '../../platform/audit/audit.ts';
import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import { type PlaceTypeDef, recordObservables, registerPlaceType } from '../intel/index.ts';
import { loadIndex, huntStream } from './hunt.ts';
import type { HuntMatch } from './matcher.ts';
import { actorOf } from './feeds.ts';
import { isDetectionReader } from './policy.ts';

/** Matches returned by the upload page; the rest are counted (the CLI streams them all). */
const SHOWN = 1000;

/** A hunt that recorded sightings is a place of those observables: its unit's detection readers see it. */
export const huntPlace: PlaceTypeDef = {
  type: 'hunt',
  label: { ja: 'ログ照合（ハンティング）', en: 'Log hunt' },
  visible: (s, ref) =>
    isDetectionReader(s)
      ? sql<SqlBool>`exists (select 1 from detection_hunts dh where dh.id = ${sql.ref(ref)} and dh.unit_id = ${s.unitId})`
      : sql<SqlBool>`1 = 0`,
  countPolicy: 'counted',
  async titles(db, ids) {
    const rows = await db.selectFrom('detection_hunts').select(['id', 'name']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  },
};
registerPlaceType(huntPlace);

export interface HuntUploadResult {
  huntId: string | null;
  file: string;
  lines: number;
  matches: number;
  shown: ({ line: number } & HuntMatch)[];
  truncated: boolean;
  recorded: number;
  seconds: number;
}

/**
 * Hunts one uploaded log against every URL, domain and IP indicator. With `record`, each matched indicator gets a
 * sighting (occurrence) at a new hunt place owned by the hunter's unit, and the hunt is audited either way.
 */
export async function huntUpload(
  p: Platform,
  s: Subject,
  input: AsyncIterable<Buffer | Uint8Array | string>,
  opts: { file: string; name: string; record: boolean; clientIp: string | null },
): Promise<HuntUploadResult> {
  const t0 = performance.now();
  const index = await loadIndex(p.db.db);
  const shown: ({ line: number } & HuntMatch)[] = [];
  const matched = new Map<string, HuntMatch>();
  const r = await huntStream(index, input, (line, m) => {
    if (shown.length < SHOWN) shown.push({ line, ...m });
    if (opts.record) matched.set(`${m.type}\u0000${m.indicator}`, m);
  });
  const huntId = await recordHunt(p, actorOf(s), s.unitId, matched, r, {
    name: opts.name,
    record: opts.record,
    clientIp: opts.clientIp,
  });
  return {
    huntId,
    file: opts.file,
    lines: r.lines,
    matches: r.matches,
    shown,
    truncated: r.matches > shown.length,
    recorded: matched.size,
    seconds: (performance.now() - t0) / 1000,
  };
}

/**
 * Writes the hunt's audit record and, when asked, a hunt owned by `unitId` with a sighting of each matched
 * indicator there. Returns the hunt's id (null when nothing was recorded).
 */
export async function recordHunt(
  p: Platform,
  actor: AuditActor | null,
  unitId: string | null,
  matched: Map<string, HuntMatch>,
  r: { lines: number; matches: number },
  opts: { name: string; record: boolean; clientIp: string | null },
): Promise<string | null> {
  const now = p.clock.now().toISOString();
  const huntId = opts.record ? randomUUID() : null;
  await p.db.db.transaction().execute(async (trx) => {
    if (huntId) {
      await trx
        .insertInto('detection_hunts')
        .values({
          id: huntId,
          name: opts.name,
          unit_id: unitId,
          created_by: actor?.id ?? null,
          created_at: now,
          lines: r.lines,
          matches: r.matches,
          recorded: matched.size,
        })
        .execute();
      const items = [...matched.values()].map((m) => ({
        type: m.type,
        value: m.indicator,
        display: m.indicator,
        firstSeen: now,
        lastSeen: now,
      }));
      for (let i = 0; i < items.length; i += 2000)
        await recordObservables(trx, { type: 'hunt', id: huntId }, items.slice(i, i + 2000), {
          tlp: 'amber',
          now,
          decidedBy: null,
        });
    }
    await p.audit.record(trx, {
      actor,
      action: 'detection.hunt',
      target: { type: 'detection_hunt', id: huntId },
      result: 'success',
      clientIp: opts.clientIp,
      details: { lines: r.lines, matches: r.matches, recorded: matched.size },
    });
  });
  return huntId;
}
