import { describe, expect, it } from 'vitest';
import { OBSERVABLE_TYPES, PERSONAL_TYPES, ROLES, TLPS, type TlpLabel } from '../intel/vocab.ts';
import {
  type EgressObject,
  type EgressPartner,
  PARTNER_KINDS,
  PUBLIC,
  type PartnerKind,
  type Recipient,
  TLP_CEILINGS,
  type TlpCeiling,
  decideEgress,
  egressRole,
  isOfficialBody,
  partition,
} from './egress.ts';

const partner = (kind: PartnerKind, tlpMax: TlpCeiling, extra: Partial<EgressPartner> = {}): Recipient => ({
  kind: 'partner',
  partner: {
    id: `p-${kind}-${tlpMax}`,
    name: kind,
    kind,
    tlpMax,
    official: kind === 'npa' || kind === 'prefecture',
    agreement: '',
    disabled: false,
    ...extra,
  },
});

const NPA = partner('npa', 'amber+strict');
const PREF = partner('prefecture', 'amber');
const JC3_AGREED = partner('jc3', 'amber', { official: true, agreement: '共同対処協定 2024-04-01' });
const JC3_NO_AGREEMENT = partner('jc3', 'amber', { official: true, agreement: '' });
const VENDOR_GREEN = partner('vendor', 'green');
const VENDOR_AMBER = partner('vendor', 'amber');
const BANK = partner('bank', 'amber');
const COUNCIL = partner('council', 'green');

const obj = (o: Partial<EgressObject>): EgressObject => ({
  type: 'intel_entity',
  id: 'x',
  tlp: 'clear',
  confidentiality: 1,
  ...o,
});
const url = (o: Partial<EgressObject> = {}, role: 'suspect' | 'victim' | 'unknown' = 'suspect') =>
  obj({ type: 'observable', observable: { type: 'url', role }, ...o });

const verdict = (o: EgressObject, r: Recipient) => {
  const d = decideEgress(o, r);
  return d.allowed ? 'allowed' : d.reason;
};

describe('egress policy: the table', () => {
  const rows: [string, EgressObject, Recipient, string][] = [
    // TLP
    ['CLEAR technical indicator to the public', url(), PUBLIC, 'allowed'],
    ['GREEN to the public', url({ tlp: 'green' }), PUBLIC, 'public_not_clear'],
    ['RED to the NPA', url({ tlp: 'red' }), NPA, 'tlp_red'],
    ['RED to the public', url({ tlp: 'red' }), PUBLIC, 'tlp_red'],
    ['AMBER to a GREEN-ceiling vendor', url({ tlp: 'amber' }), VENDOR_GREEN, 'tlp_above_ceiling'],
    ['AMBER to an AMBER-ceiling vendor', url({ tlp: 'amber' }), VENDOR_AMBER, 'allowed'],
    ['AMBER+STRICT to an AMBER-ceiling prefecture', url({ tlp: 'amber+strict' }), PREF, 'tlp_above_ceiling'],
    ['AMBER+STRICT to the NPA (ceiling AMBER+STRICT)', url({ tlp: 'amber+strict' }), NPA, 'allowed'],
    ['GREEN to a GREEN-ceiling council', url({ tlp: 'green' }), COUNCIL, 'allowed'],
    // named recipients
    ['named recipients: the named one', url({ tlp: 'amber', recipients: ['p-npa-amber+strict'] }), NPA, 'allowed'],
    [
      'named recipients: another partner',
      url({ tlp: 'amber', recipients: ['p-npa-amber+strict'] }),
      PREF,
      'not_named_recipient',
    ],
    [
      'named recipients: the public',
      url({ tlp: 'clear', recipients: ['p-npa-amber+strict'] }),
      PUBLIC,
      'not_named_recipient',
    ],
    // 格付
    ['機密性3 to the NPA', url({ confidentiality: 3 }), NPA, 'confidentiality_3'],
    ['機密性2 to the NPA', url({ confidentiality: 2 }), NPA, 'allowed'],
    ['機密性2 to a prefecture', url({ confidentiality: 2 }), PREF, 'allowed'],
    ['機密性2 to JC3 under agreement', url({ confidentiality: 2 }), JC3_AGREED, 'allowed'],
    [
      '機密性2 to JC3 without agreement',
      url({ confidentiality: 2 }),
      JC3_NO_AGREEMENT,
      'confidentiality_2_not_official',
    ],
    ['機密性2 to a vendor', url({ confidentiality: 2 }), VENDOR_AMBER, 'confidentiality_2_not_official'],
    ['機密性2 to the public', url({ confidentiality: 2 }), PUBLIC, 'confidentiality_2_public'],
    [
      '機密性2 to a vendor wrongly flagged official',
      url({ confidentiality: 2 }),
      partner('vendor', 'amber', { official: true }),
      'confidentiality_2_not_official',
    ],
    // personal data
    ['a report naming its reporter, to the NPA', obj({ type: 'report', personal: ['reporter'] }), NPA, 'personal_data'],
    [
      'a victim-side phone number to the NPA',
      obj({ type: 'observable', observable: { type: 'phone', role: 'victim' } }),
      NPA,
      'personal_data',
    ],
    [
      'a suspect-side phone number to the NPA',
      obj({ type: 'observable', observable: { type: 'phone', role: 'suspect' } }),
      NPA,
      'allowed',
    ],
    [
      'a suspect-side phone number to a bank',
      obj({ type: 'observable', observable: { type: 'phone', role: 'suspect' } }),
      BANK,
      'personal_data',
    ],
    [
      'a suspect-side bank account to a bank',
      obj({ type: 'observable', observable: { type: 'bank_account', role: 'suspect' } }),
      BANK,
      'allowed',
    ],
    [
      'a suspect-side bank account to the public',
      obj({ type: 'observable', observable: { type: 'bank_account', role: 'suspect' } }),
      PUBLIC,
      'personal_data',
    ],
    [
      'a phone of unknown role to the NPA',
      obj({ type: 'observable', observable: { type: 'phone', role: 'unknown' } }),
      NPA,
      'personal_data',
    ],
    ['a case file naming its suspect, to the NPA', obj({ type: 'case', personal: ['suspect'] }), NPA, 'personal_data'],
    // per-type rules for technical values
    ['a URL of unknown role to the public', url({}, 'unknown'), PUBLIC, 'sharing_rule'],
    ['a URL of unknown role to a vendor', url({}, 'unknown'), VENDOR_GREEN, 'allowed'],
    ['a victim-side URL (a hacked site) to a vendor', url({}, 'victim'), VENDOR_GREEN, 'sharing_rule'],
    ['a victim-side URL to JC3', url({}, 'victim'), JC3_AGREED, 'allowed'],
    [
      'an unknown observable type',
      obj({ type: 'observable', observable: { type: 'iban', role: 'suspect' } }),
      NPA,
      'unknown_type',
    ],
    // partner state
    ['anything to a disabled partner', url(), partner('npa', 'amber', { disabled: true }), 'partner_disabled'],
    // non-observables
    ['a CLEAR campaign to the public', obj({}), PUBLIC, 'allowed'],
    ['an AMBER campaign to a GREEN council', obj({ tlp: 'amber' }), COUNCIL, 'tlp_above_ceiling'],
  ];
  it.each(rows)('%s', (_name, o, r, expected) => {
    expect(verdict(o, r)).toBe(expected);
  });

  it('records the legal basis of the per-type rule with an allowed observable', () => {
    const d = decideEgress(obj({ type: 'observable', observable: { type: 'bank_account', role: 'suspect' } }), BANK);
    expect(d.allowed && d.basis).toContain('振り込め詐欺救済法');
  });
});

describe('egress policy: every combination', () => {
  const recipients: Recipient[] = [PUBLIC];
  for (const kind of PARTNER_KINDS) {
    for (const ceiling of TLP_CEILINGS) {
      for (const official of [false, true]) {
        for (const agreement of ['', '協定']) {
          recipients.push(
            partner(kind, ceiling, { official, agreement, id: `${kind}-${ceiling}-${official}-${agreement}` }),
          );
        }
      }
    }
  }
  const objects: EgressObject[] = [];
  for (const tlp of TLPS) {
    for (const confidentiality of [1, 2, 3] as const) {
      for (const personal of [[], ['reporter'], ['victim'], ['suspect']] as const) {
        objects.push(obj({ tlp, confidentiality, personal: [...personal] }));
        for (const type of OBSERVABLE_TYPES) {
          for (const role of ROLES) {
            objects.push(
              obj({ type: 'observable', tlp, confidentiality, personal: [...personal], observable: { type, role } }),
            );
          }
        }
      }
    }
  }
  const rank: Record<TlpLabel, number> = { clear: 0, green: 1, amber: 2, 'amber+strict': 3, red: 4 };

  it(`holds the invariants over ${recipients.length} recipients × objects`, () => {
    let allowed = 0;
    const broken: string[] = [];
    const check = (ok: boolean, what: string, o: EgressObject, r: Recipient) => {
      if (!ok) broken.push(`${what}: ${JSON.stringify(o)} → ${r.kind === 'public' ? 'public' : r.partner.id}`);
    };
    for (const r of recipients) {
      for (const o of objects) {
        const d = decideEgress(o, r);
        if (!d.allowed) continue;
        allowed++;
        // RED, 機密性3 and reporters'/victims' personal data never leave.
        check(o.tlp !== 'red', 'RED left', o, r);
        check(o.confidentiality !== 3, '機密性3 left', o, r);
        check(!o.personal?.includes('reporter') && !o.personal?.includes('victim'), 'personal data left', o, r);
        // Personal values only suspect-side, as an observable with a rule.
        if (o.observable && PERSONAL_TYPES.has(o.observable.type as never)) {
          check(o.observable.role === 'suspect', 'non-suspect personal value left', o, r);
        }
        if (o.personal?.includes('suspect')) check(o.observable !== undefined, 'suspect data outside a value', o, r);
        check(d.tlp === o.tlp, 'marking changed', o, r);
        if (r.kind === 'public') {
          check(o.tlp === 'clear' && o.confidentiality === 1, 'public beyond CLEAR/機密性1', o, r);
        } else {
          check(rank[o.tlp] <= rank[r.partner.tlpMax], 'above ceiling', o, r);
          if (o.confidentiality === 2) {
            check(
              isOfficialBody(r.partner) && ['npa', 'prefecture', 'jc3'].includes(r.partner.kind),
              '機密性2 to a non-official body',
              o,
              r,
            );
          }
        }
      }
    }
    expect(broken.slice(0, 5)).toEqual([]);
    expect(allowed).toBeGreaterThan(1000);
  });
});

describe('egress helpers', () => {
  it('takes the most restrictive role over occurrences', () => {
    expect(egressRole([])).toBe('unknown');
    expect(egressRole(['unknown', 'suspect'])).toBe('suspect');
    expect(egressRole(['suspect', 'victim', 'unknown'])).toBe('victim');
    expect(egressRole(['something-else'])).toBe('victim');
  });

  it('partitions with reasons in order', () => {
    const items = [url(), url({ tlp: 'red' }), url({ confidentiality: 3 })];
    const out = partition(items, (x) => x, PUBLIC);
    expect(out.allowed.map((a) => a.item)).toEqual([items[0]]);
    expect(out.withheld.map((w) => w.reason)).toEqual(['tlp_red', 'confidentiality_3']);
  });
});
