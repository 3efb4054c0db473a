import { type Rule, hasContentRole } from '../../platform/auth/policy.ts';

/**
 * Route-level actions of the cases module: anyone with a content role may reach the routes; every case is then
 * checked per object by access.ts (members only, 404 for everyone else, refusals audited).
 */
export const casesRules: Record<string, Rule> = {
  'cases.read': (s) => hasContentRole(s),
  'cases.write': (s) => hasContentRole(s),
};
