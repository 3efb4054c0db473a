import { simpleParser } from 'mailparser';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../testing/engines.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';
import { jobsOf } from '../jobs/index.ts';
import { MAIL_RETRIES, closeMailTransports, queueMail, releaseHeldMail, retryMail } from './outbox.ts';
import { type TestSmtp, startTestSmtp } from './smtpTestServer.ts';

async function tinyPdf(): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4' });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.text('Renkei request letter (test)');
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

const HOUR = 3600_000;

describe.each(testEngines())('mail outbox on %s', (engine) => {
  let t: TestContext;
  let smtp: TestSmtp;
  beforeAll(async () => {
    t = await createTestContext(engine);
    smtp = await startTestSmtp();
  });
  afterAll(async () => {
    closeMailTransports();
    await smtp.close();
    await t.close();
  });

  const queue = (subject: string, attachments: { filename: string; contentType: string; content: Buffer }[] = []) =>
    t.platform.db.db.transaction().execute((trx) =>
      queueMail(
        t.platform,
        trx,
        {
          to: ['soudan@example.jp'],
          cc: ['kakarichou@example.jp'],
          subject,
          text: 'ご確認ください。',
          attachments,
          related: [{ type: 'request', id: 'req-1' }],
        },
        null,
      ),
    );
  const row = (id: string) =>
    t.platform.db.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('holds messages when no SMTP server is configured, and releases them once one is', async () => {
    t.platform.config.smtpUrl = undefined;
    const id = await queue('保留のテスト');
    expect(await row(id)).toMatchObject({ status: 'held', job_id: null, attempts: 0 });
    expect(await jobsOf(t.platform).runDue()).toBe(0);
    t.platform.config.smtpUrl = smtp.url;
    expect(await releaseHeldMail(t.platform)).toBe(1);
    await jobsOf(t.platform).runDue();
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(smtp.received.at(-1)?.to).toEqual(['soudan@example.jp', 'kakarichou@example.jp']);
  });

  it('delivers a message with a PDF attachment to the SMTP server, and audits it', async () => {
    t.platform.config.smtpUrl = smtp.url;
    const pdf = await tinyPdf();
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const before = smtp.received.length;
    const id = await queue('【照会】契約者情報について', [
      { filename: '照会書.pdf', contentType: 'application/pdf', content: pdf },
    ]);
    expect(await row(id)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(await jobsOf(t.platform).runDue()).toBe(1);
    const sent = await row(id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, last_error: null, sent_at: t.clock.now().toISOString() });
    expect(sent.smtp_message_id).toBeTruthy();
    expect(smtp.received).toHaveLength(before + 1);
    const parsed = await simpleParser(smtp.received.at(-1)!.raw);
    expect(parsed.subject).toBe('【照会】契約者情報について');
    expect(parsed.text?.trim()).toBe('ご確認ください。');
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0]!.filename).toBe('照会書.pdf');
    expect(parsed.attachments[0]!.contentType).toBe('application/pdf');
    expect(Buffer.compare(parsed.attachments[0]!.content, pdf)).toBe(0);
    const audit = await t.platform.db.db
      .selectFrom('audit_log')
      .select(['action', 'result'])
      .where('target_id', '=', id)
      .execute();
    expect(audit).toEqual([{ action: 'mail.sent', result: 'success' }]);
  });

  it('retries a refused message with backoff, marks it failed when retries run out, and resends on retry', async () => {
    t.platform.config.smtpUrl = smtp.url;
    smtp.refuseWith = 451;
    const jobs = jobsOf(t.platform);
    const id = await queue('再送のテスト');
    expect(await jobs.runDue()).toBe(1);
    const first = await row(id);
    expect(first).toMatchObject({ status: 'queued', attempts: 1 });
    expect(first.last_error).toMatch(/451/);
    // Nothing more until the backoff has passed.
    expect(await jobs.runDue()).toBe(0);
    for (let i = 0; i < MAIL_RETRIES; i++) {
      t.clock.advance(HOUR);
      // Other modules' schedules (feeds, re-checks, subscriptions) may also fall due in an hour: count this mail only.
      await jobs.runDue();
      expect((await row(id)).attempts).toBe(i + 2);
    }
    const failed = await row(id);
    expect(failed).toMatchObject({ status: 'failed', attempts: MAIL_RETRIES + 1 });
    const dead = await jobs.deadLetters({ type: 'mail.send' });
    expect(dead.map((d) => d.id)).toContain(failed.job_id);
    const audit = await t.platform.db.db
      .selectFrom('audit_log')
      .select(['action', 'result'])
      .where('target_id', '=', id)
      .execute();
    expect(audit).toEqual([{ action: 'mail.failed', result: 'failure' }]);

    smtp.refuseWith = null;
    const before = smtp.received.length;
    await retryMail(t.platform, id, { id: 'u-admin', login: 'admin', unitId: null }, '127.0.0.1');
    expect(await row(id)).toMatchObject({ status: 'queued' });
    await expect(
      retryMail(t.platform, id, { id: 'u-admin', login: 'admin', unitId: null }, '127.0.0.1'),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await jobs.runDue()).toBe(1);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: MAIL_RETRIES + 2, last_error: null });
    expect(smtp.received).toHaveLength(before + 1);
    await expect(
      retryMail(t.platform, id, { id: 'u-admin', login: 'admin', unitId: null }, '127.0.0.1'),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('queues nothing when the surrounding change rolls back, and refuses header injection', async () => {
    t.platform.config.smtpUrl = smtp.url;
    const count = async () => (await t.platform.db.db.selectFrom('mail_outbox').select('id').execute()).length;
    const before = await count();
    await expect(
      t.platform.db.db.transaction().execute(async (trx) => {
        await queueMail(t.platform, trx, { to: ['a@example.jp'], subject: 'x', text: 'y' });
        throw new Error('change failed');
      }),
    ).rejects.toThrow('change failed');
    expect(await count()).toBe(before);
    await expect(queue('line one\r\nBcc: evil@example.com')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      t.platform.db.db
        .transaction()
        .execute((trx) => queueMail(t.platform, trx, { to: ['a@example.jp>, b@evil'], subject: 's', text: 't' })),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
