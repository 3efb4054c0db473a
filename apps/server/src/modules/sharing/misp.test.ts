import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../testing/engines.ts';
import { type TestContext, createTestContext } from '../../testing/testPlatform.ts';
import { PUBLIC, type Recipient } from './egress.ts';
import { exportMispFeed, importMispEvent, importMispPath } from './misp.ts';
import { createPartner, findPartner, partnerFacts } from './partners.ts';
import { SEED, seedSharingData } from './testSeed.ts';

const MISP = fileURLToPath(new URL('../../../../../../shared/data/misp/pymisp-tests/tests/', import.meta.url));

describe.each(testEngines())('MISP import and feed export on %s', (engine) => {
  let t: TestContext;
  let other: TestContext;
  let npa: Recipient;
  const dir = mkdtempSync(join(tmpdir(), 'renkei-misp-'));

  beforeAll(async () => {
    t = await createTestContext(engine);
    other = await createTestContext(engine);
    await seedSharingData(t.platform);
    const p = await createPartner(t.platform, null, { name: '警察庁', kind: 'npa', tlpMax: 'amber+strict' }, null);
    npa = { kind: 'partner', partner: partnerFacts((await findPartner(t.platform.db.db, p.id))!) };
  });
  afterAll(async () => {
    await t.close();
    await other.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a PyMISP event with the {"Event"} wrapper and one without', async () => {
    const wrapped = JSON.parse(readFileSync(join(MISP, '57c4445b-c548-4654-af0b-4be3950d210f.json'), 'utf8'));
    const a = await importMispEvent(other.platform, null, wrapped, { name: 'xorist' }, null);
    expect(a.attributes).toBeGreaterThan(0);
    expect(a.observables).toBeGreaterThan(0);
    const bare = wrapped.Event;
    const b = await importMispEvent(other.platform, null, { ...bare, uuid: undefined }, { name: 'bare' }, null);
    expect(b.attributes).toBe(a.attributes);
    expect(b.observables).toBe(0); // the same values: found, not duplicated
    await expect(
      importMispEvent(other.platform, null, { Event: { Attribute: [] } }, { name: 'x' }, null),
    ).rejects.toMatchObject({ code: 'MISP_EVENT_INVALID' });
  });

  it('exports a feed (manifest.json, hashes.csv, event) without RED, 機密性3 or personal data; it re-imports to the same attributes', async () => {
    const feed = join(dir, 'npa');
    const r = await exportMispFeed(t.platform, null, npa, feed, null);
    expect(readdirSync(feed).sort()).toEqual(['hashes.csv', 'manifest.json', `${r.eventUuid}.json`].sort());
    const text = readFileSync(join(feed, `${r.eventUuid}.json`), 'utf8');
    for (const never of [SEED.redIp, SEED.secretHash, SEED.victimPhone]) expect(text).not.toContain(never);
    const event = JSON.parse(text).Event as { Attribute: { type: string; value: string; Tag: { name: string }[] }[] };
    const values = event.Attribute.map((a) => `${a.type}=${a.value}`).sort();
    expect(values).toContain(`url=${SEED.clearUrl}`);
    expect(values).toContain(`phone-number=${SEED.suspectPhone}`);
    expect(event.Attribute.find((a) => a.value === SEED.amberDomain)?.Tag.map((x) => x.name)).toContain('tlp:amber');
    const manifest = JSON.parse(readFileSync(join(feed, 'manifest.json'), 'utf8'));
    expect(manifest[r.eventUuid]['integrity:sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(join(feed, 'hashes.csv'), 'utf8').trim().split('\n')).toHaveLength(event.Attribute.length);

    const back = await importMispPath(other.platform, null, feed);
    expect(back.attributes).toBe(event.Attribute.length);
    const rows = await other.platform.db.db.selectFrom('observables').select(['type', 'value', 'tlp']).execute();
    const got = new Map(rows.map((x) => [x.value, x]));
    for (const a of event.Attribute) {
      const tlp = a.Tag.find((x) => x.name.startsWith('tlp:'))!.name.slice(4);
      expect(got.get(a.value)?.tlp).toBe(tlp);
    }
  });

  it('the public feed holds only TLP:CLEAR, 機密性1 suspect-side values', async () => {
    const feed = join(dir, 'public');
    const r = await exportMispFeed(t.platform, null, PUBLIC, feed, null);
    const event = JSON.parse(readFileSync(join(feed, `${r.eventUuid}.json`), 'utf8')).Event as {
      Attribute: { value: string }[];
    };
    expect(event.Attribute.map((a) => a.value)).toEqual([SEED.clearUrl]);
    const audit = await t.platform.db.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'sharing.export.misp')
      .execute();
    expect(audit).toHaveLength(2);
  });
});
