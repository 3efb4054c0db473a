import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { validateBundle } from '@renkei/core/stix/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../testing/engines.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';
import type { Recipient } from './egress.ts';
import { createPartner, findPartner, partnerFacts } from './partners.ts';
import type { StixObject } from './stixModel.ts';
import { exportStixBundle } from './stixExport.ts';
import { importStixBundle, tlpOfObject } from './stixImport.ts';

const DATA = fileURLToPath(new URL('../../../../../../shared/data/stix2-examples/', import.meta.url));
const expected = JSON.parse(readFileSync(join(DATA, 'expected-counts.json'), 'utf8')) as Record<
  string,
  { objects: number; by_type: Record<string, number> }
>;
const negative = JSON.parse(readFileSync(join(DATA, 'negative/invalid-indicator-cases.json'), 'utf8')) as {
  cases: { id: string; description: string; bundle: unknown }[];
};

const stream = (text: string) => Readable.from([Buffer.from(text)]);

describe.each(testEngines())('STIX import and round trip on %s', (engine) => {
  let t: TestContext;
  let npa: Recipient;

  beforeAll(async () => {
    t = await createTestContext(engine);
    const p = await createPartner(t.platform, null, { name: '警察庁', kind: 'npa', tlpMax: 'amber+strict' }, null);
    npa = { kind: 'partner', partner: partnerFacts((await findPartner(t.platform.db.db, p.id))!) };
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(Object.keys(expected))('%s imports and exports again with the same objects', async (file) => {
    const text = readFileSync(join(DATA, file), 'utf8');
    const original = JSON.parse(text) as { objects: StixObject[] };
    const res = await importStixBundle(t.platform, null, stream(text), { name: file }, null);
    expect(res.objects).toBe(expected[file]!.objects);

    let out = '';
    const report = await exportStixBundle(
      t.platform,
      null,
      npa,
      { importId: res.importId },
      (c) => {
        out += c;
      },
      null,
    );
    const bundle = JSON.parse(out) as { objects: StixObject[] };
    expect(validateBundle(bundle).issues).toEqual([]);
    // RED (object-level or granular) never leaves, nor what refers to it; everything else comes back unchanged.
    const red = new Set(original.objects.filter((o) => tlpOfObject(o) === 'red').map((o) => o.id));
    const withheld = original.objects.filter(
      (o) => red.has(o.id) || [o.source_ref, o.target_ref].some((r) => typeof r === 'string' && red.has(r)),
    );
    expect(report.withheldItems.map((w) => w.id).sort()).toEqual(withheld.map((o) => o.id).sort());
    const byType: Record<string, number> = { ...expected[file]!.by_type };
    for (const o of withheld) byType[o.type]! -= 1;
    const got: Record<string, number> = {};
    for (const o of bundle.objects) got[o.type] = (got[o.type] ?? 0) + 1;
    expect(got).toEqual(Object.fromEntries(Object.entries(byType).filter(([, n]) => n > 0)));
    const byId = new Map(bundle.objects.map((o) => [o.id, o]));
    for (const o of withheld) expect(byId.has(o.id)).toBe(false);
    for (const o of original.objects) if (!withheld.includes(o)) expect(byId.get(o.id)).toEqual(o);
  });

  it('indicators become observables found by look-up, relationships become graph links', async () => {
    const obs = await t.platform.db.db
      .selectFrom('observables')
      .select(['type', 'value'])
      .where('value', '=', 'http://x4z9arb.cn/4712/')
      .execute();
    expect(obs).toEqual([{ type: 'url', value: 'http://x4z9arb.cn/4712/' }]);
    const entities = await t.platform.db.db.selectFrom('intel_entities').select(['kind', 'name']).execute();
    expect(entities.length).toBeGreaterThan(5);
    const linkedToEntity = await t.platform.db.db
      .selectFrom('observable_occurrences as o')
      .innerJoin('observable_places as pl', 'pl.num', 'o.place_num')
      .select('o.observable_num')
      .where('pl.place_type', '=', 'entity')
      .execute();
    expect(linkedToEntity.length).toBeGreaterThan(0);
  });

  it.each(negative.cases.map((c) => [c.id, c] as const))(
    '%s is refused with a reason, nothing written',
    async (_id, c) => {
      const before = await t.platform.db.db
        .selectFrom('sharing_stix_objects')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      await expect(
        importStixBundle(t.platform, null, stream(JSON.stringify(c.bundle)), { name: c.id }, null),
      ).rejects.toMatchObject({ code: 'STIX_BUNDLE_INVALID', message: expect.stringMatching(/.+/) });
      const after = await t.platform.db.db
        .selectFrom('sharing_stix_objects')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
      const row = await t.platform.db.db
        .selectFrom('sharing_imports')
        .select(['status', 'reason'])
        .where('name', '=', c.id)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('refused');
      expect(row.reason).toBeTruthy();
    },
  );

  it('a bundle that is not JSON is refused', async () => {
    await expect(
      importStixBundle(t.platform, null, stream('{"type": "bundle", "objects": ['), { name: 'broken' }, null),
    ).rejects.toMatchObject({
      code: 'STIX_BUNDLE_INVALID',
    });
  });
});
