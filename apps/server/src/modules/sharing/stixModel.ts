/**
 * Our model → STIX 2.1 objects: TLP 2.0 marking definitions, our identity, indicators with STIX patterns (from the
 * core STIX library) and SCOs with deterministic ids (STIX 2.1 §2.9), campaigns/actors/families, relationships and
 * sightings. Pure.
 */
import { createHash } from 'node:crypto';
import type { IocType } from '@renkei/core/ioc/types';
import { STIX_HASH_NAMES, stixPatternFor } from '@renkei/core/stix/index';
import type { TlpLabel } from '../intel/vocab.ts';

export type StixObject = Record<string, unknown> & { type: string; id: string };

/** The OASIS TLP 2.0 marking definitions (extension-definition--60a3c5c5…). */
const TLP2_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';
export const TLP2_IDS: Record<TlpLabel, string> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};
/** The STIX 2.1 TLP 1.0 marking definitions (white = clear), still common in partners' bundles. */
export const TLP1_IDS: Record<string, TlpLabel> = {
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'clear',
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'green',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'amber',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'red',
};
const TLP_NAMES: Record<TlpLabel, string> = {
  clear: 'TLP:CLEAR',
  green: 'TLP:GREEN',
  amber: 'TLP:AMBER',
  'amber+strict': 'TLP:AMBER+STRICT',
  red: 'TLP:RED',
};

/** The TLP label a marking-definition id stands for (TLP 2.0 or 1.0), or undefined. */
export function tlpOfMarking(id: string): TlpLabel | undefined {
  for (const [label, mid] of Object.entries(TLP2_IDS)) if (mid === id) return label as TlpLabel;
  return TLP1_IDS[id];
}

export function tlpMarkingDefinition(tlp: TlpLabel): StixObject {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP2_IDS[tlp],
    created: '2022-10-01T00:00:00.000Z',
    name: TLP_NAMES[tlp],
    extensions: { [TLP2_EXTENSION]: { extension_type: 'property-extension', tlp_2_0: tlp } },
  };
}

/** RFC 4122 version-5 UUID (SHA-1 name-based). */
export function uuidv5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

const SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';
const RENKEI_NAMESPACE = '6b1d7c51-3a5e-4c55-9a43-52656e6b6569';

/** JSON with sorted keys (enough of RFC 8785 for the strings and integers SCO ids are made of). */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export function scoId(type: string, contributing: Record<string, unknown>): string {
  return `${type}--${uuidv5(SCO_NAMESPACE, canonicalJson(contributing))}`;
}

/** The STIX id standing for one of our records (ours may be UUIDv7, which STIX ids do not allow). */
export function stixIdOf(stixType: string, ourType: string, id: string): string {
  return `${stixType}--${uuidv5(RENKEI_NAMESPACE, `${ourType}:${id}`)}`;
}

/** Our organisation's identity, deterministic from its name. */
export function identityObject(name: string, created: string): StixObject {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: `identity--${uuidv5(RENKEI_NAMESPACE, `identity:${name}`)}`,
    created,
    modified: created,
    name,
    identity_class: 'organization',
    sectors: ['government-public-services'],
  };
}

/** The SCO standing for one of our observables, when STIX has one. */
export function scoFor(type: string, value: string): StixObject | null {
  const make = (t: string, props: Record<string, unknown>, contributing = props): StixObject => ({
    type: t,
    spec_version: '2.1',
    id: scoId(t, contributing),
    ...props,
  });
  switch (type) {
    case 'url':
      return make('url', { value });
    case 'domain':
      return make('domain-name', { value });
    case 'ipv4':
      return make('ipv4-addr', { value });
    case 'ipv6':
      return make('ipv6-addr', { value });
    case 'cidr':
      return make(value.includes(':') ? 'ipv6-addr' : 'ipv4-addr', { value });
    case 'email':
      return make('email-addr', { value });
    case 'asn': {
      const number = Number(value.replace(/^AS/i, ''));
      return Number.isSafeInteger(number) ? make('autonomous-system', { number }) : null;
    }
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'sha512':
    case 'ssdeep': {
      const hashes = { [STIX_HASH_NAMES[type]]: value };
      return make('file', { hashes }, { hashes });
    }
    case 'file_name':
      return make('file', { name: value });
    default:
      return null;
  }
}

/** The STIX pattern of one of our observables (null when it has none, e.g. a CVE). */
export function patternFor(type: string, value: string): string | null {
  switch (type) {
    case 'cidr':
      return `[${value.includes(':') ? 'ipv6-addr' : 'ipv4-addr'}:value ISSUBSET '${value}']`;
    case 'file_name':
      return `[file:name = ${quote(value)}]`;
    case 'sns_account':
      return `[user-account:account_login = ${quote(value)}]`;
    case 'postal_address':
      return `[x-postal-address:value = ${quote(value)}]`;
    case 'payment_card':
      return `[x-payment-card:value = ${quote(value)}]`;
    default:
      return stixPatternFor(type as IocType, value);
  }
}

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export interface ObservableForStix {
  id: string;
  type: string;
  value: string;
  display: string;
  tlp: TlpLabel;
  confidence: number | null;
  firstSeen: string;
  lastSeen: string;
  expiresAt: string | null;
  createdAt: string;
  updatedAt: string;
  tags: string[];
}

/** An indicator for an observable; a CVE becomes a vulnerability. */
export function indicatorFor(o: ObservableForStix, identityId: string): StixObject | null {
  const common = {
    spec_version: '2.1',
    created: o.createdAt,
    // biome-ignore lint/complexity/useMathMinMax: ISO timestamps are strings; Math.max would give NaN
    modified: o.updatedAt < o.createdAt ? o.createdAt : o.updatedAt,
    created_by_ref: identityId,
    object_marking_refs: [TLP2_IDS[o.tlp]],
  };
  if (o.type === 'cve') {
    return {
      type: 'vulnerability',
      id: stixIdOf('vulnerability', 'observable', o.id),
      ...common,
      name: o.value,
      external_references: [{ source_name: 'cve', external_id: o.value }],
    };
  }
  const pattern = patternFor(o.type, o.value);
  if (!pattern) return null;
  const out: StixObject = {
    type: 'indicator',
    id: stixIdOf('indicator', 'observable', o.id),
    ...common,
    name: o.display,
    indicator_types: ['malicious-activity'],
    pattern,
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: o.firstSeen,
  };
  if (o.expiresAt && o.expiresAt > o.firstSeen) out.valid_until = o.expiresAt;
  if (o.confidence !== null) out.confidence = Math.max(0, Math.min(100, o.confidence));
  if (o.tags.length > 0) out.labels = o.tags;
  return out;
}

const ENTITY_TYPES: Record<string, string> = {
  campaign: 'campaign',
  actor: 'threat-actor',
  malware: 'malware',
  ransomware: 'malware',
};

export function entityObject(
  e: {
    id: string;
    kind: string;
    name: string;
    aliases: string[];
    description: string;
    tlp: TlpLabel;
    createdAt: string;
    updatedAt: string;
  },
  identityId: string,
): StixObject | null {
  const type = ENTITY_TYPES[e.kind];
  if (!type) return null;
  const out: StixObject = {
    type,
    spec_version: '2.1',
    id: stixIdOf(type, 'intel_entity', e.id),
    created: e.createdAt,
    // biome-ignore lint/complexity/useMathMinMax: ISO timestamps are strings; Math.max would give NaN
    modified: e.updatedAt < e.createdAt ? e.createdAt : e.updatedAt,
    created_by_ref: identityId,
    name: e.name,
    object_marking_refs: [TLP2_IDS[e.tlp]],
  };
  if (e.description) out.description = e.description;
  if (e.aliases.length > 0) out.aliases = e.aliases;
  if (type === 'malware') {
    out.is_family = true;
    if (e.kind === 'ransomware') out.malware_types = ['ransomware'];
  }
  return out;
}

export function relationshipObject(
  source: string,
  kind: string,
  target: string,
  created: string,
  tlp: TlpLabel,
  identityId: string,
): StixObject {
  return {
    type: 'relationship',
    spec_version: '2.1',
    id: `relationship--${uuidv5(RENKEI_NAMESPACE, `${source}|${kind}|${target}`)}`,
    created,
    modified: created,
    created_by_ref: identityId,
    relationship_type: kind,
    source_ref: source,
    target_ref: target,
    object_marking_refs: [TLP2_IDS[tlp]],
  };
}

export function sightingObject(
  indicatorId: string,
  s: { firstSeen: string; lastSeen: string; count: number },
  tlp: TlpLabel,
  identityId: string,
  created: string,
): StixObject {
  return {
    type: 'sighting',
    spec_version: '2.1',
    id: `sighting--${uuidv5(RENKEI_NAMESPACE, `sighting|${indicatorId}`)}`,
    created,
    modified: created,
    created_by_ref: identityId,
    sighting_of_ref: indicatorId,
    where_sighted_refs: [identityId],
    first_seen: s.firstSeen,
    // biome-ignore lint/complexity/useMathMinMax: ISO timestamps are strings; Math.max would give NaN
    last_seen: s.lastSeen < s.firstSeen ? s.firstSeen : s.lastSeen,
    count: Math.min(999_999_999, Math.max(0, s.count)),
    object_marking_refs: [TLP2_IDS[tlp]],
  };
}

/**
 * Our 格付 (機密性) as STIX statement markings, deterministic ids (ADR 0021): an object of 機密性2 leaves with the
 * 機密性2 marking beside its TLP; 機密性3 never leaves, but a partner's bundle may carry it and we read it back.
 */
export const CONFIDENTIALITY_MARKING_IDS: Record<2 | 3, string> = {
  2: `marking-definition--${uuidv5(RENKEI_NAMESPACE, 'confidentiality:2')}`,
  3: `marking-definition--${uuidv5(RENKEI_NAMESPACE, 'confidentiality:3')}`,
};
const CONFIDENTIALITY_STATEMENTS: Record<2 | 3, string> = {
  2: '格付: 機密性2（取扱注意）— 公的機関（警察庁・都道府県警察・協定のある JC3）限り / Confidentiality 2: official bodies only',
  3: '格付: 機密性3（秘）— 再提供禁止 / Confidentiality 3: do not disseminate',
};

export function confidentialityMarking(level: 2 | 3): StixObject {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: CONFIDENTIALITY_MARKING_IDS[level],
    created: '2024-04-01T00:00:00.000Z',
    name: `機密性${level}`,
    definition_type: 'statement',
    definition: { statement: CONFIDENTIALITY_STATEMENTS[level] },
  };
}

/** The 格付 an object's markings carry (our statement markings), 1 when none. */
export function confidentialityOfObject(o: StixObject): 1 | 2 | 3 {
  const refs = Array.isArray(o.object_marking_refs) ? (o.object_marking_refs as unknown[]) : [];
  if (refs.includes(CONFIDENTIALITY_MARKING_IDS[3])) return 3;
  if (refs.includes(CONFIDENTIALITY_MARKING_IDS[2])) return 2;
  return 1;
}
