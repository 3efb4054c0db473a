import { randomUUID } from 'node:crypto';
import { Cron } from 'croner';
import type { Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/connect.ts';
import type { AnyDb } from '../db/dialect.ts';
import type { Database } from '../db/types.ts';
import type {
  Backoff,
  DomainEvents,
  EventName,
  JobHandler,
  JobInfo,
  JobQueue,
  JobRecord,
  JobTable,
  PublishOptions,
  RegisterOptions,
  ScheduleHandler,
} from './types.ts';

const DEFAULT_RETRIES = 5;
const DEFAULT_BACKOFF: Required<Backoff> = { initialMs: 30_000, maxMs: 3600_000, factor: 2 };
const DEFAULT_LEASE_MS = 5 * 60_000;
const SCHEDULE_PREFIX = 'schedule:';
const ERROR_MAX = 2000;

interface Registration {
  run: (payload: unknown, job: JobInfo) => Promise<void>;
  retries: number;
  backoff: Required<Backoff>;
  leaseMs: number;
  onDeadLetter: ((payload: unknown, job: JobInfo & { error: string }) => Promise<void>) | undefined;
}

interface Schedule {
  name: string;
  pattern: string;
  cron: Cron;
}

export interface TableQueueOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  /** Poll interval of start() (default 1 s). */
  pollMs?: number;
  /** Identifies this runner in `locked_by` (default: a random id per instance). */
  runnerId?: string;
}

/** Delay before retry number `retry` (1-based): initial · factor^(retry-1), capped. */
export function backoffDelay(b: Required<Backoff>, retry: number): number {
  return Math.min(b.maxMs, Math.round(b.initialMs * b.factor ** Math.max(0, retry - 1)));
}

export function presentJob(row: JobTable): JobRecord {
  let payload: unknown = null;
  try {
    payload = JSON.parse(row.payload);
  } catch {
    payload = row.payload;
  }
  return {
    id: row.id,
    type: row.type,
    payload,
    state: row.state,
    attempts: row.attempts,
    runAt: row.run_at,
    lastError: row.last_error,
    idempotencyKey: row.idempotency_key,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.slice(0, ERROR_MAX);
}

/**
 * The table-backed queue (docs/adr/0005-jobs.md), on both engines. A runner claims one due job at a time
 * with a lease (`locked_until`); a runner that dies mid-run leaves the lease to expire and the job runs
 * again. On PostgreSQL the claim uses `FOR UPDATE SKIP LOCKED` so that several processes share the work;
 * SQLite has one writer at a time, so the claim's single UPDATE is already exclusive.
 * All times come from the injected clock.
 */
export class TableJobQueue implements JobQueue {
  readonly runnerId: string;
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #pollMs: number;
  readonly #handlers = new Map<string, Registration>();
  readonly #schedules = new Map<string, Schedule>();
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> | null = null;
  #stopping = false;

  constructor(options: TableQueueOptions) {
    this.#db = options.db;
    this.#clock = options.clock;
    this.#log = options.log;
    this.#pollMs = options.pollMs ?? 1000;
    this.runnerId = options.runnerId ?? `runner-${randomUUID()}`;
  }

  publish<K extends EventName>(event: K, payload: DomainEvents[K], options: PublishOptions = {}): Promise<string> {
    return this.#insert(this.#db.db, event, payload, options);
  }

  publishInTransaction<K extends EventName>(
    trx: Transaction<Database>,
    event: K,
    payload: DomainEvents[K],
    options: PublishOptions = {},
  ): Promise<string> {
    return this.#insert(trx, event, payload, options);
  }

  async #insert(db: AnyDb, type: string, payload: unknown, options: PublishOptions): Promise<string> {
    const now = this.#clock.now().toISOString();
    const id = randomUUID();
    const key = options.idempotencyKey ?? null;
    // ON CONFLICT DO NOTHING rather than catching the violation: on PostgreSQL a failed statement
    // would abort the caller's transaction.
    await db
      .insertInto('jobs')
      .values({
        id,
        type,
        payload: JSON.stringify(payload ?? null),
        state: 'queued',
        attempts: 0,
        run_at: (options.runAt ?? this.#clock.now()).toISOString(),
        locked_until: null,
        locked_by: null,
        idempotency_key: key,
        last_error: null,
        created_at: now,
        updated_at: now,
        finished_at: null,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .execute();
    if (key === null) return id;
    const row = await db.selectFrom('jobs').select('id').where('idempotency_key', '=', key).executeTakeFirstOrThrow();
    return row.id;
  }

  register<K extends EventName>(type: K, handler: JobHandler<K>, options: RegisterOptions<K> = {}): void {
    this.#add(
      type,
      (payload, job) => handler(payload as DomainEvents[K], job),
      options as RegisterOptions<EventName>,
      options.onDeadLetter as Registration['onDeadLetter'],
    );
  }

  #add(type: string, run: Registration['run'], options: RegisterOptions, onDead: Registration['onDeadLetter']): void {
    if (this.#handlers.has(type)) throw new Error(`job type ${type} is registered twice`);
    const retries = options.retries ?? DEFAULT_RETRIES;
    if (!Number.isInteger(retries) || retries < 0) throw new Error(`retries of ${type} must be a whole number ≥ 0`);
    this.#handlers.set(type, {
      run,
      retries,
      backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
      leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
      onDeadLetter: onDead,
    });
  }

  schedule(
    name: string,
    pattern: string,
    handler: ScheduleHandler,
    options: RegisterOptions & { timezone?: string } = {},
  ): void {
    if (this.#schedules.has(name)) throw new Error(`schedule ${name} is registered twice`);
    // No callback: croner only computes occurrences here; the runner decides when they are due.
    const cron = new Cron(pattern, { timezone: options.timezone ?? 'Asia/Tokyo', paused: true });
    this.#schedules.set(name, { name, pattern, cron });
    this.#add(
      `${SCHEDULE_PREFIX}${name}`,
      (payload, _job) => handler({ name, dueAt: new Date((payload as { dueAt: string }).dueAt) }),
      {
        retries: options.retries ?? 0,
        ...(options.backoff ? { backoff: options.backoff } : {}),
        ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
      },
      undefined,
    );
  }

  /** Enqueues one job per due occurrence of each schedule (a missed stretch while stopped fires once). */
  async #enqueueSchedules(): Promise<void> {
    const now = this.#clock.now();
    const nowIso = now.toISOString();
    for (const s of this.#schedules.values()) {
      const row = await this.#db.db
        .selectFrom('job_schedules')
        .selectAll()
        .where('name', '=', s.name)
        .executeTakeFirst();
      if (!row || row.cron !== s.pattern) {
        const next = s.cron.nextRun(now);
        if (!next) continue;
        const values = { cron: s.pattern, next_run_at: next.toISOString(), updated_at: nowIso };
        await this.#db.db
          .insertInto('job_schedules')
          .values({ name: s.name, last_run_at: null, ...values })
          .onConflict((oc) => oc.column('name').doUpdateSet(values))
          .execute();
        continue;
      }
      if (row.next_run_at > nowIso) continue;
      const dueAt = row.next_run_at;
      const next = s.cron.nextRun(now);
      await this.#db.db.transaction().execute(async (trx) => {
        // The key makes concurrent runners enqueue each occurrence once.
        await this.#insert(
          trx,
          `${SCHEDULE_PREFIX}${s.name}`,
          { dueAt },
          { idempotencyKey: `${SCHEDULE_PREFIX}${s.name}@${dueAt}`, runAt: new Date(dueAt) },
        );
        await trx
          .updateTable('job_schedules')
          .set({
            last_run_at: dueAt,
            next_run_at: next ? next.toISOString() : '9999-12-31T00:00:00.000Z',
            updated_at: nowIso,
          })
          .where('name', '=', s.name)
          .where('next_run_at', '=', dueAt)
          .execute();
      });
    }
  }

  /**
   * Claims the oldest due job of a type this runner handles, or one whose lease expired; null when none.
   * One statement (`UPDATE … WHERE id = (SELECT … LIMIT 1) RETURNING *`), so SQLite never upgrades a read
   * transaction to a write one; on PostgreSQL the inner SELECT skips rows other runners are claiming.
   */
  async #claim(): Promise<JobTable | null> {
    const regs = [...this.#handlers.entries()];
    if (regs.length === 0) return null;
    const now = this.#clock.now();
    const nowIso = now.toISOString();
    const leaseEnd = (ms: number) => new Date(now.getTime() + ms).toISOString();
    const postgres = this.#db.engine === 'postgres';
    const row = await this.#db.db
      .updateTable('jobs')
      .set((eb) => {
        let lease = eb.case().when('type', '=', regs[0]![0]).then(leaseEnd(regs[0]![1].leaseMs));
        for (const [type, reg] of regs.slice(1)) lease = lease.when('type', '=', type).then(leaseEnd(reg.leaseMs));
        return {
          state: 'active',
          attempts: eb('attempts', '+', 1),
          locked_until: lease.else(leaseEnd(DEFAULT_LEASE_MS)).end(),
          locked_by: this.runnerId,
          updated_at: nowIso,
        };
      })
      .where('id', '=', (eb) => {
        const pick = eb
          .selectFrom('jobs')
          .select('id')
          .where(
            'type',
            'in',
            regs.map(([t]) => t),
          )
          .where((w) =>
            w.or([
              w.and([w('state', '=', 'queued'), w('run_at', '<=', nowIso)]),
              w.and([w('state', '=', 'active'), w('locked_until', '<=', nowIso)]),
            ]),
          )
          .orderBy('run_at')
          .orderBy('id')
          .limit(1);
        return postgres ? pick.forUpdate().skipLocked() : pick;
      })
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  /** Runs one claimed job and records the outcome, unless the lease was lost meanwhile. */
  async #execute(job: JobTable): Promise<void> {
    const reg = this.#handlers.get(job.type);
    if (!reg) return;
    const info: JobInfo = { id: job.id, type: job.type, attempt: job.attempts };
    let payload: unknown;
    let failure: string | null = null;
    if (job.attempts > reg.retries + 1) {
      // The previous holder died (or overran its lease) on the last allowed attempt.
      failure = job.last_error ?? 'lease expired on the last attempt';
      payload = JSON.parse(job.payload);
      await this.#fail(job, reg, payload, failure, true);
      return;
    }
    try {
      payload = JSON.parse(job.payload);
      await reg.run(payload, info);
    } catch (err) {
      failure = errorText(err);
    }
    if (failure === null) {
      const now = this.#clock.now().toISOString();
      const done = await this.#db.db
        .updateTable('jobs')
        .set({ state: 'done', locked_until: null, finished_at: now, updated_at: now })
        .where('id', '=', job.id)
        .where('locked_by', '=', this.runnerId)
        .where('state', '=', 'active')
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) === 0) this.#log.warn({ jobId: job.id }, 'job finished after its lease was lost');
      return;
    }
    this.#log.warn({ jobId: job.id, type: job.type, attempt: job.attempts, error: failure }, 'job failed');
    await this.#fail(job, reg, payload, failure, job.attempts > reg.retries);
  }

  async #fail(job: JobTable, reg: Registration, payload: unknown, error: string, dead: boolean): Promise<void> {
    const now = this.#clock.now();
    const nowIso = now.toISOString();
    const res = await this.#db.db
      .updateTable('jobs')
      .set(
        dead
          ? { state: 'dead', locked_until: null, last_error: error, finished_at: nowIso, updated_at: nowIso }
          : {
              state: 'queued',
              locked_until: null,
              last_error: error,
              run_at: new Date(now.getTime() + backoffDelay(reg.backoff, job.attempts)).toISOString(),
              updated_at: nowIso,
            },
      )
      .where('id', '=', job.id)
      .where('locked_by', '=', this.runnerId)
      .where('state', '=', 'active')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) return;
    if (dead) {
      this.#log.error({ jobId: job.id, type: job.type, error }, 'job dead-lettered');
      if (reg.onDeadLetter) {
        try {
          await reg.onDeadLetter(payload, { id: job.id, type: job.type, attempt: job.attempts, error });
        } catch (err) {
          this.#log.error({ jobId: job.id, error: errorText(err) }, 'dead-letter hook failed');
        }
      }
    }
  }

  async runDue(options: { max?: number } = {}): Promise<number> {
    const max = options.max ?? 1000;
    await this.#enqueueSchedules();
    let ran = 0;
    while (ran < max && !this.#stopping) {
      const job = await this.#claim();
      if (!job) break;
      await this.#execute(job);
      ran++;
    }
    return ran;
  }

  async start(): Promise<void> {
    if (this.#timer) return;
    this.#stopping = false;
    const tick = () => {
      if (this.#running || this.#stopping) return;
      this.#running = this.runDue()
        .catch((err: unknown) => this.#log.error({ error: errorText(err) }, 'job runner tick failed'))
        .finally(() => {
          this.#running = null;
        });
    };
    this.#timer = setInterval(tick, this.#pollMs);
    this.#timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    if (this.#running) await this.#running;
    this.#stopping = false;
  }

  async deadLetters(options: { type?: string; limit?: number } = {}): Promise<JobRecord[]> {
    let q = this.#db.db.selectFrom('jobs').selectAll().where('state', '=', 'dead');
    if (options.type) q = q.where('type', '=', options.type);
    const rows = await q
      .orderBy('finished_at', 'desc')
      .orderBy('id')
      .limit(options.limit ?? 100)
      .execute();
    return rows.map(presentJob);
  }

  async retry(id: string): Promise<void> {
    const now = this.#clock.now().toISOString();
    const res = await this.#db.db
      .updateTable('jobs')
      .set({
        state: 'queued',
        attempts: 0,
        run_at: now,
        locked_until: null,
        locked_by: null,
        finished_at: null,
        updated_at: now,
      })
      .where('id', '=', id)
      .where('state', 'in', ['dead', 'queued'])
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw new Error(`job ${id} is not dead or queued`);
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const row = await this.#db.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? presentJob(row) : undefined;
  }
}
