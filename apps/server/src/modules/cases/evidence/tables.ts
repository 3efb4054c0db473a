/** Tables of case evidence, custody, analysis requests and warrants (migration 0009_case_work). */
export interface CaseEvidenceTable {
  id: string;
  case_id: string;
  /** The item this one was derived from (an extracted file, a converted image); the parent is never changed. */
  parent_id: string | null;
  /** store: bytes in the encrypted file store · forensic: registered only, the bytes live on forensic storage */
  storage: string;
  /** 押収品番号 */
  item_number: string | null;
  title: string;
  description: string;
  file_ref_id: string | null;
  original_name: string | null;
  size: number | null;
  /** Hashes at intake, lower-case hex; MD5 and SHA-1 for exchange with other bodies. */
  sha256: string;
  md5: string | null;
  sha1: string | null;
  /** Where a registered item physically is (保管場所, forensic storage path). */
  location: string | null;
  seized_at: string | null;
  seized_from: string | null;
  /** The last custody action (received, stored, transferred, analysed, returned, disposed). */
  custody_state: string;
  custody_seq: number;
  /** Hash of the last custody event: the head of this item's chain. */
  custody_head: string;
  created_by: string;
  created_at: string;
}

export interface CaseCustodyEventTable {
  id: string;
  evidence_id: string;
  seq: number;
  action: string;
  /** When the act happened (may be earlier than recorded_at). */
  at: string;
  actor_id: string;
  actor_name: string;
  location: string;
  reason: string;
  /** The other party of a transfer, a return or a disposal. */
  counterpart: string | null;
  recorded_at: string;
  prev_hash: string;
  hash: string;
}

export interface CaseAnalysisRequestTable {
  id: string;
  case_id: string;
  /** JSON array of evidence ids. */
  evidence_ids: string;
  purpose: string;
  /** JSON array of strings (解析用機材). */
  equipment: string;
  /** JSON array of {name, version}. */
  tools: string;
  /** JSON array of {item, done}. */
  checklist: string;
  /** draft | submitted | approved | returned | completed */
  status: string;
  requested_by: string;
  analyst_id: string | null;
  /** The superior asked to approve (set on submission). */
  approver_id: string | null;
  decided_at: string | null;
  decision_note: string | null;
  result: string | null;
  created_at: string;
  updated_at: string;
}

export interface CaseWarrantTable {
  id: string;
  case_id: string;
  kind: string;
  reference: string | null;
  court: string | null;
  /** What the warrant authorises, as written on it (places, things, records). */
  target: string;
  issued_on: string | null;
  /** Last day of validity (JST calendar date). */
  valid_until: string | null;
  /** requested | issued | executed | expired | returned */
  status: string;
  executed_at: string | null;
  reminded_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface CaseWarrantLinkTable {
  warrant_id: string;
  /** evidence | analysis | person | other (ids of those records) */
  target_type: string;
  target_id: string;
}

declare module '../../../platform/db/types.ts' {
  interface Database {
    case_evidence: CaseEvidenceTable;
    case_custody_events: CaseCustodyEventTable;
    case_analysis_requests: CaseAnalysisRequestTable;
    case_warrants: CaseWarrantTable;
    case_warrant_links: CaseWarrantLinkTable;
  }
}
