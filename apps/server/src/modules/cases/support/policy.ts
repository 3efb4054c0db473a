import { type Rule, hasContentRole } from '../../../platform/auth/policy.ts';
import { hasRole } from '../../../platform/auth/subject.ts';

/** Staff who ask for or give support; per request the asked unit, the requester and the case members are checked. */
const staff: Rule = (s) =>
  hasContentRole(s) &&
  (hasRole(s, 'cyber_analyst') || hasRole(s, 'investigator') || hasRole(s, 'station_officer') || hasRole(s, 'csirt'));

export const supportRules: Record<string, Rule> = {
  'case.support.read': staff,
  'case.support.write': staff,
};
