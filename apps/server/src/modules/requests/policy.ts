import type { Rule } from '../../platform/auth/policy.ts';
import { hasRole } from '../../platform/auth/subject.ts';
import { isRequestStaff } from './access.ts';

/**
 * Route-level actions. Object-level need-to-know (the drafting unit, the linked case and report) is checked per
 * request by `requestVisible`; approval additionally needs the unit head (service).
 */
export const requestsRules: Record<string, Rule> = {
  'requests.read': (s) => isRequestStaff(s),
  'requests.write': (s) => isRequestStaff(s),
  'requests.recipients.manage': (s) => hasRole(s, 'cyber_analyst'),
};
