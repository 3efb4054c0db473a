import { AppError } from '../errors.ts';
import { type Confidentiality, type Role, type Subject, hasRole } from './subject.ts';

/** TLP 2.0 labels as stored. */
export type Tlp = 'clear' | 'green' | 'amber' | 'amber+strict' | 'red';

/** Attributes of the object a decision is about (all optional: a rule says which it needs). */
export interface ObjectAttributes {
  type: string;
  id?: string | null;
  ownerUnitId?: string | null;
  memberIds?: readonly string[];
  groupIds?: readonly string[];
  confidentiality?: Confidentiality;
  tlp?: Tlp;
  /** 取扱制限, e.g. 'members_only', '複製禁止'. */
  handling?: readonly string[];
  /** The account an administrative action is about (for self-administration checks). */
  subjectUserId?: string | null;
}

export type Rule = (subject: Subject, object: ObjectAttributes | undefined) => boolean;

/**
 * The one deny-by-default policy engine. Actions are registered with a rule; an action that is not
 * registered is refused. Modules register their actions from their own policy.ts.
 */
export class PolicyEngine {
  readonly #rules = new Map<string, Rule>();

  register(action: string, rule: Rule): void {
    if (this.#rules.has(action)) throw new Error(`policy for ${action} is registered twice`);
    this.#rules.set(action, rule);
  }

  registerAll(rules: Record<string, Rule>): void {
    for (const [action, rule] of Object.entries(rules)) this.register(action, rule);
  }

  has(action: string): boolean {
    return this.#rules.has(action);
  }

  actions(): string[] {
    return [...this.#rules.keys()].sort();
  }

  can(subject: Subject | null, action: string, object?: ObjectAttributes): boolean {
    if (!subject) return false;
    const rule = this.#rules.get(action);
    if (!rule) return false;
    try {
      return rule(subject, object) === true;
    } catch {
      return false;
    }
  }

  /** Throws FORBIDDEN (or NOT_FOUND when even existence must not be revealed). */
  assert(subject: Subject | null, action: string, object?: ObjectAttributes, hide = false): void {
    if (!this.can(subject, action, object)) throw new AppError(hide ? 'NOT_FOUND' : 'FORBIDDEN');
  }
}

/**
 * Need-to-know read rule for records that hold case or report contents. The admin role grants nothing
 * here: administrators manage accounts and vocabularies, not contents (issue 2).
 * - clearance must reach the record's 機密性;
 * - TLP:RED and the 'members_only' restriction admit members only;
 * - otherwise members, people of the owning unit, and members of a named need-to-know group.
 */
export const canReadRecord: Rule = (s, o) => {
  if (!o || !hasContentRole(s)) return false;
  if ((o.confidentiality ?? 1) > s.clearance) return false;
  if (o.memberIds?.includes(s.userId)) return true;
  if (o.tlp === 'red' || o.handling?.includes('members_only')) return false;
  if (o.ownerUnitId && o.ownerUnitId === s.unitId) return true;
  return o.groupIds?.some((g) => s.groups.has(g)) ?? false;
};

/** Roles whose holders work with contents; admin and auditor alone never read them. */
const CONTENT_ROLES: ReadonlySet<Role> = new Set<Role>([
  'cyber_analyst',
  'investigator',
  'station_officer',
  'csirt',
  'hr',
  'outreach',
  'viewer',
]);

export function hasContentRole(s: Subject): boolean {
  for (const r of s.roles) if (CONTENT_ROLES.has(r)) return true;
  return false;
}

/** Platform actions: organisation, accounts, tokens, audit. */
export const platformRules: Record<string, Rule> = {
  'organisation.read': (s) => hasRole(s, 'admin'),
  'organisation.manage': (s) => hasRole(s, 'admin'),
  'users.read': (s) => hasRole(s, 'admin'),
  'users.manage': (s, o) => hasRole(s, 'admin') && (o?.subjectUserId ?? null) !== s.userId,
  'users.create': (s) => hasRole(s, 'admin'),
  'tokens.manage': (s) => hasRole(s, 'admin'),
  'audit.read': (s) => hasRole(s, 'auditor'),
  'session.self': () => true,
  'record.read': canReadRecord,
};
