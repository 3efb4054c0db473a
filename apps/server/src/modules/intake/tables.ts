/** Tables of the intake module (migration 0006_intake); added to the shared Database type. */
export interface IntakeReportTable {
  id: string;
  receipt_number: string;
  receipt_year: number;
  receipt_seq: number;
  /** web | phone | counter | mail | npa_online | ihc | patrol | partner */
  channel: string;
  /** report (通報) | consultation (相談) | information (情報提供) */
  kind: string;
  /** received | assigned | in_progress | closed */
  status: string;
  /** The handling unit: need-to-know owner. */
  owner_unit_id: string;
  /** The unit that took the report (web: the cyber division). */
  receiving_unit_id: string;
  assignee_id: string | null;
  confidentiality: number;
  tlp: string;
  members_only: number;
  /** 5W1H narrative (plain text, never HTML). */
  narrative: string;
  /** One-line summary shown in queues (no personal data). */
  summary: string;
  occurred_on: string | null;
  amount_yen: number | null;
  /** individual | business | anonymous */
  reporter_type: string;
  /** Reporter and victim personal data: JSON sealed with the master key (要配慮個人情報). */
  reporter_sealed: string | null;
  /** Non-personal structured details (5W1H parts, indicators typed in, business template, IHC, NPA routing). JSON. */
  details: string;
  /** Consent flags JSON: {bank, nco, partners}. */
  consent: string;
  category: string | null;
  category_confirmed_by: string | null;
  suggested_category: string | null;
  suggested_score: number | null;
  urgent: number;
  urgency: string;
  cluster_id: string | null;
  /** HMAC of the reporter's normalised phone/e-mail/name: links repeated consultations (person history). */
  person_key: string | null;
  status_token_hash: string | null;
  outcome: string | null;
  /** Shown to the reporter on the status page (never staff notes). */
  public_message: string | null;
  flags: string;
  received_at: string;
  assigned_at: string | null;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  escalated_at: string | null;
  escalated_to: string | null;
  closed_at: string | null;
  created_by: string | null;
  updated_at: string;
}

export interface IntakeMemberTable {
  report_id: string;
  user_id: string;
}

export interface IntakeNoteTable {
  id: string;
  report_id: string;
  author_id: string;
  body: string;
  created_at: string;
}

export interface IntakeAdditionTable {
  id: string;
  report_id: string;
  body: string;
  created_at: string;
}

export interface IntakeAttachmentTable {
  file_ref_id: string;
  report_id: string;
  name: string;
  declared_type: string | null;
  detected_type: string | null;
  size: number;
  /** JSON array of flags: type_mismatch, not_allowed_type, eml_unreadable, archive_not_expanded … */
  flags: string;
  created_at: string;
}

export interface IntakeObservableTable {
  id: string;
  report_id: string;
  type: string;
  value: string;
  display: string;
  /** suspect | victim | unknown */
  role: string;
  /** text | addition | attachment | eml | form */
  found_in: string;
  role_decided_by: string | null;
  role_decided_at: string | null;
  created_at: string;
}

export interface IntakeDutyTable {
  id: string;
  report_id: string;
  reasons: string;
  created_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  escalated_at: string | null;
  escalated_to: string | null;
}

export interface IntakeRoutingRuleTable {
  id: string;
  /** A category label, or null for any. */
  category: string | null;
  /** 1: only urgent reports; null: any. */
  urgent: number | null;
  /** cyber | receiving | unit */
  target: string;
  target_unit_id: string | null;
  priority: number;
  enabled: number;
  note: string;
  updated_at: string;
}

export interface IntakeModelTable {
  name: string;
  model: string;
  confirmations: number;
  updated_at: string;
}

export interface IntakeClusterTable {
  id: string;
  size: number;
  first_at: string;
  latest_at: string;
}

export interface IntakeSignatureTable {
  report_id: string;
  cluster_id: string;
  /** JSON array of the MinHash values. */
  minhash: string;
}

export interface IntakeLshBandTable {
  band: string;
  report_id: string;
}

export interface IntakeSequenceTable {
  year: number;
  last: number;
}

declare module '../../platform/db/types.ts' {
  interface Database {
    intake_reports: IntakeReportTable;
    intake_report_members: IntakeMemberTable;
    intake_notes: IntakeNoteTable;
    intake_additions: IntakeAdditionTable;
    intake_attachments: IntakeAttachmentTable;
    intake_observables: IntakeObservableTable;
    intake_duty: IntakeDutyTable;
    intake_routing_rules: IntakeRoutingRuleTable;
    intake_models: IntakeModelTable;
    intake_clusters: IntakeClusterTable;
    intake_signatures: IntakeSignatureTable;
    intake_lsh_bands: IntakeLshBandTable;
    intake_sequences: IntakeSequenceTable;
  }
}

declare module '../../platform/jobs/types.ts' {
  interface DomainEvents {
    /** Acknowledgement of a report (or of its duty-desk alert) is due: escalate to the unit head if still open. */
    'intake.ack.due': { reportId: string; dutyId: string | null };
  }
}
