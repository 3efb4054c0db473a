import type { Generated } from 'kysely';

/** Tables of the cases module (migration 0008_cases); added to the shared Database type. */

/** 事件種別 */
export const CASE_TYPES = ['cyber_crime', 'cyber_attack', 'serious_cyber', 'csirt'] as const;
export type CaseType = (typeof CASE_TYPES)[number];
/** 段階: 認知 → 捜査 → 検挙 → 送致 */
export const CASE_STAGES = ['recognised', 'investigating', 'cleared', 'referred'] as const;
export type CaseStage = (typeof CASE_STAGES)[number];
export const CASE_STATUSES = ['open', 'suspended', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
/** lead: manages members; member: reads and writes; reader: reads only. */
export const MEMBER_ROLES = ['lead', 'member', 'reader'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];
export const PERSON_KINDS = ['suspect', 'victim', 'witness'] as const;
export type PersonKind = (typeof PERSON_KINDS)[number];

export interface CaseTable {
  id: string;
  /** 事件番号, e.g. 令和8年サ第12号 (documentNumber of packages/core/calendar). */
  case_number: string;
  number_year: number;
  number_seq: number;
  title: string;
  summary: string;
  type: string;
  /** case_classifications.code (any level; the three tiers of domain.md §1.2). */
  classification_code: string | null;
  /** 主管課 */
  lead_unit_id: string;
  status: string;
  stage: string;
  /** 格付 (機密性) 1..3 */
  confidentiality: number;
  /** 取扱制限: JSON array of strings, e.g. ["複製禁止"]. */
  handling: string;
  tlp: string;
  /** 認知日, 検挙日, 送致日 (Japanese calendar days, YYYY-MM-DD) */
  recognised_on: string | null;
  cleared_on: string | null;
  referred_on: string | null;
  closed_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface CaseMemberTable {
  case_id: string;
  user_id: string;
  role: string;
  added_by: string;
  added_at: string;
  /** creator | lead | override */
  via: string;
  /** The reason of an emergency override. */
  reason: string | null;
  /** Copy of cases.updated_at, kept by triggers (migration 0008): never written by the application. */
  case_updated_at: Generated<string>;
}

/** 支援所属 */
export interface CaseUnitTable {
  case_id: string;
  unit_id: string;
  added_by: string;
  added_at: string;
}

export interface CasePersonTable {
  id: string;
  case_id: string;
  kind: string;
  /** Non-identifying label shown in lists ("被疑者A"). */
  label: string;
  /** Name, kana, birth date, address, contact, note: JSON sealed with the master key (要配慮個人情報). */
  sealed: string;
  created_by: string;
  created_at: string;
}

export interface CaseDamageTable {
  id: string;
  case_id: string;
  amount_yen: number;
  method: string;
  occurred_on: string | null;
  note: string;
  created_by: string;
  created_at: string;
}

export interface CaseReportTable {
  case_id: string;
  report_id: string;
  linked_by: string;
  linked_at: string;
}

export interface CaseTimelineTable {
  id: string;
  case_id: string;
  /** When it happened (may be earlier than created_at). */
  at: string;
  /** note | stage | member | report | task | person | damage | attachment | observable | override | system */
  kind: string;
  body: string;
  author_id: string | null;
  created_at: string;
}

export interface CaseTaskTable {
  id: string;
  case_id: string;
  title: string;
  assignee_id: string | null;
  due_on: string | null;
  /** open | done */
  status: string;
  created_by: string;
  created_at: string;
  done_at: string | null;
}

export interface CaseAttachmentTable {
  file_ref_id: string;
  case_id: string;
  name: string;
  size: number;
  content_type: string | null;
  created_by: string;
  created_at: string;
}

export interface CaseClassificationTable {
  code: string;
  parent_code: string | null;
  level: number;
  label_ja: string;
  label_en: string;
  sort: number;
  active: number;
}

export interface CaseSequenceTable {
  year: number;
  last: number;
}

declare module '../../platform/db/types.ts' {
  interface Database {
    cases: CaseTable;
    case_members: CaseMemberTable;
    case_units: CaseUnitTable;
    case_persons: CasePersonTable;
    case_damages: CaseDamageTable;
    case_reports: CaseReportTable;
    case_timeline: CaseTimelineTable;
    case_tasks: CaseTaskTable;
    case_attachments: CaseAttachmentTable;
    case_classifications: CaseClassificationTable;
    case_sequences: CaseSequenceTable;
  }
}
