import { type SqlBool, sql } from 'kysely';
import { hasContentRole } from '../../platform/auth/policy.ts';
import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import { decodeCursor, encodeCursor, pageLimit } from '../../platform/db/cursor.ts';
import { AppError } from '../../platform/errors.ts';
import { actorOf, canSeeRegistry, caseVisibleTo } from './access.ts';
import { type SearchTuning, searchPage } from './search.ts';

export interface ListFilter {
  cursor?: string;
  limit?: string;
  q?: string;
  status?: string;
  stage?: string;
  type?: string;
  leadUnitId?: string;
  classification?: string;
}

/** The cases the subject is a member of, newest activity first, keyset-paged; `q` searches cases and timelines. */
export async function listCases(p: Platform, s: Subject, f: ListFilter, tuning?: SearchTuning) {
  const limit = pageLimit(f.limit, 50, 200);
  const after = decodeCursor<[string, string]>(f.cursor, 2);
  if (!hasContentRole(s)) return { items: [], nextCursor: null };
  // Driven by the subject's own memberships in activity order (index case_members(user_id, case_updated_at,
  // case_id)): the need-to-know rule of access.ts (member + clearance) is the join itself.
  let q = p.db.db
    .selectFrom('case_members as lm')
    .innerJoin('cases', 'cases.id', 'lm.case_id')
    .select([
      'cases.id',
      'cases.case_number',
      'cases.title',
      'cases.type',
      'cases.classification_code',
      'cases.lead_unit_id',
      'cases.status',
      'cases.stage',
      'cases.tlp',
      'cases.confidentiality',
      'cases.updated_at',
      'lm.case_updated_at as k',
    ])
    .where('lm.user_id', '=', s.userId)
    .where('cases.confidentiality', '<=', s.clearance);
  if (f.status) q = q.where('cases.status', '=', f.status);
  if (f.stage) q = q.where('cases.stage', '=', f.stage);
  if (f.type) q = q.where('cases.type', '=', f.type);
  if (f.leadUnitId) q = q.where('cases.lead_unit_id', '=', f.leadUnitId);
  if (f.classification)
    q = q.where((eb) =>
      eb.or([
        eb('cases.classification_code', '=', f.classification!),
        eb('cases.classification_code', 'like', `${f.classification}.%`),
      ]),
    );
  if (after)
    q = q.where(
      // A range on the index's second column, then the tie: the walk keeps the index order (no sort) and stops early.
      sql<SqlBool>`lm.case_updated_at <= ${after[0]} and (lm.case_updated_at < ${after[0]} or lm.case_id < ${after[1]})`,
    );
  const ordered = q
    .orderBy('lm.case_updated_at', 'desc')
    .orderBy('lm.case_id', 'desc')
    .limit(limit + 1);
  const text = f.q?.trim();
  // Search narrows this same walk (search.ts); the need-to-know join above is never left out.
  const { rows, resumeAt } = text
    ? await searchPage(p, s.userId, text, after, limit, (condition) => ordered.where(condition).execute(), tuning)
    : { rows: await ordered.execute(), resumeAt: null };
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id,
      caseNumber: r.case_number,
      title: r.title,
      type: r.type,
      classificationCode: r.classification_code,
      leadUnitId: r.lead_unit_id,
      status: r.status,
      stage: r.stage,
      tlp: r.tlp,
      confidentiality: r.confidentiality,
      updatedAt: r.updated_at,
    })),
    nextCursor:
      rows.length > limit && last ? encodeCursor([last.k, last.id]) : resumeAt ? encodeCursor([...resumeAt]) : null,
    /** A search that stopped at its budget of cases (search.ts step 3): more may follow `nextCursor`. */
    ...(resumeAt ? { partial: true } : {}),
  };
}

/** The cyber division head's registry: that every case exists (number, type, stage, status, lead unit), no contents. */
export async function registry(p: Platform, s: Subject, f: { cursor?: string; limit?: string }, ip: string | null) {
  if (!(await canSeeRegistry(p, s))) throw new AppError('FORBIDDEN');
  const limit = pageLimit(f.limit, 50, 200);
  const after = decodeCursor<[string, string]>(f.cursor, 2);
  let q = p.db.db
    .selectFrom('cases')
    .select(['id', 'case_number', 'type', 'classification_code', 'lead_unit_id', 'status', 'stage', 'created_at']);
  if (after) q = q.where(sql<SqlBool>`created_at <= ${after[0]} and (created_at < ${after[0]} or id < ${after[1]})`);
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  await p.db.db.transaction().execute((trx) =>
    p.audit.record(trx, {
      actor: actorOf(s),
      action: 'case.registry.read',
      result: 'success',
      clientIp: ip,
      details: { n: Math.min(rows.length, limit) },
    }),
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id,
      caseNumber: r.case_number,
      type: r.type,
      classificationCode: r.classification_code,
      leadUnitId: r.lead_unit_id,
      status: r.status,
      stage: r.stage,
      createdAt: r.created_at,
    })),
    nextCursor: rows.length > limit && last ? encodeCursor([last.created_at, last.id]) : null,
  };
}

/**
 * Arrest statistics (検挙統計) for a calendar year: cases reaching 検挙 that year, by top-level and second-level
 * classification, and how many were 送致. The cyber division head counts every case (numbers only); anyone else
 * only the cases he is a member of.
 */
export async function arrestStatistics(p: Platform, s: Subject, year: number) {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new AppError('VALIDATION_FAILED', 'year');
  const all = await canSeeRegistry(p, s);
  let q = p.db.db
    .selectFrom('cases')
    .leftJoin('case_classifications as cc', 'cc.code', 'cases.classification_code')
    .select((eb) => [
      'cases.classification_code as code',
      eb.fn.countAll<number>().as('cleared'),
      eb.fn.sum<number>(sql`case when cases.referred_on is not null then 1 else 0 end`).as('referred'),
    ])
    .where('cases.cleared_on', '>=', `${year}-01-01`)
    .where('cases.cleared_on', '<=', `${year}-12-31`)
    .groupBy('cases.classification_code');
  if (!all) q = q.where(caseVisibleTo(s));
  const rows = await q.execute();
  const vocab = await p.db.db.selectFrom('case_classifications').selectAll().orderBy('sort').execute();
  const byCode = new Map(vocab.map((v) => [v.code, v]));
  const totals = new Map<string, { code: string; label: string; level: number; cleared: number; referred: number }>();
  const add = (code: string, label: string, level: number, c: number, r: number) => {
    const t = totals.get(code) ?? { code, label, level, cleared: 0, referred: 0 };
    t.cleared += c;
    t.referred += r;
    totals.set(code, t);
  };
  let cleared = 0;
  for (const r of rows) {
    const c = Number(r.cleared);
    const ref = Number(r.referred ?? 0);
    cleared += c;
    if (!r.code) {
      add('(none)', '未分類', 1, c, ref);
      continue;
    }
    const parts = r.code.split('.');
    for (let i = 1; i <= Math.min(parts.length, 2); i++) {
      const code = parts.slice(0, i).join('.');
      add(code, byCode.get(code)?.label_ja ?? code, i, c, ref);
    }
  }
  const order = new Map(vocab.map((v, i) => [v.code, i]));
  return {
    year,
    scope: all ? 'all' : 'member',
    cleared,
    rows: [...totals.values()].sort((a, b) => (order.get(a.code) ?? 1e9) - (order.get(b.code) ?? 1e9)),
  };
}

export async function classifications(p: Platform) {
  const rows = await p.db.db
    .selectFrom('case_classifications')
    .selectAll()
    .where('active', '=', 1)
    .orderBy('sort')
    .execute();
  return rows.map((r) => ({
    code: r.code,
    parentCode: r.parent_code,
    level: r.level,
    labelJa: r.label_ja,
    labelEn: r.label_en,
  }));
}
