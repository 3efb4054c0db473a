import type { Transaction } from 'kysely';
import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import type { Database } from '../../platform/db/types.ts';
import { AppError } from '../../platform/errors.ts';
import { jobsOf } from '../../platform/jobs/index.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { findUnitHead } from '../../platform/organisation.ts';
import { actorOf, visibleRequest } from './access.ts';
import { renderAndKeep } from './letters.ts';
import { addDays, addEvent, requestType, setStatus } from './service.ts';
import type { RequestTable } from './tables.ts';

/** Schedules the checks of a sent request: reply due, escalation, and for preservation the warning and the end. */
async function scheduleChecks(p: Platform, trx: Transaction<Database>, r: RequestTable, times: string[]) {
  for (const at of times) {
    await jobsOf(p).publishInTransaction(
      trx,
      'request.due',
      { requestId: r.id },
      { runAt: new Date(at), idempotencyKey: `request.due:${r.id}:${at}` },
    );
  }
}

/**
 * Sends an approved request: the letter is rendered with the document number and kept; by mail it goes through
 * the outbox with the PDF attached, by FAX (`via: 'print'`) the same PDF is the print layout and sending is
 * recorded when it was faxed. Due dates (and a preservation period) start now.
 */
export async function sendRequest(p: Platform, s: Subject, id: string, via: 'mail' | 'print', ip: string | null) {
  const db = p.db.db;
  const r = await visibleRequest(db, s, id);
  if (r.status !== 'approved') throw new AppError('REQUEST_BAD_TRANSITION');
  const t = await requestType(p, r.type_code);
  const recipient = await db
    .selectFrom('request_recipients')
    .selectAll()
    .where('id', '=', r.recipient_id)
    .executeTakeFirstOrThrow();
  const to =
    t.code === 'sosa_shokai' || t.code === 'hozen_yosei'
      ? (recipient.legal_email ?? recipient.abuse_email)
      : (recipient.abuse_email ?? recipient.legal_email);
  if (via === 'mail' && !to) throw new AppError('REQUEST_NO_ADDRESS');
  // A request drafted from a notice quotes the notice reference too, so a reply ties back to either (referenceIn).
  const notice = await db
    .selectFrom('request_notices')
    .select('reference')
    .where('request_id', '=', id)
    .executeTakeFirst();
  const refs = notice ? `${r.reference} / ${notice.reference}` : r.reference;
  const letter = await renderAndKeep(p, r, 'letter', actorOf(s));
  const now = p.clock.now().toISOString();
  const due = addDays(now, t.rules.replyDays);
  const periodUntil = r.period_days ? addDays(now, r.period_days) : null;
  await db.transaction().execute(async (trx) => {
    let mailId: string | null = null;
    if (via === 'mail' && to) {
      mailId = await queueMail(
        p,
        trx,
        {
          to: [to],
          subject: `【${t.name}】${letter.documentNumber}（参照番号 ${refs}）`,
          text: `${recipient.name} ご担当者様\n\n${t.name}を添付のとおり送付します。回答の際は件名の参照番号 ${refs} を記載願います。\n`,
          attachments: [{ filename: `${r.reference}.pdf`, contentType: 'application/pdf', content: letter.pdf }],
          related: [{ type: 'request', id: r.id }],
        },
        s.userId,
      );
      await trx
        .updateTable('request_documents')
        .set({ mail_id: mailId })
        .where('file_id', '=', letter.fileId)
        .execute();
    }
    await trx
      .updateTable('requests')
      .set({
        status: 'sent',
        sent_at: now,
        due_at: due,
        period_start: periodUntil ? now : null,
        period_until: periodUntil,
        updated_at: now,
      })
      .where('id', '=', id)
      .where('status', '=', 'approved')
      .execute();
    await addEvent(trx, id, now, s.userId, via === 'mail' ? 'sent_mail' : 'sent_fax', 'approved', 'sent');
    const checks = [due, addDays(due, t.rules.escalateAfterDays)];
    if (periodUntil && r.period_days) checks.push(addDays(periodUntil, -(t.rules.warnBeforeDays ?? 5)), periodUntil);
    await scheduleChecks(p, trx, r, checks);
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'request.send',
      target: { type: 'request', id },
      result: 'success',
      clientIp: ip,
      details: { via, mailId, fileId: letter.fileId, documentNumber: letter.documentNumber },
    });
  });
}

/**
 * Extends a preservation request (刑訴法197条4項): the total may not pass 60 days — refused beyond, nothing
 * written. An extension notice is rendered and kept.
 */
export async function extendPreservation(p: Platform, s: Subject, id: string, days: number, ip: string | null) {
  const db = p.db.db;
  const r = await visibleRequest(db, s, id);
  const t = await requestType(p, r.type_code);
  if (!t.rules.preservationMaxDays || !r.period_start || !r.period_until) throw new AppError('REQUEST_BAD_TRANSITION');
  if (r.status !== 'sent' && r.status !== 'acknowledged') throw new AppError('REQUEST_BAD_TRANSITION');
  if (!Number.isInteger(days) || days < 1) throw new AppError('VALIDATION_FAILED', 'days');
  const total = (r.period_days ?? 0) + days;
  if (total > t.rules.preservationMaxDays) throw new AppError('REQUEST_PRESERVATION_LIMIT', `${total}`);
  const now = p.clock.now().toISOString();
  const until = addDays(r.period_start, total);
  const updated = { ...r, period_days: total, period_until: until };
  const notice = await renderAndKeep(p, updated, 'extension', actorOf(s));
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('requests')
      .set({ period_days: total, period_until: until, warned_at: null, updated_at: now })
      .where('id', '=', id)
      .execute();
    await addEvent(trx, id, now, s.userId, 'extended', r.status, r.status, `${total}`);
    await scheduleChecks(p, trx, updated, [addDays(until, -(t.rules.warnBeforeDays ?? 5)), until]);
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'request.extend',
      target: { type: 'request', id },
      result: 'success',
      clientIp: ip,
      details: { totalDays: total, fileId: notice.fileId },
    });
  });
  return { periodDays: total, periodUntil: until };
}

/** Withdraws a sent request (a preservation no longer needed must be withdrawn); the withdrawal notice is kept. */
export async function withdrawRequest(p: Platform, s: Subject, id: string, note: string, ip: string | null) {
  const db = p.db.db;
  const r = await visibleRequest(db, s, id);
  if (!['sent', 'acknowledged', 'done'].includes(r.status)) throw new AppError('REQUEST_BAD_TRANSITION');
  const notice = await renderAndKeep(p, r, 'withdrawal', actorOf(s));
  const now = p.clock.now().toISOString();
  await db.transaction().execute(async (trx) => {
    await setStatus(trx, r, 'withdrawn', now);
    await addEvent(trx, id, now, s.userId, 'withdrawn', r.status, 'withdrawn', note);
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'request.withdraw',
      target: { type: 'request', id },
      result: 'success',
      clientIp: ip,
      details: { fileId: notice.fileId },
    });
  });
}

/** Mails a user about a request through the outbox (nothing when he has no address). */
export async function notify(
  p: Platform,
  trx: Transaction<Database>,
  userId: string | null,
  subject: string,
  r: RequestTable,
) {
  if (!userId) return;
  const u = await trx.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirst();
  if (!u?.email) return;
  await queueMail(p, trx, {
    to: [u.email],
    subject,
    text: `${subject}\n参照番号 ${r.reference}\n`,
    related: [{ type: 'request', id: r.id }],
  });
}

/**
 * The `request.due` job: whatever is due by now on the request — reminder at the reply date, escalation to the unit
 * head after it, the warning before a preservation period runs out, and expiry at its end. Idempotent.
 */
export async function checkDue(p: Platform, requestId: string): Promise<void> {
  const db = p.db.db;
  const r = await db.selectFrom('requests').selectAll().where('id', '=', requestId).executeTakeFirst();
  if (!r || !['sent', 'acknowledged'].includes(r.status)) return;
  const t = await requestType(p, r.type_code);
  const now = p.clock.now().toISOString();
  const head = await findUnitHead(db, r.owner_unit_id);
  await db.transaction().execute(async (trx) => {
    const record = (action: string, details: Record<string, string | null> = {}) =>
      p.audit.record(trx, {
        actor: null,
        action: `request.${action}`,
        target: { type: 'request', id: r.id },
        result: 'success',
        details,
      });
    if (r.period_until && r.period_until <= now) {
      await setStatus(trx, r, 'expired', now);
      await addEvent(trx, r.id, now, null, 'expired', r.status, 'expired', '保全期間満了');
      await notify(p, trx, r.created_by, `【保全期間満了】${t.name}`, r);
      await record('expire');
      return;
    }
    if (r.period_until && !r.warned_at && addDays(r.period_until, -(t.rules.warnBeforeDays ?? 5)) <= now) {
      await trx.updateTable('requests').set({ warned_at: now }).where('id', '=', r.id).execute();
      await addEvent(trx, r.id, now, null, 'period_warning', null, null, r.period_until);
      await notify(p, trx, r.created_by, `【保全期間の満了が近づいています】${t.name}`, r);
      await record('period.warn', { until: r.period_until });
    }
    if (r.status !== 'sent' || !r.due_at || r.due_at > now) return;
    if (!r.reminded_at) {
      await trx.updateTable('requests').set({ reminded_at: now }).where('id', '=', r.id).execute();
      await addEvent(trx, r.id, now, null, 'reminder', null, null);
      await notify(p, trx, r.created_by, `【回答期限】${t.name}`, r);
      await record('remind');
    } else if (!r.escalated_at && addDays(r.due_at, t.rules.escalateAfterDays) <= now) {
      await trx.updateTable('requests').set({ escalated_at: now }).where('id', '=', r.id).execute();
      await addEvent(trx, r.id, now, null, 'escalated', null, null, head?.id ?? '');
      await notify(p, trx, head?.id ?? null, `【回答遅延・要確認】${t.name}`, r);
      await record('escalate', { to: head?.id ?? null });
    }
  });
}
