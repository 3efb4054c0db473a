import { randomUUID } from 'node:crypto';
import type { AuditActor } from '../../platform/audit/audit.ts';
import { insertToken } from '../../platform/auth/tokens.ts';
import type { Platform } from '../../platform/context.ts';
import type { AnyDb } from '../../platform/db/dialect.ts';
import { AppError } from '../../platform/errors.ts';
import {
  type EgressPartner,
  OFFICIAL_KINDS,
  PARTNER_KINDS,
  PUBLIC,
  type PartnerKind,
  type Recipient,
  TLP_CEILINGS,
  type TlpCeiling,
} from './egress.ts';
import type { SharingPartnerTable } from './tables.ts';

export interface Contact {
  name: string;
  email?: string | undefined;
  phone?: string | undefined;
  role?: string | undefined;
}

export interface PartnerInput {
  name: string;
  kind?: PartnerKind | undefined;
  tlpMax?: TlpCeiling | undefined;
  official?: boolean | undefined;
  agreement?: string | undefined;
  agreementSignedOn?: string | null | undefined;
  contacts?: Contact[] | undefined;
  note?: string | undefined;
}

export function isPartnerKind(v: string): v is PartnerKind {
  return (PARTNER_KINDS as readonly string[]).includes(v);
}
export function isTlpCeiling(v: string): v is TlpCeiling {
  return (TLP_CEILINGS as readonly string[]).includes(v);
}

/** The policy's view of a partner row. */
export function partnerFacts(row: SharingPartnerTable): EgressPartner {
  return {
    id: row.id,
    name: row.name,
    kind: isPartnerKind(row.kind) ? row.kind : 'other',
    tlpMax: isTlpCeiling(row.tlp_max) ? row.tlp_max : 'clear',
    official: row.official === 1,
    agreement: row.agreement,
    disabled: row.disabled_at !== null,
  };
}

export function presentPartner(row: SharingPartnerTable) {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    tlpMax: row.tlp_max,
    official: row.official === 1,
    agreement: row.agreement,
    agreementSignedOn: row.agreement_signed_on,
    contacts: JSON.parse(row.contacts) as Contact[],
    hasMachineAccount: row.machine_user_id !== null,
    stixIdentityId: row.stix_identity_id,
    note: row.note,
    disabled: row.disabled_at !== null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
export type PartnerView = ReturnType<typeof presentPartner>;

/**
 * Kind-dependent defaults and checks: only the NPA, prefectures and JC3 can be official bodies (機密性2 recipients),
 * and JC3 only under a written agreement. The NPA and prefectures default to official.
 */
function validate(input: PartnerInput): { kind: PartnerKind; tlpMax: TlpCeiling; official: boolean } {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 200) throw new AppError('VALIDATION_FAILED', 'name: 1–200 characters');
  const kind = input.kind ?? 'other';
  if (!isPartnerKind(kind)) throw new AppError('VALIDATION_FAILED', `kind: one of ${PARTNER_KINDS.join(', ')}`);
  const tlpMax = input.tlpMax ?? 'green';
  if (!isTlpCeiling(tlpMax)) throw new AppError('VALIDATION_FAILED', `tlpMax: one of ${TLP_CEILINGS.join(', ')}`);
  const official = input.official ?? (kind === 'npa' || kind === 'prefecture');
  if (official && !OFFICIAL_KINDS.has(kind)) {
    throw new AppError('VALIDATION_FAILED', 'official: only the NPA, prefectures and JC3 are official bodies');
  }
  if (official && kind === 'jc3' && !(input.agreement ?? '').trim()) {
    throw new AppError('VALIDATION_FAILED', 'official: JC3 is an official recipient only under an agreement');
  }
  return { kind, tlpMax, official };
}

export async function createPartner(
  p: Platform,
  actor: AuditActor | null,
  input: PartnerInput,
  ip: string | null,
): Promise<PartnerView> {
  const { kind, tlpMax, official } = validate(input);
  const now = p.clock.now().toISOString();
  const row: SharingPartnerTable = {
    id: randomUUID(),
    name: input.name.trim(),
    kind,
    tlp_max: tlpMax,
    official: official ? 1 : 0,
    agreement: (input.agreement ?? '').trim(),
    agreement_signed_on: input.agreementSignedOn ?? null,
    contacts: JSON.stringify(input.contacts ?? []),
    machine_user_id: null,
    stix_identity_id: `identity--${randomUUID()}`,
    note: input.note ?? '',
    disabled_at: null,
    created_by: actor?.id ?? null,
    created_at: now,
    updated_at: now,
  };
  try {
    await p.db.db.transaction().execute(async (trx) => {
      await trx.insertInto('sharing_partners').values(row).execute();
      await p.audit.record(trx, {
        actor,
        action: 'sharing.partner.create',
        target: { type: 'sharing_partner', id: row.id },
        result: 'success',
        clientIp: ip,
        details: { kind, tlpMax, official },
      });
    });
  } catch (err) {
    if (p.dialect.isUniqueViolation(err)) throw new AppError('CONFLICT', 'a partner with that name exists');
    throw err;
  }
  return presentPartner(row);
}

export async function updatePartner(
  p: Platform,
  actor: AuditActor,
  id: string,
  change: Partial<PartnerInput> & { disabled?: boolean | undefined },
  ip: string | null,
): Promise<PartnerView> {
  const row = await findPartner(p.db.db, id);
  if (!row) throw new AppError('NOT_FOUND');
  const merged: PartnerInput = {
    name: change.name ?? row.name,
    kind: change.kind ?? partnerFacts(row).kind,
    tlpMax: change.tlpMax ?? partnerFacts(row).tlpMax,
    official: change.official ?? row.official === 1,
    agreement: change.agreement ?? row.agreement,
  };
  const { kind, tlpMax, official } = validate(merged);
  const now = p.clock.now().toISOString();
  const next: SharingPartnerTable = {
    ...row,
    name: merged.name.trim(),
    kind,
    tlp_max: tlpMax,
    official: official ? 1 : 0,
    agreement: (merged.agreement ?? '').trim(),
    agreement_signed_on: change.agreementSignedOn === undefined ? row.agreement_signed_on : change.agreementSignedOn,
    contacts: change.contacts ? JSON.stringify(change.contacts) : row.contacts,
    note: change.note ?? row.note,
    disabled_at: change.disabled === undefined ? row.disabled_at : change.disabled ? (row.disabled_at ?? now) : null,
    updated_at: now,
  };
  try {
    await p.db.db.transaction().execute(async (trx) => {
      await trx.updateTable('sharing_partners').set(next).where('id', '=', id).execute();
      if (next.machine_user_id && change.disabled !== undefined) {
        await trx
          .updateTable('users')
          .set({ status: change.disabled ? 'disabled' : 'active', updated_at: now })
          .where('id', '=', next.machine_user_id)
          .execute();
      }
      await p.audit.record(trx, {
        actor,
        action: 'sharing.partner.update',
        target: { type: 'sharing_partner', id },
        result: 'success',
        clientIp: ip,
        details: { fields: Object.keys(change), tlpMax, official },
      });
    });
  } catch (err) {
    if (p.dialect.isUniqueViolation(err)) throw new AppError('CONFLICT', 'a partner with that name exists');
    throw err;
  }
  return presentPartner(next);
}

export async function findPartner(db: AnyDb, id: string): Promise<SharingPartnerTable | undefined> {
  return db.selectFrom('sharing_partners').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findPartnerByName(db: AnyDb, name: string): Promise<SharingPartnerTable | undefined> {
  return db.selectFrom('sharing_partners').selectAll().where('name', '=', name).executeTakeFirst();
}

/** The partner whose machine account this is (TAXII and other machine routes call this), or undefined. */
export async function partnerForUser(db: AnyDb, userId: string): Promise<SharingPartnerTable | undefined> {
  return db.selectFrom('sharing_partners').selectAll().where('machine_user_id', '=', userId).executeTakeFirst();
}

export async function listPartners(db: AnyDb): Promise<PartnerView[]> {
  const rows = await db.selectFrom('sharing_partners').selectAll().orderBy('name').orderBy('id').limit(1000).execute();
  return rows.map(presentPartner);
}

/** The root unit: machine accounts belong to no real unit, and hold no role (they read nothing of staff's). */
async function rootUnitId(db: AnyDb): Promise<string> {
  const u = await db
    .selectFrom('units')
    .select('id')
    .where('parent_id', 'is', null)
    .orderBy('sort_order')
    .orderBy('created_at')
    .executeTakeFirst();
  if (!u) throw new AppError('CONFLICT', 'no organisation unit exists yet');
  return u.id;
}

/**
 * A new API token for the partner's machine account, creating that account on first use: a `users` row with no
 * role, no password and clearance 1, linked from `sharing_partners.machine_user_id`. Audited as `token.create`.
 */
export async function createPartnerToken(
  p: Platform,
  actor: AuditActor | null,
  partnerId: string,
  input: { name: string; expiresInDays: number | null },
  ip: string | null,
): Promise<{ token: string; tokenId: string; partnerId: string; expiresAt: string | null }> {
  const partner = await findPartner(p.db.db, partnerId);
  if (!partner) throw new AppError('NOT_FOUND');
  if (partner.disabled_at) throw new AppError('VALIDATION_FAILED', 'the partner is disabled');
  const now = p.clock.now();
  const iso = now.toISOString();
  const expiresAt = input.expiresInDays
    ? new Date(now.getTime() + input.expiresInDays * 86_400_000).toISOString()
    : null;
  const unitId = await rootUnitId(p.db.db);
  return p.db.db.transaction().execute(async (trx) => {
    let userId = partner.machine_user_id;
    if (!userId) {
      userId = randomUUID();
      await trx
        .insertInto('users')
        .values({
          id: userId,
          login: `partner.${partner.id.slice(0, 8)}`,
          name: `連携先機械アカウント: ${partner.name}`,
          name_kana: '',
          email: null,
          unit_id: unitId,
          position_id: null,
          clearance: 1,
          status: 'active',
          password_hash: null,
          must_change_password: 0,
          totp_secret_enc: null,
          totp_pending_enc: null,
          totp_enrolled_at: null,
          totp_last_step: null,
          failed_logins: 0,
          locked_until: null,
          last_login_at: null,
          created_at: iso,
          updated_at: iso,
          disabled_at: null,
          disabled_reason: null,
        })
        .execute();
      await trx
        .updateTable('sharing_partners')
        .set({ machine_user_id: userId, updated_at: iso })
        .where('id', '=', partner.id)
        .execute();
    }
    const created = await insertToken(trx, { userId, name: input.name, expiresAt, createdBy: actor?.id ?? null }, now);
    await p.audit.record(trx, {
      actor,
      action: 'token.create',
      target: { type: 'api_token', id: created.row.id },
      result: 'success',
      clientIp: ip,
      details: { userId, partnerId: partner.id, expiresAt },
    });
    return { token: created.token, tokenId: created.row.id, partnerId: partner.id, expiresAt };
  });
}

/** The recipient for a partner name (CLI `--for`), or the public when no name is given. */
export async function recipientByName(db: AnyDb, name: string | undefined): Promise<Recipient> {
  if (name === undefined) return PUBLIC;
  const row = await findPartnerByName(db, name);
  if (!row) throw new AppError('NOT_FOUND', `no partner named ${name}`);
  return { kind: 'partner', partner: partnerFacts(row) };
}
