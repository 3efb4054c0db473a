/** Joint work, mutual assistance, NPA reports and victim profiles (migration 0009_case_work). */
export interface CaseJointTable {
  id: string;
  case_id: string;
  /** joint (合同捜査) | cooperative (共同捜査) */
  kind: string;
  /** prefecture | national (サイバー特別捜査部 etc.) | other */
  partner_kind: string;
  partner_name: string;
  started_on: string;
  ended_on: string | null;
  notes: string;
  created_by: string;
  created_at: string;
}

export interface CaseJointShareTable {
  id: string;
  joint_id: string;
  /** sent | received */
  direction: string;
  shared_at: string;
  /** What was shared (a description; a package export records its counts). */
  what: string;
  channel: string | null;
  recorded_by: string;
  recorded_at: string;
}

export interface CaseAssistanceTable {
  id: string;
  /** domestic (捜査共助) | international (国際捜査共助) */
  scope: string;
  /** incoming | outgoing */
  direction: string;
  /** prefecture | ihc (全国協働捜査方式) | npa | foreign */
  source: string;
  case_id: string | null;
  owner_unit_id: string;
  /** The other prefecture, or the country. */
  counterpart: string;
  /** International: icpo | mlat | 24-7 */
  channel: string | null;
  /** Their or the IHC reference number. */
  reference: string | null;
  subject: string;
  details: string;
  /** requested | sent | in_progress | answered | closed | refused */
  status: string;
  requested_on: string;
  sent_on: string | null;
  due_on: string | null;
  answered_on: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface CaseNpaReportTable {
  id: string;
  case_id: string | null;
  owner_unit_id: string;
  /** periodic | immediate */
  kind: string;
  /** Periodic: 'YYYY-MM'. */
  period: string | null;
  title: string;
  /** The report's JSON, as written to the file. */
  body: string;
  file_ref_id: string;
  created_by: string;
  created_at: string;
  sent_at: string | null;
}

export interface CaseVictimProfileTable {
  case_id: string;
  /** ransomware | ddos | other */
  incident_type: string;
  /** JSON: the NCO common-template fields. */
  fields: string;
  /** JSON: [{code, done, doneAt, doneBy}] */
  checklist: string;
  nco_consent: number;
  updated_by: string;
  updated_at: string;
}

declare module '../../../platform/db/types.ts' {
  interface Database {
    case_joint: CaseJointTable;
    case_joint_shares: CaseJointShareTable;
    case_assistance: CaseAssistanceTable;
    case_npa_reports: CaseNpaReportTable;
    case_victim_profiles: CaseVictimProfileTable;
  }
}
