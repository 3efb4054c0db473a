import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../../testing/engines.ts';
import { type TestContext, createTestContext } from '../../../testing/testPlatform.ts';
import { recordObservables } from '../../intel/ingest.ts';
import type { ObservableType, TlpLabel } from '../../intel/vocab.ts';
import { createPartner, createPartnerToken } from '../partners.ts';
import { SEED, seedSharingData } from '../testSeed.ts';
import { createSubscription, runSubscription } from './client.ts';
import { createCollection, grantCollection, publishCollection } from './collections.ts';
import { TAXII_MEDIA } from './server.ts';

/**
 * Two Renkei servers on loopback — Fukushima and Miyagi — exchange indicators both ways over real HTTP: Miyagi
 * pulls Fukushima's collection, Miyagi pushes its own indicators into it. AMBER reaches only the partner allowed;
 * RED, 機密性3 and personal data never cross.
 */
describe.each(testEngines())('TAXII federation of two Renkei servers on %s', (engine) => {
  let fukushima: TestContext;
  let miyagi: TestContext;
  let fukushimaUrl: string;
  let collectionId: string;
  let tokenForMiyagi: string;
  let tokenForVendor: string;

  const values = async (t: TestContext) =>
    (await t.platform.db.db.selectFrom('observables').select('value').execute()).map((r) => r.value);
  const record = (
    t: TestContext,
    tlp: TlpLabel,
    value: string,
    role: 'suspect' | 'victim',
    type: ObservableType = 'domain',
  ) => {
    const now = t.platform.clock.now().toISOString();
    return t.platform.db.db
      .transaction()
      .execute((trx) =>
        recordObservables(
          trx,
          { type: 'source', id: '00000000-0000-4000-8000-00000000b001' },
          [{ type, value, display: value, role, firstSeen: now, lastSeen: now }],
          { tlp, now },
        ),
      );
  };

  beforeAll(async () => {
    fukushima = await createTestContext(engine);
    miyagi = await createTestContext(engine);
    await fukushima.app.listen({ port: 0, host: '127.0.0.1' });
    fukushimaUrl = `http://127.0.0.1:${(fukushima.app.server.address() as AddressInfo).port}`;

    // Fukushima: its indicators (incl. RED, 機密性3, a victim's phone), partners Miyagi (AMBER) and a vendor (GREEN).
    const f = fukushima.platform;
    await seedSharingData(f);
    const mPartner = await createPartner(
      f,
      null,
      { name: '宮城県警察', kind: 'prefecture', tlpMax: 'amber', official: true, agreement: '', contacts: [] },
      null,
    );
    const vPartner = await createPartner(
      f,
      null,
      { name: 'フィルタリング事業者', kind: 'vendor', tlpMax: 'green', official: false, agreement: '', contacts: [] },
      null,
    );
    tokenForMiyagi = (await createPartnerToken(f, null, mPartner.id, { name: 'taxii', expiresInDays: 30 }, null)).token;
    tokenForVendor = (await createPartnerToken(f, null, vPartner.id, { name: 'taxii', expiresInDays: 30 }, null)).token;
    collectionId = (await createCollection(f, null, { title: '東北管区 共有指標' }, null)).id;
    await grantCollection(f, null, collectionId, { id: mPartner.id }, { read: true, write: true }, null);
    await grantCollection(f, null, collectionId, { id: vPartner.id }, { read: true, write: false }, null);
    await publishCollection(f, null, collectionId, null);

    // Miyagi: its own indicators and Fukushima as a partner (AMBER ceiling, official).
    await record(miyagi, 'green', 'miyagi-smish.example.jp', 'suspect');
    await record(miyagi, 'amber', 'miyagi-c2.example.jp', 'suspect');
    await record(miyagi, 'red', 'miyagi-covert.example.jp', 'suspect');
    await record(miyagi, 'green', '+819055556666', 'victim', 'phone');
  });
  afterAll(async () => {
    await fukushima?.close();
    await miyagi?.close();
  });

  it('Miyagi pulls Fukushima: CLEAR and AMBER arrive, RED, 機密性3 and the victim phone do not', async () => {
    const m = miyagi.platform;
    const sub = await createSubscription(
      m,
      null,
      {
        name: '福島県警察',
        apiRootUrl: `${fukushimaUrl}/taxii2/renkei/`,
        collectionId,
        token: tokenForMiyagi,
        direction: 'pull',
      },
      null,
    );
    const moved = await runSubscription(m, sub.id);
    expect(moved).toBeGreaterThan(0);
    const got = await values(miyagi);
    expect(got).toContain(SEED.clearUrl);
    expect(got).toContain(SEED.amberDomain);
    for (const never of [SEED.redIp, SEED.secretHash, SEED.victimPhone]) expect(got).not.toContain(never);

    // A second run asks only for what was added after the last page: nothing new.
    expect(await runSubscription(m, sub.id)).toBe(0);
    const row = await m.db.db
      .selectFrom('taxii_subscriptions')
      .selectAll()
      .where('id', '=', sub.id)
      .executeTakeFirstOrThrow();
    expect(row.last_error).toBeNull();
    expect(row.added_after).toMatch(/Z$/);
  });

  it('Miyagi pushes to Fukushima through its own egress policy; Fukushima serves it on to the vendor by TLP', async () => {
    const m = miyagi.platform;
    const fPartner = await createPartner(
      m,
      null,
      { name: '福島県警察', kind: 'prefecture', tlpMax: 'amber', official: true, agreement: '', contacts: [] },
      null,
    );
    const sub = await createSubscription(
      m,
      null,
      {
        name: '福島県警察へ提供',
        apiRootUrl: `${fukushimaUrl}/taxii2/renkei/`,
        collectionId,
        token: tokenForMiyagi,
        direction: 'push',
        partnerId: fPartner.id,
      },
      null,
    );
    expect(await runSubscription(m, sub.id)).toBeGreaterThan(0);
    const inFukushima = await values(fukushima);
    expect(inFukushima).toContain('miyagi-smish.example.jp');
    expect(inFukushima).toContain('miyagi-c2.example.jp');
    expect(inFukushima).not.toContain('miyagi-covert.example.jp');
    expect(inFukushima).not.toContain('+819055556666');

    // The vendor (GREEN ceiling) reading the same collection gets Miyagi's GREEN indicator, not its AMBER one.
    const res = await fetch(`${fukushimaUrl}/taxii2/renkei/collections/${collectionId}/objects/?limit=1000`, {
      headers: { authorization: `Bearer ${tokenForVendor}`, accept: TAXII_MEDIA },
    });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('miyagi-smish.example.jp');
    expect(body).not.toContain('miyagi-c2.example.jp');
    expect(body).not.toContain(SEED.amberDomain);
    expect(body).not.toContain('miyagi-covert.example.jp');
  });

  it('a subscription with a wrong token records the failure on its health, and loses nothing', async () => {
    const m = miyagi.platform;
    const before = (await values(miyagi)).length;
    const sub = await createSubscription(
      m,
      null,
      {
        name: '誤ったトークン',
        apiRootUrl: `${fukushimaUrl}/taxii2/renkei/`,
        collectionId,
        token: 'rk_wrong_token_x',
        direction: 'pull',
      },
      null,
    );
    await expect(runSubscription(m, sub.id)).rejects.toThrow(/HTTP 401/);
    const row = await m.db.db
      .selectFrom('taxii_subscriptions')
      .selectAll()
      .where('id', '=', sub.id)
      .executeTakeFirstOrThrow();
    expect(row.last_error).toMatch(/401/);
    expect(row.last_ok_at).toBeNull();
    expect((await values(miyagi)).length).toBe(before);
  });
});
