import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../testing/engines.ts';
import { makeUser, signIn, type SignedIn } from '../../testing/factories.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';

/**
 * Enumerates every registered /api route and proves that an anonymous caller and an outsider (a signed-in,
 * MFA-verified account at a police station that holds no role and is cleared for 機密性1 only) are refused, and
 * that each refusal is audited. A new route cannot escape: it is in this list the moment it is registered.
 * Realistic outsiders (another unit's investigator, a viewer) are tested in each module's own tests.
 */
describe.each(testEngines())('every route refuses outsiders on %s', (engine) => {
  let t: TestContext;
  let outsider: SignedIn;
  beforeAll(async () => {
    t = await createTestContext(engine);
    const u = await makeUser(t.platform, { roles: ['viewer'], unit: 'st-aizuwakamatsu', clearance: 1 });
    // Every role taken away: what remains is a valid session with no permission at all.
    await t.platform.db.db.deleteFrom('user_roles').where('user_id', '=', u.id).execute();
    outsider = await signIn(t.app, t.platform, u.login, u.password);
  });
  afterAll(async () => t.close());

  const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, randomUUID());
  const denials = async (method: string, url: string) =>
    (
      await t.platform.db.db
        .selectFrom('audit_log')
        .select('seq')
        .where('action', '=', 'access.denied')
        .where('target_id', '=', `${method} ${url}`)
        .execute()
    ).length;

  it('has routes to check, and every one declares a policy', () => {
    expect(t.app.registeredRoutes.length).toBeGreaterThan(20);
    for (const r of t.app.registeredRoutes) expect(r.public || r.action !== null || r.incompleteLogin).toBe(true);
  });

  it('refuses anonymous callers with 401 and an error body, and audits each refusal', async () => {
    for (const r of t.app.registeredRoutes.filter((x) => !x.public)) {
      const before = await denials(r.method, r.url);
      const res = await t.app.inject({
        method: r.method as 'GET',
        url: concrete(r.url),
        payload: r.method === 'GET' ? undefined : {},
      });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
      // TAXII answers with its own error resource (TAXII 2.1 §3.6.1), carrying our stable code as error_code.
      const body = res.json();
      const code = r.url.startsWith('/taxii2/') ? body.error_code : body.error.code;
      expect(code, `${r.method} ${r.url}`).toMatch(/^[A-Z_]+$/);
      expect(await denials(r.method, r.url), `${r.method} ${r.url} audited`).toBe(before + 1);
    }
  });

  it('refuses a signed-in outsider on every route that needs a permission, and audits it', async () => {
    const guarded = t.app.registeredRoutes.filter((x) => x.action !== null && x.action !== 'session.self');
    expect(guarded.length).toBeGreaterThan(15);
    for (const r of guarded) {
      const before = await denials(r.method, r.url);
      const res = await t.app.inject({
        method: r.method as 'GET',
        url: concrete(r.url),
        headers: outsider.headers,
        payload: r.method === 'GET' ? undefined : {},
      });
      expect([403, 404], `${r.method} ${r.url} gave ${res.statusCode}`).toContain(res.statusCode);
      expect(await denials(r.method, r.url), `${r.method} ${r.url} audited`).toBe(before + 1);
    }
  });

  it('refuses a forged or revoked bearer token', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/admin/users',
      headers: { authorization: `Bearer rk_AAAAAAAA_${'x'.repeat(43)}` },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('TOKEN_INVALID');
  });
});
