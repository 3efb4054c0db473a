import { describe, expect, it } from 'vitest';
import { type ObjectAttributes, PolicyEngine, canReadRecord, platformRules } from './policy.ts';
import type { Role, Subject } from './subject.ts';

const subject = (roles: Role[], extra: Partial<Subject> = {}): Subject => ({
  userId: 'u1',
  login: 'u1',
  name: 'x',
  unitId: 'cyber',
  unitPath: ['cyber', 'seian', 'hq'],
  positionRank: 6,
  isUnitHead: false,
  roles: new Set(roles),
  groups: new Set(),
  clearance: 2,
  via: 'session',
  tokenId: null,
  ...extra,
});
const caseRecord: ObjectAttributes = {
  type: 'case',
  ownerUnitId: 'cyber',
  memberIds: ['lead'],
  confidentiality: 2,
  tlp: 'amber',
};

describe('policy engine', () => {
  const engine = new PolicyEngine();
  engine.registerAll(platformRules);

  it('denies an action nobody registered, and nobody at all', () => {
    expect(engine.can(subject(['admin']), 'cases.delete_everything')).toBe(false);
    expect(engine.can(null, 'organisation.read')).toBe(false);
  });

  it('lets the admin manage accounts but never read contents, even of his own unit', () => {
    const admin = subject(['admin'], { clearance: 3 });
    expect(engine.can(admin, 'users.create')).toBe(true);
    expect(engine.can(admin, 'record.read', caseRecord)).toBe(false);
    expect(engine.can(admin, 'users.manage', { type: 'user', subjectUserId: 'u1' })).toBe(false);
  });

  it('lets the auditor read the audit log and nothing else', () => {
    const auditor = subject(['auditor'], { clearance: 3 });
    expect(engine.can(auditor, 'audit.read')).toBe(true);
    expect(engine.can(auditor, 'users.read')).toBe(false);
    expect(engine.can(auditor, 'record.read', caseRecord)).toBe(false);
  });

  it('applies need-to-know: unit, membership, groups, clearance, TLP:RED and members-only', () => {
    const inv = subject(['investigator']);
    expect(canReadRecord(inv, caseRecord)).toBe(true);
    expect(canReadRecord(subject(['investigator'], { unitId: 'station' }), caseRecord)).toBe(false);
    expect(canReadRecord(subject(['investigator'], { unitId: 'station', userId: 'lead' }), caseRecord)).toBe(true);
    expect(canReadRecord(subject(['investigator'], { clearance: 1 }), caseRecord)).toBe(false);
    expect(canReadRecord(inv, { ...caseRecord, tlp: 'red' })).toBe(false);
    expect(canReadRecord(subject(['investigator'], { userId: 'lead' }), { ...caseRecord, tlp: 'red' })).toBe(true);
    expect(canReadRecord(inv, { ...caseRecord, handling: ['members_only'] })).toBe(false);
    const grouped = { ...caseRecord, ownerUnitId: 'other', groupIds: ['g-ransom'] };
    expect(canReadRecord(inv, grouped)).toBe(false);
    expect(canReadRecord(subject(['investigator'], { groups: new Set(['g-ransom']) }), grouped)).toBe(true);
  });

  it('refuses rather than throws when a rule fails', () => {
    const e = new PolicyEngine();
    e.register('boom', () => {
      throw new Error('bug');
    });
    expect(e.can(subject(['admin']), 'boom')).toBe(false);
    expect(() => e.register('boom', () => true)).toThrow(/twice/);
  });
});
