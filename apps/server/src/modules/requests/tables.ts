/** Tables of the requests module (migration 0013_requests); added to the shared Database type. */
export interface RequestTypeTable {
  code: string;
  name: string;
  legal_basis: string;
  /** JSON array of recipient kinds the type is addressed to. */
  recipient_kinds: string;
  /** JSON FieldDef[] (vocab.ts). */
  fields: string;
  /** JSON TypeRules (vocab.ts). */
  rules: string;
  template_code: string;
  sort: number;
  active: number;
}

export interface RequestRecipientTable {
  id: string;
  name: string;
  /** vocab RECIPIENT_KINDS */
  kind: string;
  abuse_email: string | null;
  legal_email: string | null;
  fax: string | null;
  phone: string | null;
  address: string | null;
  /** 全銀 bank code for banks (4 digits). */
  bank_code: string | null;
  notes: string;
  created_at: string;
  updated_at: string;
}

export interface RequestTable {
  id: string;
  type_code: string;
  recipient_id: string;
  /** vocab STATUSES */
  status: string;
  title: string;
  /** The drafter's unit: need-to-know owner; its head approves. */
  owner_unit_id: string;
  confidentiality: number;
  /** Linked records (by id): a viewer who may not see the case or report does not see the request. */
  case_id: string | null;
  report_id: string | null;
  campaign_id: string | null;
  /** JSON: the type's fields. */
  fields: string;
  /** Notice reference (RQ-YYYYMMDD-XXXXXX) quoted in the letter so replies tie back. */
  reference: string;
  document_number: string | null;
  created_by: string;
  approved_by: string | null;
  approved_at: string | null;
  sent_at: string | null;
  acknowledged_at: string | null;
  closed_at: string | null;
  due_at: string | null;
  reminded_at: string | null;
  escalated_at: string | null;
  /** 通信履歴保全: the period (start, end, total days so far). */
  period_start: string | null;
  period_until: string | null;
  period_days: number | null;
  warned_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface RequestItemTable {
  id: string;
  request_id: string;
  position: number;
  /** url | domain | ipv4 | bank_account | wallet | phone | account | other */
  kind: string;
  value: string;
  display: string;
  observable_id: string | null;
  /** The item's own recipient (grouping by provider); null: the request's. */
  recipient_id: string | null;
  /** JSON: account details (bank, branch, names, kana) or other per-item data. */
  details: string;
  /** vocab ITEM_OUTCOMES */
  outcome: string;
  outcome_at: string | null;
  /** When its site, confirmed down after the takedown, answered again (the latest time; migration 0019). */
  resurfaced_at: string | null;
}

export interface RequestEventTable {
  id: string;
  request_id: string;
  /** 1, 2, … per request (history order). */
  seq: number;
  at: string;
  actor_id: string | null;
  action: string;
  from_status: string | null;
  to_status: string | null;
  note: string;
}

export interface RequestDocumentTable {
  id: string;
  request_id: string;
  /** letter | withdrawal | extension */
  kind: string;
  file_id: string;
  document_number: string;
  mail_id: string | null;
  created_by: string | null;
  created_at: string;
}

export interface RequestDocSequenceTable {
  unit_id: string;
  year: number;
  last: number;
}

/** A drafted takedown URL to capture in the background (migration 0018; captureJobs.ts). */
export interface RequestCaptureQueueTable {
  item_id: string;
  request_id: string;
  url: string;
  /** desktop | iphone | android */
  profile: string;
  /** 1: with a screenshot. */
  screenshot: number;
  /** queued | done | failed */
  state: string;
  /** done: the capture's outcome (up, http_error…); failed: refused | failed. */
  outcome: string | null;
  capture_id: string | null;
  /** Whose rights the job captures with (the drafter). */
  requested_by: string;
  created_at: string;
  updated_at: string;
}

declare module '../../platform/db/types.ts' {
  interface Database {
    request_types: RequestTypeTable;
    request_recipients: RequestRecipientTable;
    requests: RequestTable;
    request_items: RequestItemTable;
    request_events: RequestEventTable;
    request_documents: RequestDocumentTable;
    request_doc_sequences: RequestDocSequenceTable;
    request_capture_queue: RequestCaptureQueueTable;
  }
}

declare module '../../platform/jobs/types.ts' {
  interface DomainEvents {
    /** A preservation period is about to run out: warn the drafter and the unit head. */
    'request.period.warn': { requestId: string };
    /** Capture the queued URLs of a drafted takedown (a chunk at a time; captureJobs.ts). */
    'request.captures': { requestId: string };
  }
}
