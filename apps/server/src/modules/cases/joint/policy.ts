import { type Rule, hasContentRole } from '../../../platform/auth/policy.ts';
import { hasRole } from '../../../platform/auth/subject.ts';

const caseStaff: Rule = (s) =>
  hasContentRole(s) &&
  (hasRole(s, 'cyber_analyst') || hasRole(s, 'investigator') || hasRole(s, 'station_officer') || hasRole(s, 'csirt'));

/** Route level; each case, request and report is checked per object (need-to-know, 404). */
export const jointRules: Record<string, Rule> = {
  'case.joint.read': caseStaff,
  'case.joint.write': caseStaff,
  'case.assistance.read': caseStaff,
  'case.assistance.write': caseStaff,
  'case.npa_report.read': (s) => hasContentRole(s) && hasRole(s, 'cyber_analyst'),
  'case.npa_report.write': (s) => hasContentRole(s) && hasRole(s, 'cyber_analyst'),
};
