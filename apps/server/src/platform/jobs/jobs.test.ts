import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testEngines } from '../../testing/engines.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';
import type { Platform } from '../context.ts';
import { openPlatform } from '../open.ts';
import { TableJobQueue, backoffDelay } from './tableQueue.ts';

const silent = pino({ level: 'silent' });
const DAY = 24 * 3600_000;

describe('backoffDelay', () => {
  it('doubles from the initial delay and stops at the cap', () => {
    const b = { initialMs: 1000, maxMs: 5000, factor: 2 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(b, n))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });
});

describe.each(testEngines())('jobs on %s', (engine) => {
  let t: TestContext;
  const queue = (p: Platform = t.platform, runnerId?: string) =>
    new TableJobQueue({ db: p.db, clock: p.clock, log: silent, ...(runnerId ? { runnerId } : {}) });

  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => t.close());
  beforeEach(async () => {
    await t.platform.db.db.deleteFrom('jobs').execute();
    await t.platform.db.db.deleteFrom('job_schedules').execute();
  });

  it('runs a published event with its typed payload, once', async () => {
    const q = queue();
    const seen: string[] = [];
    q.register('report.received', async (payload, job) => {
      seen.push(`${payload.reportId}#${job.attempt}`);
    });
    const id = await q.publish('report.received', { reportId: 'r-1' });
    expect(await q.runDue()).toBe(1);
    expect(await q.runDue()).toBe(0);
    expect(seen).toEqual(['r-1#1']);
    expect(await q.get(id)).toMatchObject({ state: 'done', attempts: 1, payload: { reportId: 'r-1' } });
  });

  it('creates one job for an idempotency key published twice', async () => {
    const q = queue();
    let runs = 0;
    q.register('request.due', async () => {
      runs++;
    });
    const a = await q.publish('request.due', { requestId: 'q-1' }, { idempotencyKey: 'due:q-1' });
    const b = await q.publish('request.due', { requestId: 'q-1' }, { idempotencyKey: 'due:q-1' });
    expect(b).toBe(a);
    await q.runDue();
    // Still one job after it ran: the key stays taken.
    const c = await q.publish('request.due', { requestId: 'q-1' }, { idempotencyKey: 'due:q-1' });
    expect(c).toBe(a);
    await q.runDue();
    expect(runs).toBe(1);
    const rows = await t.platform.db.db.selectFrom('jobs').select('id').execute();
    expect(rows).toHaveLength(1);
  });

  it('runs a job scheduled for tomorrow when the fake clock says so', async () => {
    const q = queue();
    const ran: string[] = [];
    q.register('request.due', async (p) => {
      ran.push(p.requestId);
    });
    const tomorrow = new Date(t.clock.now().getTime() + DAY);
    await q.publish('request.due', { requestId: 'q-2' }, { runAt: tomorrow });
    expect(await q.runDue()).toBe(0);
    t.clock.advance(DAY - 1);
    expect(await q.runDue()).toBe(0);
    expect(ran).toEqual([]);
    t.clock.advance(1);
    expect(await q.runDue()).toBe(1);
    expect(ran).toEqual(['q-2']);
  });

  it('retries with exponential backoff, dead-letters, and runs again after retry()', async () => {
    const q = queue();
    let fail = true;
    const attempts: number[] = [];
    const dead: string[] = [];
    q.register(
      'report.received',
      async (_p, job) => {
        attempts.push(job.attempt);
        if (fail) throw new Error(`SMTP 451 try later (${job.attempt})`);
      },
      {
        retries: 2,
        backoff: { initialMs: 1000, factor: 2 },
        onDeadLetter: async (p, job) => {
          dead.push(`${p.reportId}:${job.error}`);
        },
      },
    );
    const id = await q.publish('report.received', { reportId: 'r-9' });
    expect(await q.runDue()).toBe(1);
    expect(await q.get(id)).toMatchObject({ state: 'queued', attempts: 1, lastError: 'Error: SMTP 451 try later (1)' });
    t.clock.advance(999);
    expect(await q.runDue()).toBe(0);
    t.clock.advance(1);
    expect(await q.runDue()).toBe(1);
    t.clock.advance(1999);
    expect(await q.runDue()).toBe(0);
    t.clock.advance(1);
    expect(await q.runDue()).toBe(1);
    expect(attempts).toEqual([1, 2, 3]);
    expect(await q.get(id)).toMatchObject({ state: 'dead', attempts: 3 });
    expect(dead).toEqual(['r-9:Error: SMTP 451 try later (3)']);
    const letters = await q.deadLetters();
    expect(letters.map((l) => l.id)).toEqual([id]);
    t.clock.advance(DAY);
    expect(await q.runDue()).toBe(0);

    fail = false;
    await q.retry(id);
    expect(await q.runDue()).toBe(1);
    expect(await q.get(id)).toMatchObject({ state: 'done', attempts: 1 });
    expect(await q.deadLetters()).toEqual([]);
    await expect(q.retry(id)).rejects.toThrow(/not dead/);
  });

  it('runs a job again after its runner died mid-run (lease expiry), and ignores the late finisher', async () => {
    // Runner A claims the job and "dies": its handler never returns before the lease ends.
    const a = queue(t.platform, 'runner-a');
    let releaseA: () => void = () => {};
    let startedA: () => void = () => {};
    const aStarted = new Promise<void>((r) => {
      startedA = r;
    });
    a.register(
      'report.received',
      async () => {
        startedA();
        await new Promise<void>((r) => {
          releaseA = r;
        });
      },
      { leaseMs: 60_000 },
    );
    const id = await a.publish('report.received', { reportId: 'r-crash' });
    const aRun = a.runDue({ max: 1 });
    await aStarted;
    expect(await a.get(id)).toMatchObject({ state: 'active', attempts: 1 });

    // The restarted server: a new process (its own connection) with the same handler.
    const restarted = await openPlatform(t.platform.config, { clock: t.clock, log: silent, migrate: false });
    try {
      const b = queue(restarted, 'runner-b');
      const seen: number[] = [];
      b.register(
        'report.received',
        async (_p, job) => {
          seen.push(job.attempt);
        },
        { leaseMs: 60_000 },
      );
      expect(await b.runDue()).toBe(0); // the lease still holds
      t.clock.advance(60_000);
      expect(await b.runDue()).toBe(1);
      expect(seen).toEqual([2]);
      expect(await b.get(id)).toMatchObject({ state: 'done', attempts: 2 });

      // The old runner finishing late changes nothing.
      releaseA();
      await aRun;
      expect(await b.get(id)).toMatchObject({ state: 'done', attempts: 2 });
    } finally {
      await restarted.db.close();
    }
  });

  it('dead-letters a job whose runner died on its last attempt', async () => {
    const q = queue(t.platform, 'runner-c');
    q.register('request.due', async () => {}, { retries: 0, leaseMs: 1000 });
    const id = await q.publish('request.due', { requestId: 'q-crash' });
    // Simulate a claim by a runner that died: attempts used up, lease in the past.
    await t.platform.db.db
      .updateTable('jobs')
      .set({ state: 'active', attempts: 1, locked_by: 'gone', locked_until: t.clock.now().toISOString() })
      .where('id', '=', id)
      .execute();
    expect(await q.runDue()).toBe(1);
    expect(await q.get(id)).toMatchObject({ state: 'dead', lastError: 'lease expired on the last attempt' });
  });

  it('enqueues atomically with the change that causes it (publishInTransaction)', async () => {
    const q = queue();
    await expect(
      t.platform.db.db.transaction().execute(async (trx) => {
        await q.publishInTransaction(trx, 'report.received', { reportId: 'rolled-back' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const id = await t.platform.db.db.transaction().execute(async (trx) => {
      const jobId = await q.publishInTransaction(trx, 'report.received', { reportId: 'kept' }, { idempotencyKey: 'k' });
      // A duplicate inside the same transaction neither fails nor aborts it.
      expect(await q.publishInTransaction(trx, 'report.received', { reportId: 'kept' }, { idempotencyKey: 'k' })).toBe(
        jobId,
      );
      return jobId;
    });
    const rows = await t.platform.db.db.selectFrom('jobs').select(['id', 'payload']).execute();
    expect(rows).toEqual([{ id, payload: '{"reportId":"kept"}' }]);
  });

  it('runs a recurring job at each occurrence in Asia/Tokyo, once per occurrence', async () => {
    t.clock.set('2026-04-01T00:30:00.000Z'); // 09:30 JST
    const q = queue();
    const due: string[] = [];
    q.schedule('morning-digest', '0 9 * * *', async ({ dueAt }) => {
      due.push(dueAt.toISOString());
    });
    expect(await q.runDue()).toBe(0);
    t.clock.set('2026-04-02T00:00:00.000Z'); // 09:00 JST next day
    expect(await q.runDue()).toBe(1);
    expect(await q.runDue()).toBe(0);
    // Three days with the server stopped: one catch-up run, then the normal rhythm.
    t.clock.set('2026-04-05T03:00:00.000Z');
    expect(await q.runDue()).toBe(1);
    t.clock.set('2026-04-06T00:00:00.000Z');
    expect(await q.runDue()).toBe(1);
    expect(due).toEqual(['2026-04-02T00:00:00.000Z', '2026-04-03T00:00:00.000Z', '2026-04-06T00:00:00.000Z']);
    // A second runner (another process) does not run an occurrence twice.
    const other = queue(t.platform, 'runner-other');
    other.schedule('morning-digest', '0 9 * * *', async ({ dueAt }) => {
      due.push(`other:${dueAt.toISOString()}`);
    });
    t.clock.set('2026-04-07T00:00:00.000Z');
    await Promise.all([q.runDue(), other.runDue()]);
    expect(due.filter((d) => d.endsWith('2026-04-07T00:00:00.000Z'))).toHaveLength(1);
  });

  it('shares work between two runners without running a job twice', async () => {
    const second = await openPlatform(t.platform.config, { clock: t.clock, log: silent, migrate: false });
    try {
      const ran: string[] = [];
      const make = (p: Platform, name: string) => {
        const q = queue(p, name);
        q.register('report.received', async (payload) => {
          ran.push(payload.reportId);
          await new Promise((r) => setImmediate(r));
        });
        return q;
      };
      const a = make(t.platform, 'share-a');
      const b = make(second, 'share-b');
      for (let i = 0; i < 20; i++) await a.publish('report.received', { reportId: `r${i}` });
      const [na, nb] = await Promise.all([a.runDue(), b.runDue()]);
      expect(na + nb).toBe(20);
      expect(new Set(ran).size).toBe(20);
      expect(ran).toHaveLength(20);
    } finally {
      await second.db.close();
    }
  });

  it('polls with start() and finishes the job in hand on stop()', async () => {
    const q = new TableJobQueue({ db: t.platform.db, clock: t.clock, log: silent, pollMs: 10 });
    const done = new Promise<string>((resolve) => {
      q.register('report.received', async (p) => resolve(p.reportId));
    });
    await q.publish('report.received', { reportId: 'polled' });
    await q.start();
    expect(await done).toBe('polled');
    await q.stop();
  });
});
