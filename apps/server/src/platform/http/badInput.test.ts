import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../testing/engines.ts';
import { makeUser, signIn, type SignedIn, unitId } from '../../testing/factories.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';

describe.each(testEngines())('bad input on %s', (engine) => {
  let t: TestContext;
  let admin: SignedIn;
  let unit: string;
  beforeAll(async () => {
    t = await createTestContext(engine);
    const a = await makeUser(t.platform, { roles: ['admin'] });
    admin = await signIn(t.app, t.platform, a.login, a.password);
    unit = await unitId(t.platform);
  });
  afterAll(async () => t.close());

  const counts = async () => ({
    users: (await t.platform.db.db.selectFrom('users').select('id').execute()).length,
    roles: (await t.platform.db.db.selectFrom('user_roles').select('user_id').execute()).length,
    audit: (await t.platform.db.db.selectFrom('audit_log').select('seq').where('result', '=', 'success').execute())
      .length,
  });
  const valid = () => ({
    login: `x${Math.random().toString(36).slice(2, 8)}`,
    name: '検証',
    nameKana: 'ケンショウ',
    unitId: unit,
    roles: ['viewer'],
    clearance: 1,
  });
  const post = (payload: string, contentType = 'application/json') =>
    t.app.inject({
      method: 'POST',
      url: '/api/admin/users',
      headers: { ...admin.headers, 'content-type': contentType },
      payload,
    });

  it.each([
    ['malformed JSON', () => '{"login": "a",', 'MALFORMED_JSON'],
    ['an unknown field', () => JSON.stringify({ ...valid(), isSuperuser: true }), 'UNKNOWN_FIELD'],
    ['a wrong type', () => JSON.stringify({ ...valid(), clearance: '3' }), 'VALIDATION_FAILED'],
    ['an out-of-range clearance', () => JSON.stringify({ ...valid(), clearance: 4 }), 'VALIDATION_FAILED'],
    ['a missing field', () => JSON.stringify({ login: 'abc' }), 'VALIDATION_FAILED'],
    ['an unknown role', () => JSON.stringify({ ...valid(), roles: ['root'] }), 'VALIDATION_FAILED'],
    ['a unit that does not exist', () => JSON.stringify({ ...valid(), unitId: 'nope' }), 'VALIDATION_FAILED'],
    ['an empty body', () => '', 'MALFORMED_JSON'],
    ['a NUL character in a text field', () => JSON.stringify({ ...valid(), name: 'a\u0000b' }), 'VALIDATION_FAILED'],
  ])('refuses %s with 400 and writes nothing', async (_label, body, code) => {
    const before = await counts();
    const res = await post(body());
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code, res.body).toBe(code);
    expect(res.json().error.message).toBeTruthy();
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
    expect(await counts()).toEqual(before);
  });

  it('refuses an oversized body with 413', async () => {
    const before = await counts();
    const res = await post(JSON.stringify({ ...valid(), name: 'あ'.repeat(600_000) }));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await counts()).toEqual(before);
  });

  it('refuses a body that is not JSON with 415', async () => {
    const res = await post('login=a', 'application/x-www-form-urlencoded');
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers an unknown API route with a JSON 404, in English when asked; anonymous callers get 401', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/nowhere',
      headers: { ...admin.headers, 'accept-language': 'en-GB,en' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'ROUTE_NOT_FOUND', message: 'No such API route.' } });
    const anon = await t.app.inject({ method: 'GET', url: '/api/nowhere' });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('sends security headers and a strict CSP', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves an OpenAPI 3 document that lists the routes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    const doc = res.json();
    expect(String(doc.openapi)).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain('/api/admin/users');
  });
});
