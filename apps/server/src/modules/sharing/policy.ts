import type { Rule } from '../../platform/auth/policy.ts';
import { type Role, hasRole } from '../../platform/auth/subject.ts';

/** Sharing handles indicators (機密性2 for readers, as intel does): clearance 2 and a role that works with them. */
const any =
  (roles: readonly Role[]): Rule =>
  (s) =>
    s.clearance >= 2 && roles.some((r) => hasRole(s, r));

export const sharingRules: Record<string, Rule> = {
  /** Partners list, previews of what an export would send and withhold. */
  'sharing.read': any(['cyber_analyst', 'investigator', 'csirt']),
  /** Partner organisations (create, change, disable). */
  'sharing.manage': (s) => hasRole(s, 'admin') || any(['cyber_analyst'])(s, undefined),
  /** Tokens for partners' machine accounts: the administrator, like every other token. */
  'sharing.tokens': (s) => hasRole(s, 'admin'),
  /** Pushes: STIX bundles, MISP feeds, phishing URL lists for a partner or the public. */
  'sharing.export': any(['cyber_analyst', 'csirt']),
  /** Pulls: STIX bundles and MISP events from partners. */
  'sharing.import': any(['cyber_analyst', 'csirt']),
  /** Release markings (格付, named recipients) on indicators and campaigns. */
  'sharing.release': any(['cyber_analyst']),
};
