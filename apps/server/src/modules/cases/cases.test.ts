import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../testing/engines.ts';
import { type SignedIn, makeUser, signIn, unitId } from '../../testing/factories.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';

describe.each(testEngines())('cases on %s', (engine) => {
  let t: TestContext;
  let officer: SignedIn; // station officer, 郡山署: opens the case from his report
  let analyst: SignedIn; // cyber analyst: added by the lead
  let outsider: SignedIn; // investigator of 会津若松署: never a member
  let breakGlass: SignedIn; // investigator of 捜査第二課: emergency override
  let head: SignedIn; // head of the cyber division: registry only
  let admin: SignedIn;
  const ids: Record<string, string> = {};
  let caseId = '';
  let reportId = '';

  const get = (who: SignedIn, url: string) => t.app.inject({ method: 'GET', url, headers: who.headers });
  const send = (who: SignedIn, method: 'POST' | 'PATCH' | 'DELETE', url: string, payload: object = {}) =>
    t.app.inject({ method, url, headers: who.headers, payload });
  const audits = (action: string, targetId: string) =>
    t.platform.db.db
      .selectFrom('audit_log')
      .select(['actor_id', 'details'])
      .where('action', '=', action)
      .where('target_id', '=', targetId)
      .execute();

  beforeAll(async () => {
    t = await createTestContext(engine, '2026-04-07T01:00:00.000Z');
    const db = t.platform.db.db;
    const o = await makeUser(t.platform, { roles: ['station_officer'], unit: 'st-koriyama' });
    const a = await makeUser(t.platform, { roles: ['cyber_analyst'], unit: 'cyber-ka' });
    const x = await makeUser(t.platform, { roles: ['investigator'], unit: 'st-aizuwakamatsu' });
    const b = await makeUser(t.platform, { roles: ['investigator'], unit: 'sosa-nika' });
    const h = await makeUser(t.platform, { roles: ['cyber_analyst'], unit: 'cyber-ka' });
    const ad = await makeUser(t.platform, { roles: ['admin'], unit: 'cyber-ka', clearance: 3 });
    Object.assign(ids, { officer: o.id, analyst: a.id, outsider: x.id, breakGlass: b.id, head: h.id, admin: ad.id });
    const headPos = await db.selectFrom('positions').select('id').where('is_head', '=', 1).executeTakeFirstOrThrow();
    await db.updateTable('users').set({ position_id: headPos.id }).where('id', '=', h.id).execute();
    await db.updateTable('users').set({ email: 'koriyama-officer@police.example.jp' }).where('id', '=', o.id).execute();
    [officer, analyst, outsider, breakGlass, head, admin] = (await Promise.all(
      [o, a, x, b, h, ad].map((c) => signIn(t.app, t.platform, c.login, c.password)),
    )) as SignedIn[] as [SignedIn, SignedIn, SignedIn, SignedIn, SignedIn, SignedIn];
  }, 90_000);
  afterAll(async () => t?.close());

  it("opens a case from a station officer's report: number, link, observables, timeline, lead", async () => {
    const rep = await send(officer, 'POST', '/api/intake/reports', {
      channel: 'counter',
      kind: 'report',
      reporterType: 'business',
      narrative: '社内のファイルサーバが暗号化され、脅迫文に http://ransom-pay.example.com/pay と記載されていた。',
    });
    expect(rep.statusCode, rep.body).toBe(201);
    reportId = rep.json().id;
    const res = await send(officer, 'POST', '/api/cases', {
      title: '郡山市内事業者に対するランサムウェア事件',
      type: 'cyber_attack',
      classificationCode: 'comp.obstruct',
      reportId,
    });
    expect(res.statusCode, res.body).toBe(201);
    caseId = res.json().id;
    expect(res.json().caseNumber).toMatch(/^令和8年.+第1号$/);
    const c = (await get(officer, `/api/cases/${caseId}`)).json();
    expect(c.myRole).toBe('lead');
    expect(c.leadUnitId).toBe(await unitId(t.platform, 'st-koriyama'));
    expect(c.reports.map((r: { id: string }) => r.id)).toEqual([reportId]);
    const obs = (await get(officer, `/api/cases/${caseId}/observables`)).json().items;
    expect(obs.some((o: { value: string }) => o.value.includes('ransom-pay.example.com'))).toBe(true);
    const tl = (await get(officer, `/api/cases/${caseId}/timeline`)).json().items;
    expect(tl.map((e: { kind: string }) => e.kind)).toContain('report');
    expect(await audits('case.create', caseId)).toHaveLength(1);
  });

  it('refuses a case from a report the officer may not read (404)', async () => {
    const res = await send(outsider, 'POST', '/api/cases', { title: 'x', type: 'cyber_crime', reportId });
    expect(res.statusCode).toBe(404);
  });

  it('gives a user of another unit nothing: 404 on every case route, not in lists or search, refusals audited', async () => {
    const before = (await audits('case.access.denied', caseId)).length;
    const urls = ['', '/timeline', '/observables', '/summary.pdf'];
    for (const u of urls) {
      const res = await get(outsider, `/api/cases/${caseId}${u}`);
      expect(res.statusCode, u).toBe(404);
      expect(res.body).not.toContain('ランサムウェア');
    }
    for (const [m, u, body] of [
      ['PATCH', '', { title: 'x' }],
      ['POST', '/timeline', { body: 'x' }],
      ['POST', '/tasks', { title: 'x' }],
      ['POST', '/members', { userId: ids.outsider, role: 'member' }],
      ['POST', '/damages', { amountYen: 1, method: 'other' }],
    ] as const) {
      const res = await send(outsider, m, `/api/cases/${caseId}${u}`, body);
      expect(res.statusCode, `${m} ${u}`).toBe(404);
    }
    expect((await audits('case.access.denied', caseId)).length).toBe(before + urls.length + 5);
    const list = (await get(outsider, '/api/cases?q=ランサムウェア')).json();
    expect(list.items).toEqual([]);
    // The admin has no content role: refused at the route, and cannot add himself either.
    expect((await get(admin, `/api/cases/${caseId}`)).statusCode).toBe(403);
    expect(
      (await send(admin, 'POST', `/api/cases/${caseId}/members`, { userId: ids.admin, role: 'lead' })).statusCode,
    ).toBe(403);
  });

  it('lets the lead manage members; nobody adds himself; members cannot manage', async () => {
    const self = await send(officer, 'POST', `/api/cases/${caseId}/members`, { userId: ids.officer, role: 'member' });
    expect(self.json().error.code).toBe('CASE_SELF_MEMBERSHIP');
    const add = await send(officer, 'POST', `/api/cases/${caseId}/members`, { userId: ids.analyst, role: 'member' });
    expect(add.statusCode, add.body).toBe(200);
    expect((await get(analyst, `/api/cases/${caseId}`)).json().myRole).toBe('member');
    const byMember = await send(analyst, 'POST', `/api/cases/${caseId}/members`, {
      userId: ids.outsider,
      role: 'reader',
    });
    expect(byMember.statusCode).toBe(403);
    const lastLead = await send(officer, 'DELETE', `/api/cases/${caseId}/members/${ids.officer}`);
    expect(lastLead.json().error.code).toBe('CASE_LAST_LEAD');
    const admin = await send(officer, 'POST', `/api/cases/${caseId}/members`, { userId: ids.admin, role: 'member' });
    expect(admin.statusCode).toBe(400);
  });

  it('emergency override: needs a reason, notifies the lead by mail, is audited; others get 404', async () => {
    const short = await send(breakGlass, 'POST', `/api/cases/${caseId}/override`, { reason: '急ぎ' });
    expect(short.statusCode).toBe(400);
    const viewer = await makeUser(t.platform, { roles: ['viewer'], unit: 'sosa-nika' });
    const v = await signIn(t.app, t.platform, viewer.login, viewer.password);
    const refused = await send(v, 'POST', `/api/cases/${caseId}/override`, {
      reason: '被疑者が逃走のおそれがあるため至急確認',
    });
    expect(refused.statusCode).toBe(404);
    const res = await send(breakGlass, 'POST', `/api/cases/${caseId}/override`, {
      reason: '同一被疑者の詐欺事件で本日逮捕予定のため至急確認',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().myRole).toBe('member');
    const mail = await t.platform.db.db.selectFrom('mail_outbox').select(['to_addrs', 'subject']).execute();
    expect(
      mail.some((m) => m.to_addrs.includes('koriyama-officer@police.example.jp') && m.subject.includes('緊急参加')),
    ).toBe(true);
    const a = await audits('case.override', caseId);
    expect(a).toHaveLength(1);
    expect(a[0]!.actor_id).toBe(ids.breakGlass);
  });

  it('records persons (reads audited), damages, tasks, notes; stages give arrest statistics', async () => {
    const person = await send(officer, 'POST', `/api/cases/${caseId}/persons`, {
      kind: 'suspect',
      label: '被疑者A',
      name: '山田太郎',
      birthDate: '1990-01-01',
    });
    expect(person.statusCode, person.body).toBe(201);
    const pid = person.json().id;
    const page = (await get(analyst, `/api/cases/${caseId}`)).json();
    expect(JSON.stringify(page)).not.toContain('山田太郎');
    const read = await get(analyst, `/api/cases/${caseId}/persons/${pid}`);
    expect(read.json().name).toBe('山田太郎');
    expect(await audits('case.person.read', pid)).toHaveLength(1);
    const stored = await t.platform.db.db
      .selectFrom('case_persons')
      .select('sealed')
      .where('id', '=', pid)
      .executeTakeFirstOrThrow();
    expect(stored.sealed).not.toContain('山田');

    expect(
      (await send(analyst, 'POST', `/api/cases/${caseId}/damages`, { amountYen: 3_000_000, method: 'ransom' }))
        .statusCode,
    ).toBe(201);
    const task = await send(officer, 'POST', `/api/cases/${caseId}/tasks`, {
      title: 'ログ保全',
      assigneeId: ids.analyst,
      dueOn: '2026-04-10',
    });
    expect(task.statusCode, task.body).toBe(201);
    expect(
      (await send(officer, 'POST', `/api/cases/${caseId}/tasks`, { title: 'x', assigneeId: ids.outsider })).statusCode,
    ).toBe(400);
    expect(
      (await send(analyst, 'PATCH', `/api/cases/${caseId}/tasks/${task.json().id}`, { status: 'done' })).statusCode,
    ).toBe(200);
    expect(
      (await send(analyst, 'POST', `/api/cases/${caseId}/timeline`, { body: 'VPN機器の脆弱性を悪用した侵入を確認' }))
        .statusCode,
    ).toBe(201);

    expect((await send(analyst, 'PATCH', `/api/cases/${caseId}`, { stage: 'cleared' })).statusCode).toBe(403);
    const st = await send(officer, 'PATCH', `/api/cases/${caseId}`, { stage: 'cleared', stageOn: '2026-04-06' });
    expect(st.statusCode, st.body).toBe(200);
    expect(st.json().clearedOn).toBe('2026-04-06');
    const stats = (await get(officer, '/api/cases/statistics?year=2026')).json();
    expect(stats.cleared).toBe(1);
    expect(stats.rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'comp', level: 1, cleared: 1 }),
        expect.objectContaining({ code: 'comp.obstruct', level: 2, cleared: 1 }),
      ]),
    );
    expect((await get(outsider, '/api/cases/statistics?year=2026')).json().cleared).toBe(0);
  });

  it('lists with keyset pages and searches cases and timelines in Japanese', async () => {
    for (let i = 0; i < 3; i++) {
      t.clock.advance(1000);
      await send(officer, 'POST', '/api/cases', { title: `フィッシング詐欺事件${i}`, type: 'cyber_crime' });
    }
    const first = (await get(officer, '/api/cases?limit=2')).json();
    expect(first.items).toHaveLength(2);
    const second = (await get(officer, `/api/cases?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items).toHaveLength(2);
    expect(new Set([...first.items, ...second.items].map((c: { id: string }) => c.id)).size).toBe(4);
    const byTitle = (await get(officer, `/api/cases?q=${encodeURIComponent('ランサムウェア')}`)).json().items;
    expect(byTitle.map((c: { id: string }) => c.id)).toEqual([caseId]);
    const byTimeline = (await get(analyst, `/api/cases?q=${encodeURIComponent('脆弱性')}`)).json().items;
    expect(byTimeline.map((c: { id: string }) => c.id)).toEqual([caseId]);
    const twoChars = (await get(officer, `/api/cases?q=${encodeURIComponent('詐欺')}`)).json().items;
    // Three titles, and the first case whose timeline holds the override reason (…詐欺事件で…).
    expect(twoChars).toHaveLength(4);
    expect((await get(officer, '/api/cases?stage=cleared')).json().items).toHaveLength(1);
    expect((await get(officer, '/api/cases?cursor=garbage')).statusCode).toBe(400);
  });

  it('shows the cyber division head that cases exist, without contents; nobody else', async () => {
    const reg = await get(head, '/api/cases/registry');
    expect(reg.statusCode, reg.body).toBe(200);
    expect(reg.json().items.length).toBe(4);
    expect(reg.body).not.toContain('ランサムウェア');
    expect((await get(head, `/api/cases/${caseId}`)).statusCode).toBe(404);
    expect((await get(analyst, '/api/cases/registry')).statusCode).toBe(403);
  });

  it('prints the case summary as a PDF (audited) and stores attachments', async () => {
    const pdf = await get(analyst, `/api/cases/${caseId}/summary.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await audits('case.print', caseId)).toHaveLength(1);

    const boundary = '----cases7MA4YWxk';
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="脅迫文.txt"\r\nContent-Type: text/plain\r\n\r\n`,
      ),
      Buffer.from('身代金を支払え'),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/attachments`,
      headers: { ...analyst.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(up.statusCode, up.body).toBe(201);
    const dl = await get(officer, `/api/cases/${caseId}/attachments/${up.json().id}`);
    expect(dl.statusCode).toBe(200);
    expect(dl.body).toBe('身代金を支払え');
    expect((await get(outsider, `/api/cases/${caseId}/attachments/${up.json().id}`)).statusCode).toBe(404);
  });
  it('correlation reveals nothing of a case to a non-member: look-up neither shows nor counts it', async () => {
    const value = 'only-in-this-case.example.jp';
    const added = await send(officer, 'POST', `/api/cases/${caseId}/observables`, {
      items: [{ value, role: 'suspect' }],
    });
    expect(added.statusCode, added.body).toBeLessThan(300);
    // A cyber analyst of the cyber division with clearance 2, but not a member of this case.
    const n = await makeUser(t.platform, { roles: ['cyber_analyst'], unit: 'cyber-ka', clearance: 2 });
    const nonMember = await signIn(t.app, t.platform, n.login, n.password);
    const miss = await get(nonMember, `/api/observables/lookup?value=${encodeURIComponent(value)}`);
    expect(miss.statusCode).toBe(404);
    expect(miss.json().error.code).toBe('OBSERVABLE_NOT_FOUND');
    expect(miss.body).not.toContain(caseId);
    // The member (added by the lead above) finds it, with this case among its places.
    const hit = await get(analyst, `/api/observables/lookup?value=${encodeURIComponent(value)}`);
    expect(hit.statusCode, hit.body).toBe(200);
    expect(hit.body).toContain(caseId);
  });
});
