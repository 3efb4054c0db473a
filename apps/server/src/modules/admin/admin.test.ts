import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../testing/engines.ts';
import { cookieFrom, makeUser, signIn, type SignedIn, unitId } from '../../testing/factories.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';

describe.each(testEngines())('administration on %s', (engine) => {
  let t: TestContext;
  let admin: SignedIn;
  let adminId: string;
  beforeAll(async () => {
    t = await createTestContext(engine);
    const a = await makeUser(t.platform, { roles: ['admin'], unit: 'joho-kanri-ka', clearance: 1 });
    adminId = a.id;
    admin = await signIn(t.app, t.platform, a.login, a.password);
  });
  afterAll(async () => t.close());

  const as = (s: SignedIn) => ({ headers: s.headers });

  it('lists the seeded organisation as a tree, with the 2023 reorganisation kept as history', async () => {
    const current = await t.app.inject({ method: 'GET', url: '/api/admin/units', ...as(admin) });
    const codes = current.json().items.map((u: { code: string }) => u.code);
    expect(codes).toContain('cyber-ka');
    expect(codes).toContain('st-koriyama');
    expect(codes).not.toContain('cyber-shitsu');
    const all = await t.app.inject({ method: 'GET', url: '/api/admin/units?includeRetired=true', ...as(admin) });
    const old = all.json().items.find((u: { code: string }) => u.code === 'cyber-shitsu');
    expect(old).toMatchObject({ validTo: '2023-03-31', kind: 'office' });
    const cyber = all.json().items.find((u: { code: string }) => u.code === 'cyber-ka');
    const seian = all.json().items.find((u: { code: string }) => u.code === 'seian');
    expect(cyber).toMatchObject({ abbreviation: 'サ対', parentId: seian.id, validFrom: '2023-04-01' });
  });

  it('counts validity in Japanese calendar days (a unit whose last day was yesterday in JST is retired at 01:00 JST)', async () => {
    const hq = await unitId(t.platform, 'hq');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/units',
      ...as(admin),
      payload: {
        code: 'st-jst',
        name: '日付試験署',
        kind: 'station',
        parentId: hq,
        validFrom: '2026-01-01',
        validTo: '2026-03-31',
      },
    });
    expect(res.statusCode).toBe(201);
    t.clock.set('2026-03-31T16:00:00.000Z'); // 2026-04-01 01:00 JST, still 03-31 in UTC
    const list = await t.app.inject({ method: 'GET', url: '/api/admin/units', ...as(admin) });
    expect(list.json().items.map((u: { code: string }) => u.code)).not.toContain('st-jst');
    t.clock.set('2026-04-01T00:00:00.000Z');
  });

  it('creates, edits and retires a unit; refuses a duplicate code and a cycle', async () => {
    const hq = await unitId(t.platform, 'hq');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/admin/units',
      ...as(admin),
      payload: { code: 'st-test', name: '試験警察署', kind: 'station', parentId: hq, validFrom: '2026-04-01' },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/admin/units',
      ...as(admin),
      payload: { code: 'st-test', name: '重複', kind: 'station' },
    });
    expect(dup.json().error.code).toBe('UNIT_CODE_TAKEN');
    const cycle = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/units/${hq}`,
      ...as(admin),
      payload: { parentId: id },
    });
    expect(cycle.statusCode).toBe(400);
    const retired = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/units/${id}`,
      ...as(admin),
      payload: { validTo: '2026-03-31' },
    });
    expect(retired.json().error.code).toBe('VALIDATION_FAILED'); // before validFrom
    const ok = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/units/${id}`,
      ...as(admin),
      payload: { validTo: '2027-03-31' },
    });
    expect(ok.json().validTo).toBe('2027-03-31');
  });

  it('creates a station officer who must change the one-time password, then enrol TOTP', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/users',
      ...as(admin),
      payload: {
        login: 'koriyama.officer',
        name: '郡山 一郎',
        nameKana: 'コオリヤマ イチロウ',
        unitId: await unitId(t.platform, 'st-koriyama'),
        roles: ['station_officer'],
        clearance: 1,
      },
    });
    expect(res.statusCode).toBe(201);
    const { initialPassword, user } = res.json();
    expect(user).toMatchObject({
      login: 'koriyama.officer',
      unitName: '郡山警察署',
      status: 'active',
      mfaEnrolled: false,
    });
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: 'koriyama.officer', password: initialPassword },
    });
    expect(login.json().stage).toBe('password_change');
    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie: cookieFrom(login), 'x-csrf-token': login.json().csrfToken },
      payload: { currentPassword: initialPassword, newPassword: 'short' },
    });
    expect(weak.json().error.code).toBe('PASSWORD_TOO_WEAK');
    const changed = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie: cookieFrom(login), 'x-csrf-token': login.json().csrfToken },
      payload: { currentPassword: initialPassword, newPassword: '郡山の安全を守る2026' },
    });
    expect(changed.json().stage).toBe('mfa_enrol');
  });

  it('pages users by フリガナ with a keyset cursor and finds them by text', async () => {
    for (let i = 0; i < 5; i++) await makeUser(t.platform, { roles: ['viewer'] });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/admin/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await t.app.inject({ method: 'GET', url, ...as(admin) });
      expect(page.statusCode).toBe(200);
      seen.push(...page.json().items.map((u: { id: string }) => u.id));
      cursor = page.json().nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    const total = await t.platform.db.db.selectFrom('users').select('id').execute();
    expect(seen.length).toBe(total.length);
    const found = await t.app.inject({
      method: 'GET',
      url: `/api/admin/users?q=${encodeURIComponent('コオリヤマ')}`,
      ...as(admin),
    });
    expect(found.json().items.map((u: { login: string }) => u.login)).toEqual(['koriyama.officer']);
    const literal = await t.app.inject({ method: 'GET', url: '/api/admin/users?q=%25', ...as(admin) });
    expect(literal.json().items).toEqual([]);
    const bad = await t.app.inject({ method: 'GET', url: '/api/admin/users?cursor=nonsense', ...as(admin) });
    expect(bad.json().error.code).toBe('INVALID_CURSOR');
  });

  it('never lets an admin change his own roles, clearance or status', async () => {
    for (const [url, payload] of [
      [`/api/admin/users/${adminId}`, { roles: ['admin', 'investigator'] }],
      [`/api/admin/users/${adminId}`, { clearance: 3 }],
      [`/api/admin/users/${adminId}/disable`, { reason: 'test' }],
    ] as const) {
      const res = await t.app.inject({
        method: url.endsWith('disable') ? 'POST' : 'PATCH',
        url,
        ...as(admin),
        payload,
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('SELF_ADMINISTRATION');
    }
    const audit = await t.platform.db.db
      .selectFrom('audit_log')
      .select('action')
      .where('result', '=', 'denied')
      .where('actor_id', '=', adminId)
      .execute();
    expect(audit.length).toBeGreaterThanOrEqual(3);
  });

  it('disables an account: its sessions and tokens end, it cannot sign in, and its login is never reused', async () => {
    const u = await makeUser(t.platform, { roles: ['investigator'], login: 'to.be.disabled' });
    const s = await signIn(t.app, t.platform, u.login, u.password);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/admin/users/${u.id}/disable`,
      ...as(admin),
      payload: { reason: '異動のため' },
    });
    expect(res.json()).toMatchObject({ status: 'disabled' });
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: s.headers })).statusCode).toBe(401);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: u.login, password: u.password },
    });
    expect(again.statusCode).toBe(401);
    const reuse = await t.app.inject({
      method: 'POST',
      url: '/api/admin/users',
      ...as(admin),
      payload: {
        login: 'to.be.disabled',
        name: '別人',
        nameKana: 'ベツジン',
        unitId: await unitId(t.platform),
        roles: ['viewer'],
        clearance: 1,
      },
    });
    expect(reuse.json().error.code).toBe('LOGIN_TAKEN');
    const rows = await t.platform.db.db
      .selectFrom('users')
      .select('id')
      .where('login', '=', 'to.be.disabled')
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('issues machine tokens shown once and stored hashed; revocation stops them; use is audited', async () => {
    const auditor = await makeUser(t.platform, { roles: ['auditor'], unit: 'keimu-ka' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/tokens',
      ...as(admin),
      payload: { userId: auditor.id, name: '監査集計', expiresInDays: 30 },
    });
    expect(res.statusCode).toBe(201);
    const { token, id } = res.json();
    const stored = await t.platform.db.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/audit?limit=5`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(list.statusCode).toBe(200);
    const used = await t.platform.db.db
      .selectFrom('audit_log')
      .select('seq')
      .where('action', '=', 'auth.token.used')
      .where('target_id', '=', id)
      .execute();
    expect(used).toHaveLength(1);
    await t.app.inject({ method: 'POST', url: `/api/admin/tokens/${id}/revoke`, ...as(admin) });
    const after = await t.app.inject({
      method: 'GET',
      url: '/api/audit',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(after.statusCode).toBe(401);
    t.clock.advance(0);
  });

  it('refuses to mint a token for an account that reads contents (the admin cannot act as an investigator)', async () => {
    const inv = await makeUser(t.platform, { roles: ['investigator'] });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/tokens',
      ...as(admin),
      payload: { userId: inv.id, name: 'x', expiresInDays: 1 },
    });
    expect(res.statusCode).toBe(403);
  });

  it('lets the auditor read the audit log and nothing else; the admin cannot read it', async () => {
    const a = await makeUser(t.platform, { roles: ['auditor'], unit: 'keimu-ka' });
    const s = await signIn(t.app, t.platform, a.login, a.password);
    const logs = await t.app.inject({ method: 'GET', url: '/api/audit?action=user&limit=3', headers: s.headers });
    expect(logs.statusCode).toBe(200);
    expect(logs.json().items.length).toBe(3);
    expect(logs.json().items.every((i: { action: string }) => i.action.startsWith('user.'))).toBe(true);
    const csv = await t.app.inject({ method: 'GET', url: '/api/audit/export.csv', headers: s.headers });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.startsWith('\uFEFFseq,at,')).toBe(true);
    const verify = await t.app.inject({ method: 'GET', url: '/api/audit/verify', headers: s.headers });
    expect(verify.json().ok).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/users', headers: s.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/audit', ...as(admin) })).statusCode).toBe(403);
  });
});
