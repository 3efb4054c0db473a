import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import { actorOf, cyberUnitId, openReporter, readable, reportVisible } from './access.ts';
import { type QueueRow, baseQuery, queueItem } from './queue.ts';

// Split by responsibility; re-exported so callers keep one entry point.
export { readable } from './access.ts';
export * from './changes.ts';
export * from './duty.ts';
export * from './juriHyo.ts';
export * from './labels.ts';
export * from './publicReports.ts';
export * from './queue.ts';
export * from './routingRules.ts';

/** The whole report, with reporter and victim data; the read is audited (要配慮個人情報). */
export async function getReport(p: Platform, s: Subject, id: string, ip: string | null) {
  const r = await readable(p, s, id);
  const cyber = await cyberUnitId(p);
  const db = p.db.db;
  const [row] = (await baseQuery(p, s, cyber).where('intake_reports.id', '=', id).execute()) as QueueRow[];
  const [observables, attachments, additions, notes, duty, history] = await Promise.all([
    db
      .selectFrom('intake_observables')
      .selectAll()
      .where('report_id', '=', id)
      .orderBy('type')
      .orderBy('value')
      .execute(),
    db.selectFrom('intake_attachments').selectAll().where('report_id', '=', id).orderBy('created_at').execute(),
    db.selectFrom('intake_additions').selectAll().where('report_id', '=', id).orderBy('created_at').execute(),
    db
      .selectFrom('intake_notes')
      .innerJoin('users', 'users.id', 'intake_notes.author_id')
      .select(['intake_notes.id', 'intake_notes.body', 'intake_notes.created_at', 'users.name as author'])
      .where('report_id', '=', id)
      .orderBy('intake_notes.created_at')
      .execute(),
    db.selectFrom('intake_duty').selectAll().where('report_id', '=', id).execute(),
    r.person_key
      ? db
          .selectFrom('intake_reports')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('person_key', '=', r.person_key)
          .where('id', '<>', id)
          .where(reportVisible(s, cyber))
          .executeTakeFirstOrThrow()
      : Promise.resolve({ n: 0 }),
  ]);
  const reporter = openReporter(p, r);
  await db.transaction().execute(async (trx) => {
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'intake.report.read',
      target: { type: 'intake_report', id },
      result: 'success',
      clientIp: ip,
      details: { receiptNumber: r.receipt_number, personalData: reporter !== null },
    });
  });
  const details = JSON.parse(r.details) as Record<string, unknown>;
  return {
    ...queueItem(row!, p.clock.now()),
    narrative: r.narrative,
    occurredOn: r.occurred_on,
    amountYen: r.amount_yen === null ? null : Number(r.amount_yen),
    reporterType: r.reporter_type,
    reporter: reporter?.contact ?? null,
    victim: reporter?.victim ?? null,
    details,
    consent: JSON.parse(r.consent) as Record<string, boolean>,
    urgency: JSON.parse(r.urgency) as unknown,
    receivingUnitId: r.receiving_unit_id,
    confidentiality: r.confidentiality,
    publicMessage: r.public_message,
    observables: observables.map((o) => ({
      id: o.id,
      type: o.type,
      value: o.value,
      display: o.display,
      role: o.role,
      foundIn: o.found_in,
      roleDecidedBy: o.role_decided_by,
      roleDecidedAt: o.role_decided_at,
    })),
    attachments: attachments.map((a) => ({
      id: a.file_ref_id,
      name: a.name,
      declaredType: a.declared_type,
      detectedType: a.detected_type,
      size: Number(a.size),
      flags: JSON.parse(a.flags) as string[],
    })),
    additions: additions.map((a) => ({ id: a.id, text: a.body, createdAt: a.created_at })),
    notes: notes.map((n) => ({ id: n.id, body: n.body, author: n.author, createdAt: n.created_at })),
    duty: duty.map((d) => ({
      id: d.id,
      createdAt: d.created_at,
      acknowledgedAt: d.acknowledged_at,
      escalatedAt: d.escalated_at,
    })),
    personHistoryCount: Number(history.n),
  };
}

/** Earlier and later reports of the same person that the subject may see; the look-up is audited. */
export async function personHistory(p: Platform, s: Subject, id: string, ip: string | null) {
  const r = await readable(p, s, id);
  const cyber = await cyberUnitId(p);
  const rows = r.person_key
    ? ((await baseQuery(p, s, cyber)
        .where('intake_reports.person_key', '=', r.person_key)
        .where('intake_reports.id', '<>', id)
        .orderBy('intake_reports.received_at', 'desc')
        .limit(100)
        .execute()) as QueueRow[])
    : [];
  await p.db.db.transaction().execute(async (trx) => {
    await p.audit.record(trx, {
      actor: actorOf(s),
      action: 'intake.person_history.read',
      target: { type: 'intake_report', id },
      result: 'success',
      clientIp: ip,
      details: { shown: rows.length },
    });
  });
  const now = p.clock.now();
  return { items: rows.map((x) => queueItem(x, now)) };
}
