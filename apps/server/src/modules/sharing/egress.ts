/**
 * THE egress policy (issue 9 §1, docs/adr/0010-sharing-egress.md). Every object that leaves Renkei — STIX export,
 * MISP feed, TAXII, phishing URL lists, case packages, mail — is passed through `decideEgress` for its recipient,
 * and leaves only when the answer is `allowed`. Pure: no I/O, no clock. Deny by default: any fact that is missing
 * or unknown is read in the direction that withholds.
 */
import {
  type ObservableType,
  type OccurrenceRole,
  PERSONAL_TYPES,
  type RecipientKind,
  type TlpLabel,
  isObservableType,
  sharingBasis,
} from '../intel/vocab.ts';

export const PARTNER_KINDS = [
  'npa',
  'jc3',
  'prefecture',
  'vendor',
  'council',
  'bank',
  'telecom',
  'isp',
  'other',
] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

export const PARTNER_KIND_LABELS: Record<PartnerKind, { ja: string; en: string }> = {
  npa: { ja: '警察庁', en: 'National Police Agency' },
  jc3: { ja: 'JC3（日本サイバー犯罪対策センター）', en: 'JC3' },
  prefecture: { ja: '他都道府県警察', en: 'Other prefectural police' },
  vendor: { ja: 'セキュリティ・フィルタリング事業者', en: 'AV or filtering vendor' },
  council: { ja: '協議会', en: 'Council' },
  bank: { ja: '金融機関', en: 'Bank' },
  telecom: { ja: '電気通信事業者', en: 'Telecom carrier' },
  isp: { ja: 'ISP・プラットフォーム事業者', en: 'ISP or platform' },
  other: { ja: 'その他', en: 'Other' },
};

/** TLP ceilings a partner can have: RED never leaves, so it is no ceiling. */
export const TLP_CEILINGS = ['clear', 'green', 'amber', 'amber+strict'] as const;
export type TlpCeiling = (typeof TLP_CEILINGS)[number];

const TLP_RANK: Record<TlpLabel, number> = { clear: 0, green: 1, amber: 2, 'amber+strict': 3, red: 4 };

/** Which kinds may be official bodies (機密性2 recipients): the NPA, other prefectures, JC3 under agreement. */
export const OFFICIAL_KINDS: ReadonlySet<PartnerKind> = new Set<PartnerKind>(['npa', 'prefecture', 'jc3']);

/** The recipient kind of intel's sharing rules (`mayShare`) that a partner of this kind is. */
export const RECIPIENT_KIND_OF: Record<PartnerKind, RecipientKind> = {
  npa: 'police',
  prefecture: 'police',
  jc3: 'jc3',
  vendor: 'vendor',
  bank: 'bank',
  telecom: 'telecom',
  isp: 'isp',
  // Councils and others are treated like the public for the per-type rules: technical, suspect-side only.
  council: 'public',
  other: 'public',
};

/** What the policy needs to know of a partner (a row of `sharing_partners`, see `partnerFacts`). */
export interface EgressPartner {
  id: string;
  name: string;
  kind: PartnerKind;
  tlpMax: TlpCeiling;
  official: boolean;
  /** The agreement (協定) under which we share; empty when none. */
  agreement: string;
  disabled: boolean;
}

export type Recipient = { kind: 'public' } | { kind: 'partner'; partner: EgressPartner };
export const PUBLIC: Recipient = { kind: 'public' };

export type PersonalKind = 'reporter' | 'victim' | 'suspect';

/** The facts of one object about to leave. */
export interface EgressObject {
  /** e.g. 'observable', 'intel_entity', 'stix_object', 'relationship', 'sighting', 'report', 'case'. */
  type: string;
  id: string;
  tlp: TlpLabel;
  /** 機密性 (格付) 1–3. */
  confidentiality: 1 | 2 | 3;
  /** Partner ids the object is restricted to (TLP:AMBER(+STRICT) "named recipients"); empty or absent: none named. */
  recipients?: readonly string[] | undefined;
  /** Personal data the object carries, by whose it is. */
  personal?: readonly PersonalKind[] | undefined;
  /** For an observable: its type and the role decided for it (the most restrictive over its occurrences). */
  observable?: { type: string; role: OccurrenceRole } | undefined;
}

export const WITHHELD_REASONS = [
  'partner_disabled',
  'tlp_red',
  'tlp_above_ceiling',
  'public_not_clear',
  'not_named_recipient',
  'confidentiality_3',
  'confidentiality_2_not_official',
  'confidentiality_2_public',
  'personal_data',
  'sharing_rule',
  'unknown_type',
  'depends_on_withheld',
] as const;
export type WithheldReason = (typeof WITHHELD_REASONS)[number];

export const REASON_LABELS: Record<WithheldReason, { ja: string; en: string }> = {
  partner_disabled: { ja: '連携先が無効化されています', en: 'The partner is disabled' },
  tlp_red: { ja: 'TLP:RED は外部に出しません', en: 'TLP:RED never leaves' },
  tlp_above_ceiling: { ja: '連携先の TLP 上限を超えています', en: "Above the partner's TLP ceiling" },
  public_not_clear: { ja: '公開できるのは TLP:CLEAR のみです', en: 'Only TLP:CLEAR may be public' },
  not_named_recipient: { ja: '指定された提供先に含まれていません', en: 'Not one of the named recipients' },
  confidentiality_3: { ja: '機密性3 は外部に出しません', en: '機密性3 never leaves' },
  confidentiality_2_not_official: {
    ja: '機密性2 は公的機関（警察庁・都道府県警察・協定のある JC3）に限ります',
    en: '機密性2 goes to official bodies only (NPA, prefectures, JC3 under agreement)',
  },
  confidentiality_2_public: { ja: '公開できるのは機密性1 のみです', en: 'Only 機密性1 may be public' },
  personal_data: {
    ja: '通報者・被害者・被疑者の個人情報は提供できません',
    en: 'Personal data of reporters, victims and suspects does not leave',
  },
  sharing_rule: {
    ja: 'この種別・役割の値をこの提供先に出す法的根拠がありません',
    en: 'No sharing rule (legal basis) allows this type and role for this recipient',
  },
  unknown_type: { ja: '種別が不明なため提供できません', en: 'Unknown type: withheld' },
  depends_on_withheld: {
    ja: '参照先のオブジェクトが提供されないため提供しません',
    en: 'It refers to an object that is withheld',
  },
};

export type EgressDecision =
  | {
      allowed: true;
      /** The TLP marking the object leaves with (never lower than it had). */
      tlp: TlpLabel;
      /** The legal basis recorded with the transfer when a per-type sharing rule was needed. */
      basis: string | null;
    }
  | { allowed: false; reason: WithheldReason };

const deny = (reason: WithheldReason): EgressDecision => ({ allowed: false, reason });

/** True when the partner may receive 機密性2: an official body, and JC3 only under an agreement. */
export function isOfficialBody(p: EgressPartner): boolean {
  if (!p.official || !OFFICIAL_KINDS.has(p.kind)) return false;
  return p.kind !== 'jc3' || p.agreement.trim().length > 0;
}

export function recipientKind(r: Recipient): RecipientKind {
  return r.kind === 'public' ? 'public' : RECIPIENT_KIND_OF[r.partner.kind];
}

/** The highest TLP this recipient may receive. */
export function ceilingOf(r: Recipient): TlpLabel {
  return r.kind === 'public' ? 'clear' : r.partner.tlpMax;
}

/**
 * May this object go to this recipient, and with what marking? Checks, in order: the partner is active; TLP
 * (RED never; above the ceiling never; public only CLEAR; named recipients); 格付 (3 never; 2 official bodies only;
 * public only 1); personal data (reporters' and victims' never; suspects' only as an observable whose type's
 * sharing rule allows it for this recipient); and for every observable, intel's per-type sharing rule.
 */
export function decideEgress(o: EgressObject, r: Recipient): EgressDecision {
  if (r.kind === 'partner' && r.partner.disabled) return deny('partner_disabled');

  if (!(o.tlp in TLP_RANK)) return deny('tlp_red');
  if (o.tlp === 'red') return deny('tlp_red');
  if (r.kind === 'public') {
    if (o.tlp !== 'clear') return deny('public_not_clear');
  } else if (TLP_RANK[o.tlp] > TLP_RANK[r.partner.tlpMax]) {
    return deny('tlp_above_ceiling');
  }
  if (o.recipients && o.recipients.length > 0) {
    if (r.kind === 'public' || !o.recipients.includes(r.partner.id)) return deny('not_named_recipient');
  }

  const conf = o.confidentiality;
  if (conf !== 1 && conf !== 2) return deny('confidentiality_3');
  if (conf === 2) {
    if (r.kind === 'public') return deny('confidentiality_2_public');
    if (!isOfficialBody(r.partner)) return deny('confidentiality_2_not_official');
  }

  const kind = recipientKind(r);
  const personal = new Set(o.personal ?? []);
  if (personal.has('reporter') || personal.has('victim')) return deny('personal_data');

  if (o.observable) {
    const { type, role } = o.observable;
    if (!isObservableType(type)) return deny('unknown_type');
    if (PERSONAL_TYPES.has(type as ObservableType) && role !== 'suspect') return deny('personal_data');
    const basis = sharingBasis(type, role, kind);
    if (basis === null) return deny(PERSONAL_TYPES.has(type) ? 'personal_data' : 'sharing_rule');
    return { allowed: true, tlp: o.tlp, basis };
  }
  // Suspects' personal data outside an observable (a narrative, a case file) has no per-type rule: withheld.
  if (personal.has('suspect')) return deny('personal_data');
  return { allowed: true, tlp: o.tlp, basis: null };
}

export interface Withheld<T> {
  item: T;
  reason: WithheldReason;
}

/** Splits objects into what may leave and what is withheld (with the reason), in the order given. */
export function partition<T>(
  items: Iterable<T>,
  facts: (item: T) => EgressObject,
  r: Recipient,
): { allowed: { item: T; tlp: TlpLabel; basis: string | null }[]; withheld: Withheld<T>[] } {
  const allowed: { item: T; tlp: TlpLabel; basis: string | null }[] = [];
  const withheld: Withheld<T>[] = [];
  for (const item of items) {
    const d = decideEgress(facts(item), r);
    if (d.allowed) allowed.push({ item, tlp: d.tlp, basis: d.basis });
    else withheld.push({ item, reason: d.reason });
  }
  return { allowed, withheld };
}

/** The most restrictive role over an observable's occurrences: victim over suspect over unknown. */
export function egressRole(roles: Iterable<string>): OccurrenceRole {
  let out: OccurrenceRole = 'unknown';
  let seenSuspect = false;
  for (const r of roles) {
    if (r === 'victim') return 'victim';
    if (r === 'suspect') seenSuspect = true;
    else if (r !== 'unknown') return 'victim'; // an unknown value of the column: the restrictive reading
  }
  if (seenSuspect) out = 'suspect';
  return out;
}

/** The TLP label of a stored string; anything unknown reads as RED (withheld). */
export function tlpOf(v: string | null | undefined): TlpLabel {
  return v === 'clear' || v === 'green' || v === 'amber' || v === 'amber+strict' || v === 'red' ? v : 'red';
}

/** The 格付 of a stored number; anything unknown reads as 3 (withheld). */
export function confidentialityOf(v: number | null | undefined): 1 | 2 | 3 {
  return v === 1 || v === 2 ? v : 3;
}
