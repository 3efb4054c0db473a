import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobsOf } from '../../platform/jobs/index.ts';
import { testEngines } from '../../testing/engines.ts';
import { makeUser, signIn, type SignedIn } from '../../testing/factories.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';

declare module '../../platform/jobs/types.ts' {
  interface DomainEvents {
    'test.always_fails': { n: number };
  }
}

describe.each(testEngines())('dead-letter view on %s', (engine) => {
  let t: TestContext;
  let admin: SignedIn;
  let runs = 0;
  beforeAll(async () => {
    t = await createTestContext(engine);
    const a = await makeUser(t.platform, { roles: ['admin'] });
    admin = await signIn(t.app, t.platform, a.login, a.password);
    jobsOf(t.platform).register(
      'test.always_fails',
      async () => {
        runs++;
        throw new Error('boom');
      },
      { retries: 1, backoff: { initialMs: 1000, maxMs: 1000 } },
    );
  });
  afterAll(async () => t.close());

  it('lists a job that used up its retries, and puts it back to run once more', async () => {
    const q = jobsOf(t.platform);
    const id = await q.publish('test.always_fails', { n: 1 });
    await q.runDue();
    t.clock.advance(2000);
    await q.runDue();
    const list = await t.app.inject({ method: 'GET', url: '/api/admin/jobs/dead-letters', headers: admin.headers });
    expect(list.statusCode).toBe(200);
    const dead = list.json().items.find((j: { id: string }) => j.id === id);
    expect(dead).toMatchObject({ type: 'test.always_fails', lastError: expect.stringContaining('boom') });
    expect(dead.payload).toBeUndefined();
    const before = runs;
    const retry = await t.app.inject({ method: 'POST', url: `/api/admin/jobs/${id}/retry`, headers: admin.headers });
    expect(retry.statusCode).toBe(204);
    await q.runDue();
    expect(runs).toBe(before + 1);
    const again = await t.app.inject({ method: 'POST', url: '/api/admin/jobs/nope/retry', headers: admin.headers });
    expect(again.statusCode).toBe(404);
  });
});
