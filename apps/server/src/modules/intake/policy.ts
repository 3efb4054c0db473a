import { hasContentRole, type Rule } from '../../platform/auth/policy.ts';
import { hasRole } from '../../platform/auth/subject.ts';
import { isIntakeStaff } from './access.ts';

const staff: Rule = (s) => isIntakeStaff(s) && hasContentRole(s);

/**
 * Route-level actions of the intake module. Object-level need-to-know (handling unit, cyber division, members) is
 * checked per report by `canReadReport` / `reportVisible` in access.ts.
 */
export const intakeRules: Record<string, Rule> = {
  'intake.read': staff,
  'intake.write': staff,
  'intake.routing.manage': (s) => hasRole(s, 'cyber_analyst'),
};
