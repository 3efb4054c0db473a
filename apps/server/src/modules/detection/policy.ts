import type { Rule } from '../../platform/auth/policy.ts';
import { type Role, type Subject, hasRole } from '../../platform/auth/subject.ts';

/** Indicators are handled as 機密性2 (as in intel): lower clearances read nothing here. */
const CLEARANCE = 2;
const READERS: readonly Role[] = ['cyber_analyst', 'investigator', 'csirt', 'viewer'];
const HUNTERS: readonly Role[] = ['cyber_analyst', 'investigator', 'csirt'];
const MANAGERS: readonly Role[] = ['cyber_analyst'];

const any =
  (roles: readonly Role[]): Rule =>
  (s: Subject) =>
    s.clearance >= CLEARANCE && roles.some((r) => hasRole(s, r));

export function isDetectionReader(s: Subject): boolean {
  return s.clearance >= CLEARANCE && READERS.some((r) => hasRole(s, r));
}

export const detectionRules: Record<string, Rule> = {
  /** Feeds with their health and error history, retention policies. */
  'detection.read': any(READERS),
  /** Configure feeds, collect now. */
  'detection.manage': any(MANAGERS),
  /** Hunt uploaded logs against the indicators (optionally recording sightings). */
  'detection.hunt': any(HUNTERS),
  /** Change retention policies and run the purge: deletes data, so only the analysts who own the feeds. */
  'detection.retention': any(MANAGERS),
};
