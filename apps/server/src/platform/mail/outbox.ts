import { createHash, randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import nodemailer, { type Transporter } from 'nodemailer';
import type { AuditActor } from '../audit/audit.ts';
import type { Platform } from '../context.ts';
import type { Database } from '../db/types.ts';
import { AppError } from '../errors.ts';
import { jobsOf } from '../jobs/index.ts';
import type { Backoff } from '../jobs/types.ts';
import type { AttachmentInfo, MailOutboxTable, OutgoingMail } from './types.ts';

export type * from './types.ts';

/** Largest total size of inline attachments of one message (the file store will take larger ones). */
export const MAX_INLINE_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** Delivery: the first attempt and five retries 1, 3, 9, 27 and 60 min apart (about 1 h 40 min in all). */
export const MAIL_RETRIES = 5;
export const MAIL_BACKOFF: Backoff = { initialMs: 60_000, factor: 3, maxMs: 3600_000 };

const ADDRESS = /^[^\s@<>(),;:"\\[\]]+@[^\s@<>(),;:"\\[\]]+\.[^\s@<>(),;:"\\[\]]+$/;
const ERROR_MAX = 1000;

function checkAddresses(list: string[], field: string): void {
  for (const a of list) {
    if (!ADDRESS.test(a)) throw new AppError('VALIDATION_FAILED', `${field}: not a mail address: ${a.slice(0, 100)}`);
  }
}

function checkMail(mail: OutgoingMail): void {
  if (mail.to.length === 0) throw new AppError('VALIDATION_FAILED', 'a message needs at least one recipient');
  checkAddresses(mail.to, 'to');
  checkAddresses(mail.cc ?? [], 'cc');
  if (/[\r\n]/.test(mail.subject)) throw new AppError('VALIDATION_FAILED', 'the subject must be one line');
  let total = 0;
  for (const a of mail.attachments ?? []) {
    if (!a.filename || /[\r\n/\\]/.test(a.filename)) throw new AppError('VALIDATION_FAILED', 'bad attachment name');
    if (!/^[\w.+-]+\/[\w.+-]+$/.test(a.contentType)) throw new AppError('VALIDATION_FAILED', 'bad attachment type');
    total += a.content.length;
  }
  if (total > MAX_INLINE_ATTACHMENT_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', 'attachments exceed 10 MB');
}

/**
 * Queues a message inside the caller's transaction: the outbox row and, when SMTP is configured, the
 * `mail.send` job exist exactly when the caller's change does. Without SMTP the message is `held` and
 * stays visible in the outbox. The caller audits its own action (the message id is returned for that).
 */
export async function queueMail(
  p: Platform,
  trx: Transaction<Database>,
  mail: OutgoingMail,
  createdBy: string | null = null,
): Promise<string> {
  checkMail(mail);
  ensureMailJobs(p);
  const id = randomUUID();
  const now = p.clock.now().toISOString();
  const attachments = mail.attachments ?? [];
  const infos: AttachmentInfo[] = attachments.map((a) => ({
    filename: a.filename,
    contentType: a.contentType,
    size: a.content.length,
    sha256: createHash('sha256').update(a.content).digest('hex'),
  }));
  const status = p.config.smtpUrl ? 'queued' : 'held';
  await trx
    .insertInto('mail_outbox')
    .values({
      id,
      from_addr: p.config.mailFrom,
      to_addrs: JSON.stringify(mail.to),
      cc_addrs: JSON.stringify(mail.cc ?? []),
      subject: mail.subject,
      body_text: mail.text,
      body_html: mail.html ?? null,
      attachments: JSON.stringify(infos),
      related: JSON.stringify(mail.related ?? []),
      status,
      attempts: 0,
      last_error: null,
      job_id: null,
      smtp_message_id: null,
      created_by: createdBy,
      created_at: now,
      updated_at: now,
      sent_at: null,
    })
    .execute();
  if (attachments.length > 0) {
    await trx
      .insertInto('mail_attachments')
      .values(
        attachments.map((a, i) => ({
          id: randomUUID(),
          message_id: id,
          position: i,
          filename: a.filename,
          content_type: a.contentType,
          size: a.content.length,
          sha256: infos[i]!.sha256,
          content_base64: a.content.toString('base64'),
          file_id: null,
        })),
      )
      .execute();
  }
  if (status === 'queued') {
    const jobId = await jobsOf(p).publishInTransaction(trx, 'mail.send', { messageId: id });
    await trx.updateTable('mail_outbox').set({ job_id: jobId }).where('id', '=', id).execute();
  }
  return id;
}

const transports = new Map<string, Transporter>();

function transportFor(url: string): Transporter {
  let t = transports.get(url);
  if (!t) {
    t = nodemailer.createTransport(url);
    transports.set(url, t);
  }
  return t;
}

/** Closes the cached SMTP connections (server shutdown, tests). */
export function closeMailTransports(): void {
  for (const t of transports.values()) t.close();
  transports.clear();
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, ERROR_MAX);
}

async function loadAttachments(p: Platform, messageId: string) {
  const rows = await p.db.db
    .selectFrom('mail_attachments')
    .selectAll()
    .where('message_id', '=', messageId)
    .orderBy('position')
    .execute();
  return rows.map((r) => {
    if (r.content_base64 === null) throw new Error(`attachment ${r.id}: file-store attachments are not wired yet`);
    return { filename: r.filename, contentType: r.content_type, content: Buffer.from(r.content_base64, 'base64') };
  });
}

/** The `mail.send` handler: one delivery attempt; throws on failure so that the job retries. */
async function deliver(p: Platform, messageId: string): Promise<void> {
  const msg = await p.db.db.selectFrom('mail_outbox').selectAll().where('id', '=', messageId).executeTakeFirst();
  // Sent meanwhile, held, or retried through another job: nothing to do.
  if (msg?.status !== 'queued') return;
  const url = p.config.smtpUrl;
  if (!url) {
    await p.db.db
      .updateTable('mail_outbox')
      .set({ status: 'held', updated_at: p.clock.now().toISOString() })
      .where('id', '=', messageId)
      .execute();
    return;
  }
  let info: { messageId?: string } | null = null;
  let error: string | null = null;
  try {
    info = (await transportFor(url).sendMail({
      from: msg.from_addr,
      to: JSON.parse(msg.to_addrs) as string[],
      cc: JSON.parse(msg.cc_addrs) as string[],
      subject: msg.subject,
      text: msg.body_text,
      ...(msg.body_html ? { html: msg.body_html } : {}),
      attachments: await loadAttachments(p, messageId),
    })) as { messageId?: string };
  } catch (err) {
    error = errorText(err);
  }
  const now = p.clock.now().toISOString();
  await p.db.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('mail_outbox')
      .set((eb) =>
        error === null
          ? {
              status: 'sent',
              attempts: eb('attempts', '+', 1),
              last_error: null,
              sent_at: now,
              updated_at: now,
              smtp_message_id: info?.messageId ?? null,
            }
          : { attempts: eb('attempts', '+', 1), last_error: error, updated_at: now },
      )
      .where('id', '=', messageId)
      .execute();
    if (error === null) {
      await p.audit.record(trx, {
        actor: null,
        action: 'mail.sent',
        target: { type: 'mail', id: messageId },
        result: 'success',
        details: { recipients: (JSON.parse(msg.to_addrs) as string[]).length },
      });
    }
  });
  if (error !== null) throw new Error(error);
}

async function markFailed(p: Platform, messageId: string, error: string): Promise<void> {
  const now = p.clock.now().toISOString();
  await p.db.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('mail_outbox')
      .set({ status: 'failed', last_error: error, updated_at: now })
      .where('id', '=', messageId)
      .where('status', '=', 'queued')
      .execute();
    await p.audit.record(trx, {
      actor: null,
      action: 'mail.failed',
      target: { type: 'mail', id: messageId },
      result: 'failure',
      details: { error: error.slice(0, 200) },
    });
  });
}

const registered = new WeakSet<Platform>();

/** Registers the `mail.send` handler on the platform's job queue (once; safe to call again). */
export function ensureMailJobs(p: Platform): void {
  if (registered.has(p)) return;
  registered.add(p);
  jobsOf(p).register('mail.send', ({ messageId }) => deliver(p, messageId), {
    retries: MAIL_RETRIES,
    backoff: MAIL_BACKOFF,
    onDeadLetter: ({ messageId }, job) => markFailed(p, messageId, job.error),
  });
}

/**
 * Puts a failed or held message back in the queue with a fresh set of retries (the admin's 再送).
 * Audited in the same transaction. A sent message is never sent twice.
 */
export async function retryMail(
  p: Platform,
  id: string,
  actor: AuditActor,
  clientIp: string | null,
): Promise<MailOutboxTable> {
  ensureMailJobs(p);
  if (!p.config.smtpUrl) throw new AppError('UNAVAILABLE', 'no SMTP server is configured (RENKEI_SMTP_URL)');
  return p.db.db.transaction().execute(async (trx) => {
    const msg = await trx.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
    if (!msg) throw new AppError('NOT_FOUND');
    if (msg.status === 'sent') throw new AppError('CONFLICT', 'the message has been sent');
    // A queued message already has a live job; a second one could deliver it twice.
    if (msg.status === 'queued') throw new AppError('CONFLICT', 'the message is already queued');
    const jobId = await jobsOf(p).publishInTransaction(trx, 'mail.send', { messageId: id });
    const now = p.clock.now().toISOString();
    await trx
      .updateTable('mail_outbox')
      .set({ status: 'queued', job_id: jobId, updated_at: now })
      .where('id', '=', id)
      .execute();
    await p.audit.record(trx, {
      actor,
      action: 'outbox.retry',
      target: { type: 'mail', id },
      result: 'success',
      clientIp,
      details: { previousStatus: msg.status },
    });
    return { ...msg, status: 'queued', job_id: jobId, updated_at: now };
  });
}

/** Queues every held message once SMTP is configured (call at start-up); returns how many. */
export async function releaseHeldMail(p: Platform): Promise<number> {
  if (!p.config.smtpUrl) return 0;
  ensureMailJobs(p);
  const held = await p.db.db.selectFrom('mail_outbox').select('id').where('status', '=', 'held').execute();
  for (const { id } of held) {
    await p.db.db.transaction().execute(async (trx) => {
      const jobId = await jobsOf(p).publishInTransaction(trx, 'mail.send', { messageId: id });
      await trx
        .updateTable('mail_outbox')
        .set({ status: 'queued', job_id: jobId, updated_at: p.clock.now().toISOString() })
        .where('id', '=', id)
        .where('status', '=', 'held')
        .execute();
    });
  }
  return held.length;
}
