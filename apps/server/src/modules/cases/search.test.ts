import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSubject } from '../../platform/auth/loadSubject.ts';
import { testEngines } from '../../testing/engines.ts';
import { type SignedIn, makeUser, signIn } from '../../testing/factories.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';
import { listCases } from './lists.ts';
import type { SearchTuning } from './search.ts';

/** Case search (issue 7 §9, ADR 0013): exact substrings of any length, common terms paged, need-to-know kept. */
describe.each(testEngines())('case search on %s', (engine) => {
  let t: TestContext;
  let lead: SignedIn; // investigator: creates every case
  let member: SignedIn; // cyber analyst: added to some cases
  let outsider: SignedIn; // investigator of another station: never a member
  let low: SignedIn; // member with clearance 1
  const ids: Record<string, string> = {};
  const created: { id: string; title: string }[] = [];

  const get = (who: SignedIn, url: string) => t.app.inject({ method: 'GET', url, headers: who.headers });
  const send = (who: SignedIn, method: 'POST' | 'PATCH', url: string, payload: object) =>
    t.app.inject({ method, url, headers: who.headers, payload });
  const search = async (who: SignedIn, q: string, extra = '') => {
    const res = await get(who, `/api/cases?q=${encodeURIComponent(q)}${extra}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: { id: string; title: string }[]; nextCursor: string | null };
  };
  const open = async (title: string, body: Record<string, unknown> = {}) => {
    t.clock.advance(1000);
    const res = await send(lead, 'POST', '/api/cases', { title, type: 'cyber_crime', ...body });
    expect(res.statusCode, res.body).toBe(201);
    created.push({ id: res.json().id, title });
    return res.json().id as string;
  };
  const note = async (caseId: string, body: string) => {
    t.clock.advance(1000);
    const res = await send(lead, 'POST', `/api/cases/${caseId}/timeline`, { body });
    expect(res.statusCode, res.body).toBe(201);
  };
  const addMember = async (caseId: string, userId: string) => {
    const res = await send(lead, 'POST', `/api/cases/${caseId}/members`, { userId, role: 'member' });
    expect(res.statusCode, res.body).toBe(200);
  };

  beforeAll(async () => {
    t = await createTestContext(engine, '2026-05-01T01:00:00.000Z');
    const l = await makeUser(t.platform, { roles: ['investigator'], unit: 'st-koriyama', clearance: 3 });
    const m = await makeUser(t.platform, { roles: ['cyber_analyst'], unit: 'cyber-ka' });
    const o = await makeUser(t.platform, { roles: ['investigator'], unit: 'st-aizuwakamatsu', clearance: 3 });
    const w = await makeUser(t.platform, { roles: ['cyber_analyst'], unit: 'cyber-ka', clearance: 1 });
    Object.assign(ids, { lead: l.id, member: m.id, outsider: o.id, low: w.id });
    [lead, member, outsider, low] = (await Promise.all(
      [l, m, o, w].map((c) => signIn(t.app, t.platform, c.login, c.password)),
    )) as [SignedIn, SignedIn, SignedIn, SignedIn];

    // 60 cases with a common term in the title; every third also has a two-character word in its timeline.
    for (let i = 0; i < 60; i++) {
      const id = await open(`不正アクセス事案${i}`, { confidentiality: 1 });
      if (i % 3 === 0) await note(id, `口座から詐欺グループへ送金${i}`);
      if (i % 2 === 0) await addMember(id, ids.member!);
    }
    // A case whose timeline holds a rare term beyond the first 16 entries (the document's second part).
    const long = await open('長期捜査事案', { confidentiality: 1 });
    for (let i = 0; i < 20; i++) await note(long, `定例報告${i}`);
    await note(long, '被疑者がDDoS代行サービスを利用（照会番号77031）');
    await addMember(long, ids.member!);
    // A case the clearance-1 member was added to, then raised to 格付 3 (he keeps the row, loses the access).
    const secret = await open('極秘：標的型メール事案', { confidentiality: 1 });
    await note(secret, '詐欺の手口を含む');
    await addMember(secret, ids.low!);
    expect((await search(low, '標的型')).items).toHaveLength(1);
    const raise = await send(lead, 'PATCH', `/api/cases/${secret}`, { confidentiality: 3 });
    expect(raise.statusCode, raise.body).toBe(200);
    // And one the lead alone knows.
    await open('リーダーのみの詐欺事案', { confidentiality: 1 });
  }, 240_000);
  afterAll(async () => t?.close());

  it('pages a common term most recent first, without duplicates or gaps', async () => {
    const first = await search(lead, '不正アクセス', '&limit=25');
    expect(first.items).toHaveLength(25);
    expect(first.items[0]!.title).toBe('不正アクセス事案59');
    const seen: string[] = first.items.map((c) => c.id);
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await search(lead, '不正アクセス', `&limit=25&cursor=${cursor}`);
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(
      created
        .filter((c) => c.title.startsWith('不正アクセス'))
        .map((c) => c.id)
        .reverse(),
    );
    // With filters and search together.
    expect((await search(lead, '不正アクセス', '&status=closed')).items).toEqual([]);
  });

  it('finds one- and two-character words in titles and timelines exactly', async () => {
    const twoChars = await search(lead, '詐欺', '&limit=200');
    // 20 timelines (every third of 60), the secret case's timeline and the lead-only case's title.
    expect(twoChars.items).toHaveLength(22);
    expect(twoChars.items.map((c) => c.title)).toContain('リーダーのみの詐欺事案');
    expect((await search(lead, '極', '&limit=200')).items.map((c) => c.title)).toEqual(['極秘：標的型メール事案']);
    expect((await search(lead, '詐欺師')).items).toEqual([]);
  });

  it('searches the whole timeline, case-insensitively for Latin letters, wildcards taken literally', async () => {
    expect((await search(member, '照会番号77031')).items.map((c) => c.title)).toEqual(['長期捜査事案']);
    expect((await search(member, 'ddos代行')).items.map((c) => c.title)).toEqual(['長期捜査事案']);
    expect((await search(member, '照会番号7703')).items).toHaveLength(1);
    expect((await search(member, '%')).items).toEqual([]);
    expect((await search(member, '定例_告')).items).toEqual([]);
  });

  it('follows title changes', async () => {
    const id = created.find((c) => c.title === '長期捜査事案')!.id;
    const res = await send(lead, 'PATCH', `/api/cases/${id}`, { title: '長期捜査事案（ボットネット）' });
    expect(res.statusCode, res.body).toBe(200);
    expect((await search(member, 'ボットネット')).items.map((c) => c.id)).toEqual([id]);
    expect((await search(member, '長期捜査事案（')).items).toHaveLength(1);
  });

  it('keeps need-to-know: only cases the caller is a member of and cleared for', async () => {
    // The member sees the 30 cases he was added to (plus the long one), not the others.
    const mine = await search(member, '不正アクセス', '&limit=200');
    expect(mine.items).toHaveLength(30);
    const memberTwo = await search(member, '詐欺', '&limit=200');
    expect(memberTwo.items).toHaveLength(10); // i % 6 === 0 among 60
    expect(memberTwo.items.map((c) => c.title)).not.toContain('リーダーのみの詐欺事案');
    // A user of another station finds nothing, common or rare.
    for (const q of ['不正アクセス', '詐欺', '照会番号77031', '極秘'])
      expect((await search(outsider, q)).items).toEqual([]);
    // A member whose clearance is below the case's 格付 finds nothing of it.
    expect((await search(low, '詐欺')).items).toEqual([]);
    expect((await search(low, '標的型')).items).toEqual([]);
    // The lead, cleared to 3, finds it.
    expect((await search(lead, '標的型')).items).toHaveLength(1);
  });

  it('gives the same pages whichever step answers: the window, the trigram index or the whole walk', async () => {
    // A window of 5 cases, at most 8 index hits, 10 cases walked per request: 60 cases exercise every step.
    const small: SearchTuning = { window: 5, candidates: 8, walk: 10 };
    const titles = async (userId: string, q: string, tuning?: SearchTuning, limit = '50') => {
      const s = await loadSubject(t.platform.db.db, userId, 'session');
      const out: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listCases(t.platform, s!, { q, limit, ...(cursor ? { cursor } : {}) }, tuning);
        out.push(...page.items.map((c) => c.title));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return out;
    };
    // Rare, three characters or more, outside the window: found through the index, then kept to the member's cases
    // (送金3 is in cases 3, 30, 33, 36, 39; the member belongs to the even ones only).
    expect(await titles(ids.member!, '送金3', small)).toEqual(['不正アクセス事案36', '不正アクセス事案30']);
    expect(await titles(ids.lead!, '送金3', small, '2')).toEqual(
      [39, 36, 33, 30, 3].map((i) => `不正アクセス事案${i}`),
    );
    expect(await titles(ids.lead!, '送金0', small)).toEqual(['不正アクセス事案0']);
    expect(await titles(ids.outsider!, '送金3', small)).toEqual([]);
    // More index hits than allowed (20 timelines), and two characters: the whole walk; the same answers as by default.
    for (const q of ['詐欺グループ', '送金', '詐欺', '不正アクセス', '定例報告1']) {
      for (const who of [ids.member!, ids.lead!, ids.low!])
        expect(await titles(who, q, small, '7'), `${q} ${who}`).toEqual(await titles(who, q));
    }
    expect((await titles(ids.member!, '詐欺グループ', small)).length).toBe(10);
    // Punctuation gives no trigram to an index (pg_trgm): walked like a short word, still exact.
    expect(await titles(ids.member!, '（照会', small)).toHaveLength(1);
    expect(await titles(ids.member!, '」「…', small)).toEqual([]);
    // A rare two-character word in the oldest case: short pages that say so, until the walk reaches it.
    const lead = await loadSubject(t.platform.db.db, ids.lead!, 'session');
    const firstPage = await listCases(t.platform, lead!, { q: '金0' }, small);
    expect(firstPage).toMatchObject({ items: [], partial: true });
    expect(firstPage.nextCursor).not.toBeNull();
    expect(await titles(ids.lead!, '金0', small)).toEqual(['不正アクセス事案0']);
    expect(await titles(ids.lead!, '金0')).toEqual(['不正アクセス事案0']);
  });
});
