import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Platform } from '../../platform/context.ts';
import { likeContains } from '../../platform/db/cursor.ts';

/**
 * Japanese full-text search over a case's title, summary, number and timeline (issue 7 §9, ADR 0013).
 *
 * Each case has a search document in `case_search` (migration 0016: part 0 = title, summary, number; parts 1… = the
 * timeline, 16 entries a part), lower-cased and kept by triggers, with a trigram index over it (FTS5 / pg_trgm).
 * A search is always the caller's own list — a keyset walk of `case_members(user_id, case_updated_at, case_id)`
 * joined to `cases` under his clearance, i.e. the need-to-know rule — with one more condition: a part of the case's
 * document contains the term (LIKE on the lower-cased text: an exact substring of any length, 詐欺 as well as
 * ランサムウェア). Which cases that condition is tried on is chosen so that the cost stays small:
 *   1. for a term with three letters or digits in a row, the caller's next `window` cases (1,000), most recent
 *      first: a common term fills its page here and stops;
 *   2. if the page is not full, the trigram index's hits (at most `candidates` document parts, 2,000): a rare term
 *      costs a few index reads whatever the caller's share of cases;
 *   3. otherwise (a term of one or two characters — trigrams cannot hold it —, or one frequent overall but rare among
 *      the caller's cases) the caller's cases themselves, at most `walk` (3,000) per request: a common short word
 *      (詐欺) fills its page early; a rare one may give a short or even empty page whose `nextCursor` resumes the walk
 *      where it stopped (`partial: true`), so no request reads more than `walk` documents.
 * Every step only narrows the walk; the order and the cursor are those of the list.
 */
export interface SearchTuning {
  /** How many of the caller's cases step 1 tries. */
  window: number;
  /** Above this many index hits (document parts), step 2 gives way to step 3. */
  candidates: number;
  /** How many of the caller's cases step 3 tries per request. */
  walk: number;
}
export const SEARCH_TUNING: SearchTuning = { window: 1000, candidates: 2000, walk: 3000 };

const DOCS = { table: 'case_search', key: 'key', columns: ['body'] } as const;

/**
 * The condition "the case of membership row `lm` has a document part containing `text`", checked per case by key.
 * Written as a CASE on purpose: PostgreSQL then neither reads the trigram index for it (for a term it cannot split
 * into trigrams, 詐欺, that is every entry of the index: seconds) nor takes it for a rare condition (which made it
 * hash-join all of the caller's cases instead of walking them in order and stopping when the page is full).
 */
export function caseTextMatches(text: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`exists (select 1 from case_search cs where cs.key = lm.case_id
    and case when cs.body like lower(${likeContains(text)}) escape '\\' then true else false end)`;
}

/** The key of the caller's `window`-th membership after `after` (list order), or null when fewer remain. */
async function windowEnd(p: Platform, userId: string, after: [string, string] | null, window: number) {
  let q = p.db.db.selectFrom('case_members').select(['case_updated_at', 'case_id']).where('user_id', '=', userId);
  if (after)
    q = q.where(
      sql<SqlBool>`case_updated_at <= ${after[0]} and (case_updated_at < ${after[0]} or case_id < ${after[1]})`,
    );
  const row = await q
    .orderBy('case_updated_at', 'desc')
    .orderBy('case_id', 'desc')
    .offset(window - 1)
    .limit(1)
    .executeTakeFirst();
  return row ? ([row.case_updated_at, row.case_id] as const) : null;
}

/** `matches`, on the caller's memberships from the cursor down to `end` included (list order). */
function upTo(matches: RawBuilder<SqlBool>, end: readonly [string, string]) {
  // A range on the index's second column first (so the walk keeps the index order and stops), then the tie.
  return sql<SqlBool>`${matches} and lm.case_updated_at >= ${end[0]} and (lm.case_updated_at > ${end[0]} or lm.case_id >= ${end[1]})`;
}

/** A search page's rows (limit + 1 when there are more) and, when the walk stopped at its budget, where to resume. */
export interface SearchRows<R> {
  rows: R[];
  resumeAt: readonly [string, string] | null;
}

/**
 * Runs the caller's list query (`page`, which applies membership, clearance, filters, cursor, order and limit + 1)
 * with the search condition, trying the steps above in turn until one of them is known to give the right page.
 */
export async function searchPage<R>(
  p: Platform,
  userId: string,
  text: string,
  after: [string, string] | null,
  limit: number,
  page: (condition: RawBuilder<SqlBool>) => Promise<R[]>,
  tuning: SearchTuning = SEARCH_TUNING,
): Promise<SearchRows<R>> {
  const matches = caseTextMatches(text);
  // Three letters or digits in a row: pg_trgm finds no trigram in punctuation (「」…, ---), and a term without one
  // would read its whole GIN index; such terms take step 3 like short ones.
  if (/[\p{L}\p{N}]{3}/u.test(text)) {
    const end = await windowEnd(p, userId, after, tuning.window);
    if (!end) return { rows: await page(matches), resumeAt: null };
    const first = await page(upTo(matches, end));
    if (first.length > limit) return { rows: first, resumeAt: null };
    const hits = await sql<{ key: string }>`select key from (${p.dialect.textSearchKeys(DOCS, text)}) t
      limit ${tuning.candidates + 1}`.execute(p.db.db);
    if (hits.rows.length <= tuning.candidates) {
      const ids = [...new Set(hits.rows.map((r) => r.key))];
      const rows = ids.length ? await page(sql<SqlBool>`${matches} and lm.case_id in (${sql.join(ids)})`) : [];
      return { rows, resumeAt: null };
    }
  }
  // Step 3: at most `walk` of the caller's cases per request; a short page then says where to resume.
  const end = await windowEnd(p, userId, after, tuning.walk);
  if (!end) return { rows: await page(matches), resumeAt: null };
  const rows = await page(upTo(matches, end));
  return { rows, resumeAt: rows.length > limit ? null : end };
}
