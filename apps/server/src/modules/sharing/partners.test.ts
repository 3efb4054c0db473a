import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { testEngines } from '../../testing/engines.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';
import { decideEgress } from './egress.ts';
import {
  createPartner,
  createPartnerToken,
  findPartner,
  partnerFacts,
  partnerForUser,
  updatePartner,
} from './partners.ts';

describe.each(testEngines())('partners and their machine accounts on %s', (engine) => {
  let t: TestContext;
  const op = { id: 'op', login: 'operator', unitId: null };

  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates partners with kind defaults, and refuses official status where the law does not give it', async () => {
    const npa = await createPartner(t.platform, null, { name: '警察庁', kind: 'npa', tlpMax: 'amber+strict' }, null);
    expect(npa).toMatchObject({ kind: 'npa', official: true, tlpMax: 'amber+strict', hasMachineAccount: false });
    const vendor = await createPartner(t.platform, null, { name: 'フィルタ社', kind: 'vendor' }, null);
    expect(vendor).toMatchObject({ official: false, tlpMax: 'green' });
    await expect(
      createPartner(t.platform, null, { name: 'AV社', kind: 'vendor', official: true }, null),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      createPartner(t.platform, null, { name: 'JC3', kind: 'jc3', official: true }, null),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const jc3 = await createPartner(
      t.platform,
      null,
      { name: 'JC3', kind: 'jc3', official: true, agreement: '共同対処協定（2024年4月1日締結）', tlpMax: 'amber' },
      null,
    );
    expect(jc3.official).toBe(true);
    await expect(createPartner(t.platform, null, { name: '警察庁', kind: 'npa' }, null)).rejects.toBeInstanceOf(
      AppError,
    );
    const audit = await t.platform.db.db
      .selectFrom('audit_log')
      .select(['action', 'target_id'])
      .where('action', '=', 'sharing.partner.create')
      .execute();
    expect(audit.map((a) => a.target_id).sort()).toEqual([npa.id, vendor.id, jc3.id].sort());
  });

  it('mints tokens for a machine account that authenticates but reads nothing of the staff API', async () => {
    const p = await createPartner(t.platform, null, { name: '福島県警', kind: 'prefecture', tlpMax: 'amber' }, null);
    const first = await createPartnerToken(t.platform, null, p.id, { name: 'taxii', expiresInDays: 30 }, null);
    const second = await createPartnerToken(t.platform, null, p.id, { name: 'taxii-2', expiresInDays: null }, null);
    const row = await findPartner(t.platform.db.db, p.id);
    expect(row?.machine_user_id).toBeTruthy();
    const tokens = await t.platform.db.db
      .selectFrom('api_tokens')
      .select('id')
      .where('user_id', '=', row!.machine_user_id!)
      .execute();
    expect(tokens.map((x) => x.id).sort()).toEqual([first.tokenId, second.tokenId].sort());
    expect((await partnerForUser(t.platform.db.db, row!.machine_user_id!))?.id).toBe(p.id);
    const roles = await t.platform.db.db
      .selectFrom('user_roles')
      .select('role')
      .where('user_id', '=', row!.machine_user_id!)
      .execute();
    expect(roles).toEqual([]);

    const headers = { authorization: `Bearer ${first.token}` };
    const me = await t.app.inject({ method: 'GET', url: '/api/observables/lookup?value=example.com', headers });
    expect(me.statusCode).toBe(403);

    await updatePartner(t.platform, op, p.id, { disabled: true }, null);
    const after = await t.app.inject({ method: 'GET', url: '/api/observables/lookup?value=example.com', headers });
    expect(after.statusCode).toBe(401);
    const facts = partnerFacts((await findPartner(t.platform.db.db, p.id))!);
    expect(
      decideEgress({ type: 'x', id: 'x', tlp: 'clear', confidentiality: 1 }, { kind: 'partner', partner: facts }),
    ).toEqual({ allowed: false, reason: 'partner_disabled' });
    await expect(
      createPartnerToken(t.platform, null, p.id, { name: 'again', expiresInDays: 1 }, null),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
