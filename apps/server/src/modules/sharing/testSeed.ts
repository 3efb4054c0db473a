/**
 * Test data for the egress channels: observables that may leave and the ones that never may (RED, 機密性3, a
 * victim's phone number, a reporter-flagged value), a campaign linking one of them. Used by the tests only.
 */
import type { Platform } from '../../platform/context.ts';
import { recordObservables } from '../intel/ingest.ts';
import type { IngestItem } from '../intel/ingest.ts';
import type { TlpLabel } from '../intel/vocab.ts';

export const SEED = {
  clearUrl: 'https://phish.example.net/login',
  amberDomain: 'amber-c2.example.org',
  redIp: '203.0.113.66',
  secretHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  victimPhone: '+819011112222',
  suspectPhone: '+819033334444',
  suspectAccount: '0001-001-1-1234567',
} as const;

export async function seedSharingData(p: Platform): Promise<{ campaignId: string; ids: Record<string, string> }> {
  const now = p.clock.now().toISOString();
  const at = (
    place: { type: string; id: string },
    tlp: TlpLabel,
    items: Omit<IngestItem, 'firstSeen' | 'lastSeen'>[],
  ) =>
    p.db.db.transaction().execute((trx) =>
      recordObservables(
        trx,
        place,
        items.map((i) => ({ ...i, firstSeen: now, lastSeen: now })),
        { tlp, now },
      ),
    );
  const src = { type: 'source', id: '00000000-0000-4000-8000-00000000a001' };
  await at(src, 'clear', [{ type: 'url', value: SEED.clearUrl, display: SEED.clearUrl, role: 'suspect' }]);
  await at({ type: 'source', id: '00000000-0000-4000-8000-00000000a002' }, 'amber', [
    { type: 'domain', value: SEED.amberDomain, display: SEED.amberDomain, role: 'suspect' },
    { type: 'phone', value: SEED.suspectPhone, display: '090-3333-4444', role: 'suspect' },
    { type: 'bank_account', value: SEED.suspectAccount, display: SEED.suspectAccount, role: 'suspect' },
  ]);
  await at({ type: 'source', id: '00000000-0000-4000-8000-00000000a003' }, 'red', [
    { type: 'ipv4', value: SEED.redIp, display: SEED.redIp, role: 'suspect' },
  ]);
  await at(src, 'clear', [{ type: 'sha256', value: SEED.secretHash, display: SEED.secretHash, role: 'suspect' }]);
  await at(src, 'clear', [{ type: 'phone', value: SEED.victimPhone, display: '090-1111-2222', role: 'victim' }]);

  const rows = await p.db.db.selectFrom('observables').select(['id', 'value']).execute();
  const ids = Object.fromEntries(rows.map((r) => [r.value, r.id]));
  // 機密性3: an analyst's release marking on the hash (e.g. it came from a covert investigation).
  await p.db.db
    .insertInto('sharing_markings')
    .values({
      object_type: 'observable',
      object_id: ids[SEED.secretHash]!,
      confidentiality: 3,
      recipients: '[]',
      personal: '[]',
      reason: 'test',
      decided_by: null,
      decided_at: now,
    })
    .execute();

  const campaignId = '00000000-0000-4000-8000-00000000c001';
  await p.db.db
    .insertInto('intel_entities')
    .values({
      id: campaignId,
      kind: 'campaign',
      name: '宅配業者なりすましSMS',
      aliases: '[]',
      description: '不在通知を装うSMS',
      tlp: 'clear',
      created_by: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await at({ type: 'entity', id: campaignId }, 'clear', [
    { type: 'url', value: SEED.clearUrl, display: SEED.clearUrl, role: 'suspect' },
  ]);
  return { campaignId, ids };
}
