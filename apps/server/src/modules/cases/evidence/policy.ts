import { type Rule, hasContentRole } from '../../../platform/auth/policy.ts';
import { hasRole } from '../../../platform/auth/subject.ts';

/** Who works on cases at all; the case itself is checked per request through caseGate (need-to-know, 404). */
const caseStaff: Rule = (s) =>
  hasContentRole(s) &&
  (hasRole(s, 'cyber_analyst') || hasRole(s, 'investigator') || hasRole(s, 'station_officer') || hasRole(s, 'csirt'));

export const evidenceRules: Record<string, Rule> = {
  'case.evidence.read': caseStaff,
  'case.evidence.write': caseStaff,
  'case.analysis.decide': caseStaff,
};
