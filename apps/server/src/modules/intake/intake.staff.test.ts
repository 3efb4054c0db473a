import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../testing/engines.ts';
import { type SignedIn, makeUser, signIn, unitId } from '../../testing/factories.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';
import { ensureRoutingRules } from './routingRules.ts';

// Staff work on several reports: routing-rule editing, bulk actions, person history, IHC / NPA entries, and the
// promotion of a similar-text cluster to a campaign — each with the refusals a user relies on.
let addr = 0;
const nextAddr = () => `10.8.${Math.floor(++addr / 250)}.${(addr % 250) + 1}`;
const SMISH = (url: string) =>
  `【重要】お客様のアカウントに不審なログインがありました。本人確認のため下記URLから手続きしてください ${url} というSMSでした。`;

describe.each(testEngines())('intake staff work on %s', (engine) => {
  let t: TestContext;
  let analyst: SignedIn;
  let officer: SignedIn;
  let outsider: SignedIn;
  let officerId: string;

  const get = (who: SignedIn, url: string) => t.app.inject({ method: 'GET', url, headers: who.headers });
  const post = (who: SignedIn, url: string, payload: object = {}) =>
    t.app.inject({ method: 'POST', url, headers: who.headers, payload });
  const put = (who: SignedIn, url: string, payload: object) =>
    t.app.inject({ method: 'PUT', url, headers: who.headers, payload });
  const entry = async (who: SignedIn, body: object) => {
    const res = await post(who, '/api/intake/reports', {
      channel: 'phone',
      kind: 'consultation',
      reporterType: 'anonymous',
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; receiptNumber: string; ownerUnitId: string }>();
  };
  const audits = (action: string, targetId: string) =>
    t.platform.db.db
      .selectFrom('audit_log')
      .select(['details'])
      .where('action', '=', action)
      .where('target_id', '=', targetId)
      .execute();
  const row = (id: string) =>
    t.platform.db.db.selectFrom('intake_reports').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  beforeAll(async () => {
    t = await createTestContext(engine, '2026-04-07T01:00:00.000Z'); // Tue 10:00 JST
    const a = await makeUser(t.platform, { roles: ['cyber_analyst'], unit: 'cyber-ka' });
    const o = await makeUser(t.platform, { roles: ['station_officer'], unit: 'st-koriyama' });
    const x = await makeUser(t.platform, { roles: ['station_officer'], unit: 'st-aizuwakamatsu' });
    officerId = o.id;
    [analyst, officer, outsider] = (await Promise.all(
      [a, o, x].map((c) => signIn(t.app, t.platform, c.login, c.password)),
    )) as [SignedIn, SignedIn, SignedIn];
  }, 60_000);
  afterAll(async () => t?.close());

  it('edits the routing rules (analyst only, units checked, audited) and routes by them', async () => {
    const seeded = (await get(officer, '/api/intake/routing-rules')).json().items;
    expect(seeded.length).toBeGreaterThan(0);
    const aizu = await unitId(t.platform, 'st-aizuwakamatsu');
    const rules = [
      ...seeded.map((r: Record<string, unknown>) => ({
        category: r.category,
        urgent: r.urgent,
        target: r.target,
        note: r.note,
      })),
      { category: 'インターネットオークション', urgent: null, target: 'unit', targetUnitId: aizu, note: '試行' },
      { category: 'その他', urgent: null, target: 'cyber', enabled: false, note: '停止中' },
    ];
    expect((await put(officer, '/api/intake/routing-rules', { rules })).statusCode).toBe(403);
    const noUnit = await put(analyst, '/api/intake/routing-rules', {
      rules: [{ category: null, urgent: null, target: 'unit' }],
    });
    expect(noUnit.statusCode).toBe(400);
    expect(noUnit.json().error.code).toBe('VALIDATION_FAILED');
    const ghost = await put(analyst, '/api/intake/routing-rules', {
      rules: [{ category: null, urgent: null, target: 'unit', targetUnitId: crypto.randomUUID() }],
    });
    expect(ghost.statusCode).toBe(400);
    expect((await get(analyst, '/api/intake/routing-rules')).json().items).toHaveLength(seeded.length);

    const saved = await put(analyst, '/api/intake/routing-rules', { rules });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().items.at(-1)).toMatchObject({ category: 'その他', enabled: false });
    const byRule = await entry(officer, {
      narrative: 'オークションで落札した時計の代金を払ったが届かない。',
      category: 'インターネットオークション',
    });
    expect(byRule.ownerUnitId).toBe(aizu);
    const disabled = await entry(officer, { narrative: '近所の騒音について相談したい。', category: 'その他' });
    expect(disabled.ownerUnitId).toBe(await unitId(t.platform, 'st-koriyama'));
    const log = await t.platform.db.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'intake.routing.update')
      .execute();
    expect(log).toHaveLength(1);
    const units = (await get(officer, '/api/intake/units')).json().items;
    expect(units.map((u: { code: string }) => u.code)).toContain('st-aizuwakamatsu');

    // an emptied rule set stays empty: a restarted process (a platform object not seen before) does not re-seed it
    expect((await put(analyst, '/api/intake/routing-rules', { rules: [] })).json().items).toEqual([]);
    await ensureRoutingRules(Object.create(t.platform) as typeof t.platform);
    expect((await get(analyst, '/api/intake/routing-rules')).json().items).toEqual([]);
    expect((await put(analyst, '/api/intake/routing-rules', { rules })).statusCode).toBe(200);
  });

  it('acts on several reports in one transaction, audited per report, refusing what the user may not see', async () => {
    const mine = await Promise.all(
      [1, 2, 3].map((n) => entry(officer, { narrative: `近所の迷惑行為の相談その${n}`, category: 'その他' })),
    );
    const theirs = await entry(outsider, { narrative: '会津の相談' });
    const ids = mine.map((r) => r.id);

    // one report the officer may not see: nothing changes, the refusal names the id given
    const refused = await post(officer, '/api/intake/reports/bulk', {
      ids: [ids[0], theirs.id],
      action: 'category',
      category: '詐欺・悪質商法',
    });
    expect(refused.statusCode).toBe(404);
    expect(refused.json().error).toMatchObject({ code: 'NOT_FOUND', refused: [theirs.id] });
    expect((await row(ids[0]!)).category).toBe('その他');

    const cat = await post(officer, '/api/intake/reports/bulk', {
      ids: [ids[0], ids[1]],
      action: 'category',
      category: '詐欺・悪質商法',
    });
    expect(cat.statusCode, cat.body).toBe(200);
    expect(cat.json().changed).toBe(2);
    for (const id of [ids[0]!, ids[1]!]) {
      expect((await row(id)).category).toBe('詐欺・悪質商法');
      const a = await audits('intake.report.category', id);
      expect(a).toHaveLength(1);
      expect(JSON.parse(a[0]!.details as string)).toMatchObject({ bulk: 2 });
    }

    const assigned = await post(officer, '/api/intake/reports/bulk', { ids, action: 'assign', assigneeId: officerId });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect((await row(ids[2]!)).status).toBe('assigned');

    // all or nothing: one closed report stops the whole close, and the answer says which one
    expect((await post(officer, `/api/intake/reports/${ids[2]}/close`, { outcome: 'advice' })).statusCode).toBe(200);
    const conflict = await post(officer, '/api/intake/reports/bulk', { ids, action: 'close', outcome: 'advice' });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().error.receiptNumber).toBe(mine[2]!.receiptNumber);
    expect((await row(ids[0]!)).status).toBe('assigned');

    const route = await post(officer, '/api/intake/reports/bulk', {
      ids: [ids[0], ids[1]],
      action: 'route',
      unitId: await unitId(t.platform, 'cyber-ka'),
    });
    expect(route.statusCode, route.body).toBe(200);
    expect((await row(ids[0]!)).owner_unit_id).toBe(await unitId(t.platform, 'cyber-ka'));
    const noUnit = await post(officer, '/api/intake/reports/bulk', { ids: [ids[0]], action: 'route' });
    expect(noUnit.statusCode).toBe(400);
    const closed = await post(analyst, '/api/intake/reports/bulk', {
      ids: [ids[0], ids[1]],
      action: 'close',
      outcome: 'no_further_action',
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect((await audits('intake.report.close', ids[1]!)).length).toBe(1);
  });

  it('shows the person history to the handling units only, every read audited', async () => {
    const contact = { name: '見本 花子', phone: '090-1111-2222' };
    const first = await entry(officer, {
      reporterType: 'individual',
      contact,
      narrative: 'SNSでつきまといを受けている。',
    });
    const second = await entry(officer, {
      reporterType: 'individual',
      contact: { name: '見本花子', phone: '０９０－１１１１－２２２２' },
      narrative: '前回相談したつきまといが続いている。',
    });
    const other = await entry(officer, {
      reporterType: 'individual',
      contact: { phone: '090-9999-0000' },
      narrative: '別人の相談',
    });
    const h = await get(officer, `/api/intake/reports/${second.id}/person-history`);
    expect(h.statusCode, h.body).toBe(200);
    expect(h.json().items.map((i: { id: string }) => i.id)).toEqual([first.id]);
    expect((await get(officer, `/api/intake/reports/${second.id}`)).json().personHistoryCount).toBe(1);
    expect((await audits('intake.person_history.read', second.id)).length).toBe(1);
    expect((await get(outsider, `/api/intake/reports/${second.id}/person-history`)).statusCode).toBe(404);
    expect((await get(officer, `/api/intake/reports/${other.id}/person-history`)).json().items).toEqual([]);
  });

  it('keeps the IHC, NPA online window and business-victim fields of a staff entry', async () => {
    const ihc = {
      category: '児童ポルノ',
      referenceNumber: 'IHC-2026-000123',
      judgmentDate: '2026-04-01',
      url: 'hxxps://bad-board[.]example/thread/1',
      preservationHold: true,
      deletionRequestedOn: '2026-04-02',
      deletionConfirmedOn: '2026-04-05',
    };
    const r = await entry(analyst, { channel: 'ihc', kind: 'information', narrative: 'IHCからの通報', ihc });
    const full = (await get(analyst, `/api/intake/reports/${r.id}`)).json();
    expect(full.details.ihc).toEqual(ihc);
    expect(full.observables.map((o: { value: string }) => o.value).join(' ')).toContain('bad-board.example');

    const aizu = await unitId(t.platform, 'st-aizuwakamatsu');
    const npa = await entry(analyst, {
      channel: 'npa_online',
      narrative: '警察庁オンライン受付からの転送：フリマで代金を払ったが品物が届かない。',
      category: 'インターネットオークション',
      npa: { prefecture: '福島県', routedUnitId: aizu, reference: 'NPA-77' },
    });
    const npaFull = (await get(analyst, `/api/intake/reports/${npa.id}`)).json();
    expect(npaFull.receivingUnitId).toBe(aizu);
    expect(npaFull.details.npa).toMatchObject({ prefecture: '福島県', reference: 'NPA-77' });

    const biz = await entry(officer, {
      channel: 'counter',
      kind: 'report',
      reporterType: 'business',
      contact: { organisation: '見本商事', phone: '024-111-2222' },
      narrative: '社内サーバがDDoS攻撃を受けサービスが停止した。',
      business: {
        incidentType: 'ddos',
        ddosType: 'T1498.001',
        peakGbps: 12.5,
        durationMinutes: 90,
        currentState: 'ongoing',
      },
    });
    expect((await get(analyst, `/api/intake/reports/${biz.id}`)).json().details.business).toMatchObject({
      incidentType: 'ddos',
      peakGbps: 12.5,
    });
    const bad = await post(analyst, '/api/intake/reports', {
      channel: 'ihc',
      kind: 'information',
      reporterType: 'anonymous',
      narrative: 'x',
      ihc: { judgmentDate: '2026/04/01' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('promotes a similar-text cluster to a campaign (intel writers who see every report only)', async () => {
    const sent = await Promise.all(
      ['hxxps://acct-check1[.]example/a', 'https://acct-check2.example/b'].map(async (u) => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/public/reports',
          payload: { kind: 'report', reporterType: 'anonymous', narrative: SMISH(u) },
          remoteAddress: nextAddr(),
        });
        expect(res.statusCode).toBe(201);
        return res.json<{ receiptNumber: string }>().receiptNumber;
      }),
    );
    const rows = await t.platform.db.db
      .selectFrom('intake_reports')
      .select(['id', 'cluster_id'])
      .where('receipt_number', 'in', sent)
      .execute();
    const cluster = rows[0]!.cluster_id!;
    expect(rows[1]!.cluster_id).toBe(cluster);

    const name = 'アカウント確認SMS 2026-04';
    expect((await post(officer, `/api/intake/clusters/${cluster}/promote`, { name })).statusCode).toBe(404);
    expect((await post(analyst, `/api/intake/clusters/${crypto.randomUUID()}/promote`, { name })).statusCode).toBe(404);
    const ok = await post(analyst, `/api/intake/clusters/${cluster}/promote`, { name });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ name, linked: 2 });
    const links = await t.platform.db.db
      .selectFrom('intel_entity_links')
      .select(['place_id', 'reason'])
      .where('entity_id', '=', ok.json().campaignId)
      .execute();
    expect(links.map((l) => l.place_id).sort()).toEqual(rows.map((r) => r.id).sort());
    expect(links[0]!.reason).toContain(cluster);
    expect((await audits('intake.cluster.promote', cluster)).length).toBe(1);

    // a cluster with a report the user may not see is refused whole
    const hidden = await entry(outsider, { narrative: SMISH('hxxps://acct-check3[.]example/c'), confidentiality: 3 });
    expect((await row(hidden.id)).cluster_id).toBe(cluster);
    const part = await post(analyst, `/api/intake/clusters/${cluster}/promote`, { name: 'x' });
    expect(part.statusCode).toBe(403);
    expect(part.json().error.reason).toBe('cluster_not_fully_visible');
  });
});
