import { validateBundle } from '@renkei/core/stix/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../testing/engines.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';
import { PUBLIC, type Recipient } from './egress.ts';
import { createPartner, findPartner, partnerFacts } from './partners.ts';
import { type StixObject, TLP2_IDS, stixIdOf } from './stixModel.ts';
import { exportStixBundle } from './stixExport.ts';
import { SEED, seedSharingData } from './testSeed.ts';

async function bundleFor(t: TestContext, to: Recipient, since?: string) {
  let text = '';
  const report = await exportStixBundle(
    t.platform,
    null,
    to,
    { since },
    (c) => {
      text += c;
    },
    null,
  );
  const bundle = JSON.parse(text) as { type: string; id: string; objects: StixObject[] };
  return { bundle, report, text };
}

async function partner(
  t: TestContext,
  name: string,
  kind: 'npa' | 'vendor' | 'bank',
  tlpMax: 'green' | 'amber' | 'amber+strict',
) {
  const p = await createPartner(t.platform, null, { name, kind, tlpMax }, null);
  return { kind: 'partner', partner: partnerFacts((await findPartner(t.platform.db.db, p.id))!) } as Recipient;
}

describe.each(testEngines())('STIX export through the egress policy on %s', (engine) => {
  let t: TestContext;
  let campaignId: string;

  beforeAll(async () => {
    t = await createTestContext(engine);
    ({ campaignId } = await seedSharingData(t.platform));
  });
  afterAll(async () => {
    await t.close();
  });

  it('public: only TLP:CLEAR, 機密性1, suspect-side technical values; a valid bundle with identity and TLP 2.0 markings', async () => {
    const { bundle, text, report } = await bundleFor(t, PUBLIC);
    const v = validateBundle(bundle);
    expect(v.issues ?? []).toEqual([]);
    const indicators = bundle.objects.filter((o) => o.type === 'indicator');
    expect(indicators.map((o) => o.pattern)).toEqual([`[url:value = '${SEED.clearUrl}']`]);
    expect(bundle.objects.find((o) => o.type === 'url')?.value).toBe(SEED.clearUrl);
    expect(bundle.objects.filter((o) => o.type === 'identity')).toHaveLength(1);
    expect(bundle.objects.filter((o) => o.type === 'marking-definition').map((o) => o.id)).toEqual([TLP2_IDS.clear]);
    const campaign = bundle.objects.find((o) => o.type === 'campaign');
    expect(campaign?.id).toBe(stixIdOf('campaign', 'intel_entity', campaignId));
    expect(
      bundle.objects.some(
        (o) => o.type === 'relationship' && o.relationship_type === 'indicates' && o.target_ref === campaign?.id,
      ),
    ).toBe(true);
    expect(bundle.objects.some((o) => o.type === 'sighting')).toBe(true);
    for (const never of [SEED.redIp, SEED.secretHash, SEED.victimPhone, SEED.suspectPhone, SEED.amberDomain]) {
      expect(text).not.toContain(never);
    }
    expect(report.withheld.tlp_red).toBeGreaterThanOrEqual(1);
    expect(report.withheld.confidentiality_3).toBe(1);
    expect(report.withheld.personal_data).toBeGreaterThanOrEqual(1);
  });

  it('a bank (AMBER): the suspect account under 振り込め詐欺救済法, never RED, 機密性3 or a victim phone', async () => {
    const bank = await partner(t, 'テスト銀行', 'bank', 'amber');
    const { bundle, text } = await bundleFor(t, bank);
    expect(validateBundle(bundle).issues ?? []).toEqual([]);
    expect(text).toContain(SEED.suspectAccount);
    expect(text).not.toContain(SEED.suspectPhone);
    for (const never of [SEED.redIp, SEED.secretHash, SEED.victimPhone]) expect(text).not.toContain(never);
  });

  it('the NPA (AMBER+STRICT, official): AMBER and suspect phone too, still never RED, 機密性3 or victims', async () => {
    const npa = await partner(t, '警察庁', 'npa', 'amber+strict');
    const { bundle, text } = await bundleFor(t, npa);
    expect(validateBundle(bundle).issues ?? []).toEqual([]);
    expect(text).toContain(SEED.amberDomain);
    expect(text).toContain(SEED.suspectPhone);
    for (const never of [SEED.redIp, SEED.secretHash, SEED.victimPhone]) expect(text).not.toContain(never);
    const audit = await t.platform.db.db
      .selectFrom('audit_log')
      .select(['target_id', 'details'])
      .where('action', '=', 'sharing.export.stix')
      .execute();
    expect(audit.length).toBeGreaterThanOrEqual(3);
    for (const a of audit) expect(a.details).not.toContain(SEED.clearUrl);
  });

  it('since: only what changed after the instant', async () => {
    const later = new Date(t.platform.clock.now().getTime() + 60_000).toISOString();
    const { bundle } = await bundleFor(t, PUBLIC, later);
    expect(bundle.objects.filter((o) => o.type === 'indicator')).toEqual([]);
  });
});
