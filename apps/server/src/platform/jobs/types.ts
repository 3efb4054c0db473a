import type { Transaction } from 'kysely';
import type { Database } from '../db/types.ts';

export interface JobTable {
  id: string;
  type: string;
  /** JSON text. */
  payload: string;
  state: JobState;
  /** Attempts started so far (a claim counts as an attempt, so a crash mid-run uses one up). */
  attempts: number;
  run_at: string;
  /** End of the lease of the runner working on it; after that another runner may take it over. */
  locked_until: string | null;
  locked_by: string | null;
  idempotency_key: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface JobScheduleTable {
  name: string;
  cron: string;
  next_run_at: string;
  last_run_at: string | null;
  updated_at: string;
}

declare module '../db/types.ts' {
  interface Database {
    jobs: JobTable;
    job_schedules: JobScheduleTable;
  }
}

export type JobState = 'queued' | 'active' | 'done' | 'dead';

/**
 * The typed domain events that feed the queue: event name → payload. Modules add theirs by augmentation
 * in their own files:
 *
 * ```ts
 * declare module '../../platform/jobs/types.ts' {
 *   interface DomainEvents { 'case.closed': { caseId: string } }
 * }
 * ```
 * Payloads are JSON: ids and small values, never record contents (the handler reads the record).
 */
export interface DomainEvents {
  /** A consultation/report was received (intake). */
  'report.received': { reportId: string };
  /** A countermeasure request reached its due date. */
  'request.due': { requestId: string };
  /** Send one outbox message (platform/mail). */
  'mail.send': { messageId: string };
}

export type EventName = keyof DomainEvents & string;

export interface PublishOptions {
  /** Publishing the same key twice creates one job (the first); the key stays taken after the job ends. */
  idempotencyKey?: string;
  /** Not before this instant (default: now by the platform clock). */
  runAt?: Date;
}

export interface JobInfo {
  id: string;
  type: string;
  /** 1 for the first attempt. */
  attempt: number;
}

export type JobHandler<K extends EventName> = (payload: DomainEvents[K], job: JobInfo) => Promise<void>;

export interface Backoff {
  /** Delay before the first retry. */
  initialMs: number;
  /** Upper bound of the delay. */
  maxMs?: number;
  /** Growth per retry (2 = exponential doubling). */
  factor?: number;
}

export interface RegisterOptions<K extends EventName = EventName> {
  /** Retries after the first attempt before the job is dead-lettered (default 5). */
  retries?: number;
  backoff?: Backoff;
  /** How long a claim lasts; a job still running after that may be taken over by another runner (default 5 min). */
  leaseMs?: number;
  /** Called once when the job is dead-lettered (retries exhausted). */
  onDeadLetter?: (payload: DomainEvents[K], job: JobInfo & { error: string }) => Promise<void>;
}

/** One job row as the API shows it (dead-letter view, admin pages). */
export interface JobRecord {
  id: string;
  type: string;
  payload: unknown;
  state: JobState;
  attempts: number;
  runAt: string;
  lastError: string | null;
  idempotencyKey: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** What a recurring handler receives: the instant it was due. */
export type ScheduleHandler = (info: { name: string; dueAt: Date }) => Promise<void>;

/**
 * The one job queue of the platform (ARCHITECTURE.md: background work goes through here, fed by typed
 * domain events, never by polling loops in modules). See docs/adr/0005-jobs.md.
 */
export interface JobQueue {
  /** Enqueues an event; returns the job id (the existing one when the idempotency key is taken). */
  publish<K extends EventName>(event: K, payload: DomainEvents[K], options?: PublishOptions): Promise<string>;
  /** Enqueues inside the caller's transaction, so the job exists exactly when the change does. */
  publishInTransaction<K extends EventName>(
    trx: Transaction<Database>,
    event: K,
    payload: DomainEvents[K],
    options?: PublishOptions,
  ): Promise<string>;
  /** One handler per event type. */
  register<K extends EventName>(type: K, handler: JobHandler<K>, options?: RegisterOptions<K>): void;
  /** A recurring job (croner syntax, Asia/Tokyo unless the pattern says otherwise); each run is a job. */
  schedule(
    name: string,
    cron: string,
    handler: ScheduleHandler,
    options?: RegisterOptions & { timezone?: string },
  ): void;
  /** Starts polling (real timers). Tests call runDue() instead. */
  start(): Promise<void>;
  /** Stops polling and waits for the job in hand. */
  stop(): Promise<void>;
  /** Enqueues due recurring jobs, then claims and runs due jobs until none is left; returns how many ran. */
  runDue(options?: { max?: number }): Promise<number>;
  deadLetters(options?: { type?: string; limit?: number }): Promise<JobRecord[]>;
  /** Puts a dead (or queued) job back to run now with a fresh set of retries. */
  retry(id: string): Promise<void>;
  get(id: string): Promise<JobRecord | undefined>;
}
