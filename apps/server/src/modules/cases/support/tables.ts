/** Support requests (支援要請) of migration 0009_case_work; added to the shared Database type. */
export interface CaseSupportRequestTable {
  id: string;
  /** The case or the intake report the request concerns (one of the two). */
  case_id: string | null;
  report_id: string | null;
  from_unit_id: string;
  to_unit_id: string;
  requested_by: string;
  /** analysis | investigation | advice | preservation | other */
  kind: string;
  /** urgent | normal | low: sets the working-time budget to a decision */
  urgency: string;
  summary: string;
  details: string;
  /** requested | accepted | declined | handed_back | completed | withdrawn */
  status: string;
  requested_at: string;
  /** When a decision (accept or decline) is due, in working time from requested_at. */
  due_at: string;
  decided_at: string | null;
  decided_by: string | null;
  assignee_id: string | null;
  /** Why it was declined, handed back or withdrawn. */
  reason: string | null;
  /** Working time from request to decision (frozen at the decision). */
  working_ms_to_decision: number | null;
  escalated_at: string | null;
  escalated_to: string | null;
  closed_at: string | null;
  updated_at: string;
}

declare module '../../../platform/db/types.ts' {
  interface Database {
    case_support_requests: CaseSupportRequestTable;
  }
}

declare module '../../../platform/jobs/types.ts' {
  interface DomainEvents {
    /** A support request's decision is due: escalate to the head of the asked unit if nobody has decided. */
    'case.support.due': { requestId: string };
  }
}
