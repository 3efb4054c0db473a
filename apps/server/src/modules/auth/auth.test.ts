import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../testing/engines.ts';
import { cookieFrom, makeUser, signIn, totpNow } from '../../testing/factories.ts';
import type { Role } from '../../platform/auth/subject.ts';
import { abilityActions } from './abilities.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';

describe.each(testEngines())('sign-in on %s', (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => t.close());

  it('walks password → TOTP enrolment → full session, and the session id changes', async () => {
    const u = await makeUser(t.platform, { roles: ['investigator'] });
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: u.login, password: u.password },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json().stage).toBe('mfa_enrol');
    const first = cookieFrom(login);
    // Until MFA is done, the staff API refuses.
    const early = await t.app.inject({ method: 'GET', url: '/api/admin/units', headers: { cookie: first } });
    expect(early.statusCode).toBe(403);
    expect(early.json().error.code).toBe('MFA_REQUIRED');
    const csrf = login.json().csrfToken as string;
    const start = await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp/enrol/start',
      headers: { cookie: first, 'x-csrf-token': csrf },
    });
    expect(start.json().qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const fin = await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp/enrol/finish',
      headers: { cookie: first, 'x-csrf-token': csrf },
      payload: { code: totpNow(start.json().secret, t.clock.now()) },
    });
    expect(fin.statusCode).toBe(200);
    const cookie = cookieFrom(fin);
    expect(cookie).not.toBe(first);
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ stage: 'ok', user: { login: u.login, roles: ['investigator'] } });
    expect(me.json().abilities).toEqual({
      manageOrganisation: false,
      manageUsers: false,
      manageTokens: false,
      readAudit: false,
      readIntel: true,
      writeIntel: true,
      importIntel: false,
      readDetection: true,
      huntDetection: true,
      manageDetection: false,
      readSharing: true,
      manageTaxii: false,
      readOutbox: false,
      readRequests: true,
      writeRequests: true,
    });
    // The half-authenticated cookie is dead.
    const old = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: first } });
    expect(old.statusCode).toBe(401);
  });

  it('does not let a password-only session replace an enrolled TOTP secret', async () => {
    const u = await makeUser(t.platform, { roles: ['viewer'] });
    const half = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: u.login, password: u.password },
    });
    await signIn(t.app, t.platform, u.login, u.password);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp/enrol/start',
      headers: { cookie: cookieFrom(half), 'x-csrf-token': half.json().csrfToken },
    });
    expect(res.statusCode).toBe(403);
  });

  it('asks for TOTP on the next sign-in, accepts a recovery code once, and refuses it twice', async () => {
    const u = await makeUser(t.platform, { roles: ['viewer'] });
    const enrol = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: u.login, password: u.password },
    });
    let cookie = cookieFrom(enrol);
    let csrf = enrol.json().csrfToken as string;
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp/enrol/start',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    const row = await t.platform.db.db
      .selectFrom('users')
      .select('totp_pending_enc')
      .where('id', '=', u.id)
      .executeTakeFirstOrThrow();
    const secret = t.platform.secrets.open(row.totp_pending_enc!, `totp:${u.id}`);
    const fin = await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp/enrol/finish',
      headers: { cookie, 'x-csrf-token': csrf },
      payload: { code: totpNow(secret, t.clock.now()) },
    });
    const codes = fin.json().recoveryCodes as string[];
    expect(codes).toHaveLength(10);

    const again = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: u.login, password: u.password },
    });
    expect(again.json().stage).toBe('mfa_verify');
    cookie = cookieFrom(again);
    csrf = again.json().csrfToken;
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp/verify',
      headers: { cookie, 'x-csrf-token': csrf },
      payload: { code: '000000' },
    });
    expect(wrong.statusCode).toBe(400);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp/verify',
      headers: { cookie, 'x-csrf-token': csrf },
      payload: { recoveryCode: codes[0] },
    });
    expect(ok.statusCode).toBe(200);

    const third = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: u.login, password: u.password },
    });
    const reuse = await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp/verify',
      headers: { cookie: cookieFrom(third), 'x-csrf-token': third.json().csrfToken },
      payload: { recoveryCode: codes[0] },
    });
    expect(reuse.statusCode).toBe(400);
    expect(reuse.json().error.code).toBe('TOTP_INVALID');
  });

  it('never accepts the same TOTP code twice (no replay of an observed code)', async () => {
    const u = await makeUser(t.platform, { roles: ['viewer'] });
    const s = await signIn(t.app, t.platform, u.login, u.password);
    const code = totpNow(s.totpSecret, t.clock.now()); // the code just used at enrolment
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: u.login, password: u.password },
    });
    const replay = await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp/verify',
      headers: { cookie: cookieFrom(again), 'x-csrf-token': again.json().csrfToken },
      payload: { code },
    });
    expect(replay.statusCode).toBe(400);
    t.clock.advance(30_000);
    const fresh = await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp/verify',
      headers: { cookie: cookieFrom(again), 'x-csrf-token': again.json().csrfToken },
      payload: { code: totpNow(s.totpSecret, t.clock.now()) },
    });
    expect(fresh.statusCode).toBe(200);
  });

  it('refuses a state change without the CSRF token', async () => {
    const u = await makeUser(t.platform, { roles: ['viewer'] });
    const s = await signIn(t.app, t.platform, u.login, u.password);
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: s.cookie } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CSRF_TOKEN_INVALID');
  });

  it('locks progressively after repeated failures and tells how long', async () => {
    const u = await makeUser(t.platform, { roles: ['viewer'] });
    for (let i = 0; i < 5; i++) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { login: u.login, password: 'wrong password!' },
      });
      expect(r.statusCode).toBe(401);
    }
    const locked = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: u.login, password: u.password },
    });
    expect(locked.statusCode).toBe(423);
    expect(locked.json().error.retryAfterSeconds).toBe(60);
    t.clock.advance(61_000);
    const after = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: u.login, password: u.password },
    });
    expect(after.statusCode).toBe(200);
    const audit = await t.platform.db.db
      .selectFrom('audit_log')
      .select(['result'])
      .where('target_id', '=', u.id)
      .where('action', '=', 'auth.login')
      .execute();
    expect(audit.filter((a) => a.result === 'failure')).toHaveLength(5);
    expect(audit.filter((a) => a.result === 'denied')).toHaveLength(1);
  });

  it('does not tell unknown logins from wrong passwords', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: 'nobody', password: 'whatever it is' },
    });
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('INVALID_CREDENTIALS');
  });

  it('derives the abilities the navigation needs from the policy engine, role and clearance included', async () => {
    // Every ability is a registered policy action (an unknown action would silently read as false).
    for (const action of Object.values(abilityActions)) expect(t.platform.policy.has(action), action).toBe(true);
    const abilitiesOf = async (roles: Role[], clearance: 1 | 2 = 2) => {
      const u = await makeUser(t.platform, { roles, clearance });
      const { headers } = await signIn(t.app, t.platform, u.login, u.password);
      const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers });
      expect(me.statusCode).toBe(200);
      return me.json().abilities as Record<string, boolean>;
    };
    expect(await abilitiesOf(['cyber_analyst'])).toMatchObject({
      readIntel: true,
      writeIntel: true,
      importIntel: true,
      readDetection: true,
      huntDetection: true,
      manageDetection: true,
      readSharing: true,
      manageTaxii: true,
      readOutbox: false,
      manageUsers: false,
    });
    // 機密性1 only: no indicators, whatever the role.
    expect(await abilitiesOf(['cyber_analyst'], 1)).toMatchObject({
      readIntel: false,
      writeIntel: false,
      importIntel: false,
      readDetection: false,
      huntDetection: false,
      manageDetection: false,
      readSharing: false,
      manageTaxii: false,
    });
    // A station officer reads indicators but neither edits nor shares them, nor reads detection feeds.
    expect(await abilitiesOf(['station_officer'])).toMatchObject({
      writeRequests: true,
      readIntel: true,
      writeIntel: false,
      importIntel: false,
      readDetection: false,
      huntDetection: false,
      readSharing: false,
      manageTaxii: false,
    });
    // The CSIRT imports partners' feeds and hunts, but configuring detection feeds stays with the analysts.
    expect(await abilitiesOf(['csirt'])).toMatchObject({
      writeIntel: true,
      importIntel: true,
      huntDetection: true,
      manageDetection: false,
      manageTaxii: false,
    });
    // A viewer reads indicators and feeds and changes nothing.
    expect(await abilitiesOf(['viewer'])).toMatchObject({
      readRequests: false,
      readIntel: true,
      writeIntel: false,
      importIntel: false,
      readDetection: true,
      huntDetection: false,
      manageDetection: false,
    });
    // The administrator runs the outbox and TAXII, but reads no contents.
    expect(await abilitiesOf(['admin'])).toMatchObject({
      readRequests: false,
      writeRequests: false,
      readOutbox: true,
      manageTaxii: true,
      readIntel: false,
      writeIntel: false,
      importIntel: false,
      readDetection: false,
      huntDetection: false,
      manageDetection: false,
      readSharing: false,
      manageUsers: true,
    });
  });
});
