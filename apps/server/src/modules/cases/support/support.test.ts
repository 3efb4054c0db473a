import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobsOf } from '../../../platform/jobs/index.ts';
import { testEngines } from '../../../testing/engines.ts';
import { type SignedIn, makeUser, signIn } from '../../../testing/factories.ts';
import { type TestContext, createTestContext } from '../../../testing/testPlatform.ts';
import { decisionDue, supportClock } from './clock.ts';

describe('support clock (working time)', () => {
  it('counts only working hours: a normal request on Friday 16:00 JST is due on Monday 11:15 JST', () => {
    const fri = new Date('2026-04-03T07:00:00.000Z'); // Fri 16:00 JST
    expect(decisionDue(fri, 'normal').toISOString()).toBe('2026-04-06T02:15:00.000Z'); // 1h15 Fri + 2h45 Mon from 08:30
    const clock = supportClock(
      {
        requested_at: fri.toISOString(),
        due_at: decisionDue(fri, 'normal').toISOString(),
        decided_at: null,
        urgency: 'normal',
      },
      new Date('2026-04-05T03:00:00.000Z'), // Sunday noon
    );
    expect(clock).toMatchObject({ workingMs: 75 * 60_000, overdue: false, running: true });
    expect(clock.elapsedMs).toBe(44 * 3600_000);
  });
});

describe.each(testEngines())('support requests on %s', (engine) => {
  let t: TestContext;
  let lead: SignedIn; // station officer of 福島署, leads the case
  let analyst: SignedIn; // cyber division
  let _head: SignedIn; // head of the cyber division
  let stranger: SignedIn; // station officer of 郡山署
  const ids = { lead: '', analyst: '', head: '', stranger: '' };
  let caseId = '';

  const get = (who: SignedIn, url: string) => t.app.inject({ method: 'GET', url, headers: who.headers });
  const post = (who: SignedIn, url: string, payload: object = {}) =>
    t.app.inject({ method: 'POST', url, headers: who.headers, payload });
  const ask = (urgency = 'normal', extra: object = {}) =>
    post(lead, '/api/support-requests', {
      caseId,
      kind: 'analysis',
      urgency,
      summary: 'スマートフォンの解析',
      ...extra,
    });

  beforeAll(async () => {
    t = await createTestContext(engine, '2026-04-01T00:00:00.000Z'); // Wed 09:00 JST
    const db = t.platform.db.db;
    const l = await makeUser(t.platform, { roles: ['station_officer'], unit: 'st-fukushima' });
    const a = await makeUser(t.platform, { roles: ['cyber_analyst'], unit: 'cyber-ka' });
    const h = await makeUser(t.platform, { roles: ['cyber_analyst'], unit: 'cyber-ka' });
    const x = await makeUser(t.platform, { roles: ['station_officer'], unit: 'st-koriyama' });
    Object.assign(ids, { lead: l.id, analyst: a.id, head: h.id, stranger: x.id });
    const headPos = await db.selectFrom('positions').select('id').where('is_head', '=', 1).executeTakeFirstOrThrow();
    await db
      .updateTable('users')
      .set({ position_id: headPos.id, email: 'cyber-head@police.example.jp' })
      .where('id', '=', h.id)
      .execute();
    [lead, analyst, _head, stranger] = (await Promise.all(
      [l, a, h, x].map((u) => signIn(t.app, t.platform, u.login, u.password)),
    )) as [SignedIn, SignedIn, SignedIn, SignedIn];
    const res = await post(lead, '/api/cases', { title: '支援要請テスト事件', type: 'cyber_crime' });
    expect(res.statusCode, res.body).toBe(201);
    caseId = res.json().id;
  }, 90_000);
  afterAll(async () => t?.close());

  it('only the case lead may ask; a stranger learns nothing of the case or the request', async () => {
    expect(
      (await post(stranger, '/api/support-requests', { caseId, kind: 'analysis', urgency: 'normal', summary: 'x' }))
        .statusCode,
    ).toBe(404);
    expect(
      (await post(lead, '/api/support-requests', { kind: 'analysis', urgency: 'normal', summary: 'x' })).statusCode,
    ).toBe(400);
    const res = await ask();
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id;
    expect((await get(stranger, `/api/support-requests/${id}`)).statusCode).toBe(404);
    expect((await get(stranger, '/api/support-requests?box=inbox')).json().items).toEqual([]);
    expect((await get(stranger, `/api/support-requests/by-case/${caseId}`)).statusCode).toBe(404);
    // the requester may not decide his own request
    expect((await post(lead, `/api/support-requests/${id}/accept`)).statusCode).toBe(403);
    expect(
      (await get(lead, '/api/support-requests?box=outbox')).json().items.map((i: { id: string }) => i.id),
    ).toContain(id);
  });

  it('declines only with a reason, stopping the clock; hand back ends the supporter membership', async () => {
    const id = (await ask('low')).json().id;
    expect((await post(analyst, `/api/support-requests/${id}/decline`, { reason: '' })).statusCode).toBe(400);
    const d = await post(analyst, `/api/support-requests/${id}/decline`, { reason: '当課の対象外（鑑識課へ）' });
    expect(d.json()).toMatchObject({
      status: 'declined',
      reason: '当課の対象外（鑑識課へ）',
      clock: { running: false },
    });
    expect((await post(analyst, `/api/support-requests/${id}/accept`)).statusCode).toBe(409);

    const id2 = (await ask()).json().id;
    expect((await post(analyst, `/api/support-requests/${id2}/accept`)).statusCode).toBe(200);
    expect((await get(analyst, `/api/cases/${caseId}`)).statusCode).toBe(200);
    const back = await post(analyst, `/api/support-requests/${id2}/hand-back`, { reason: '解析完了、所見を引継ぎ' });
    expect(back.json().status).toBe('handed_back');
    expect((await get(analyst, `/api/cases/${caseId}`)).statusCode).toBe(404);
    const timeline = await t.platform.db.db
      .selectFrom('case_timeline')
      .select('body')
      .where('case_id', '=', caseId)
      .where('kind', '=', 'support')
      .execute();
    expect(timeline.map((x) => x.body).join('\n')).toContain('支援を返還');
  });

  it('shows the division workload to its own staff only', async () => {
    const w = await get(analyst, '/api/support-requests/workload');
    expect(w.statusCode).toBe(200);
    expect(w.json()).toMatchObject({ waiting: 1, byStatus: { requested: 1, declined: 1, handed_back: 1 } });
    expect(w.json().last90Days.decided).toBe(2);
    expect((await get(lead, '/api/support-requests/workload')).statusCode).toBe(404);
  });

  it('escalates an undecided request to the head of the asked unit once its working-time budget is spent', async () => {
    const db = t.platform.db.db;
    const pending = await db
      .selectFrom('case_support_requests')
      .select(['id', 'due_at'])
      .where('status', '=', 'requested')
      .executeTakeFirstOrThrow();
    expect(pending.due_at).toBe('2026-04-01T04:00:00.000Z'); // Wed 13:00 JST
    t.clock.set('2026-04-01T03:59:00.000Z');
    await jobsOf(t.platform).runDue();
    const row = () =>
      db.selectFrom('case_support_requests').selectAll().where('id', '=', pending.id).executeTakeFirstOrThrow();
    expect((await row()).escalated_at).toBeNull();
    t.clock.set('2026-04-01T04:01:00.000Z');
    await jobsOf(t.platform).runDue();
    const r = await row();
    expect(r.escalated_at).not.toBeNull();
    expect(r.escalated_to).toBe(ids.head);
    const mail = await db
      .selectFrom('mail_outbox')
      .select(['subject', 'body_text'])
      .where('to_addrs', 'like', '%cyber-head@%')
      .execute();
    expect(mail).toHaveLength(1);
    expect(mail[0]!.body_text).not.toContain('スマートフォン');
    const audit = await db
      .selectFrom('audit_log')
      .select('seq')
      .where('action', '=', 'case.support.escalate')
      .where('target_id', '=', pending.id)
      .execute();
    expect(audit).toHaveLength(1);
  });
});
