import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSubject } from '../../platform/auth/loadSubject.ts';
import type { Subject } from '../../platform/auth/subject.ts';
import { readPdf } from '../../platform/documents/pdfText.ts';
import { fileStoreFor } from '../../platform/files/index.ts';
import { jobsOf } from '../../platform/jobs/index.ts';
import { testEngines } from '../../testing/engines.ts';
import { type SignedIn, makeUser, signIn } from '../../testing/factories.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';
import { extendPreservation, sendRequest, withdrawRequest } from './lifecycle.ts';
import { measures } from './measures.ts';
import { setItemOutcome } from './outcome.ts';
import { listRequests, requestDetail } from './queries.ts';
import { approveRequest, changeStatus, createRequest } from './service.ts';

const DAY = 86_400_000;

describe.each(testEngines())('requests on %s', (engine) => {
  let t: TestContext;
  let drafter: Subject;
  let colleague: Subject;
  let head: Subject;
  let outsider: Subject;
  let outsiderHttp: SignedIn;
  let drafterHttp: SignedIn;
  let hosting: string;
  let bank: string;
  let carrier: string;
  const subject = async (id: string) => (await loadSubject(t.platform.db.db, id, 'session'))!;
  const pageText = async (pdf: Buffer) => (await readPdf(pdf)).pages.map((pg) => pg.text).join('\n');

  beforeAll(async () => {
    // 2026-04-01 09:00 JST
    t = await createTestContext(engine, '2026-04-01T00:00:00.000Z');
    const db = t.platform.db.db;
    const d = await makeUser(t.platform, { roles: ['cyber_analyst'], unit: 'cyber-ka' });
    const c = await makeUser(t.platform, { roles: ['cyber_analyst'], unit: 'cyber-ka' });
    const h = await makeUser(t.platform, { roles: ['cyber_analyst'], unit: 'cyber-ka' });
    const x = await makeUser(t.platform, { roles: ['cyber_analyst', 'investigator'], unit: 'st-koriyama' });
    const headPos = await db.selectFrom('positions').select('id').where('is_head', '=', 1).executeTakeFirstOrThrow();
    await db
      .updateTable('users')
      .set({ position_id: headPos.id, email: 'head@police.example.jp' })
      .where('id', '=', h.id)
      .execute();
    await db.updateTable('users').set({ email: 'drafter@police.example.jp' }).where('id', '=', d.id).execute();
    [drafter, colleague, head, outsider] = (await Promise.all([d, c, h, x].map((u) => subject(u.id)))) as [
      Subject,
      Subject,
      Subject,
      Subject,
    ];
    drafterHttp = await signIn(t.app, t.platform, d.login, d.password);
    outsiderHttp = await signIn(t.app, t.platform, x.login, x.password);
    const mk = async (body: object) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/requests/recipients',
        headers: drafterHttp.headers,
        payload: body,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    };
    hosting = await mk({ name: 'Example Hosting株式会社', kind: 'hosting', abuseEmail: 'abuse@hosting.example.test' });
    bank = await mk({ name: '株式会社三菱UFJ銀行', kind: 'bank', bankCode: '0005', fax: '03-0000-0000' });
    carrier = await mk({ name: '見本通信株式会社', kind: 'isp', legalEmail: 'legal@isp.example.test' });
  }, 120_000);
  afterAll(async () => t?.close());

  const takedown = (title = 'フィッシングサイトの停止') =>
    createRequest(
      t.platform,
      drafter,
      {
        typeCode: 'takedown',
        recipientId: hosting,
        title,
        fields: { 依頼理由: '金融機関を装うフィッシングサイト' },
        items: [
          { kind: 'url', value: 'https://login.bank-example.test/a' },
          { kind: 'url', value: 'https://login.bank-example.test/b' },
        ],
      },
      null,
    );

  it('seeds the request types from domain.md with their legal bases', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/requests/types', headers: drafterHttp.headers });
    const types = res.json<{ items: { code: string; name: string; legalBasis: string }[] }>().items;
    expect(types.map((x) => x.name)).toEqual(
      expect.arrayContaining([
        '捜査関係事項照会',
        '通信履歴保全要請',
        'テイクダウン依頼',
        'C2サーバ停止依頼',
        '口座凍結検討依頼',
        '削除依頼',
        'SMS遮断情報提供',
        '情報提供・働き掛け',
      ]),
    );
    expect(types.find((x) => x.code === 'sosa_shokai')?.legalBasis).toBe('刑事訴訟法第197条第2項');
    expect(types.find((x) => x.code === 'hozen_yosei')?.legalBasis).toBe('刑事訴訟法第197条第3項');
  });

  it('drafts, refuses approval by the drafter and by a colleague, is approved by the unit head, and is sent by mail with the letter kept', async () => {
    const { id } = await takedown();
    await expect(approveRequest(t.platform, drafter, id, null)).rejects.toMatchObject({
      code: 'REQUEST_SELF_APPROVAL',
    });
    await expect(approveRequest(t.platform, colleague, id, null)).rejects.toMatchObject({
      code: 'REQUEST_NOT_UNIT_HEAD',
    });
    const { documentNumber } = await approveRequest(t.platform, head, id, null);
    expect(documentNumber).toMatch(/^.+第\d+号$/);
    await sendRequest(t.platform, drafter, id, 'mail', null);
    const d = await requestDetail(t.platform, drafter, id);
    expect(d.status).toBe('sent');
    expect(d.events.map((e) => e.action)).toEqual(['created', 'approved', 'sent_mail']);
    const letter = d.documents.find((x) => x.kind === 'letter')!;
    expect(letter.mailId).toBeTruthy();
    const mail = await t.platform.db.db
      .selectFrom('mail_outbox')
      .selectAll()
      .where('id', '=', letter.mailId!)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(mail.to_addrs)).toEqual(['abuse@hosting.example.test']);
    expect(mail.subject).toContain(d.reference);
    const text = await pageText(await fileStoreFor(t.platform).readAll(letter.fileId));
    expect(text).toContain('令和8年4月1日');
    expect(text).toContain(documentNumber);
    expect(text).toContain('hxxps://login.bank-example.test/a');
    const audit = await t.platform.db.db.selectFrom('audit_log').select('action').where('target_id', '=', id).execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['request.create', 'request.approve', 'request.send']),
    );
  });

  it('hides requests from another unit: list, detail, route (404) and approval', async () => {
    const { id } = await takedown('他所属に見せない依頼');
    expect((await listRequests(t.platform, outsider, { limit: 50 })).items).toEqual([]);
    await expect(requestDetail(t.platform, outsider, id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const res = await t.app.inject({ method: 'GET', url: `/api/requests/${id}`, headers: outsiderHttp.headers });
    expect(res.statusCode).toBe(404);
    const appr = await t.app.inject({
      method: 'POST',
      url: `/api/requests/${id}/approve`,
      headers: outsiderHttp.headers,
    });
    expect(appr.statusCode).toBe(404);
    expect((await listRequests(t.platform, drafter, { limit: 50 })).items.map((r) => r.id)).toContain(id);
  });

  it("hides a request linked to a case from a same-unit colleague who is not the case's member", async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: drafterHttp.headers,
      payload: { title: '不正送金事件', type: 'cyber_crime' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const caseId = res.json<{ id: string }>().id;
    const { id } = await createRequest(
      t.platform,
      drafter,
      {
        typeCode: 'sosa_shokai',
        recipientId: carrier,
        title: '契約者照会',
        caseId,
        fields: { 照会事項: '契約者情報' },
        items: [{ kind: 'ipv4', value: '192.0.2.10' }],
      },
      null,
    );
    await expect(requestDetail(t.platform, colleague, id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await listRequests(t.platform, colleague, { limit: 50 })).items.map((r) => r.id)).not.toContain(id);
    expect((await requestDetail(t.platform, drafter, id)).caseId).toBe(caseId);
  });

  it('validates freeze requests against zengin-code: names shown, kana normalised, unknown branch refused', async () => {
    const base = {
      typeCode: 'koza_toketsu',
      recipientId: bank,
      title: '詐欺利用口座',
      fields: { 被害者振込日時: '2026-03-30', 振込金額: 150000, 同意: '有' },
    };
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/requests',
      headers: drafterHttp.headers,
      payload: {
        ...base,
        items: [
          {
            kind: 'bank_account',
            account: {
              bankCode: '0005',
              branchCode: '999',
              accountType: 'futsu',
              number: '0619622',
              holderKana: 'ショウシュウ(カ',
            },
          },
        ],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { code: string } }>().error.code).toBe('REQUEST_BRANCH_UNKNOWN');
    const short = await t.app.inject({
      method: 'POST',
      url: '/api/requests',
      headers: drafterHttp.headers,
      payload: {
        ...base,
        items: [
          {
            kind: 'bank_account',
            account: {
              bankCode: '0005',
              branchCode: '170',
              accountType: 'futsu',
              number: '61962',
              holderKana: 'ｼｮｳｼｭｳ',
            },
          },
        ],
      },
    });
    expect(short.json<{ error: { code: string } }>().error.code).toBe('REQUEST_ACCOUNT_NUMBER_INVALID');
    const { id } = await createRequest(
      t.platform,
      drafter,
      {
        ...base,
        items: [
          {
            kind: 'bank_account',
            account: {
              bankCode: '0005',
              branchCode: '170',
              accountType: 'futsu',
              number: '0619622',
              holderKana: 'ショウシュウ（カ',
            },
          },
        ],
      },
      null,
    );
    const d = await requestDetail(t.platform, drafter, id);
    expect(d.items[0]!.details).toMatchObject({ bankName: '三菱ＵＦＪ', branchName: '西池袋', holderKana: 'ｼﾖｳｼﾕｳ(ｶ' });
    expect(d.items[0]!.value).toBe('0005-170-1-0619622');
    await approveRequest(t.platform, head, id, null);
    await sendRequest(t.platform, drafter, id, 'print', null);
    const after = await requestDetail(t.platform, drafter, id);
    const text = await pageText(await fileStoreFor(t.platform).readAll(after.documents[0]!.fileId));
    expect(text).toContain('西池袋');
    expect(text).toContain('ｼﾖｳｼﾕｳ(ｶ');
    expect(after.events.map((e) => e.action)).toContain('sent_fax');
  });

  it('reminds at the reply date and escalates to the unit head after it (fake clock)', async () => {
    const { id } = await takedown('期限管理');
    await approveRequest(t.platform, head, id, null);
    await sendRequest(t.platform, drafter, id, 'mail', null);
    t.clock.advance(3 * DAY + 60_000);
    await jobsOf(t.platform).runDue();
    let d = await requestDetail(t.platform, drafter, id);
    expect(d.events.map((e) => e.action)).toContain('reminder');
    expect(d.events.map((e) => e.action)).not.toContain('escalated');
    t.clock.advance(2 * DAY);
    await jobsOf(t.platform).runDue();
    d = await requestDetail(t.platform, drafter, id);
    expect(d.events.map((e) => e.action)).toContain('escalated');
    const toHead = await t.platform.db.db
      .selectFrom('mail_outbox')
      .select('subject')
      .where('to_addrs', 'like', '%head@police%')
      .execute();
    expect(toHead.some((m) => m.subject.includes('回答遅延'))).toBe(true);
  });

  it('records a takedown on the item, tags the observable "taken-down", and measures time to takedown', async () => {
    const { id } = await takedown('停止確認');
    await approveRequest(t.platform, head, id, null);
    await sendRequest(t.platform, drafter, id, 'mail', null);
    t.clock.advance(5 * 3_600_000);
    const d = await requestDetail(t.platform, drafter, id);
    await setItemOutcome(t.platform, drafter, id, d.items[0]!.id, 'taken_down', null);
    await changeStatus(t.platform, drafter, id, 'done', '停止を確認', null);
    const tags = await t.platform.db.db
      .selectFrom('observable_tags')
      .innerJoin('observables', 'observables.num', 'observable_tags.observable_num')
      .select(['observables.value', 'observable_tags.tag'])
      .where('observable_tags.tag', 'like', 'taken-down:%')
      .execute();
    expect(tags.some((x) => x.value.includes('login.bank-example.test/a'))).toBe(true);
    const m = await measures(t.platform, drafter);
    const row = m.timeToOutcome.find((x) => x.recipientId === hosting && x.outcome === 'taken_down')!;
    expect(row.count).toBeGreaterThanOrEqual(1);
    expect(row.medianHours).toBeCloseTo(5, 0);
    expect((await measures(t.platform, outsider)).timeToOutcome).toEqual([]);
  });

  it('preservation: 30 days at most, warns before the end, extends to 60 in total and refuses beyond, withdraws in writing', async () => {
    const base = {
      typeCode: 'hozen_yosei',
      recipientId: carrier,
      title: '通信履歴の保全',
      fields: { 保全対象記録: '接続記録（送信元・通信日時）' },
      items: [{ kind: 'ipv4', value: '192.0.2.20' }],
    };
    await expect(createRequest(t.platform, drafter, { ...base, periodDays: 31 }, null)).rejects.toMatchObject({
      code: 'REQUEST_PRESERVATION_LIMIT',
    });
    const { id } = await createRequest(t.platform, drafter, base, null);
    await approveRequest(t.platform, head, id, null);
    await sendRequest(t.platform, drafter, id, 'mail', null);
    await changeStatus(t.platform, drafter, id, 'acknowledged', '受領連絡あり', null);
    t.clock.advance(26 * DAY);
    await jobsOf(t.platform).runDue();
    let d = await requestDetail(t.platform, drafter, id);
    expect(d.events.map((e) => e.action)).toContain('period_warning');
    expect(d.status).toBe('acknowledged');
    const ext = await extendPreservation(t.platform, drafter, id, 30, null);
    expect(ext.periodDays).toBe(60);
    await expect(extendPreservation(t.platform, drafter, id, 1, null)).rejects.toMatchObject({
      code: 'REQUEST_PRESERVATION_LIMIT',
    });
    d = await requestDetail(t.platform, drafter, id);
    expect(d.periodDays).toBe(60);
    await withdrawRequest(t.platform, drafter, id, '差押えにより不要', null);
    d = await requestDetail(t.platform, drafter, id);
    expect(d.status).toBe('withdrawn');
    expect(d.documents.map((x) => x.kind)).toEqual(['letter', 'extension', 'withdrawal']);
    const text = await pageText(await fileStoreFor(t.platform).readAll(d.documents[2]!.fileId));
    expect(text).toContain('撤回');
  });

  it('expires a preservation request at the end of its period', async () => {
    const { id } = await createRequest(
      t.platform,
      drafter,
      {
        typeCode: 'hozen_yosei',
        recipientId: carrier,
        title: '満了',
        fields: { 保全対象記録: '接続記録' },
        items: [{ kind: 'ipv4', value: '192.0.2.30' }],
        periodDays: 10,
      },
      null,
    );
    await approveRequest(t.platform, head, id, null);
    await sendRequest(t.platform, drafter, id, 'mail', null);
    t.clock.advance(10 * DAY + 60_000);
    await jobsOf(t.platform).runDue();
    expect((await requestDetail(t.platform, drafter, id)).status).toBe('expired');
  });
});
