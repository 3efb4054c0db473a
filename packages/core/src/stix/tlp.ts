// TLP 2.0 and PAP: our vocabularies ↔ STIX marking definitions and MISP taxonomy tags.

/** TLP 2.0 levels as Renkei stores them (apps/server intel vocab.ts), least to most restrictive. */
export const TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type TlpLevel = (typeof TLP_LEVELS)[number];

/** PAP (Permissible Actions Protocol) levels, least to most restrictive. */
export const PAP_LEVELS = ['clear', 'green', 'amber', 'red'] as const;
export type PapLevel = (typeof PAP_LEVELS)[number];

/** The most restrictive of some TLP levels (`red` over `amber+strict` over …); null for none. */
export function strictestTlp(levels: Iterable<TlpLevel>): TlpLevel | null {
  let best = -1;
  for (const level of levels) best = Math.max(best, TLP_LEVELS.indexOf(level));
  return best < 0 ? null : TLP_LEVELS[best]!;
}

export function strictestPap(levels: Iterable<PapLevel>): PapLevel | null {
  let best = -1;
  for (const level of levels) best = Math.max(best, PAP_LEVELS.indexOf(level));
  return best < 0 ? null : PAP_LEVELS[best]!;
}

/** The OASIS TLP 2.0 extension definition (cti-stix-common-objects, tlp-2.0). */
export const TLP2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

/** The published ids of the TLP 2.0 marking definitions. */
export const TLP2_MARKING_IDS: Record<TlpLevel, string> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

/** The TLP 1.0 marking definitions predefined by STIX 2.1 §7.2.1.4 (white is TLP 2.0 clear). */
export const TLP1_MARKING_IDS: Record<'white' | 'green' | 'amber' | 'red', string> = {
  white: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  green: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
  amber: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  red: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
};

/** The TLP 2.0 marking-definition object to put in a bundle that references `TLP2_MARKING_IDS[level]`. */
export function tlpMarkingDefinition(level: TlpLevel): Record<string, unknown> {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP2_MARKING_IDS[level],
    created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${level.toUpperCase()}`,
    extensions: { [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: level } },
  };
}

/** The TLP level of a marking-definition id (TLP 2.0 or the TLP 1.0 ones STIX predefines); null for others. */
export function tlpOfMarkingId(id: string): TlpLevel | null {
  for (const level of TLP_LEVELS) if (TLP2_MARKING_IDS[level] === id) return level;
  if (id === TLP1_MARKING_IDS.white) return 'clear';
  if (id === TLP1_MARKING_IDS.green) return 'green';
  if (id === TLP1_MARKING_IDS.amber) return 'amber';
  if (id === TLP1_MARKING_IDS.red) return 'red';
  return null;
}

/**
 * The TLP a marking-definition object carries: a known id, the TLP 2.0 extension, or a 2.1 `definition_type: tlp`
 * with `definition.tlp`. Null when it is not a TLP marking (a statement, a custom marking).
 */
export function tlpOfMarking(marking: Record<string, unknown>): TlpLevel | null {
  if (typeof marking.id === 'string') {
    const known = tlpOfMarkingId(marking.id);
    if (known) return known;
  }
  const extensions = marking.extensions as Record<string, { tlp_2_0?: unknown }> | undefined;
  const ext = extensions?.[TLP2_EXTENSION_ID]?.tlp_2_0;
  if (typeof ext === 'string') return tlpFromName(ext);
  const definition = marking.definition as { tlp?: unknown } | undefined;
  if (marking.definition_type === 'tlp' && typeof definition?.tlp === 'string') return tlpFromName(definition.tlp);
  return null;
}

/** `amber+strict`, `TLP:AMBER`, `white` (→ clear) → a level; null for anything else. */
export function tlpFromName(name: string): TlpLevel | null {
  const n = name.trim().toLowerCase().replace(/^tlp:/, '');
  if (n === 'white') return 'clear';
  return (TLP_LEVELS as readonly string[]).includes(n) ? (n as TlpLevel) : null;
}

/** MISP taxonomy tag for a TLP level: `tlp:amber+strict` (the `tlp` taxonomy of MISP, TLP 2.0 values). */
export function tlpTag(level: TlpLevel): string {
  return `tlp:${level}`;
}

/** MISP taxonomy tag for a PAP level: `PAP:AMBER`. */
export function papTag(level: PapLevel): string {
  return `PAP:${level.toUpperCase()}`;
}

/**
 * The TLP and PAP of a list of MISP tags (event or attribute `Tag[].name`), the most restrictive when several.
 * `tlp:white` reads as clear, `PAP:WHITE` as clear; `tlp:ex:chr` and `tlp:unclear` carry no level and are ignored,
 * as are other taxonomies. Case-insensitive, quotes around the value tolerated (`tlp:"amber"`).
 */
export function tlpPapFromTags(tags: Iterable<string>): { tlp: TlpLevel | null; pap: PapLevel | null } {
  const tlps: TlpLevel[] = [];
  const paps: PapLevel[] = [];
  for (const tag of tags) {
    const m = /^\s*(tlp|pap)\s*:\s*"?([^"]+?)"?\s*$/i.exec(tag);
    if (!m) continue;
    const value = m[2]!.toLowerCase();
    if (m[1]!.toLowerCase() === 'tlp') {
      const level = tlpFromName(value);
      if (level) tlps.push(level);
    } else {
      const level = value === 'white' ? 'clear' : value;
      if ((PAP_LEVELS as readonly string[]).includes(level)) paps.push(level as PapLevel);
    }
  }
  return { tlp: strictestTlp(tlps), pap: strictestPap(paps) };
}
