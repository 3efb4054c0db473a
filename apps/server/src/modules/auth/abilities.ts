import type { PolicyEngine } from '../../platform/auth/policy.ts';
import type { Subject } from '../../platform/auth/subject.ts';

/**
 * What the web may offer the session (navigation, pages, buttons). Each ability is exactly one policy action, so the
 * rules stay in the policy engine (the modules' policy.ts) and the web never mirrors them; the server still checks
 * every call.
 */
export const abilityActions = {
  manageOrganisation: 'organisation.manage',
  manageUsers: 'users.create',
  manageTokens: 'tokens.manage',
  readAudit: 'audit.read',
  readIntel: 'intel.read',
  writeIntel: 'intel.write',
  importIntel: 'intel.import',
  readDetection: 'detection.read',
  huntDetection: 'detection.hunt',
  manageDetection: 'detection.manage',
  readSharing: 'sharing.read',
  manageTaxii: 'taxii.manage',
  readOutbox: 'outbox.read',
  readRequests: 'requests.read',
  writeRequests: 'requests.write',
} as const;

export type Abilities = Record<keyof typeof abilityActions, boolean>;

/** The session's abilities; none while TOTP enrolment is still owed. */
export function abilitiesOf(policy: PolicyEngine, subject: Subject, enrolling: boolean): Abilities {
  const out = {} as Abilities;
  for (const [ability, action] of Object.entries(abilityActions) as [keyof Abilities, string][]) {
    out[ability] = !enrolling && policy.can(subject, action);
  }
  return out;
}
