import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { addWorkingMillis, calendarDateOf, calendarDateParts, renderDocumentNumber } from '@renkei/core/calendar/index';
import { type IntakeCategory, assessUrgency, isIntakeCategory } from '@renkei/core/intake/index';
import { extractEml, extractIocs } from '@renkei/core/ioc/index';
import type { Transaction } from 'kysely';
import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import type { AnyDb } from '../../platform/db/dialect.ts';
import type { Database } from '../../platform/db/types.ts';
import { fileStoreFor } from '../../platform/files/index.ts';
import type { StagedFile } from '../../platform/files/store.ts';
import { detectType } from '../../platform/files/detect.ts';
import { jobsOf } from '../../platform/jobs/index.ts';
import { actorOf, cyberUnitId } from './access.ts';
import { assignCluster } from './clusters.ts';
import { suggestCategory } from './model.ts';
import { type ExtractedValue, fromFindings, linkReportObservables } from './observables.ts';
import { WHAT_HAPPENED } from './schema.ts';
import './tables.ts';

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

export interface IncomingFile {
  name: string;
  declaredType: string | null;
  data: Buffer;
}

/** Settings read from the environment (docs/OPERATIONS.md § Intake). */
export const intakeSettings = () => ({
  receiptFormat: process.env.RENKEI_RECEIPT_FORMAT || '{year:short}-{seq:6}',
  ackWorkingHours: Number(process.env.RENKEI_INTAKE_ACK_WORKING_HOURS || 4),
  urgentAckMinutes: Number(process.env.RENKEI_INTAKE_URGENT_ACK_MINUTES || 15),
});

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const ALLOWED_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/heic',
  'image/heif',
  'image/bmp',
  'image/tiff',
  'image/avif',
  'application/pdf',
]);
const ARCHIVES = new Set([
  'application/zip',
  'application/gzip',
  'application/x-7z-compressed',
  'application/x-rar-compressed',
  'application/vnd.rar',
  'application/x-tar',
  'application/x-bzip2',
  'application/x-xz',
]);
const TEXT_SCAN_LIMIT = 1024 * 1024;

function looksLikeEml(name: string, declared: string | null, data: Buffer): boolean {
  if (/\.eml$/i.test(name) || declared === 'message/rfc822') return true;
  const head = data.subarray(0, 2048).toString('latin1');
  return /^(Received|Return-Path|From|Message-ID|Delivered-To|MIME-Version):/im.test(head) && /\r?\n\r?\n/.test(head);
}

function isUtf8Text(data: Buffer): boolean {
  const sample = data.subarray(0, 64 * 1024);
  if (sample.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample);
    return true;
  } catch {
    // a cut multi-byte character at the end of the sample is fine
    return sample.length === 64 * 1024;
  }
}

export interface AnalysedFile extends IncomingFile {
  detectedType: string | null;
  flags: string[];
  values: ExtractedValue[];
  text: string;
}

/**
 * Magic-byte check and extraction of one attachment. Never throws: hostile files (broken MIME, huge headers,
 * nested messages, archives — never expanded) are kept and flagged.
 */
export async function analyseFile(f: IncomingFile): Promise<AnalysedFile> {
  const flags: string[] = [];
  let detectedType: string | null = null;
  try {
    detectedType = await detectType(f.data.subarray(0, 64 * 1024));
  } catch {
    flags.push('type_unreadable');
  }
  let values: ExtractedValue[] = [];
  let text = '';
  if (detectedType === null && looksLikeEml(f.name, f.declaredType, f.data)) {
    try {
      const eml = await extractEml(f.data);
      values = fromFindings(eml.findings, 'eml');
      text = eml.subject;
      if (eml.forwarded) flags.push('forwarded_message');
    } catch {
      flags.push('eml_unreadable');
    }
  } else if (detectedType === null) {
    if (isUtf8Text(f.data)) {
      text = f.data.subarray(0, TEXT_SCAN_LIMIT).toString('utf8');
      try {
        values = fromFindings(extractIocs(text, { snippets: false }), 'attachment');
      } catch {
        flags.push('text_unreadable');
      }
      if (f.data.length > TEXT_SCAN_LIMIT) flags.push('text_truncated');
    } else {
      flags.push('type_unknown');
    }
  } else if (ARCHIVES.has(detectedType)) {
    flags.push('archive_not_expanded');
  } else if (!ALLOWED_TYPES.has(detectedType)) {
    flags.push('type_not_allowed');
  }
  if (
    f.declaredType &&
    detectedType &&
    f.declaredType !== detectedType &&
    f.declaredType !== 'application/octet-stream'
  )
    flags.push('type_mismatch');
  return { ...f, detectedType, flags, values, text };
}

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

const personSecrets = new WeakMap<Platform, Buffer>();

async function personSecret(p: Platform, db: AnyDb): Promise<Buffer> {
  const had = personSecrets.get(p);
  if (had) return had;
  const key = 'intake.person_key_secret';
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  if (row) {
    const secret = Buffer.from(p.secrets.open(row.value, key), 'hex');
    personSecrets.set(p, secret);
    return secret;
  }
  const fresh = randomBytes(32).toString('hex');
  await db
    .insertInto('settings')
    .values({ key, value: p.secrets.seal(fresh, key) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return personSecret(p, db);
}

/** A keyed hash of the person's phone, else e-mail, else name and birth date: links repeated consultations. */
export async function personKey(p: Platform, db: AnyDb, c: Contact | undefined): Promise<string | null> {
  if (!c) return null;
  const phone = c.phone?.normalize('NFKC').replace(/\D/g, '').replace(/^81/, '0');
  const email = c.email?.normalize('NFKC').trim().toLowerCase();
  const name = c.name?.normalize('NFKC').replace(/\s/g, '');
  const basis =
    phone && phone.length >= 10
      ? `tel:${phone}`
      : email
        ? `mail:${email}`
        : name && c.birthDate
          ? `name:${name}:${c.birthDate}`
          : null;
  if (!basis) return null;
  return createHmac('sha256', await personSecret(p, db))
    .update(basis)
    .digest('hex');
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

/** Routing rules, seeded on first use: specialist categories and urgent reports to the cyber division. */
const seeded = new WeakSet<Platform>();

export async function ensureRoutingRules(p: Platform): Promise<void> {
  if (seeded.has(p)) return;
  const any = await p.db.db.selectFrom('intake_routing_rules').select('id').limit(1).executeTakeFirst();
  if (any) {
    seeded.add(p);
    return;
  }
  const now = p.clock.now().toISOString();
  const seed: [IntakeCategory | null, number | null, string][] = [
    [null, 1, '人命・犯行予告等の緊急案件はサイバー犯罪対策課へ'],
    ['不正アクセス・コンピュータウイルス', null, '専門的事案'],
    ['違法・有害情報', null, '専門的事案'],
    ['迷惑メール', null, 'フィッシング等の分析'],
  ];
  await p.db.db.transaction().execute(async (trx) => {
    const again = await trx.selectFrom('intake_routing_rules').select('id').limit(1).executeTakeFirst();
    if (again) return;
    await trx
      .insertInto('intake_routing_rules')
      .values(
        seed.map(([category, urgent, note], i) => ({
          id: randomUUID(),
          category,
          urgent,
          target: 'cyber',
          target_unit_id: null,
          priority: i + 1,
          enabled: 1,
          note,
          updated_at: now,
        })),
      )
      .execute();
  });
}

/** The handling unit by the editable rules (first match by priority); otherwise the receiving unit. */
export async function route(
  p: Platform,
  db: AnyDb,
  category: string | null,
  urgent: boolean,
  receivingUnit: string,
): Promise<string> {
  const rules = await db
    .selectFrom('intake_routing_rules')
    .selectAll()
    .where('enabled', '=', 1)
    .orderBy('priority')
    .execute();
  for (const r of rules) {
    if (r.category !== null && r.category !== category) continue;
    if (r.urgent !== null && (r.urgent === 1) !== urgent) continue;
    if (r.target === 'cyber') return cyberUnitId(p, db);
    if (r.target === 'unit' && r.target_unit_id) return r.target_unit_id;
    return receivingUnit;
  }
  return receivingUnit;
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
