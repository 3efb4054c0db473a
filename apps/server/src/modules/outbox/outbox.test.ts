import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobsOf } from '../../platform/jobs/index.ts';
import { closeMailTransports, queueMail } from '../../platform/mail/outbox.ts';
import { type TestSmtp, startTestSmtp } from '../../platform/mail/smtpTestServer.ts';
import { testEngines } from '../../testing/engines.ts';
import { type SignedIn, makeUser, signIn } from '../../testing/factories.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';

describe.each(testEngines())('outbox API on %s', (engine) => {
  let t: TestContext;
  let smtp: TestSmtp;
  let admin: SignedIn;
  let viewer: SignedIn;
  const ids: string[] = [];

  beforeAll(async () => {
    t = await createTestContext(engine);
    smtp = await startTestSmtp();
    const a = await makeUser(t.platform, { roles: ['admin'] });
    admin = await signIn(t.app, t.platform, a.login, a.password);
    const v = await makeUser(t.platform, { roles: ['investigator'] });
    viewer = await signIn(t.app, t.platform, v.login, v.password);
    // Three held messages (no SMTP yet), one second apart.
    for (const n of [1, 2, 3]) {
      t.clock.advance(1000);
      ids.push(
        await t.platform.db.db.transaction().execute((trx) =>
          queueMail(t.platform, trx, {
            to: [`to${n}@example.jp`],
            subject: `件名${n}`,
            text: `本文${n}`,
            attachments: [{ filename: 'a.txt', contentType: 'text/plain', content: Buffer.from('添付') }],
            related: [{ type: 'case', id: `case-${n}` }],
          }),
        ),
      );
    }
  });
  afterAll(async () => {
    closeMailTransports();
    await smtp.close();
    await t.close();
  });

  it('lists newest first with keyset pages, and filters by status', async () => {
    const first = await t.app.inject({ method: 'GET', url: '/api/admin/outbox?limit=2', headers: admin.headers });
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body.items.map((m: { subject: string }) => m.subject)).toEqual(['件名3', '件名2']);
    expect(body.items[0]).toMatchObject({
      status: 'held',
      to: ['to3@example.jp'],
      attachments: [{ filename: 'a.txt', contentType: 'text/plain', size: 6 }],
      related: [{ type: 'case', id: 'case-3' }],
    });
    expect(body.items[0].text).toBeUndefined();
    const second = await t.app.inject({
      method: 'GET',
      url: `/api/admin/outbox?limit=2&cursor=${body.nextCursor}`,
      headers: admin.headers,
    });
    expect(second.json().items.map((m: { subject: string }) => m.subject)).toEqual(['件名1']);
    expect(second.json().nextCursor).toBeNull();
    const sent = await t.app.inject({ method: 'GET', url: '/api/admin/outbox?status=sent', headers: admin.headers });
    expect(sent.json().items).toEqual([]);
    const bad = await t.app.inject({ method: 'GET', url: '/api/admin/outbox?cursor=zzz', headers: admin.headers });
    expect(bad.json().error.code).toBe('INVALID_CURSOR');
  });

  it('shows one message with its body', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/admin/outbox/${ids[0]}`, headers: admin.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: ids[0], subject: '件名1', status: 'held' });
    // The admin sees delivery metadata, never the body (it may carry case contents).
    expect(res.json().text).toBeUndefined();
    expect(res.json().html).toBeUndefined();
    expect(res.json().bodyLength).toBe('本文1'.length);
    const missing = await t.app.inject({
      method: 'GET',
      url: '/api/admin/outbox/00000000-0000-0000-0000-000000000000',
      headers: admin.headers,
    });
    expect(missing.statusCode).toBe(404);
  });

  it('is for administrators only', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/api/admin/outbox', headers: viewer.headers });
    expect(list.statusCode).toBe(403);
    const retry = await t.app.inject({
      method: 'POST',
      url: `/api/admin/outbox/${ids[0]}/retry`,
      headers: viewer.headers,
    });
    expect(retry.statusCode).toBe(403);
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/admin/outbox' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('retries a held message once SMTP is configured: audited, then delivered by the job runner', async () => {
    const noSmtp = await t.app.inject({
      method: 'POST',
      url: `/api/admin/outbox/${ids[1]}/retry`,
      headers: admin.headers,
    });
    expect(noSmtp.statusCode).toBe(503);
    t.platform.config.smtpUrl = smtp.url;
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: `/api/admin/outbox/${ids[1]}/retry`,
      headers: { cookie: admin.cookie },
    });
    expect(noCsrf.statusCode).toBe(403);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/admin/outbox/${ids[1]}/retry`,
      headers: admin.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'queued' });
    const audit = await t.platform.db.db
      .selectFrom('audit_log')
      .select(['action', 'actor_login', 'details'])
      .where('target_id', '=', ids[1]!)
      .execute();
    expect(audit).toEqual([
      { action: 'outbox.retry', actor_login: expect.any(String), details: '{"previousStatus":"held"}' },
    ]);
    await jobsOf(t.platform).runDue();
    const after = await t.app.inject({ method: 'GET', url: `/api/admin/outbox/${ids[1]}`, headers: admin.headers });
    expect(after.json()).toMatchObject({ status: 'sent', attempts: 1 });
    expect(smtp.received.map((m) => m.to)).toEqual([['to2@example.jp']]);
  });
});
