/** The roles of issue 2. Stored as a vocabulary table; these codes are what policies refer to. */
export const ROLES = [
  'admin',
  'cyber_analyst',
  'investigator',
  'station_officer',
  'csirt',
  'hr',
  'outreach',
  'auditor',
  'viewer',
] as const;
export type Role = (typeof ROLES)[number];

export function isRole(v: string): v is Role {
  return (ROLES as readonly string[]).includes(v);
}

/** 機密性 level of a record, or the highest one a person is cleared for. */
export type Confidentiality = 1 | 2 | 3;

/** Who is asking: the attributes every policy decision is made from. */
export interface Subject {
  userId: string;
  login: string;
  name: string;
  unitId: string;
  /** The unit and its ancestors, nearest first. */
  unitPath: string[];
  positionRank: number | null;
  isUnitHead: boolean;
  roles: ReadonlySet<Role>;
  groups: ReadonlySet<string>;
  clearance: Confidentiality;
  via: 'session' | 'token';
  tokenId: string | null;
}

export function hasRole(s: Subject, role: Role): boolean {
  return s.roles.has(role);
}
