import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobsOf } from '../../../platform/jobs/index.ts';
import { testEngines } from '../../../testing/engines.ts';
import { type SignedIn, makeUser, signIn } from '../../../testing/factories.ts';
import { type TestContext, createTestContext } from '../../../testing/testPlatform.ts';

function upload(item: object, file: { name: string; data: Buffer }, itemFirst = true) {
  const boundary = '----renkeiEvidence7MA4YWxk';
  const itemPart = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="item"\r\n\r\n${JSON.stringify(item)}\r\n`,
  );
  const filePart = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    file.data,
    Buffer.from('\r\n'),
  ]);
  const parts = itemFirst ? [itemPart, filePart] : [filePart, itemPart];
  return {
    payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
const hex = (algo: string, b: Buffer) => createHash(algo).update(b).digest('hex');

describe.each(testEngines())('case evidence on %s', (engine) => {
  let t: TestContext;
  let lead: SignedIn; // investigator of 捜査第二課: the case lead
  let analyst: SignedIn; // cyber analyst (係員), becomes a member through support
  let chief: SignedIn; // cyber analyst (係長): the analyst's superior, not a member
  let outsider: SignedIn; // cyber analyst of the same division, never a member
  const ids = { lead: '', analyst: '', chief: '', outsider: '' };
  let caseId = '';
  let evidenceId = '';
  const LOG = Buffer.from('2026-03-30T01:02:03Z 203.0.113.7 GET /admin.php 200\n'.repeat(500));

  const get = (who: SignedIn, url: string) => t.app.inject({ method: 'GET', url, headers: who.headers });
  const send = (who: SignedIn, method: 'POST' | 'PATCH', url: string, payload: object = {}) =>
    t.app.inject({ method, url, headers: who.headers, payload });

  beforeAll(async () => {
    t = await createTestContext(engine, '2026-04-01T00:00:00.000Z'); // Wed 09:00 JST
    const db = t.platform.db.db;
    const l = await makeUser(t.platform, { roles: ['investigator'], unit: 'sosa-nika' });
    const a = await makeUser(t.platform, { roles: ['cyber_analyst'], unit: 'cyber-ka' });
    const c = await makeUser(t.platform, { roles: ['cyber_analyst'], unit: 'cyber-ka' });
    const o = await makeUser(t.platform, { roles: ['cyber_analyst'], unit: 'cyber-ka' });
    Object.assign(ids, { lead: l.id, analyst: a.id, chief: c.id, outsider: o.id });
    const pos = async (code: string) =>
      (await db.selectFrom('positions').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
    await db
      .updateTable('users')
      .set({ position_id: await pos('staff') })
      .where('id', 'in', [a.id, o.id])
      .execute();
    await db
      .updateTable('users')
      .set({ position_id: await pos('chief') })
      .where('id', '=', c.id)
      .execute();
    [lead, analyst, chief, outsider] = (await Promise.all(
      [l, a, c, o].map((u) => signIn(t.app, t.platform, u.login, u.password)),
    )) as [SignedIn, SignedIn, SignedIn, SignedIn];
    const res = await send(lead, 'POST', '/api/cases', {
      title: '不正アクセス事件（証拠テスト）',
      type: 'cyber_crime',
    });
    expect(res.statusCode, res.body).toBe(201);
    caseId = res.json().id;
  }, 90_000);
  afterAll(async () => t?.close());

  it('the lead asks the cyber division for support; an analyst accepts and joins the case', async () => {
    const before = await get(analyst, `/api/cases/${caseId}/evidence`);
    expect(before.statusCode).toBe(404);
    const req = await send(lead, 'POST', '/api/support-requests', {
      caseId,
      kind: 'analysis',
      urgency: 'normal',
      summary: 'サーバログの解析支援',
    });
    expect(req.statusCode, req.body).toBe(201);
    const id = req.json().id;
    expect(req.json().clock).toMatchObject({ running: true, overdue: false, budgetMs: 4 * 3600_000 });
    const inbox = await get(analyst, '/api/support-requests?box=inbox&status=open');
    expect(inbox.json().items.map((i: { id: string }) => i.id)).toContain(id);
    const acc = await send(analyst, 'POST', `/api/support-requests/${id}/accept`, {});
    expect(acc.statusCode, acc.body).toBe(200);
    expect(acc.json()).toMatchObject({ status: 'accepted', assignee: { id: ids.analyst } });
    expect((await get(analyst, `/api/cases/${caseId}/evidence`)).statusCode).toBe(200);
  });

  it('uploads evidence hashed with SHA-256, SHA-1 and MD5; the download is the same bytes and is audited', async () => {
    const up = upload(
      { title: 'Webサーバのアクセスログ', location: 'サイバー犯罪対策課 解析室', itemNumber: '押第12号の1' },
      { name: 'access.log', data: LOG },
    );
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/evidence`,
      headers: { ...analyst.headers, ...up.headers },
      payload: up.payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    const item = res.json();
    evidenceId = item.id;
    expect(item.hashes).toEqual({ sha256: hex('sha256', LOG), sha1: hex('sha1', LOG), md5: hex('md5', LOG) });
    expect(item).toMatchObject({
      storage: 'store',
      size: LOG.length,
      custodyState: 'received',
      itemNumber: '押第12号の1',
    });
    const dl = await get(analyst, `/api/cases/${caseId}/evidence/${evidenceId}/download`);
    expect(dl.statusCode).toBe(200);
    expect(hex('sha256', dl.rawPayload)).toBe(item.hashes.sha256);
    const audit = await t.platform.db.db
      .selectFrom('audit_log')
      .select(['actor_id'])
      .where('action', '=', 'case.evidence.download')
      .where('target_id', '=', evidenceId)
      .execute();
    expect(audit.map((a) => a.actor_id)).toEqual([ids.analyst]);
  });

  it('refuses an upload whose file comes before its metadata, and leaves nothing behind', async () => {
    const up = upload({ title: 'x', location: 'y' }, { name: 'a.bin', data: Buffer.from('abc') }, false);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/evidence`,
      headers: { ...analyst.headers, ...up.headers },
      payload: up.payload,
    });
    expect(res.statusCode).toBe(400);
    const n = await t.platform.db.db.selectFrom('case_evidence').select('id').where('case_id', '=', caseId).execute();
    expect(n).toHaveLength(1);
  });

  it('a non-member gets 404 for evidence, custody, downloads, analysis and warrants, and is audited', async () => {
    for (const url of [
      `/api/cases/${caseId}/evidence`,
      `/api/cases/${caseId}/evidence/${evidenceId}`,
      `/api/cases/${caseId}/evidence/${evidenceId}/download`,
      `/api/cases/${caseId}/evidence/${evidenceId}/verify`,
      `/api/cases/${caseId}/analysis`,
      `/api/cases/${caseId}/warrants`,
    ]) {
      const res = await get(outsider, url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain('access.log');
    }
    const custody = await send(outsider, 'POST', `/api/cases/${caseId}/evidence/${evidenceId}/custody`, {
      action: 'transferred',
      location: 'x',
      reason: 'y',
    });
    expect(custody.statusCode).toBe(404);
    const up = upload({ title: 'x', location: 'y' }, { name: 'a.bin', data: Buffer.from('abc') });
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/evidence`,
      headers: { ...outsider.headers, ...up.headers },
      payload: up.payload,
    });
    expect(res.statusCode).toBe(404);
    const denied = await t.platform.db.db
      .selectFrom('audit_log')
      .select('seq')
      .where('action', '=', 'case.access.denied')
      .where('actor_id', '=', ids.outsider)
      .execute();
    expect(denied.length).toBeGreaterThanOrEqual(7);
  });

  it('keeps a hash-chained chain of custody that verifies, detects tampering and ends at return or disposal', async () => {
    for (const [action, location] of [
      ['stored', '証拠品保管庫A-3'],
      ['transferred', '科学捜査研究所'],
    ] as const) {
      const res = await send(analyst, 'POST', `/api/cases/${caseId}/evidence/${evidenceId}/custody`, {
        action,
        location,
        reason: '解析のため',
        counterpart: action === 'transferred' ? '科捜研 担当者' : undefined,
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const item = (await get(analyst, `/api/cases/${caseId}/evidence/${evidenceId}`)).json();
    expect(item.custody.map((c: { action: string }) => c.action)).toEqual(['received', 'stored', 'transferred']);
    expect(item.custody[1].prevHash).toBe(item.custody[0].hash);
    expect(item.chain).toEqual({ ok: true, events: 3, firstBadSeq: null, reason: null });
    // a future custody event is refused
    const future = await send(analyst, 'POST', `/api/cases/${caseId}/evidence/${evidenceId}/custody`, {
      action: 'stored',
      at: '2030-01-01T00:00:00.000Z',
      location: 'x',
      reason: 'y',
    });
    expect(future.statusCode).toBe(400);
    // someone edits the database behind the application's back
    const db = t.platform.db.db;
    await db
      .updateTable('case_custody_events')
      .set({ location: '自宅' })
      .where('evidence_id', '=', evidenceId)
      .where('seq', '=', 2)
      .execute();
    const bad = (await get(analyst, `/api/cases/${caseId}/evidence/${evidenceId}/verify`)).json();
    expect(bad).toMatchObject({ ok: false, firstBadSeq: 2 });
    await db
      .updateTable('case_custody_events')
      .set({ location: '証拠品保管庫A-3' })
      .where('evidence_id', '=', evidenceId)
      .where('seq', '=', 2)
      .execute();
    await db.deleteFrom('case_custody_events').where('evidence_id', '=', evidenceId).where('seq', '=', 3).execute();
    expect((await get(analyst, `/api/cases/${caseId}/evidence/${evidenceId}/verify`)).json()).toMatchObject({
      ok: false,
      firstBadSeq: 3,
    });
  });

  it('registers a forensic image without upload and derives a new item from it; the parent is never changed', async () => {
    const bad = await send(analyst, 'POST', `/api/cases/${caseId}/evidence/registered`, {
      title: 'HDDイメージ',
      location: 'フォレンジックサーバ /evidence/2026/001.E01',
      sha256: 'z'.repeat(64),
    });
    expect(bad.statusCode).toBe(400);
    const sha256 = 'A'.repeat(64);
    const reg = await send(analyst, 'POST', `/api/cases/${caseId}/evidence/registered`, {
      title: 'HDDイメージ',
      location: 'フォレンジックサーバ /evidence/2026/001.E01',
      itemNumber: '押第12号の2',
      sha256,
      md5: 'b'.repeat(32),
      size: 500 * 1024 ** 3,
    });
    expect(reg.statusCode, reg.body).toBe(201);
    const image = reg.json();
    expect(image).toMatchObject({
      storage: 'forensic',
      downloadable: false,
      hashes: { sha256: 'a'.repeat(64), md5: 'b'.repeat(32), sha1: null },
    });
    expect((await get(analyst, `/api/cases/${caseId}/evidence/${image.id}/download`)).statusCode).toBe(404);
    const data = Buffer.from('抽出したメール本文');
    const up = upload({ title: '抽出メール', location: '解析端末', parentId: image.id }, { name: 'mail.eml', data });
    const derived = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/evidence`,
      headers: { ...analyst.headers, ...up.headers },
      payload: up.payload,
    });
    expect(derived.statusCode, derived.body).toBe(201);
    expect(derived.json().parentId).toBe(image.id);
    const parent = (await get(analyst, `/api/cases/${caseId}/evidence/${image.id}`)).json();
    expect(parent.derived.map((d: { id: string }) => d.id)).toEqual([derived.json().id]);
    expect(parent.hashes.sha256).toBe('a'.repeat(64));
    // disposal ends custody
    expect(
      (
        await send(analyst, 'POST', `/api/cases/${caseId}/evidence/${image.id}/custody`, {
          action: 'disposed',
          location: '保管庫',
          reason: '保存期間満了',
        })
      ).statusCode,
    ).toBe(201);
    const after = await send(analyst, 'POST', `/api/cases/${caseId}/evidence/${image.id}/custody`, {
      action: 'stored',
      location: '保管庫',
      reason: 'x',
    });
    expect(after.statusCode).toBe(409);
  });

  it('an analysis request needs its checklist ticked and is approved by a superior only', async () => {
    const created = await send(analyst, 'POST', `/api/cases/${caseId}/analysis`, {
      evidenceIds: [evidenceId],
      purpose: '侵入経路の特定',
      equipment: ['解析用PC（スタンドアロン）'],
      tools: [{ name: 'Autopsy', version: '4.21.0' }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const a = created.json();
    expect(a.checklist.length).toBeGreaterThan(3);
    const early = await send(analyst, 'POST', `/api/cases/${caseId}/analysis/${a.id}/submit`);
    expect(early.statusCode).toBe(409);
    const ticked = a.checklist.map((c: { item: string }) => ({ item: c.item, done: true }));
    expect(
      (await send(analyst, 'PATCH', `/api/cases/${caseId}/analysis/${a.id}`, { checklist: ticked })).statusCode,
    ).toBe(200);
    const sub = await send(analyst, 'POST', `/api/cases/${caseId}/analysis/${a.id}/submit`);
    expect(sub.statusCode, sub.body).toBe(200);
    expect(sub.json()).toMatchObject({ status: 'submitted', approverId: ids.chief });
    // the requester cannot approve his own request; a colleague of the same rank is no superior and no member
    expect(
      (await send(analyst, 'POST', `/api/cases/${caseId}/analysis/${a.id}/decision`, { decision: 'approve' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await send(outsider, 'POST', `/api/cases/${caseId}/analysis/${a.id}/decision`, { decision: 'approve' }))
        .statusCode,
    ).toBe(404);
    // the superior sees the request waiting for him, but not the case's evidence
    const mine = (await get(chief, '/api/cases/analysis-approvals')).json();
    expect(mine.items.map((i: { id: string }) => i.id)).toEqual([a.id]);
    expect((await get(chief, `/api/cases/${caseId}/evidence`)).statusCode).toBe(404);
    const ok = await send(chief, 'POST', `/api/cases/${caseId}/analysis/${a.id}/decision`, {
      decision: 'approve',
      note: '手順に問題なし',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'approved', approverId: ids.chief });
    const done = await send(analyst, 'POST', `/api/cases/${caseId}/analysis/${a.id}/complete`, {
      result: 'VPN機器の脆弱性を悪用した侵入と判明',
    });
    expect(done.json().status).toBe('completed');
  });

  it('records a warrant linked to the evidence, reminds before it lapses and marks it expired after', async () => {
    const w = await send(lead, 'POST', `/api/cases/${caseId}/warrants`, {
      kind: 'record_order_seizure',
      reference: '令和8年（む）第123号',
      court: '福島地方裁判所',
      target: 'プロバイダXの通信履歴（2026-03-01〜03-31）',
      issuedOn: '2026-04-01',
      validUntil: '2026-04-07',
      links: [{ type: 'evidence', id: evidenceId }],
    });
    expect(w.statusCode, w.body).toBe(201);
    expect(w.json()).toMatchObject({ status: 'issued', daysLeft: 6 });
    expect((await send(lead, 'POST', `/api/cases/${caseId}/warrants`, { kind: 'nope', target: 'x' })).statusCode).toBe(
      400,
    );
    const item = (await get(analyst, `/api/cases/${caseId}/evidence/${evidenceId}`)).json();
    expect(item.warrants.map((x: { id: string }) => x.id)).toEqual([w.json().id]);
    const db = t.platform.db.db;
    const row = () =>
      db.selectFrom('case_warrants').selectAll().where('id', '=', w.json().id).executeTakeFirstOrThrow();
    await db.updateTable('users').set({ email: 'lead@police.example.jp' }).where('id', '=', ids.lead).execute();
    t.clock.set('2026-04-04T23:00:00.000Z'); // Sun 08:00 JST: not yet
    await jobsOf(t.platform).runDue();
    expect((await row()).reminded_at).toBeNull();
    t.clock.set('2026-04-05T00:30:00.000Z'); // Sun 09:30 JST, two days before the last valid day
    await jobsOf(t.platform).runDue();
    expect((await row()).reminded_at).not.toBeNull();
    const mail = await db
      .selectFrom('mail_outbox')
      .select(['subject'])
      .where('to_addrs', 'like', '%lead@police%')
      .execute();
    expect(mail.some((m) => m.subject.includes('記録命令付差押許可状'))).toBe(true);
    t.clock.set('2026-04-07T14:00:00.000Z'); // Tue 23:00 JST: still valid
    await jobsOf(t.platform).runDue();
    expect((await row()).status).toBe('issued');
    t.clock.set('2026-04-07T15:30:00.000Z'); // Wed 00:30 JST: lapsed
    await jobsOf(t.platform).runDue();
    expect((await row()).status).toBe('expired');
  });
});
