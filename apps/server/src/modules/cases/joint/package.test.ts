import { validateBundle } from '@renkei/core/stix/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../../testing/engines.ts';
import { type SignedIn, makeUser, signIn } from '../../../testing/factories.ts';
import { type TestContext, createTestContext } from '../../../testing/testPlatform.ts';
import { createPartner } from '../../sharing/partners.ts';
import { CONFIDENTIALITY_MARKING_IDS, type StixObject, TLP2_IDS } from '../../sharing/stixModel.ts';

// Issue 7 §4: the case package as a STIX 2.1 bundle, out of one prefecture's case (case A, for the partner
// "福島県警察") and into another case (case B), through the one egress policy and sharing's import path.
describe.each(testEngines())('the case package as a STIX bundle on %s', (engine) => {
  let t: TestContext;
  let analyst: SignedIn; // cyber division, leads case A (and the RED and 機密性3 cases)
  let investigator: SignedIn; // 捜査第二課, leads case B
  let outsider: SignedIn; // cyber division colleague, member of nothing
  let caseA = '';
  let caseB = '';
  let prefecture = ''; // 福島県警察: official, TLP ceiling AMBER
  let vendor = ''; // a filtering vendor: not official, ceiling GREEN
  let jointA = '';
  let jointB = '';
  const entry: Record<string, string> = {};
  const URL_OK = 'https://login-example.com/verify';
  const URL_RED = 'https://red-only.example.net/kit';
  const URL_CONF3 = 'https://secret-source.example.org/x';
  const VICTIM_MAIL = 'hanako.yamada@example.jp';

  const get = (who: SignedIn, url: string) => t.app.inject({ method: 'GET', url, headers: who.headers });
  const send = (who: SignedIn, method: 'POST' | 'PATCH', url: string, payload: object = {}) =>
    t.app.inject({ method, url, headers: who.headers, payload });
  const upload = (who: SignedIn, url: string, body: string) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { ...who.headers, 'content-type': 'application/stix+json;version=2.1' },
      payload: body,
    });
  const timelineOf = async (who: SignedIn, caseId: string) =>
    (await get(who, `/api/cases/${caseId}/timeline?limit=200`)).json().items as {
      id: string;
      kind: string;
      body: string;
    }[];
  const obsOf = async (who: SignedIn, caseId: string) =>
    (await get(who, `/api/cases/${caseId}/observables`)).json().items as { value: string; role: string }[];

  beforeAll(async () => {
    t = await createTestContext(engine, '2026-04-01T00:00:00.000Z');
    const a = await makeUser(t.platform, { roles: ['cyber_analyst'], unit: 'cyber-ka', clearance: 3 });
    const i = await makeUser(t.platform, { roles: ['investigator'], unit: 'sosa-nika' });
    const o = await makeUser(t.platform, { roles: ['cyber_analyst'], unit: 'cyber-ka' });
    [analyst, investigator, outsider] = (await Promise.all(
      [a, i, o].map((u) => signIn(t.app, t.platform, u.login, u.password)),
    )) as [SignedIn, SignedIn, SignedIn];
    prefecture = (
      await createPartner(t.platform, null, { name: '福島県警察', kind: 'prefecture', tlpMax: 'amber' }, null)
    ).id;
    vendor = (
      await createPartner(t.platform, null, { name: '某フィルタリング事業者', kind: 'vendor', tlpMax: 'green' }, null)
    ).id;
    caseA = (
      await send(analyst, 'POST', '/api/cases', {
        title: 'フィッシングによる認証情報窃取事件',
        summary: '偽の銀行サイトで認証情報を窃取した事案。',
        type: 'cyber_crime',
        tlp: 'amber',
        confidentiality: 2,
      })
    ).json().id;
    caseB = (await send(investigator, 'POST', '/api/cases', { title: '受領側の事件', type: 'cyber_crime' })).json().id;
    jointA = (
      await send(analyst, 'POST', `/api/cases/${caseA}/joint`, {
        kind: 'joint',
        partnerKind: 'prefecture',
        partnerName: '福島県警察',
        startedOn: '2026-04-01',
      })
    ).json().id;
    jointB = (
      await send(investigator, 'POST', `/api/cases/${caseB}/joint`, {
        kind: 'joint',
        partnerKind: 'prefecture',
        partnerName: '福島県警察',
        startedOn: '2026-04-01',
      })
    ).json().id;
    const obs = await send(analyst, 'POST', `/api/cases/${caseA}/observables`, {
      items: [
        { value: 'hxxps://login-example[.]com/verify', role: 'suspect' },
        { value: URL_RED, role: 'suspect' },
        { value: URL_CONF3, role: 'suspect' },
        { value: VICTIM_MAIL, role: 'victim' },
      ],
    });
    expect(obs.statusCode, obs.body).toBeLessThan(300);
    // One indicator is TLP:RED; another has a release decision of 機密性3.
    await t.platform.db.db.updateTable('observables').set({ tlp: 'red' }).where('value', '=', URL_RED).execute();
    const conf3 = await t.platform.db.db
      .selectFrom('observables')
      .select('id')
      .where('value', '=', URL_CONF3)
      .executeTakeFirstOrThrow();
    const mark = await send(analyst, 'POST', '/api/sharing/markings', {
      objectType: 'observable',
      objectId: conf3.id,
      confidentiality: 3,
      reason: '情報源秘匿',
    });
    expect(mark.statusCode, mark.body).toBe(200);
    const person = await send(analyst, 'POST', `/api/cases/${caseA}/persons`, {
      kind: 'victim',
      label: '被害者A',
      name: '山田 花子',
      address: '福島県福島市杉妻町2-16',
    });
    expect(person.statusCode, person.body).toBeLessThan(300);
    for (const body of [
      '被疑サイトのホスティング事業者を特定',
      '被害者 山田花子 から事情聴取',
      '内偵中：送金先口座の名義人を照会',
    ]) {
      const r = await send(analyst, 'POST', `/api/cases/${caseA}/timeline`, { body });
      expect(r.statusCode, r.body).toBeLessThan(300);
    }
    for (const e of await timelineOf(analyst, caseA)) {
      if (e.body.includes('ホスティング')) entry.hosting = e.id;
      if (e.body.includes('事情聴取')) entry.named = e.id;
      if (e.body.includes('内偵中')) entry.unselected = e.id;
      if (e.kind === 'person') entry.person = e.id;
    }
    expect(Object.keys(entry).sort()).toEqual(['hosting', 'named', 'person', 'unselected']);
  }, 120_000);
  afterAll(async () => t?.close());

  const selected = () => [entry.hosting!, entry.named!, entry.person!];
  let bundleText = '';

  it('previews, for the partner, what will be withheld and why: RED, 機密性3, personal data', async () => {
    const r = await send(analyst, 'POST', `/api/cases/${caseA}/package/preview`, {
      jointId: jointA,
      timelineIds: selected(),
    });
    expect(r.statusCode, r.body).toBe(200);
    const v = r.json();
    expect(v.recipient).toEqual({ id: prefecture, name: '福島県警察' });
    expect(v.blocked).toBeNull();
    expect(v.caseNumberIncluded).toBe(true);
    expect(v.withheldItems.find((w: { label: string }) => w.label.includes(URL_RED)).reason).toBe('tlp_red');
    expect(v.withheldItems.find((w: { label: string }) => w.label.includes(URL_CONF3)).reason).toBe(
      'confidentiality_3',
    );
    expect(v.withheldItems.find((w: { label: string }) => w.label.includes(VICTIM_MAIL)).reason).toBe('personal_data');
    expect(v.withheldItems.find((w: { id: string }) => w.id === entry.named).reason).toBe('personal_data');
    expect(v.withheldItems.find((w: { id: string }) => w.id === entry.person).reason).toBe('personal_data');
    expect(v.withheldItems.find((w: { id: string }) => w.id === entry.named).reasonLabel.ja).toContain('個人情報');
    // what is derived from a withheld value goes with it: the RED URL's host, the victim's mail domain
    expect(v.withheldItems.find((w: { label: string }) => w.label === 'domain: red-only.example.net').reason).toBe(
      'depends_on_withheld',
    );
    expect(v.withheldItems.find((w: { label: string }) => w.label === 'domain: example.jp').reason).toBe(
      'depends_on_withheld',
    );
    expect(v.sent).toMatchObject({ report: 1, note: 1, indicator: 2 });
  });

  it('exports a valid STIX bundle for the partner: the report, the selected note, the allowed indicator — and nothing else', async () => {
    const r = await send(analyst, 'POST', `/api/cases/${caseA}/package/export`, {
      jointId: jointA,
      timelineIds: selected(),
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toContain('application/stix+json');
    expect(r.headers['content-disposition']).toMatch(/case-package-.*\.stix\.json/);
    expect(r.headers['x-renkei-withheld']).toContain('personal_data=3');
    bundleText = r.body;
    const bundle = JSON.parse(bundleText) as { type: string; objects: StixObject[] };
    expect(validateBundle(bundle).issues).toEqual([]);
    const report = bundle.objects.find((o) => o.type === 'report')!;
    expect(report.name).toBe('フィッシングによる認証情報窃取事件');
    expect(report.description).toBe('偽の銀行サイトで認証情報を窃取した事案。');
    expect(report.object_marking_refs).toEqual([TLP2_IDS.amber, CONFIDENTIALITY_MARKING_IDS[2]]);
    const caseNumber = (await get(analyst, `/api/cases/${caseA}`)).json().caseNumber as string;
    expect(report.external_references).toEqual([expect.objectContaining({ external_id: caseNumber })]);
    const notes = bundle.objects.filter((o) => o.type === 'note');
    expect(notes.map((n) => n.content)).toEqual(['被疑サイトのホスティング事業者を特定']);
    expect(notes[0]!.object_refs).toEqual([report.id]);
    expect(bundle.objects.filter((o) => o.type === 'indicator').map((o) => o.pattern)).toEqual([
      `[url:value = '${URL_OK}']`,
      "[domain-name:value = 'login-example.com']",
    ]);
    // never in the file: RED, 機密性3, the victim's address and name, persons' entries, unselected entries
    for (const never of ['red-only', 'secret-source', 'example.jp', '山田', '杉妻町', '被害者A', '内偵中']) {
      expect(bundleText).not.toContain(never);
    }
    const shares = (await get(analyst, `/api/cases/${caseA}/joint`)).json().items[0].shares;
    expect(shares.at(-1)).toMatchObject({ direction: 'sent', what: expect.stringContaining('経過1件') });
    const audit = await t.platform.db.db
      .selectFrom('audit_log')
      .select(['details'])
      .where('action', '=', 'case.package.export')
      .execute();
    expect(audit).toHaveLength(1);
    expect(String(audit[0]!.details)).toContain('tlp_red=1');
  });

  it('a RED case, a 機密性3 case, and a 機密性2 case for a non-official partner: nothing leaves (422), nothing recorded', async () => {
    for (const [body, to, reason] of [
      [{ title: 'RED 事件', type: 'cyber_crime', tlp: 'red' }, prefecture, 'tlp_red'],
      [{ title: '秘 事件', type: 'cyber_crime', confidentiality: 3, tlp: 'green' }, prefecture, 'confidentiality_3'],
      [{ title: '通常事件', type: 'cyber_crime', tlp: 'green' }, vendor, 'confidentiality_2_not_official'],
    ] as const) {
      const id = (await send(analyst, 'POST', '/api/cases', body)).json().id as string;
      const pre = await send(analyst, 'POST', `/api/cases/${id}/package/preview`, { partnerId: to });
      expect(pre.json()).toMatchObject({ blocked: reason, sent: {} });
      const exp = await send(analyst, 'POST', `/api/cases/${id}/package/export`, { partnerId: to });
      expect(exp.statusCode, exp.body).toBe(422);
      expect((await timelineOf(analyst, id)).some((e) => e.kind === 'package')).toBe(false);
    }
  });

  it('a 機密性1 case for a vendor: the report goes, the 事件番号 (機密性2) does not', async () => {
    const id = (
      await send(analyst, 'POST', '/api/cases', {
        title: '公開注意喚起用の事件',
        type: 'cyber_crime',
        tlp: 'green',
        confidentiality: 1,
      })
    ).json().id as string;
    const pre = (await send(analyst, 'POST', `/api/cases/${id}/package/preview`, { partnerId: vendor })).json();
    expect(pre).toMatchObject({
      blocked: null,
      caseNumberIncluded: false,
      withheld: { confidentiality_2_not_official: 1 },
    });
    const exp = await send(analyst, 'POST', `/api/cases/${id}/package/export`, { partnerId: vendor });
    expect(exp.statusCode, exp.body).toBe(200);
    const report = (JSON.parse(exp.body) as { objects: StixObject[] }).objects.find((o) => o.type === 'report')!;
    expect(report.name).toBe('公開注意喚起用の事件');
    expect(report.external_references).toBeUndefined();
    expect(report.object_marking_refs).toEqual([TLP2_IDS.green]);
    expect(
      (await timelineOf(analyst, id)).some((e) => e.kind === 'package' && e.body.includes('某フィルタリング事業者')),
    ).toBe(true);
  });

  it('imports the bundle into the other case: the summary and the selected note arrive, marked as received', async () => {
    const before = (await timelineOf(investigator, caseB)).length;
    const r = await upload(
      investigator,
      `/api/cases/${caseB}/package/import?joint=${jointB}&name=a.stix.json`,
      bundleText,
    );
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ from: '福島県警察', observables: 2, timeline: 2 });
    const tl = await timelineOf(investigator, caseB);
    const received = tl.filter((e) => e.kind === 'received').map((e) => e.body);
    expect(received).toHaveLength(2);
    expect(
      received.some((b) => b.startsWith('［福島県警察から受領') && b.includes('被疑サイトのホスティング事業者を特定')),
    ).toBe(true);
    expect(received.some((b) => b.includes('偽の銀行サイトで認証情報を窃取した事案。'))).toBe(true);
    expect(tl.some((e) => e.body.includes('内偵中') || e.body.includes('山田'))).toBe(false);
    expect(tl.length).toBe(before + 3); // two received entries and the joint share
    expect((await obsOf(investigator, caseB)).map((o) => [o.value, o.role]).sort()).toEqual([
      [URL_OK, 'suspect'],
      ['login-example.com', 'suspect'],
    ]);
    const shares = (await get(investigator, `/api/cases/${caseB}/joint`)).json().items[0].shares;
    expect(shares).toMatchObject([{ direction: 'received', what: expect.stringContaining('経過2件') }]);
    // The partner's notes are kept 機密性3 (never re-emitted by the sharing channels).
    const kept = await t.platform.db.db
      .selectFrom('sharing_stix_objects')
      .select(['type', 'confidentiality'])
      .where('type', 'in', ['report', 'note'])
      .execute();
    expect(kept.every((k) => k.confidentiality === 3)).toBe(true);
  });

  it('a received entry goes back to its sender only', async () => {
    const got = (await timelineOf(investigator, caseB)).filter((e) => e.kind === 'received').map((e) => e.id);
    const third = (
      await createPartner(t.platform, null, { name: '宮城県警察', kind: 'prefecture', tlpMax: 'amber' }, null)
    ).id;
    const toThird = await send(investigator, 'POST', `/api/cases/${caseB}/package/preview`, {
      partnerId: third,
      timelineIds: got,
    });
    expect(toThird.json().withheld).toEqual({ not_named_recipient: 2 });
    const back = await send(investigator, 'POST', `/api/cases/${caseB}/package/preview`, {
      partnerId: prefecture,
      timelineIds: got,
    });
    expect(back.json().withheld).toEqual({});
    expect(back.json().sent.note).toBe(2);
  });

  it('a non-member gets 404 on preview, export and import, and nothing is written', async () => {
    expect(
      (await send(outsider, 'POST', `/api/cases/${caseA}/package/preview`, { partnerId: prefecture })).statusCode,
    ).toBe(404);
    expect(
      (await send(outsider, 'POST', `/api/cases/${caseA}/package/export`, { partnerId: prefecture })).statusCode,
    ).toBe(404);
    expect((await get(outsider, `/api/cases/${caseA}/package/partners`)).statusCode).toBe(404);
    const before = (await timelineOf(investigator, caseB)).length;
    expect((await upload(outsider, `/api/cases/${caseB}/package/import`, bundleText)).statusCode).toBe(404);
    expect((await timelineOf(investigator, caseB)).length).toBe(before);
  });

  it('a malformed bundle, a broken file and the old JSON format: 400 with the reason, nothing written', async () => {
    const before = (await timelineOf(investigator, caseB)).length;
    const obsBefore = (await obsOf(investigator, caseB)).length;
    const bad = JSON.parse(bundleText) as { objects: StixObject[] };
    const note = bad.objects.find((o) => o.type === 'note')!;
    note.content = '改ざんされた経過';
    delete note.object_refs; // a note must refer to something
    bad.objects.push({ type: 'indicator', id: 'indicator--7c9b3bb6-4b8e-4e4c-9a5e-0d1d2f9a0001', spec_version: '2.1' });
    const r = await upload(investigator, `/api/cases/${caseB}/package/import`, JSON.stringify(bad));
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json().error.code).toBe('STIX_BUNDLE_INVALID');
    expect(r.json().error.reason).toMatch(/note--|indicator--/);
    const broken = await upload(investigator, `/api/cases/${caseB}/package/import`, '{"type":"bundle","objects":[{');
    expect(broken.statusCode).toBe(400);
    const old = await upload(
      investigator,
      `/api/cases/${caseB}/package/import`,
      JSON.stringify({ format: 'renkei-case-package', version: 1, case: {}, observables: [], timeline: [] }),
    );
    expect(old.statusCode).toBe(400);
    expect(JSON.stringify(old.json())).toContain('renkei-case-package version 1');
    expect((await timelineOf(investigator, caseB)).length).toBe(before);
    expect((await obsOf(investigator, caseB)).length).toBe(obsBefore);
    expect((await timelineOf(investigator, caseB)).some((e) => e.body.includes('改ざん'))).toBe(false);
  });
});
