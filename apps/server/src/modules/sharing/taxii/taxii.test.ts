import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../../testing/engines.ts';
import { makeUser } from '../../../testing/factories.ts';
import { type TestContext, createTestContext } from '../../../testing/testPlatform.ts';
import { createPartner, createPartnerToken } from '../partners.ts';
import { SEED, seedSharingData } from '../testSeed.ts';
import { createCollection, grantCollection, publishCollection } from './collections.ts';
import { TAXII_MEDIA } from './server.ts';

type Env = { more?: boolean; next?: string; objects?: { id: string; type: string; [k: string]: unknown }[] };
const ROOT = '/taxii2/renkei';

/** The MUSTs of TAXII 2.1 we implement, one test each or more (docs/taxii-musts.md maps them). */
describe.each(testEngines())('TAXII 2.1 server on %s', (engine) => {
  let t: TestContext;
  let miyagi: string; // prefecture, official, AMBER ceiling: read + write
  let vendor: string; // vendor, GREEN ceiling: read only
  let outsider: string; // a partner without any grant
  let staffToken: string;
  let col: string;
  let other: string;
  const partnerIds: Record<string, string> = {};

  const get = (token: string, url: string, accept = TAXII_MEDIA) =>
    t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}`, accept } });
  const post = (token: string, url: string, body: unknown, type = TAXII_MEDIA) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}`, accept: TAXII_MEDIA, 'content-type': type },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const ids = (env: Env) => (env.objects ?? []).map((o) => o.id);
  const values = (env: Env) => JSON.stringify(env.objects ?? []);

  beforeAll(async () => {
    t = await createTestContext(engine);
    const p = t.platform;
    await seedSharingData(p);
    const mk = async (name: string, kind: 'prefecture' | 'vendor', tlpMax: 'amber' | 'green', official: boolean) => {
      const v = await createPartner(p, null, { name, kind, tlpMax, official, agreement: '', contacts: [] }, null);
      partnerIds[name] = v.id;
      return (await createPartnerToken(p, null, v.id, { name: 'taxii', expiresInDays: 30 }, null)).token;
    };
    miyagi = await mk('宮城県警察', 'prefecture', 'amber', true);
    vendor = await mk('フィルタリング事業者', 'vendor', 'green', false);
    outsider = await mk('無関係の事業者', 'vendor', 'green', false);
    const staff = await makeUser(p, { roles: ['cyber_analyst'] });
    const { insertToken } = await import('../../../platform/auth/tokens.ts');
    staffToken = (
      await p.db.db
        .transaction()
        .execute((trx) =>
          insertToken(trx, { userId: staff.id, name: 'staff', expiresAt: null, createdBy: null }, p.clock.now()),
        )
    ).token;
    col = (await createCollection(p, null, { title: '福島県警 フィッシング指標' }, null)).id;
    other = (await createCollection(p, null, { title: '別のコレクション' }, null)).id;
    await grantCollection(p, null, col, { name: '宮城県警察' }, { read: true, write: true }, null);
    await grantCollection(p, null, col, { name: 'フィルタリング事業者' }, { read: true, write: false }, null);
    await grantCollection(p, null, other, { name: '無関係の事業者' }, { read: true, write: false }, null);
    await publishCollection(p, null, col, null);
  });
  afterAll(async () => {
    await t.close();
  });

  it('discovery: the TAXII media type, the API roots; no credentials → 401 with the error resource', async () => {
    const res = await get(miyagi, '/taxii2/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(TAXII_MEDIA);
    const body = res.json();
    expect(body.title).toBeTruthy();
    expect(body.api_roots).toContain(`${t.platform.config.baseUrl}/taxii2/renkei/`);
    const anon = await t.app.inject({ method: 'GET', url: '/taxii2/', headers: { accept: TAXII_MEDIA } });
    expect(anon.statusCode).toBe(401);
    expect(anon.headers['content-type']).toBe(TAXII_MEDIA);
    expect(anon.headers['www-authenticate']).toMatch(/Basic/);
    expect(anon.json()).toMatchObject({ http_status: '401' });
    expect(typeof anon.json().title).toBe('string');
  });

  it('HTTP Basic with the token as the password authenticates; a wrong token does not', async () => {
    const basic = (tok: string) => `Basic ${Buffer.from(`miyagi:${tok}`).toString('base64')}`;
    const ok = await t.app.inject({
      method: 'GET',
      url: '/taxii2/',
      headers: { authorization: basic(miyagi), accept: TAXII_MEDIA },
    });
    expect(ok.statusCode).toBe(200);
    const bad = await t.app.inject({
      method: 'GET',
      url: '/taxii2/',
      headers: { authorization: basic('rk_wrong'), accept: TAXII_MEDIA },
    });
    expect(bad.statusCode).toBe(401);
  });

  it('406 for an Accept the server does not speak; 403 for a staff token (TAXII is for partners)', async () => {
    expect((await get(miyagi, '/taxii2/', 'application/json')).statusCode).toBe(406);
    expect((await get(miyagi, '/taxii2/', 'application/taxii+json;version=2.0')).statusCode).toBe(406);
    expect((await get(miyagi, '/taxii2/', 'application/taxii+json')).statusCode).toBe(200);
    const staff = await get(staffToken, '/taxii2/');
    expect(staff.statusCode).toBe(403);
    expect(staff.json().http_status).toBe('403');
  });

  it('API root information; an unknown root is 404', async () => {
    const res = await get(miyagi, `${ROOT}/`);
    expect(res.statusCode).toBe(200);
    expect(res.json().versions).toContain(TAXII_MEDIA);
    expect(res.json().max_content_length).toBeGreaterThan(0);
    expect((await get(miyagi, '/taxii2/nope/')).statusCode).toBe(404);
  });

  it('collections: each partner sees only collections granted to it, with can_read / can_write', async () => {
    const m = (await get(miyagi, `${ROOT}/collections/`)).json();
    expect(m.collections.map((c: { id: string }) => c.id)).toEqual([col]);
    expect(m.collections[0]).toMatchObject({
      can_read: true,
      can_write: true,
      media_types: ['application/stix+json;version=2.1'],
    });
    const v = (await get(vendor, `${ROOT}/collections/${col}/`)).json();
    expect(v).toMatchObject({ id: col, can_read: true, can_write: false });
    expect((await get(outsider, `${ROOT}/collections/${col}/`)).statusCode).toBe(404);
    expect((await get(outsider, `${ROOT}/collections/${col}/objects/`)).statusCode).toBe(404);
    expect((await get(miyagi, `${ROOT}/collections/${other}/`)).statusCode).toBe(404);
  });

  it('objects: AMBER reaches only the partner allowed; RED, 機密性3 and personal data reach nobody', async () => {
    const m = (await get(miyagi, `${ROOT}/collections/${col}/objects/?limit=1000`)).json() as Env;
    const mv = values(m);
    expect(mv).toContain(SEED.clearUrl);
    expect(mv).toContain(SEED.amberDomain);
    const v = (await get(vendor, `${ROOT}/collections/${col}/objects/?limit=1000`)).json() as Env;
    const vv = values(v);
    expect(vv).toContain(SEED.clearUrl);
    expect(vv).not.toContain(SEED.amberDomain);
    for (const s of [mv, vv]) {
      expect(s).not.toContain(SEED.redIp);
      expect(s).not.toContain(SEED.secretHash);
      expect(s).not.toContain(SEED.victimPhone);
      expect(s).not.toContain('marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed'); // TLP:RED
    }
  });

  it('paging: limit, more and next walk every object once; X-TAXII-Date-Added-First/Last frame each page', async () => {
    const all = ids((await get(miyagi, `${ROOT}/collections/${col}/objects/?limit=1000`)).json());
    expect(all.length).toBeGreaterThan(3);
    const seen: string[] = [];
    let url = `${ROOT}/collections/${col}/objects/?limit=2`;
    for (let i = 0; i < 100; i++) {
      const res = await get(miyagi, url);
      const env = res.json() as Env;
      expect(res.headers['x-taxii-date-added-first']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      expect(res.headers['x-taxii-date-added-last']).toBeTruthy();
      expect((env.objects ?? []).length).toBeLessThanOrEqual(2);
      seen.push(...ids(env));
      if (!env.more) break;
      expect(env.next).toBeTruthy();
      url = `${ROOT}/collections/${col}/objects/?limit=2&next=${env.next}`;
    }
    expect(seen).toEqual(all);
  });

  it('added_after returns only what was added later; an empty result has no objects and more=false', async () => {
    const first = await get(miyagi, `${ROOT}/collections/${col}/objects/?limit=3`);
    const last = first.headers['x-taxii-date-added-last'] as string;
    const rest = (
      await get(miyagi, `${ROOT}/collections/${col}/objects/?added_after=${last}&limit=1000`)
    ).json() as Env;
    const all = ids((await get(miyagi, `${ROOT}/collections/${col}/objects/?limit=1000`)).json());
    expect(ids(rest)).toEqual(all.slice(3));
    const none = await get(miyagi, `${ROOT}/collections/${col}/objects/?added_after=2999-01-01T00:00:00Z`);
    expect(none.statusCode).toBe(200);
    expect(none.json()).toEqual({ more: false });
    expect((await get(miyagi, `${ROOT}/collections/${col}/objects/?added_after=yesterday`)).statusCode).toBe(400);
    expect((await get(miyagi, `${ROOT}/collections/${col}/objects/?limit=0`)).statusCode).toBe(400);
  });

  it('match[type], match[id] and match[spec_version] filter; the manifest lists id, date_added, version, media_type', async () => {
    const inds = (await get(miyagi, `${ROOT}/collections/${col}/objects/?match[type]=indicator`)).json() as Env;
    expect(inds.objects?.length).toBeGreaterThan(0);
    expect(inds.objects?.every((o) => o.type === 'indicator')).toBe(true);
    const one = inds.objects![0]!.id;
    const byId = (await get(miyagi, `${ROOT}/collections/${col}/objects/?match[id]=${one}`)).json() as Env;
    expect(ids(byId)).toEqual([one]);
    const v20 = (await get(miyagi, `${ROOT}/collections/${col}/objects/?match[spec_version]=2.0`)).json();
    expect(v20.objects).toBeUndefined();
    const man = (await get(miyagi, `${ROOT}/collections/${col}/manifest/?match[type]=indicator`)).json();
    expect(man.objects[0]).toEqual({
      id: expect.stringMatching(/^indicator--/),
      date_added: expect.stringMatching(/Z$/),
      version: expect.any(String),
      media_type: 'application/stix+json;version=2.1',
    });
  });

  it('posting needs write access and the TAXII content type; 202 with a status whose counts add up', async () => {
    const url = `${ROOT}/collections/${col}/objects/`;
    const indicator = (n: number, tlp: string) => ({
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--00000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`,
      created: '2026-03-01T00:00:00.000Z',
      modified: '2026-03-01T00:00:00.000Z',
      pattern: `[domain-name:value = 'posted${n}.example.jp']`,
      pattern_type: 'stix',
      valid_from: '2026-03-01T00:00:00Z',
      object_marking_refs: [tlp],
    });
    const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
    const AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
    const RED = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
    expect((await post(vendor, url, { objects: [indicator(1, GREEN)] })).statusCode).toBe(403);
    expect((await post(miyagi, url, { objects: [indicator(1, GREEN)] }, 'application/json')).statusCode).toBe(415);
    expect((await post(miyagi, url, { nope: 1 })).statusCode).toBe(400);
    expect((await post(miyagi, url, '{"objects": [')).statusCode).toBe(400);
    const broken = { ...indicator(9, GREEN), modified: '2020-01-01T00:00:00.000Z' }; // modified before created
    const res = await post(miyagi, url, {
      objects: [indicator(1, GREEN), indicator(2, AMBER), indicator(3, RED), broken],
    });
    expect(res.statusCode).toBe(202);
    expect(res.headers['content-type']).toBe(TAXII_MEDIA);
    const st = res.json();
    expect(st.status).toBe('complete');
    expect(st.total_count).toBe(4);
    expect(st.success_count + st.failure_count + st.pending_count).toBe(st.total_count);
    expect(st.failure_count).toBe(1);
    expect(st.failures[0].id).toBe(broken.id);
    const again = await get(miyagi, `${ROOT}/status/${st.id}/`);
    expect(again.json()).toEqual(st);
    expect((await get(vendor, `${ROOT}/status/${st.id}/`)).statusCode).toBe(404);
    // What Miyagi posted is served to the collection's other readers through the egress policy.
    const v = values((await get(vendor, `${url}?limit=1000`)).json());
    expect(v).toContain('posted1.example.jp');
    expect(v).not.toContain('posted2.example.jp');
    expect(v).not.toContain('posted3.example.jp');
    expect(values((await get(miyagi, `${url}?limit=1000`)).json())).not.toContain('posted3.example.jp');
    // A STIX 2.0 envelope cannot be processed.
    const old = { ...indicator(4, GREEN), spec_version: '2.0' };
    expect((await post(miyagi, url, { objects: [old] })).statusCode).toBe(422);
  });

  it('403 to read a collection the partner may only write; 413 over max_content_length', async () => {
    const p = t.platform;
    const writer = await createPartner(
      p,
      null,
      { name: '書込専用の県警', kind: 'prefecture', tlpMax: 'amber', official: true, agreement: '', contacts: [] },
      null,
    );
    const tok = (await createPartnerToken(p, null, writer.id, { name: 'taxii', expiresInDays: 30 }, null)).token;
    await grantCollection(p, null, col, { id: writer.id }, { read: false, write: true }, null);
    const res = await get(tok, `${ROOT}/collections/${col}/objects/`);
    expect(res.statusCode).toBe(403);
    expect(res.json().http_status).toBe('403');
    expect((await get(tok, `${ROOT}/collections/${col}/manifest/`)).statusCode).toBe(403);
    const huge = JSON.stringify({ objects: [{ type: 'note', padding: 'x'.repeat(11 * 1024 * 1024) }] });
    const big = await post(tok, `${ROOT}/collections/${col}/objects/`, huge);
    expect(big.statusCode).toBe(413);
  });

  it('object by id, its versions, match[version]; a withheld object is 404 as if it did not exist', async () => {
    const url = `${ROOT}/collections/${col}/objects/`;
    const id = 'indicator--00000000-0000-4000-8000-000000000077';
    const v = (modified: string) => ({
      type: 'indicator',
      spec_version: '2.1',
      id,
      created: '2026-03-01T00:00:00.000Z',
      modified,
      pattern: "[url:value = 'https://v.example.jp/']",
      pattern_type: 'stix',
      valid_from: '2026-03-01T00:00:00Z',
      object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
    });
    const posted = await post(miyagi, url, {
      objects: [v('2026-03-01T00:00:00.000Z'), v('2026-03-02T00:00:00.000Z'), v('2026-03-03T00:00:00.500Z')],
    });
    expect(posted.json().success_count).toBe(3);
    const last = (await get(vendor, `${url}${id}/`)).json() as Env;
    expect(last.objects?.map((o) => o.modified)).toEqual(['2026-03-03T00:00:00.500Z']);
    const first = (await get(vendor, `${url}${id}/?match[version]=first`)).json() as Env;
    expect(first.objects?.map((o) => o.modified)).toEqual(['2026-03-01T00:00:00.000Z']);
    const all = (await get(vendor, `${url}${id}/?match[version]=all`)).json() as Env;
    expect(all.objects).toHaveLength(3);
    const at = (await get(vendor, `${url}${id}/?match[version]=2026-03-02T00:00:00Z`)).json() as Env;
    expect(at.objects?.map((o) => o.modified)).toEqual(['2026-03-02T00:00:00.000Z']);
    const versions = (await get(vendor, `${url}${id}/versions/`)).json();
    expect(versions.versions).toEqual([
      '2026-03-01T00:00:00.000Z',
      '2026-03-02T00:00:00.000Z',
      '2026-03-03T00:00:00.500Z',
    ]);
    expect(versions.more).toBe(false);
    expect((await get(vendor, `${url}indicator--00000000-0000-4000-8000-000000000002/`)).statusCode).toBe(404);
    expect((await get(vendor, `${url}indicator--00000000-0000-4000-8000-0000000000ff/versions/`)).statusCode).toBe(404);
  });

  it('match[version] first/last count only the versions the reader may receive', async () => {
    const url = `${ROOT}/collections/${col}/objects/`;
    const id = 'indicator--00000000-0000-4000-8000-000000000078';
    const v = (modified: string, tlp: 'green' | 'amber') => ({
      type: 'indicator',
      spec_version: '2.1',
      id,
      created: '2026-03-01T00:00:00.000Z',
      modified,
      pattern: "[url:value = 'https://w.example.jp/']",
      pattern_type: 'stix',
      valid_from: '2026-03-01T00:00:00Z',
      object_marking_refs: [
        tlp === 'green'
          ? 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'
          : 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
      ],
    });
    // AMBER first and last, GREEN in between: the GREEN reader sees one version, the AMBER reader three.
    const posted = await post(miyagi, url, {
      objects: [
        v('2026-03-01T00:00:00.000Z', 'amber'),
        v('2026-03-02T00:00:00.000Z', 'green'),
        v('2026-03-03T00:00:00.000Z', 'amber'),
      ],
    });
    expect(posted.json().success_count).toBe(3);
    const modified = async (token: string, q: string) =>
      ((await get(token, `${url}${id}/${q}`)).json() as Env).objects?.map((o) => o.modified);
    expect(await modified(vendor, '')).toEqual(['2026-03-02T00:00:00.000Z']);
    expect(await modified(vendor, '?match[version]=first')).toEqual(['2026-03-02T00:00:00.000Z']);
    expect(await modified(vendor, '?match[version]=first,last')).toEqual(['2026-03-02T00:00:00.000Z']);
    expect(await modified(miyagi, '')).toEqual(['2026-03-03T00:00:00.000Z']);
    expect(await modified(miyagi, '?match[version]=first')).toEqual(['2026-03-01T00:00:00.000Z']);
    expect(await modified(miyagi, '?match[version]=first,last')).toEqual([
      '2026-03-01T00:00:00.000Z',
      '2026-03-03T00:00:00.000Z',
    ]);
    // The same in a collection-wide page (the version check runs on every row of the scan).
    const page = (await get(vendor, `${url}?match[id]=${id}`)).json() as Env;
    expect(page.objects?.map((o) => o.modified)).toEqual(['2026-03-02T00:00:00.000Z']);
  });

  it("paging over the reader's published rows and posted rows together: each once, in date_added order", async () => {
    type Manifest = { more?: boolean; next?: string; objects?: { id: string; version: string; date_added: string }[] };
    const url = `${ROOT}/collections/${col}/manifest/`;
    const key = (m: Manifest) => (m.objects ?? []).map((o) => `${o.id}|${o.version}|${o.date_added}`);
    const one = (await get(miyagi, `${url}?limit=1000`)).json() as Manifest;
    const all = key(one);
    // Both kinds are there: published for this reader, and posted by a partner (the earlier tests posted some).
    expect(all.some((k) => k.startsWith('indicator--00000000-0000-4000-8000-000000000077|'))).toBe(true);
    expect(all.length).toBeGreaterThan(4);
    const added = (one.objects ?? []).map((o) => o.date_added);
    expect([...added].sort()).toEqual(added);
    for (const limit of [1, 2, 3]) {
      const seen: string[] = [];
      let next = '';
      for (let i = 0; i < 200; i++) {
        const m = (await get(miyagi, `${url}?limit=${limit}${next ? `&next=${next}` : ''}`)).json() as Manifest;
        expect((m.objects ?? []).length).toBeLessThanOrEqual(limit);
        seen.push(...key(m));
        if (!m.more) break;
        next = m.next ?? '';
      }
      expect(seen).toEqual(all);
    }
  });

  it('date_added is strictly increasing in a collection, so added_after paging never skips', async () => {
    const rows = await t.platform.db.db
      .selectFrom('taxii_objects')
      .select(['added_us'])
      .where('collection_id', '=', col)
      .orderBy('seq')
      .execute();
    const us = rows.map((r) => Number(r.added_us));
    for (let i = 1; i < us.length; i++) expect(us[i]).toBeGreaterThan(us[i - 1]!);
  });

  it('re-publishing adds nothing new; a value re-marked 機密性3 stops being served', async () => {
    const p = t.platform;
    await publishCollection(p, null, col, null); // takes in what the partners posted (now in our model)
    const again = await publishCollection(p, null, col, null);
    expect(again.added).toBe(0);
    const obs = await p.db.db
      .selectFrom('observables')
      .select('id')
      .where('value', '=', SEED.amberDomain)
      .executeTakeFirstOrThrow();
    await p.db.db
      .insertInto('sharing_markings')
      .values({
        object_type: 'observable',
        object_id: obs.id,
        confidentiality: 3,
        recipients: '[]',
        personal: '[]',
        reason: 'test',
        decided_by: null,
        decided_at: p.clock.now().toISOString(),
      })
      .execute();
    const r = await publishCollection(p, null, col, null);
    expect(r.removed).toBeGreaterThan(0);
    expect(values((await get(miyagi, `${ROOT}/collections/${col}/objects/?limit=1000`)).json())).not.toContain(
      SEED.amberDomain,
    );
  });

  it('every pull and push is audited with the partner', async () => {
    const rows = await t.platform.db.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', 'in', ['sharing.export.taxii.pull', 'sharing.import.taxii', 'sharing.export.taxii'])
      .execute();
    const actions = new Set(rows.map((r) => r.action));
    expect(actions).toEqual(new Set(['sharing.export.taxii.pull', 'sharing.import.taxii', 'sharing.export.taxii']));
    expect(
      rows.every(
        (r) =>
          String(r.details).includes(partnerIds.宮城県警察!) ||
          String(r.details).includes(partnerIds.フィルタリング事業者!),
      ),
    ).toBe(true);
  });
});
