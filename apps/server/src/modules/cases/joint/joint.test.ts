import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../../testing/engines.ts';
import { type SignedIn, makeUser, signIn } from '../../../testing/factories.ts';
import { type TestContext, createTestContext } from '../../../testing/testPlatform.ts';

describe.each(testEngines())('joint and mutual-assistance work on %s', (engine) => {
  let t: TestContext;
  let analyst: SignedIn; // cyber division, leads case A
  let investigator: SignedIn; // 捜査第二課
  let outsider: SignedIn; // cyber division colleague, member of nothing
  let caseA = '';

  const get = (who: SignedIn, url: string) => t.app.inject({ method: 'GET', url, headers: who.headers });
  const send = (who: SignedIn, method: 'POST' | 'PATCH' | 'PUT', url: string, payload: object = {}) =>
    t.app.inject({ method, url, headers: who.headers, payload });

  beforeAll(async () => {
    t = await createTestContext(engine, '2026-04-01T00:00:00.000Z');
    const a = await makeUser(t.platform, { roles: ['cyber_analyst'], unit: 'cyber-ka' });
    const i = await makeUser(t.platform, { roles: ['investigator'], unit: 'sosa-nika' });
    const o = await makeUser(t.platform, { roles: ['cyber_analyst'], unit: 'cyber-ka' });
    [analyst, investigator, outsider] = (await Promise.all(
      [a, i, o].map((u) => signIn(t.app, t.platform, u.login, u.password)),
    )) as [SignedIn, SignedIn, SignedIn];
    caseA = (
      await send(analyst, 'POST', '/api/cases', { title: 'フィッシング事件（本県）', type: 'cyber_crime' })
    ).json().id;
    const obs = await send(analyst, 'POST', `/api/cases/${caseA}/observables`, {
      items: [{ value: 'hxxps://login-example[.]com/verify', role: 'suspect' }],
    });
    expect(obs.statusCode, obs.body).toBeLessThan(300);
  }, 90_000);
  afterAll(async () => t?.close());

  it('records a joint investigation with a national unit, what was shared and when', async () => {
    const j = await send(analyst, 'POST', `/api/cases/${caseA}/joint`, {
      kind: 'joint',
      partnerKind: 'national',
      partnerName: '警察庁サイバー特別捜査部',
      startedOn: '2026-04-01',
    });
    expect(j.statusCode, j.body).toBe(201);
    const jointId = j.json().id;
    expect((await get(outsider, `/api/cases/${caseA}/joint`)).statusCode).toBe(404);
    const share = await send(analyst, 'POST', `/api/cases/${caseA}/joint/${jointId}/shares`, {
      direction: 'sent',
      what: '被疑サイトの一覧',
      channel: 'mail',
    });
    expect(share.statusCode, share.body).toBe(201);
    const shares = (await get(analyst, `/api/cases/${caseA}/joint`)).json().items[0].shares;
    expect(shares).toMatchObject([{ direction: 'sent', what: '被疑サイトの一覧', channel: 'mail' }]);
    expect(
      (await send(outsider, 'POST', `/api/cases/${caseA}/joint/${jointId}/shares`, { direction: 'sent', what: 'x' }))
        .statusCode,
    ).toBe(404);
    // the case package itself: package.test.ts
  });

  it('keeps 捜査共助 and international assistance both ways, IHC allocations as a source, with documents', async () => {
    const ihcBad = await send(analyst, 'POST', '/api/case-assistance', {
      scope: 'domestic',
      direction: 'incoming',
      source: 'ihc',
      counterpart: '警察庁',
      subject: '児童ポルノ公然陳列',
      requestedOn: '2026-04-01',
    });
    expect(ihcBad.statusCode).toBe(400);
    const ihc = await send(analyst, 'POST', '/api/case-assistance', {
      scope: 'domestic',
      direction: 'incoming',
      source: 'ihc',
      counterpart: '警察庁',
      reference: 'IHC-2026-000123',
      subject: '全国協働捜査方式による割当',
      requestedOn: '2026-04-01',
    });
    expect(ihc.statusCode, ihc.body).toBe(201);
    expect(ihc.json().status).toBe('in_progress');
    const noChannel = await send(analyst, 'POST', '/api/case-assistance', {
      scope: 'international',
      direction: 'outgoing',
      source: 'foreign',
      counterpart: 'アメリカ合衆国',
      subject: 'x',
      requestedOn: '2026-04-01',
    });
    expect(noChannel.statusCode).toBe(400);
    const mlat = await send(analyst, 'POST', '/api/case-assistance', {
      scope: 'international',
      direction: 'outgoing',
      source: 'foreign',
      counterpart: 'アメリカ合衆国',
      channel: 'mlat',
      caseId: caseA,
      subject: 'クラウド事業者の加入者情報の提供依頼',
      requestedOn: '2026-04-01',
      dueOn: '2026-07-01',
    });
    expect(mlat.statusCode, mlat.body).toBe(201);
    const id = mlat.json().id;
    const boundary = '----renkeiDoc';
    const body = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="依頼書.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 test\r\n--${boundary}--\r\n`,
    );
    const doc = await t.app.inject({
      method: 'POST',
      url: `/api/case-assistance/${id}/documents`,
      headers: { ...analyst.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
    expect(doc.statusCode, doc.body).toBe(201);
    const sent = await send(analyst, 'PATCH', `/api/case-assistance/${id}`, { status: 'sent', sentOn: '2026-04-02' });
    expect(sent.json()).toMatchObject({ status: 'sent', sentOn: '2026-04-02', documents: [{ name: '依頼書.pdf' }] });
    expect((await get(analyst, `/api/case-assistance/${id}/documents/${doc.json().id}`)).body).toContain(
      '%PDF-1.4 test',
    );
    const intl = (await get(analyst, '/api/case-assistance?scope=international')).json();
    expect(intl.items.map((x: { id: string }) => x.id)).toEqual([id]);
    // another unit sees none of it; a case member of another unit sees the case-linked one
    expect((await get(investigator, '/api/case-assistance')).json().items).toEqual([]);
    expect((await get(investigator, `/api/case-assistance/${id}`)).statusCode).toBe(404);
  });

  it('writes NPA reports as files: periodic counts only; an immediate report is seen only by case members', async () => {
    const bad = await send(analyst, 'POST', '/api/npa-reports', { kind: 'periodic', period: '2026-13' });
    expect(bad.statusCode).toBe(400);
    const monthly = await send(analyst, 'POST', '/api/npa-reports', { kind: 'periodic', period: '2026-04' });
    expect(monthly.statusCode, monthly.body).toBe(201);
    const file = await get(analyst, `/api/npa-reports/${monthly.json().id}/file`);
    const doc = JSON.parse(file.body);
    expect(doc).toMatchObject({ format: 'renkei-npa-report', kind: 'periodic', period: '2026-04' });
    expect(file.body).not.toContain('フィッシング事件');
    expect(
      (await send(investigator, 'POST', '/api/npa-reports', { kind: 'periodic', period: '2026-04' })).statusCode,
    ).toBe(403);
    const imm = await send(analyst, 'POST', '/api/npa-reports', {
      kind: 'immediate',
      caseId: caseA,
      note: '被害拡大のおそれ',
    });
    expect(imm.statusCode, imm.body).toBe(201);
    const mine = (await get(analyst, '/api/npa-reports')).json().items.map((x: { id: string }) => x.id);
    expect(mine).toContain(imm.json().id);
    const theirs = (await get(outsider, '/api/npa-reports')).json().items.map((x: { id: string }) => x.id);
    expect(theirs).toContain(monthly.json().id);
    expect(theirs).not.toContain(imm.json().id);
    expect((await get(outsider, `/api/npa-reports/${imm.json().id}/file`)).statusCode).toBe(404);
    expect((await send(outsider, 'POST', '/api/npa-reports', { kind: 'immediate', caseId: caseA })).statusCode).toBe(
      404,
    );
    expect((await send(analyst, 'POST', `/api/npa-reports/${imm.json().id}/sent`)).json().sentAt).not.toBeNull();
  });

  it('keeps the business-victim profile (NCO template) with evidence preservation before recovery', async () => {
    const empty = (await get(analyst, `/api/cases/${caseA}/victim-profile`)).json();
    expect(empty.saved).toBe(false);
    const saved = await send(analyst, 'PUT', `/api/cases/${caseA}/victim-profile`, {
      fields: {
        incidentType: 'ransomware',
        encryptedExtension: '.lockbit',
        ransomDemanded: true,
        currentState: 'ongoing',
        intrusionVector: 'VPN機器の脆弱性',
      },
      ncoConsent: true,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const codes = saved.json().checklist.map((c: { code: string }) => c.code);
    expect(codes.slice(0, 5)).toEqual(['isolate', 'logs', 'images', 'diagram', 'note']);
    expect(codes).not.toContain('traffic');
    const early = await send(analyst, 'POST', `/api/cases/${caseA}/victim-profile/checklist/backup`, { done: true });
    expect(early.statusCode).toBe(409);
    for (const c of ['isolate', 'logs', 'images', 'diagram', 'note']) {
      expect(
        (await send(analyst, 'POST', `/api/cases/${caseA}/victim-profile/checklist/${c}`, { done: true })).statusCode,
      ).toBe(200);
    }
    const ok = await send(analyst, 'POST', `/api/cases/${caseA}/victim-profile/checklist/backup`, { done: true });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      incidentType: 'ransomware',
      ncoConsent: true,
      fields: { encryptedExtension: '.lockbit' },
    });
    expect((await get(outsider, `/api/cases/${caseA}/victim-profile`)).statusCode).toBe(404);
  });
});
