import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../testing/engines.ts';
import { type SignedIn, makeUser, signIn } from '../../testing/factories.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';
import { SEED, seedSharingData } from './testSeed.ts';

describe.each(testEngines())('sharing routes on %s', (engine) => {
  let t: TestContext;
  let analyst: SignedIn;
  let viewer: SignedIn;
  let admin: SignedIn;
  let vendorId: string;
  const req = (who: SignedIn, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: who.headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  beforeAll(async () => {
    t = await createTestContext(engine);
    await seedSharingData(t.platform);
    const a = await makeUser(t.platform, { roles: ['cyber_analyst'] });
    analyst = await signIn(t.app, t.platform, a.login, a.password);
    const v = await makeUser(t.platform, { roles: ['viewer'] });
    viewer = await signIn(t.app, t.platform, v.login, v.password);
    const ad = await makeUser(t.platform, { roles: ['admin'] });
    admin = await signIn(t.app, t.platform, ad.login, ad.password);
  });
  afterAll(async () => {
    await t.close();
  });

  it('an analyst creates partners; a viewer may not; bad input is a 400 with a stable code', async () => {
    const res = await req(analyst, 'POST', '/api/sharing/partners', {
      name: 'フィルタリング事業者A',
      kind: 'vendor',
      tlpMax: 'amber',
      contacts: [{ name: '担当 太郎', email: 'soc@vendor.example' }],
    });
    expect(res.statusCode).toBe(201);
    vendorId = res.json().id;
    expect((await req(viewer, 'POST', '/api/sharing/partners', { name: 'X', kind: 'vendor' })).statusCode).toBe(403);
    const bad = await req(analyst, 'POST', '/api/sharing/partners', { name: 'Y', kind: 'vendor', official: true });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    const red = await req(analyst, 'POST', '/api/sharing/partners', { name: 'Z', kind: 'npa', tlpMax: 'red' });
    expect(red.statusCode).toBe(400);
    const list = await req(analyst, 'GET', '/api/sharing/partners');
    expect(list.json().items.map((p: { name: string }) => p.name)).toContain('フィルタリング事業者A');
  });

  it('only the admin mints partner tokens, shown once', async () => {
    expect((await req(analyst, 'POST', `/api/sharing/partners/${vendorId}/tokens`, { name: 'taxii' })).statusCode).toBe(
      403,
    );
    const res = await req(admin, 'POST', `/api/sharing/partners/${vendorId}/tokens`, { name: 'taxii' });
    expect(res.statusCode).toBe(201);
    expect(res.json().token).toMatch(/^rk_/);
  });

  it('previews what would be withheld and why, without sending anything', async () => {
    const res = await req(analyst, 'GET', `/api/sharing/preview?partner=${vendorId}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.withheld.tlp_red).toBeGreaterThanOrEqual(1);
    expect(body.withheld.confidentiality_3).toBe(1);
    const reasons = new Map(body.withheldItems.map((w: { label: string; reason: string }) => [w.label, w.reason]));
    expect(reasons.get(`ipv4: ${SEED.redIp}`)).toBe('tlp_red');
    expect(reasons.get(`sha256: ${SEED.secretHash}`)).toBe('confidentiality_3');
    expect(reasons.get('phone: 090-1111-2222')).toBe('personal_data');
  });

  it('exports a STIX bundle and phishing URL lists per recipient, audited; never RED, 機密性3 or personal data', async () => {
    const stix = await req(analyst, 'GET', `/api/sharing/export/stix?partner=${vendorId}`);
    expect(stix.statusCode).toBe(200);
    expect(stix.headers['content-type']).toContain('application/stix+json');
    const bundle = JSON.parse(stix.body);
    expect(bundle.type).toBe('bundle');
    for (const never of [SEED.redIp, SEED.secretHash, SEED.victimPhone, SEED.suspectPhone, SEED.suspectAccount]) {
      expect(stix.body).not.toContain(never);
    }
    expect(stix.body).toContain(SEED.amberDomain);

    const txt = await req(analyst, 'GET', '/api/sharing/export/phishing-urls');
    expect(txt.statusCode).toBe(200);
    expect(txt.body).toBe(`${SEED.clearUrl}\n`);
    const csv = await req(analyst, 'GET', `/api/sharing/export/phishing-urls?partner=${vendorId}&format=csv`);
    expect(csv.body.split('\r\n')[0]).toBe('url,domain,first_seen,last_seen,tlp,tags');
    expect(csv.body).toContain(`${SEED.clearUrl},phish.example.net,`);
    const later = new Date(t.platform.clock.now().getTime() + 3600_000).toISOString();
    const none = await req(analyst, 'GET', `/api/sharing/export/phishing-urls?since=${encodeURIComponent(later)}`);
    expect(none.body).toBe('');

    expect((await req(viewer, 'GET', '/api/sharing/export/stix')).statusCode).toBe(403);
    const audit = await t.platform.db.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'in', ['sharing.export.stix', 'sharing.export.phishing'])
      .execute();
    expect(audit.length).toBe(4);
  });

  it('a release marking (機密性1) lets a report-derived value reach a vendor; 機密性3 withholds it', async () => {
    const obs = await t.platform.db.db
      .selectFrom('observables')
      .select('id')
      .where('value', '=', SEED.amberDomain)
      .executeTakeFirstOrThrow();
    const res = await req(analyst, 'POST', '/api/sharing/markings', {
      objectType: 'observable',
      objectId: obs.id,
      confidentiality: 3,
      reason: '捜査中のため',
    });
    expect(res.statusCode).toBe(200);
    const stix = await req(analyst, 'GET', `/api/sharing/export/stix?partner=${vendorId}`);
    expect(stix.body).not.toContain(SEED.amberDomain);
  });

  it('imports an uploaded STIX bundle; an invalid one is a 400 with its reason', async () => {
    const bundle = {
      type: 'bundle',
      id: 'bundle--5b0f7a2e-5c9f-4d0e-9b5e-2f0b9f3c1a11',
      objects: [
        {
          type: 'indicator',
          spec_version: '2.1',
          id: 'indicator--0b7f3a2e-5c9f-4d0e-9b5e-2f0b9f3c1a22',
          created: '2026-03-01T00:00:00.000Z',
          modified: '2026-03-01T00:00:00.000Z',
          pattern: "[domain-name:value = 'upload-test.example.com']",
          pattern_type: 'stix',
          valid_from: '2026-03-01T00:00:00Z',
        },
      ],
    };
    const ok = await t.app.inject({
      method: 'POST',
      url: `/api/sharing/import/stix?partner=${vendorId}&name=upload.json`,
      headers: { ...analyst.headers, 'content-type': 'application/stix+json' },
      payload: JSON.stringify(bundle),
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().objects).toBe(1);
    const look = await req(analyst, 'GET', '/api/observables/lookup?value=upload-test.example.com');
    expect(look.statusCode).toBe(200);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/sharing/import/stix',
      headers: { ...analyst.headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ ...bundle, objects: [{ ...bundle.objects[0], pattern: "[domain-name:value = 'x'" }] }),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('STIX_BUNDLE_INVALID');
  });
});
