import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../testing/engines.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';
import { findTemplate } from '../documents/index.ts';
import {
  DEMO_PASSWORD,
  DEMO_SETTING,
  DEMO_STAFF,
  demoLoaded,
  demoParts,
  loadDemoData,
  registerDemoPart,
} from './index.ts';

/** Runs of a part registered by this test file (the registry is per process, shared by both engines). */
let extraRuns = 0;

describe.each(testEngines())('demo data on %s', (engine) => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext(engine);
    extraRuns = 0;
    if (!demoParts().includes('test-extra')) {
      registerDemoPart('test-extra', async () => {
        extraRuns++;
      });
    }
  });
  afterAll(async () => t.close());

  async function counts() {
    const db = t.platform.db.db;
    const demoUsers = await db.selectFrom('users').select(['login', 'name']).where('login', 'like', 'demo-%').execute();
    const demoGroups = await db.selectFrom('groups').select('name').where('name', 'like', '[デモ]%').execute();
    const templates = await db.selectFrom('document_templates').select('code').execute();
    const memberships = await db.selectFrom('user_groups').select('user_id').execute();
    return {
      users: demoUsers.length,
      groups: demoGroups.length,
      templates: templates.length,
      memberships: memberships.length,
      demoUsers,
    };
  }

  it('loads marked staff, groups and a template once; loading again adds nothing', async () => {
    expect(await demoLoaded(t.platform)).toBe(false);
    const first = await loadDemoData(t.platform);
    expect(first.loaded).toEqual(expect.arrayContaining(['platform', 'test-extra']));
    expect(first.loaded[0]).toBe('platform');
    const after = await counts();
    expect(after).toMatchObject({ users: DEMO_STAFF.length, groups: 2, templates: 4, memberships: 5 });
    for (const u of after.demoUsers) expect(u.name.startsWith('[デモ] ')).toBe(true);
    expect(await demoLoaded(t.platform)).toBe(true);

    const second = await loadDemoData(t.platform);
    expect(second.loaded).toEqual([]);
    expect(second.already).toEqual(first.loaded);
    expect(extraRuns).toBe(1);
    expect(await counts()).toEqual(after);

    // Even with the setting gone, the platform part finds its records and duplicates nothing.
    await t.platform.db.db.deleteFrom('settings').where('key', '=', DEMO_SETTING).execute();
    await loadDemoData(t.platform);
    expect(await counts()).toEqual(after);
    expect((await findTemplate(t.platform.db.db, { code: 'demo-chuikanki' }))?.name).toBe(
      '[デモ] 注意喚起（フィッシング）',
    );
  });

  it('gives realistic roles in サイバー犯罪対策課 and two 警察署, and still requires MFA at sign-in', async () => {
    const rows = await t.platform.db.db
      .selectFrom('users')
      .innerJoin('units', 'units.id', 'users.unit_id')
      .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
      .select(['users.login', 'units.name as unit', 'user_roles.role'])
      .where('users.login', 'like', 'demo-%')
      .execute();
    expect(new Set(rows.map((r) => r.unit))).toEqual(new Set(['サイバー犯罪対策課', '福島警察署', '郡山警察署']));
    expect(new Set(rows.map((r) => r.role))).toEqual(
      new Set(['cyber_analyst', 'investigator', 'station_officer', 'hr', 'auditor']),
    );
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: 'demo-ito', password: DEMO_PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json().stage).toBe('mfa_enrol');
  });

  it('refuses to register a part twice', () => {
    expect(() => registerDemoPart('platform', async () => {})).toThrow(/twice/);
  });
});
