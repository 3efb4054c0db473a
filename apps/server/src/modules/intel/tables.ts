import type { Generated } from 'kysely';

/** Table types of the intel module (migration 0005_intel). */
export interface IntelSourceTable {
  id: string;
  name: string;
  kind: string;
  reliability: string | null;
  created_at: string;
  created_by: string | null;
}

export interface ObservableTable {
  num: Generated<number>;
  id: string;
  type: string;
  value: string;
  display: string;
  tlp: string;
  pap: string | null;
  confidence: number | null;
  reliability: string | null;
  first_seen: string;
  last_seen: string;
  expires_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ObservablePlaceTable {
  num: Generated<number>;
  place_type: string;
  place_id: string;
}

export interface ObservableOccurrenceTable {
  observable_num: number;
  place_num: number;
  role: string;
  role_decided_by: string | null;
  role_decided_at: string | null;
  /** Epoch seconds (migration 0007): this table grows to tens of millions of rows. */
  first_seen: number;
  last_seen: number;
  seen_count: number;
  source_id: string | null;
  reason: string | null;
}

export interface ObservableCountTable {
  observable_num: number;
  place_type: string;
  n: number;
}

export interface ObservableLinkTable {
  from_num: number;
  to_num: number;
  kind: string;
}

export interface ObservableTagTable {
  observable_num: number;
  tag: string;
}

export interface WarningListTable {
  id: string;
  code: string;
  name: string;
  description: string;
  enabled: number;
  created_at: string;
  updated_at: string;
}

export interface WarningListEntryTable {
  list_id: string;
  type: string;
  value: string;
}

export interface AsnPrefixTable {
  family: number;
  prefix_len: number;
  network: string;
  asn: string;
  name: string;
}

export interface IntelEntityTable {
  id: string;
  kind: string;
  name: string;
  aliases: string;
  description: string;
  tlp: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface IntelEntityLinkTable {
  entity_id: string;
  place_type: string;
  place_id: string;
  reason: string;
  created_by: string | null;
  created_at: string;
}

export interface IntelSharingRuleTable {
  type: string;
  role: string;
  recipient_kind: string;
  legal_basis: string;
}

declare module '../../platform/db/types.ts' {
  interface Database {
    intel_sources: IntelSourceTable;
    observables: ObservableTable;
    observable_places: ObservablePlaceTable;
    observable_occurrences: ObservableOccurrenceTable;
    observable_counts: ObservableCountTable;
    observable_links: ObservableLinkTable;
    observable_tags: ObservableTagTable;
    warning_lists: WarningListTable;
    warning_list_entries: WarningListEntryTable;
    asn_prefixes: AsnPrefixTable;
    intel_entities: IntelEntityTable;
    intel_entity_links: IntelEntityLinkTable;
    intel_sharing_rules: IntelSharingRuleTable;
  }
}
