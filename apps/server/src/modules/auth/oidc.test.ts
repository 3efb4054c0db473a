import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../testing/engines.ts';
import { cookieFrom, makeUser } from '../../testing/factories.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';
import { OIDC_FAILED_PATH, OIDC_STATE_COOKIE } from './oidc.ts';
import { type TestIdp, browseToCallback, startTestIdp } from './oidcTestProvider.ts';

const REDIRECT_URI = 'http://localhost:8080/api/auth/oidc/callback';

function stateCookie(res: { headers: Record<string, unknown> }): string {
  const raw = res.headers['set-cookie'];
  const list = (Array.isArray(raw) ? raw : [raw]).map(String);
  const c = list.find((x) => x.startsWith(`${OIDC_STATE_COOKIE}=`));
  if (!c) throw new Error('no OIDC state cookie');
  return c.split(';')[0]!;
}

/** Changes one character inside the sealed value (the last one may only carry padding bits). */
function flipOneCharacter(cookie: string): string {
  const i = cookie.length - 10;
  return `${cookie.slice(0, i)}${cookie[i] === 'A' ? 'B' : 'A'}${cookie.slice(i + 1)}`;
}

function hasSessionCookie(res: { headers: Record<string, unknown> }): boolean {
  const raw = res.headers['set-cookie'];
  return (Array.isArray(raw) ? raw : [raw]).map(String).some((c) => /^renkei_session=[^;]+/.test(c));
}

describe.each(testEngines())('OIDC single sign-on on %s', (engine) => {
  let t: TestContext;
  let idp: TestIdp;

  beforeAll(async () => {
    t = await createTestContext(engine);
    idp = await startTestIdp(REDIRECT_URI);
    t.platform.config.oidc = {
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      redirectUri: REDIRECT_URI,
    };
  });
  afterAll(async () => {
    await idp.close();
    await t.close();
  });

  /** The whole browser round trip; returns the app's answer to the callback. */
  async function signInAt(sub: string) {
    idp.nextLogin = sub;
    const start = await t.app.inject({ method: 'GET', url: '/api/auth/oidc/start' });
    expect(start.statusCode).toBe(302);
    const authUrl = new URL(String(start.headers.location));
    expect(authUrl.origin).toBe(idp.issuer);
    expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authUrl.searchParams.get('state')).toBeTruthy();
    expect(authUrl.searchParams.get('nonce')).toBeTruthy();
    const back = await browseToCallback(authUrl.href, REDIRECT_URI);
    return t.app.inject({
      method: 'GET',
      url: `/api/auth/oidc/callback${back.search}`,
      headers: { cookie: stateCookie(start) },
    });
  }

  const lastAudit = async () =>
    t.platform.db.db
      .selectFrom('audit_log')
      .select(['action', 'result', 'actor_login', 'details'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();

  it('binds an unbound account by preferred_username and gives a full session', async () => {
    const u = await makeUser(t.platform, { roles: ['investigator'] });
    idp.accounts.set('sub-alice', u.login);
    const res = await signInAt('sub-alice');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/');
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: cookieFrom(res) } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ stage: 'ok', user: { login: u.login } });
    const row = await t.platform.db.db
      .selectFrom('users')
      .select('oidc_subject')
      .where('id', '=', u.id)
      .executeTakeFirstOrThrow();
    expect(row.oidc_subject).toBe('sub-alice');
    expect(await lastAudit()).toEqual({
      action: 'auth.oidc.login',
      result: 'success',
      actor_login: u.login,
      details: '{"bound":true}',
    });
  });

  it('signs a bound account in by its subject even after a rename at the provider', async () => {
    const u = await makeUser(t.platform, { roles: ['viewer'] });
    await t.platform.db.db.updateTable('users').set({ oidc_subject: 'sub-bob' }).where('id', '=', u.id).execute();
    idp.accounts.set('sub-bob', 'renamed-at-the-idp');
    const res = await signInAt('sub-bob');
    expect(res.headers.location).toBe('/');
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: cookieFrom(res) } });
    expect(me.json().user.login).toBe(u.login);
  });

  it('never creates an account, and refuses disabled and already-bound ones (audited)', async () => {
    const count = async () => (await t.platform.db.db.selectFrom('users').select('id').execute()).length;
    const before = await count();
    idp.accounts.set('sub-stranger', 'nobody-here');
    const res = await signInAt('sub-stranger');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(OIDC_FAILED_PATH);
    expect(hasSessionCookie(res)).toBe(false);
    expect(await count()).toBe(before);
    expect(await lastAudit()).toMatchObject({ result: 'failure', details: '{"reason":"no_account"}' });

    const off = await makeUser(t.platform, { roles: ['viewer'] });
    await t.platform.db.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', off.id).execute();
    idp.accounts.set('sub-off', off.login);
    const disabled = await signInAt('sub-off');
    expect(disabled.headers.location).toBe(OIDC_FAILED_PATH);
    expect(await lastAudit()).toMatchObject({
      result: 'failure',
      actor_login: off.login,
      details: '{"reason":"disabled"}',
    });

    // Someone else at the provider whose username equals a bound login does not get that account.
    const bound = await makeUser(t.platform, { roles: ['viewer'] });
    await t.platform.db.db.updateTable('users').set({ oidc_subject: 'sub-real' }).where('id', '=', bound.id).execute();
    idp.accounts.set('sub-impostor', bound.login);
    const impostor = await signInAt('sub-impostor');
    expect(impostor.headers.location).toBe(OIDC_FAILED_PATH);
    expect(await lastAudit()).toMatchObject({ details: '{"reason":"bound_to_other_subject"}' });
  });

  it('refuses a callback without its state cookie, with a forged state, or after expiry', async () => {
    const u = await makeUser(t.platform, { roles: ['viewer'] });
    idp.accounts.set('sub-carol', u.login);
    idp.nextLogin = 'sub-carol';
    const start = await t.app.inject({ method: 'GET', url: '/api/auth/oidc/start' });
    const back = await browseToCallback(String(start.headers.location), REDIRECT_URI);

    const noCookie = await t.app.inject({ method: 'GET', url: `/api/auth/oidc/callback${back.search}` });
    expect(noCookie.headers.location).toBe(OIDC_FAILED_PATH);
    expect(await lastAudit()).toMatchObject({ details: '{"reason":"no_state_cookie"}' });

    const forged = new URLSearchParams(back.search);
    forged.set('state', 'forged-state');
    const badState = await t.app.inject({
      method: 'GET',
      url: `/api/auth/oidc/callback?${forged}`,
      headers: { cookie: stateCookie(start) },
    });
    expect(badState.headers.location).toBe(OIDC_FAILED_PATH);
    expect(hasSessionCookie(badState)).toBe(false);

    const tampered = await t.app.inject({
      method: 'GET',
      url: `/api/auth/oidc/callback${back.search}`,
      headers: { cookie: flipOneCharacter(stateCookie(start)) },
    });
    expect(tampered.headers.location).toBe(OIDC_FAILED_PATH);
    expect(await lastAudit()).toMatchObject({ details: '{"reason":"bad_state_cookie"}' });

    t.clock.advance(11 * 60_000);
    const late = await t.app.inject({
      method: 'GET',
      url: `/api/auth/oidc/callback${back.search}`,
      headers: { cookie: stateCookie(start) },
    });
    expect(late.headers.location).toBe(OIDC_FAILED_PATH);
    expect(await lastAudit()).toMatchObject({ details: '{"reason":"expired"}' });
  });

  it('keeps TOTP for password sign-in of the same account', async () => {
    const u = await makeUser(t.platform, { roles: ['viewer'] });
    await t.platform.db.db.updateTable('users').set({ oidc_subject: 'sub-dave' }).where('id', '=', u.id).execute();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: u.login, password: u.password },
    });
    expect(res.json().stage).toBe('mfa_enrol');
  });

  it('answers 404 when single sign-on is not configured', async () => {
    const saved = t.platform.config.oidc;
    t.platform.config.oidc = undefined;
    try {
      const res = await t.app.inject({ method: 'GET', url: '/api/auth/oidc/start' });
      expect(res.statusCode).toBe(404);
    } finally {
      t.platform.config.oidc = saved;
    }
  });
});
