import { gzipSync } from 'node:zlib';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visibleTo } from '../../platform/auth/recordFilter.ts';
import { testEngines } from '../../testing/engines.ts';
import { type SignedIn, makeUser, signIn, unitId } from '../../testing/factories.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';
import { canonicalise } from './canonical.ts';
import { promoteClusterToCampaign } from './entities.ts';
import { recordObservables } from './ingest.ts';
import { importIndicators } from './importer.ts';
import { type PlaceTypeDef, registerPlaceType } from './places.ts';
import { mayShare, sharingBasis } from './vocab.ts';

/** A place type backed by a table created in the test: owner unit, members, 機密性, TLP, members-only. */
const testCasePlace: PlaceTypeDef = {
  type: 'test_case',
  label: { ja: '試験事件', en: 'Test case' },
  visible: (s, ref) =>
    sql`exists (select 1 from test_cases where test_cases.id = ${sql.ref(ref)} and ${visibleTo(
      s,
      {
        id: 'test_cases.id',
        ownerUnit: 'test_cases.owner_unit',
        confidentiality: 'test_cases.confidentiality',
        tlp: 'test_cases.tlp',
        membersOnly: 'test_cases.members_only',
      },
      { members: { table: 'test_case_members', record: 'case_id', user: 'user_id' } },
    )})`,
  async titles(db, ids) {
    const r = await sql<{
      id: string;
      title: string;
    }>`select id, title from test_cases where id in (${sql.join(ids)})`.execute(db);
    return new Map(r.rows.map((x) => [x.id, x.title]));
  },
};
registerPlaceType(testCasePlace);

const CASE_A = '11111111-1111-4111-8111-111111111111';
const CASE_B = '22222222-2222-4222-8222-222222222222';

describe('canonicalisation and the sharing vocabulary (pure)', () => {
  it('canonicalises raw and defanged values with the core library', () => {
    expect(canonicalise('hxxps://evil[.]example[.]co.jp/login')).toEqual({
      type: 'url',
      value: 'https://evil.example.co.jp/login',
      display: 'https://evil.example.co.jp/login',
    });
    expect(canonicalise('090-1234-5678')?.value).toBe('+819012345678');
    expect(canonicalise('10.1.2.3/8')).toEqual({ type: 'cidr', value: '10.0.0.0/8', display: '10.0.0.0/8' });
    expect(canonicalise('4111 1111 1111 1111', 'payment_card')?.value).toBe('411111******1111');
    expect(canonicalise('not an indicator')).toBeUndefined();
    expect(canonicalise('8.8.8.8', 'domain')).toBeUndefined();
  });

  it('never shares victim-side personal values; suspect accounts go to banks under 振り込め詐欺救済法', () => {
    expect(mayShare('bank_account', 'suspect', 'bank')).toBe(true);
    expect(sharingBasis('bank_account', 'suspect', 'bank')).toContain('第3条');
    for (const r of ['police', 'jc3', 'bank', 'telecom', 'isp', 'vendor', 'public'] as const) {
      expect(mayShare('bank_account', 'victim', r)).toBe(false);
      expect(mayShare('phone', 'victim', r)).toBe(false);
    }
    expect(mayShare('bank_account', 'suspect', 'public')).toBe(false);
    expect(mayShare('phone', 'suspect', 'telecom')).toBe(true);
    expect(mayShare('url', 'suspect', 'public')).toBe(true);
    expect(mayShare('url', 'unknown', 'public')).toBe(false);
  });
});

describe.each(testEngines())('observables and correlation on %s', (engine) => {
  let t: TestContext;
  let analyst: SignedIn;
  let analystId: string;
  let outsider: SignedIn;
  let viewer: SignedIn;
  let admin: SignedIn;
  const get = (who: SignedIn, url: string) => t.app.inject({ method: 'GET', url, headers: who.headers });
  const lookup = (who: SignedIn, value: string) =>
    get(who, `/api/observables/lookup?value=${encodeURIComponent(value)}`);
  const upload = (who: SignedIn, query: string, body: string | Buffer, type = 'text/plain') =>
    t.app.inject({
      method: 'POST',
      url: `/api/observables/import?${query}`,
      headers: { ...who.headers, 'content-type': type },
      payload: body,
    });

  beforeAll(async () => {
    t = await createTestContext(engine);
    const k = t.platform.db.db as unknown as Kysely<unknown>;
    await sql`create table test_cases (id text primary key, title text, owner_unit text, confidentiality integer, tlp text, members_only integer)`.execute(
      k,
    );
    await sql`create table test_case_members (case_id text, user_id text)`.execute(k);
    const a = await makeUser(t.platform, { roles: ['cyber_analyst'] });
    analystId = a.id;
    analyst = await signIn(t.app, t.platform, a.login, a.password);
    const o = await makeUser(t.platform, { roles: ['investigator'], unit: 'st-fukushima' });
    outsider = await signIn(t.app, t.platform, o.login, o.password);
    const v = await makeUser(t.platform, { roles: ['viewer'] });
    viewer = await signIn(t.app, t.platform, v.login, v.password);
    const ad = await makeUser(t.platform, { roles: ['admin'] });
    admin = await signIn(t.app, t.platform, ad.login, ad.password);
    const cyber = await unitId(t.platform, 'cyber-ka');
    await sql`insert into test_cases values (${CASE_A}, ${'フィッシング事件A'}, ${cyber}, 2, 'amber', 0), (${CASE_B}, ${'口座事件B'}, ${cyber}, 2, 'amber', 0)`.execute(
      k,
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it('imports a feed, and the look-up finds a defanged URL with its sightings and derived observables', async () => {
    const feed = [
      '# JPCERT-like feed',
      'hxxp://login-secure[.]example[.]com/jp/auth',
      '8.8.8.8',
      'this is not an indicator',
      'd41d8cd98f00b204e9800998ecf8427e',
      '',
      'evil@phish[.]example.net',
    ].join('\n');
    const res = await upload(analyst, 'source=feed-1', feed);
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s).toMatchObject({
      lines: 7,
      accepted: 4,
      badLines: 1,
      bad: [{ line: 4, reason: 'not a recognised indicator' }],
    });

    const found = await lookup(analyst, 'hxxp://login-secure[.]example[.]com/jp/auth');
    expect(found.statusCode).toBe(200);
    const body = found.json();
    expect(body.observable).toMatchObject({
      type: 'url',
      value: 'http://login-secure.example.com/jp/auth',
      tlp: 'amber',
    });
    expect(body.sightings).toEqual([expect.objectContaining({ source: 'feed-1', count: 1 })]);
    expect(body.related.map((r: { value: string; link: string }) => `${r.link}:${r.value}`)).toEqual([
      'host:login-secure.example.com',
    ]);
    const host = await lookup(analyst, 'login-secure.example.com');
    expect(
      host
        .json()
        .related.map((r: { value: string; link: string }) => `${r.link}:${r.value}`)
        .sort(),
    ).toEqual(['host:http://login-secure.example.com/jp/auth', 'registered_domain:example.com']);

    const missing = await lookup(analyst, 'never-seen.example.org');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('OBSERVABLE_NOT_FOUND');
  });

  it('marks very common values by warning list and shows their counts', async () => {
    const res = await lookup(analyst, '8[.]8[.]8[.]8');
    expect(res.statusCode).toBe(200);
    expect(res.json().observable.warnings).toEqual([{ code: 'public-resolvers', name: '公開DNSリゾルバ' }]);
    expect(res.json().observable.counts).toEqual([
      { placeType: 'source', label: '情報源（取込・フィード）', visible: 1, capped: false, hidden: null },
    ]);
    const lists = (await get(analyst, '/api/observables/warning-lists')).json().items;
    const platforms = lists.find((l: { code: string }) => l.code === 'big-platforms');
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/observables/warning-lists/${platforms.id}`,
      headers: analyst.headers,
      payload: { add: [{ type: 'domain', value: 'EXAMPLE.com' }] },
    });
    expect(patch.statusCode).toBe(200);
    expect(patch.json().entries).toBe(platforms.entries + 1);
    // A subdomain is marked through its registered domain.
    const host = await lookup(analyst, 'login-secure.example.com');
    expect(host.json().observable.warnings).toEqual([{ code: 'big-platforms', name: '大手プラットフォーム' }]);
    const refused = await t.app.inject({
      method: 'PATCH',
      url: `/api/observables/warning-lists/${platforms.id}`,
      headers: viewer.headers,
      payload: { enabled: false },
    });
    expect(refused.statusCode).toBe(403);
  });

  it('re-import is idempotent: last seen moves, nothing is duplicated; CSV mapping, JSON lines and gzip', async () => {
    t.clock.advance(3_600_000);
    const csv =
      'Indicator,Kind,role\n"hxxp://login-secure[.]example[.]com/jp/auth",url,suspect\n"bad,quote\n0000,phone,\n';
    const res = await upload(
      analyst,
      'source=feed-1&format=csv&valueColumn=indicator&typeColumn=kind',
      csv,
      'text/csv',
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      accepted: 1,
      badLines: 2,
      newObservables: 0,
      newOccurrences: 0,
      bad: [
        { line: 3, reason: 'broken CSV quoting' },
        { line: 4, reason: 'not a valid phone' },
      ],
    });
    const jsonl = gzipSync(
      Buffer.from(
        [
          JSON.stringify({ value: '5d41402abc4b2a76b9719d911017c592', tags: ['malware:family="emotet"'] }),
          '{broken',
          JSON.stringify({ value: 'D41D8CD98F00B204E9800998ECF8427E', last_seen: '2026-04-01T05:00:00Z' }),
        ].join('\n'),
      ),
    );
    const gz = await upload(analyst, 'source=feed-2&format=jsonl&tlp=green', jsonl, 'application/gzip');
    expect(gz.statusCode).toBe(200);
    expect(gz.json()).toMatchObject({ lines: 3, accepted: 2, badLines: 1, bad: [{ line: 2, reason: 'not JSON' }] });

    const url = (await lookup(analyst, 'http://login-secure.example.com/jp/auth')).json();
    expect(url.observable.lastSeen).toBe('2026-04-01T01:00:00.000Z');
    expect(url.observable.firstSeen).toBe('2026-04-01T00:00:00.000Z');
    expect(url.sightings).toEqual([expect.objectContaining({ source: 'feed-1', count: 2 })]);
    const md5 = (await lookup(analyst, 'd41d8cd98f00b204e9800998ecf8427e')).json();
    expect(md5.sightings.map((x: { source: string }) => x.source).sort()).toEqual(['feed-1', 'feed-2']);
    expect(md5.observable.counts[0]).toMatchObject({ placeType: 'source', visible: 2 });
    const count = await t.platform.db.db
      .selectFrom('observables')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('value', '=', 'http://login-secure.example.com/jp/auth')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
    const tagged = (await get(analyst, `/api/observables?tag=${encodeURIComponent('malware:family="emotet"')}`)).json();
    expect(tagged.items.map((i: { value: string }) => i.value)).toEqual(['5d41402abc4b2a76b9719d911017c592']);
  });

  it('commits in batches: a failure mid-stream keeps the committed batches, and a rerun completes', async () => {
    const lines = Array.from({ length: 10 }, (_, i) => `10.9.0.${i + 1}`);
    async function* failing() {
      for (const [i, l] of lines.entries()) {
        if (i === 7) throw new Error('disk went away');
        yield Buffer.from(`${l}\n`);
      }
    }
    const actor = { id: analystId, login: 'a', unitId: null };
    await expect(
      importIndicators(t.platform, actor, failing(), { source: 'crashy', format: 'txt', batchSize: 3 }),
    ).rejects.toThrow('disk went away');
    const after = await t.platform.db.db
      .selectFrom('observables')
      .select('value')
      .where('value', 'like', '10.9.0.%')
      .execute();
    expect(after.length).toBe(6);
    async function* whole() {
      yield Buffer.from(lines.join('\n'));
    }
    const rerun = await importIndicators(t.platform, actor, whole(), { source: 'crashy', format: 'txt', batchSize: 3 });
    expect(rerun).toMatchObject({ accepted: 10, newOccurrences: 4, batches: 4 });
    const all = await t.platform.db.db
      .selectFrom('observables')
      .select('value')
      .where('value', 'like', '10.9.0.%')
      .execute();
    expect(all.length).toBe(10);
  });

  it('a viewer of another unit sees neither a case nor, through correlation, that it exists', async () => {
    const now = t.clock.now().toISOString();
    await t.platform.db.db.transaction().execute(async (trx) => {
      await recordObservables(
        trx,
        { type: 'test_case', id: CASE_A },
        [
          {
            type: 'domain',
            value: 'case-only.example.jp',
            display: 'case-only.example.jp',
            firstSeen: now,
            lastSeen: now,
          },
          { type: 'ipv4', value: '8.8.8.8', display: '8.8.8.8', firstSeen: now, lastSeen: now, role: 'suspect' },
        ],
        { tlp: 'amber', now, decidedBy: analystId },
      );
    });
    // The owner unit sees the case and its title.
    const mine = (await lookup(analyst, 'case-only[.]example[.]jp')).json();
    expect(mine.places).toEqual([
      expect.objectContaining({ type: 'test_case', id: CASE_A, title: 'フィッシング事件A', typeLabel: '試験事件' }),
    ]);
    // Another unit: the value seen only in that case does not exist for him.
    const other = await lookup(outsider, 'case-only.example.jp');
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('OBSERVABLE_NOT_FOUND');
    const byId = await get(outsider, `/api/observables/${mine.observable.id}`);
    expect(byId.statusCode).toBe(404);
    const graph = await get(outsider, `/api/observables/${mine.observable.id}/graph`);
    expect(graph.statusCode).toBe(404);
    const list = (await get(outsider, '/api/observables?type=domain&limit=200')).json();
    expect(list.items.map((i: { value: string }) => i.value)).not.toContain('case-only.example.jp');
    // A value also seen in a feed: the feed is shown, the case neither listed nor counted.
    const shared = (await lookup(outsider, '8.8.8.8')).json();
    expect(shared.places).toEqual([]);
    expect(shared.observable.counts.map((c: { placeType: string }) => c.placeType)).toEqual(['source']);
    const places = (await get(outsider, `/api/observables/${shared.observable.id}/places`)).json();
    expect(places.items.map((i: { type: string }) => i.type)).toEqual(['source']);
    const g = (await get(outsider, `/api/observables/${shared.observable.id}/graph?depth=2`)).json();
    expect(g.nodes.map((n: { type: string }) => n.type)).not.toContain('test_case');
    // The owner unit sees both, with Japanese labels in the graph.
    const g2 = (await get(analyst, `/api/observables/${shared.observable.id}/graph?depth=2`)).json();
    expect(g2.nodes).toContainEqual(
      expect.objectContaining({ id: `test_case:${CASE_A}`, kind: 'place', label: 'フィッシング事件A' }),
    );
    expect(g2.nodes).toContainEqual(
      expect.objectContaining({ kind: 'observable', label: 'ドメイン: case-only.example.jp' }),
    );
    expect(g2.edges).toContainEqual(
      expect.objectContaining({ target: `test_case:${CASE_A}`, label: '出現', role: 'suspect' }),
    );
    const onlyCases = (await get(analyst, `/api/observables/${shared.observable.id}/graph?types=test_case`)).json();
    expect(onlyCases.nodes.map((n: { type: string }) => n.type).sort()).toEqual(['ipv4', 'test_case']);
  });

  it('changes a role with who and when (audited); victim-side personal reads are audited; refusals', async () => {
    const now = t.clock.now().toISOString();
    await t.platform.db.db.transaction().execute((trx) =>
      recordObservables(
        trx,
        { type: 'test_case', id: CASE_B },
        [
          {
            type: 'bank_account',
            value: '0005-341-1-1234567',
            display: '三菱UFJ 新宿 普通 1234567',
            firstSeen: now,
            lastSeen: now,
          },
        ],
        { tlp: 'red', now },
      ),
    );
    const o = (await lookup(analyst, '0005-341-1-1234567')).json();
    expect(o.places[0]).toMatchObject({ role: 'unknown', roleLabel: '不明', roleDecidedBy: null });
    const change = await t.app.inject({
      method: 'PATCH',
      url: `/api/observables/${o.observable.id}/role`,
      headers: analyst.headers,
      payload: { placeType: 'test_case', placeId: CASE_B, role: 'victim' },
    });
    expect(change.statusCode).toBe(200);
    expect(change.json()).toMatchObject({ role: 'victim', roleLabel: '被害者側', roleDecidedBy: analystId });
    await lookup(analyst, '0005-341-1-1234567');
    const audit = await t.platform.db.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('target_id', '=', o.observable.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['intel.role.change', 'intel.victim_read']);
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ from: 'unknown', to: 'victim' });
    // Refusals: a viewer cannot change roles; the outsider cannot reach the place; admin reads no indicators.
    const byViewer = await t.app.inject({
      method: 'PATCH',
      url: `/api/observables/${o.observable.id}/role`,
      headers: viewer.headers,
      payload: { placeType: 'test_case', placeId: CASE_B, role: 'suspect' },
    });
    expect(byViewer.statusCode).toBe(403);
    const byOutsider = await t.app.inject({
      method: 'PATCH',
      url: `/api/observables/${o.observable.id}/role`,
      headers: outsider.headers,
      payload: { placeType: 'test_case', placeId: CASE_B, role: 'suspect' },
    });
    expect(byOutsider.statusCode).toBe(404);
    expect((await lookup(admin, '8.8.8.8')).statusCode).toBe(403);
    expect((await upload(viewer, 'source=x', '1.2.3.4')).statusCode).toBe(403);
    const unknownField = await t.app.inject({
      method: 'POST',
      url: `/api/observables/${o.observable.id}/tags`,
      headers: analyst.headers,
      payload: { add: ['tlp:red'], colour: 'red' },
    });
    expect(unknownField.statusCode).toBe(400);
  });

  it('derives ip → prefix → ASN from an imported prefix table', async () => {
    const table =
      'prefix,asn,name\n203.0.113.0/24,64500,EXAMPLE-NET\n203.0.0.0/16,64501,EXAMPLE-BIG\n2001:db8::/32,AS64502,DOC6\nnonsense\n';
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/observables/asn-prefixes',
      headers: { ...admin.headers, 'content-type': 'text/csv' },
      payload: table,
    });
    expect(up.statusCode).toBe(200);
    expect(up.json()).toMatchObject({ prefixes: 3, badLines: 1, bad: [{ line: 5 }] });
    await upload(analyst, 'source=feed-3', '203.0.113.7\nhttp://[2001:db8::5]/x\n203.0.5.5\n');
    const ip = (await lookup(analyst, '203.0.113.7')).json();
    expect(ip.related.map((r: { link: string; value: string }) => `${r.link}:${r.value}`)).toEqual([
      'prefix:203.0.113.0/24',
    ]);
    const prefix = (await lookup(analyst, '203.0.113.0/24')).json();
    expect(prefix.related.map((r: { link: string; display: string }) => `${r.link}:${r.display}`).sort()).toEqual([
      'announced_by:AS64500 EXAMPLE-NET',
      'prefix:203.0.113.7',
    ]);
    expect((await lookup(analyst, '203.0.5.5')).json().related[0].value).toBe('203.0.0.0/16');
    expect((await lookup(analyst, '2001:db8::5')).json().related.map((r: { value: string }) => r.value)).toContain(
      '2001:db8::/32',
    );
  });

  it('campaigns link observables and places with reasons; promoting a cluster; invisible places refused', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/observables/entities',
      headers: analyst.headers,
      payload: { kind: 'campaign', name: '宅配業者なりすましSMS', aliases: ['roaming mantis'] },
    });
    expect(created.statusCode).toBe(201);
    const c = created.json();
    expect(c.kindLabel).toBe('キャンペーン');
    const url = (await lookup(analyst, 'http://login-secure.example.com/jp/auth')).json();
    const linked = await t.app.inject({
      method: 'POST',
      url: `/api/observables/entities/${c.id}/observables`,
      headers: analyst.headers,
      payload: { observables: [{ observableId: url.observable.id, reason: '同一のSMS文面', role: 'suspect' }] },
    });
    expect(linked.statusCode).toBe(200);
    expect(linked.json().observables).toContainEqual(
      expect.objectContaining({ value: url.observable.value, reason: '同一のSMS文面', role: 'suspect' }),
    );
    const placed = await t.app.inject({
      method: 'POST',
      url: `/api/observables/entities/${c.id}/places`,
      headers: analyst.headers,
      payload: { places: [{ type: 'test_case', id: CASE_A, reason: '同一の誘導先' }] },
    });
    expect(placed.statusCode).toBe(200);
    expect(placed.json().links).toEqual([
      expect.objectContaining({ placeType: 'test_case', placeId: CASE_A, reason: '同一の誘導先' }),
    ]);
    // The outsider may read the campaign but not learn of the case linked to it, nor link it himself.
    const seen = (await get(outsider, `/api/observables/entities/${c.id}`)).json();
    expect(seen.links).toEqual([]);
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/observables/entities/${c.id}/places`,
      headers: outsider.headers,
      payload: { places: [{ type: 'test_case', id: CASE_A, reason: 'x' }] },
    });
    expect(refused.statusCode).toBe(404);
    const g = (await get(analyst, `/api/observables/${url.observable.id}/graph`)).json();
    expect(g.nodes).toContainEqual(
      expect.objectContaining({ id: `entity:${c.id}`, label: 'キャンペーン: 宅配業者なりすましSMS' }),
    );
    const { loadSubject } = await import('../../platform/auth/loadSubject.ts');
    const subject = (await loadSubject(t.platform.db.db, analystId, 'session'))!;
    const promoted = await promoteClusterToCampaign(
      t.platform,
      subject,
      {
        name: '類似文面クラスタ7',
        clusterId: 'c-7',
        members: [
          { type: 'test_case', id: CASE_A },
          { type: 'test_case', id: CASE_B },
        ],
      },
      null,
    );
    expect(promoted.links.map((l) => l.reason)).toEqual([
      '類似文面クラスタ c-7 から昇格',
      '類似文面クラスタ c-7 から昇格',
    ]);
    const list = (await get(viewer, '/api/observables/entities?kind=campaign')).json();
    expect(list.items.map((e: { name: string }) => e.name)).toEqual(['宅配業者なりすましSMS', '類似文面クラスタ7']);
  });

  it('lists keyset pages and exposes the vocabularies', async () => {
    const first = (await get(analyst, '/api/observables?limit=3')).json();
    expect(first.items).toHaveLength(3);
    const second = (await get(analyst, `/api/observables?limit=3&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((i: { id: string }) => i.id)).not.toContain(first.items[0].id);
    const bad = await get(analyst, '/api/observables?cursor=zzz');
    expect(bad.json().error.code).toBe('INVALID_CURSOR');
    const q = (await get(analyst, `/api/observables?q=${encodeURIComponent('evil(at)phish[.]example.net')}`)).json();
    expect(q.items.map((i: { type: string }) => i.type)).toEqual(['email']);
    const rules = (await get(viewer, '/api/observables/sharing-rules')).json().items;
    expect(rules).toContainEqual(
      expect.objectContaining({ type: 'bank_account', role: 'suspect', recipientKind: 'bank' }),
    );
    expect(rules.filter((r: { role: string; type: string }) => r.role === 'victim' && r.type === 'phone')).toEqual([]);
    const vocab = (await get(viewer, '/api/observables/vocabulary')).json();
    expect(vocab.roles.map((r: { ja: string }) => r.ja)).toEqual(['加害者側', '被害者側', '不明']);
  });
});
