import type { Rule } from '../../platform/auth/policy.ts';
import { type Role, type Subject, hasRole } from '../../platform/auth/subject.ts';

/** Who reads indicators: the content roles that work with them. Admin and auditor do not (deny by default). */
const READERS: readonly Role[] = ['cyber_analyst', 'investigator', 'station_officer', 'csirt', 'viewer'];
const WRITERS: readonly Role[] = ['cyber_analyst', 'investigator', 'csirt'];
const IMPORTERS: readonly Role[] = ['cyber_analyst', 'csirt'];

/**
 * Indicators come from investigations and partners' feeds (TLP:AMBER by default) and are handled as 機密性2:
 * a person cleared only for 機密性1 reads none of them, whatever his role.
 */
const INTEL_CLEARANCE = 2;

const any =
  (roles: readonly Role[]): Rule =>
  (s) =>
    s.clearance >= INTEL_CLEARANCE && roles.some((r) => hasRole(s, r));

export function isIntelReader(s: Subject): boolean {
  return s.clearance >= INTEL_CLEARANCE && READERS.some((r) => hasRole(s, r));
}

export const intelRules: Record<string, Rule> = {
  /** Look-up, lists, graph, campaigns: what the reader may see of each place is decided per place type. */
  'intel.read': any(READERS),
  /** Tags, roles of occurrences, links to campaigns, campaigns/actors/families. */
  'intel.write': any(WRITERS),
  /** Bulk import of indicator feeds. */
  'intel.import': any(IMPORTERS),
  /** Warning lists (editable vocabulary of very common values). */
  'intel.manage': any(['cyber_analyst']),
  /** The prefix → ASN table is reference data, not contents: the admin may load it too. */
  'intel.asn': (s) => hasRole(s, 'admin') || hasRole(s, 'cyber_analyst'),
};
