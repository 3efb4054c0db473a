import { addWorkingMillis, workingMillisBetween } from '@renkei/core/calendar/index';

/** Working-time budget from request to decision, by urgency. */
export const DECISION_BUDGET_MS: Record<string, number> = {
  urgent: 1 * 3600_000,
  normal: 4 * 3600_000,
  low: 16 * 3600_000,
};
export const URGENCIES = ['urgent', 'normal', 'low'] as const;

export function decisionDue(requestedAt: Date, urgency: string): Date {
  return addWorkingMillis(requestedAt, DECISION_BUDGET_MS[urgency] ?? DECISION_BUDGET_MS.normal!);
}

export interface SupportClock {
  /** Working time from the request to the decision, or to now while undecided. */
  workingMs: number;
  /** Calendar time over the same span. */
  elapsedMs: number;
  budgetMs: number;
  dueAt: string;
  /** Undecided past the due time, or decided after it. */
  overdue: boolean;
  running: boolean;
}

export function supportClock(
  r: { requested_at: string; due_at: string; decided_at: string | null; urgency: string },
  now: Date,
): SupportClock {
  const start = new Date(r.requested_at);
  const end = r.decided_at ? new Date(r.decided_at) : now;
  return {
    workingMs: Math.max(0, workingMillisBetween(start, end)),
    elapsedMs: Math.max(0, end.getTime() - start.getTime()),
    budgetMs: DECISION_BUDGET_MS[r.urgency] ?? DECISION_BUDGET_MS.normal!,
    dueAt: r.due_at,
    overdue: end.getTime() > new Date(r.due_at).getTime(),
    running: r.decided_at === null,
  };
}
