import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { addWorkingMillis, calendarDateOf, calendarDateParts, renderDocumentNumber } from '@renkei/core/calendar/index';
import { type IntakeCategory, assessUrgency, isIntakeCategory } from '@renkei/core/intake/index';
import { extractIocs } from '@renkei/core/ioc/index';
import type { Transaction } from 'kysely';
import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import type { Database } from '../../platform/db/types.ts';
import { fileStoreFor } from '../../platform/files/index.ts';
import type { StagedFile } from '../../platform/files/store.ts';
import { jobsOf } from '../../platform/jobs/index.ts';
import { actorOf, cyberUnitId } from './access.ts';
import { type AnalysedFile, type IncomingFile, analyseFile } from './attachments.ts';
import { assignCluster } from './clusters.ts';
import { suggestCategory } from './model.ts';
import { type ExtractedValue, fromFindings, linkReportObservables } from './observables.ts';
import { personKey } from './person.ts';
import { ensureRoutingRules, route } from './routingRules.ts';
import { WHAT_HAPPENED } from './schema.ts';
import './tables.ts';

export type { AnalysedFile, IncomingFile } from './attachments.ts';
export { analyseFile } from './attachments.ts';
export { personKey } from './person.ts';
export { ensureRoutingRules, route } from './routingRules.ts';

export interface Contact {
  name?: string;
  nameKana?: string;
  birthDate?: string;
  address?: string;
  phone?: string;
  email?: string;
  organisation?: string;
}

export interface ReportInput {
  channel: string;
  kind: string;
  reporterType: string;
  contact?: Contact;
  victim?: Contact;
  whatHappened?: (keyof typeof WHAT_HAPPENED)[];
  occurredOn?: string;
  narrative: string;
  amountYen?: number;
  indicators?: Record<string, string[] | undefined>;
  business?: Record<string, unknown>;
  consent?: { shareWithBanks?: boolean; shareWithNco?: boolean };
  fiveW1H?: Record<string, string | undefined>;
  npa?: { prefecture?: string; routedUnitId?: string; reference?: string };
  ihc?: Record<string, unknown>;
  partner?: { name: string; reference?: string };
  patrol?: { foundOn?: string; location?: string };
  confidentiality?: 1 | 2 | 3;
  category?: IntakeCategory;
  note?: string;
  receivedAt?: string;
}

/** Settings read from the environment (docs/OPERATIONS.md § Intake). */
export const intakeSettings = () => ({
  receiptFormat: process.env.RENKEI_RECEIPT_FORMAT || '{year:short}-{seq:6}',
  ackWorkingHours: Number(process.env.RENKEI_INTAKE_ACK_WORKING_HOURS || 4),
  urgentAckMinutes: Number(process.env.RENKEI_INTAKE_URGENT_ACK_MINUTES || 15),
});

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** The text the rules and the model read: the narrative and every free-text field. */
export function analysisText(input: ReportInput): string {
  const parts: string[] = [input.narrative];
  for (const v of Object.values(input.fiveW1H ?? {})) if (v) parts.push(v);
  const b = input.business ?? {};
  for (const k of ['ransomNote', 'iocs', 'impact', 'intrusionVector']) if (typeof b[k] === 'string') parts.push(b[k]);
  if (typeof input.ihc?.url === 'string') parts.push(input.ihc.url);
  if (input.patrol?.location) parts.push(input.patrol.location);
  return parts.join('\n');
}

function indicatorValues(input: ReportInput): ExtractedValue[] {
  const out: ExtractedValue[] = [];
  const scan = (raw: string, role: ExtractedValue['role']) => {
    for (const f of extractIocs(raw, { snippets: false })) {
      out.push({ type: f.type, value: f.value, display: f.display, role, foundIn: 'form' });
    }
  };
  for (const list of Object.values(input.indicators ?? {})) for (const v of list ?? []) scan(v, 'suspect');
  for (const c of [input.contact, input.victim]) {
    if (c?.phone) scan(c.phone, 'victim');
    if (c?.email) scan(c.email, 'victim');
  }
  return out;
}

async function nextReceipt(
  trx: Transaction<Database>,
  at: Date,
): Promise<{ year: number; seq: number; number: string }> {
  const date = calendarDateOf(at);
  const year = calendarDateParts(date).year;
  await trx
    .insertInto('intake_sequences')
    .values({ year, last: 0 })
    .onConflict((oc) => oc.column('year').doNothing())
    .execute();
  await trx
    .updateTable('intake_sequences')
    .set((eb) => ({ last: eb('last', '+', 1) }))
    .where('year', '=', year)
    .execute();
  const row = await trx
    .selectFrom('intake_sequences')
    .select('last')
    .where('year', '=', year)
    .executeTakeFirstOrThrow();
  const seq = Number(row.last);
  return { year, seq, number: renderDocumentNumber(intakeSettings().receiptFormat, { seq, date, year }) };
}

const summaryOf = (text: string) => {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 80 ? `${one.slice(0, 79)}…` : one;
};

export interface Received {
  id: string;
  receiptNumber: string;
  statusToken: string;
  urgent: boolean;
  ownerUnitId: string;
}

/**
 * Takes one report from any channel: extraction (text and attachments), urgency rules (urgent → a duty-desk record
 * and an acknowledgement job), category suggestion, routing, clusters, the receipt number and a status token — one
 * transaction, audited. `by` is null for the public form.
 */
export async function receiveReport(
  p: Platform,
  input: ReportInput,
  files: readonly IncomingFile[],
  by: { subject: Subject | null; ip: string | null },
): Promise<Received> {
  await ensureRoutingRules(p);
  const now = p.clock.now();
  const nowIso = now.toISOString();
  const receivedAt =
    input.receivedAt && new Date(input.receivedAt).getTime() < now.getTime() ? new Date(input.receivedAt) : now;
  const s = by.subject;
  const cyber = await cyberUnitId(p);
  let receivingUnit = s ? s.unitId : cyber;
  if (input.npa?.routedUnitId) {
    const u = await p.db.db
      .selectFrom('units')
      .select('id')
      .where('id', '=', input.npa.routedUnitId)
      .executeTakeFirst();
    if (u) receivingUnit = u.id;
  }

  const analysed = await Promise.all(files.map(analyseFile));
  const text = analysisText(input);
  const values: ExtractedValue[] = [];
  try {
    values.push(...fromFindings(extractIocs(text, { snippets: false }), 'text'));
    values.push(...indicatorValues(input));
  } catch (err) {
    p.log.warn({ err }, 'intake: extraction failed');
  }
  for (const f of analysed) values.push(...f.values);
  const fullText = [text, ...analysed.map((f) => f.text)].filter(Boolean).join('\n');
  const urgency = assessUrgency(fullText);
  const suggestion = await suggestCategory(p, fullText);
  const hints = [...new Set((input.whatHappened ?? []).map((w) => WHAT_HAPPENED[w]))];
  const effective: IntakeCategory =
    input.category ??
    (suggestion.score < 0.5 && hints.length === 1 && isIntakeCategory(hints[0]) ? hints[0] : suggestion.category);
  const ownerUnit = await route(p, p.db.db, effective, urgency.urgent, receivingUnit);
  const pkey = await personKey(p, p.db.db, input.victim ?? input.contact);
  const token = randomBytes(24).toString('base64url');
  const id = randomUUID();
  const settings = intakeSettings();

  const store = fileStoreFor(p);
  const staged: { file: AnalysedFile; staged: StagedFile }[] = [];
  try {
    for (const f of analysed) staged.push({ file: f, staged: await store.stage(Readable.from([f.data])) });
    const out = await p.db.db.transaction().execute(async (trx) => {
      const receipt = await nextReceipt(trx, receivedAt);
      const reporter =
        input.reporterType === 'anonymous' && !input.victim ? null : { contact: input.contact, victim: input.victim };
      const details = {
        whatHappened: input.whatHappened ?? [],
        indicators: input.indicators ?? {},
        business: input.business ?? null,
        fiveW1H: input.fiveW1H ?? null,
        npa: input.npa ?? null,
        ihc: input.ihc ?? null,
        partner: input.partner ?? null,
        patrol: input.patrol ?? null,
        ranking: suggestion.ranking,
      };
      const flags = [...new Set(analysed.flatMap((f) => f.flags))];
      await trx
        .insertInto('intake_reports')
        .values({
          id,
          receipt_number: receipt.number,
          receipt_year: receipt.year,
          receipt_seq: receipt.seq,
          channel: input.channel,
          kind: input.kind,
          status: 'received',
          owner_unit_id: ownerUnit,
          receiving_unit_id: receivingUnit,
          assignee_id: null,
          confidentiality: input.confidentiality ?? 2,
          tlp: 'amber',
          members_only: 0,
          narrative: input.narrative,
          summary: summaryOf(input.narrative),
          occurred_on: input.occurredOn ?? null,
          amount_yen: input.amountYen ?? null,
          reporter_type: input.reporterType,
          reporter_sealed: reporter ? p.secrets.seal(JSON.stringify(reporter), `intake_report:${id}`) : null,
          details: JSON.stringify(details),
          consent: JSON.stringify(input.consent ?? {}),
          category: input.category ?? null,
          category_confirmed_by: input.category && s ? s.userId : null,
          suggested_category: suggestion.category,
          suggested_score: Math.round(suggestion.score * 1000) / 1000,
          urgent: urgency.urgent ? 1 : 0,
          urgency: JSON.stringify(urgency),
          cluster_id: null,
          person_key: pkey,
          status_token_hash: hashToken(token),
          outcome: null,
          public_message: null,
          flags: JSON.stringify(flags),
          received_at: receivedAt.toISOString(),
          assigned_at: null,
          acknowledged_at: null,
          acknowledged_by: null,
          escalated_at: null,
          escalated_to: null,
          closed_at: null,
          created_by: s?.userId ?? null,
          updated_at: nowIso,
        })
        .execute();
      if (s) await trx.insertInto('intake_report_members').values({ report_id: id, user_id: s.userId }).execute();
      if (input.note && s) {
        await trx
          .insertInto('intake_notes')
          .values({ id: randomUUID(), report_id: id, author_id: s.userId, body: input.note, created_at: nowIso })
          .execute();
      }
      for (const { file, staged: st } of staged) {
        const ref = await store.attach(
          trx,
          st,
          {
            ownerType: 'intake_report',
            ownerId: id,
            originalName: file.name.slice(0, 255),
            declaredType: file.declaredType,
          },
          s?.userId ?? null,
        );
        await trx
          .insertInto('intake_attachments')
          .values({
            file_ref_id: ref.id,
            report_id: id,
            name: file.name.slice(0, 255),
            declared_type: file.declaredType,
            detected_type: file.detectedType,
            size: file.data.length,
            flags: JSON.stringify(file.flags),
            created_at: nowIso,
          })
          .execute();
      }
      await linkReportObservables(trx, id, values, nowIso, s?.userId ?? null);
      const clusterId = await assignCluster(trx, id, fullText, nowIso);
      if (clusterId)
        await trx.updateTable('intake_reports').set({ cluster_id: clusterId }).where('id', '=', id).execute();
      let dutyId: string | null = null;
      if (urgency.urgent) {
        dutyId = randomUUID();
        await trx
          .insertInto('intake_duty')
          .values({
            id: dutyId,
            report_id: id,
            reasons: JSON.stringify(urgency.reasons),
            created_at: nowIso,
            acknowledged_at: null,
            acknowledged_by: null,
            escalated_at: null,
            escalated_to: null,
          })
          .execute();
        await jobsOf(p).publishInTransaction(
          trx,
          'intake.ack.due',
          { reportId: id, dutyId },
          {
            runAt: new Date(now.getTime() + settings.urgentAckMinutes * 60_000),
            idempotencyKey: `intake.duty:${dutyId}`,
          },
        );
      }
      await jobsOf(p).publishInTransaction(
        trx,
        'intake.ack.due',
        { reportId: id, dutyId: null },
        {
          runAt: addWorkingMillis(receivedAt, settings.ackWorkingHours * 3600_000),
          idempotencyKey: `intake.ack:${id}:0`,
        },
      );
      await p.audit.record(trx, {
        actor: s ? actorOf(s) : null,
        action: s ? 'intake.report.create' : 'intake.report.submit',
        target: { type: 'intake_report', id },
        result: 'success',
        clientIp: by.ip,
        details: {
          receiptNumber: receipt.number,
          channel: input.channel,
          urgent: urgency.urgent,
          ownerUnitId: ownerUnit,
          attachments: analysed.length,
          flagged: flags,
        },
      });
      return { receiptNumber: receipt.number };
    });
    return { id, receiptNumber: out.receiptNumber, statusToken: token, urgent: urgency.urgent, ownerUnitId: ownerUnit };
  } finally {
    for (const x of staged) await store.settle(x.staged).catch(() => undefined);
  }
}
