import type { ApiTokenTable, PositionTable, UnitTable } from '../../platform/db/types.ts';

/** The allow-list of fields that leave for each administrative record. */
export const presentUnit = (u: UnitTable) => ({
  id: u.id,
  code: u.code,
  name: u.name,
  nameKana: u.name_kana,
  kind: u.kind,
  parentId: u.parent_id,
  abbreviation: u.abbreviation,
  validFrom: u.valid_from,
  validTo: u.valid_to,
  sortOrder: u.sort_order,
});

export const presentPosition = (p: PositionTable) => ({
  id: p.id,
  code: p.code,
  name: p.name,
  nameEn: p.name_en,
  rank: p.rank,
  isHead: p.is_head === 1,
});

export const presentToken = (t: ApiTokenTable & { user_login: string }) => ({
  id: t.id,
  name: t.name,
  userId: t.user_id,
  userLogin: t.user_login,
  prefix: t.prefix,
  createdAt: t.created_at,
  expiresAt: t.expires_at,
  revokedAt: t.revoked_at,
  lastUsedAt: t.last_used_at,
});

export interface UserRow {
  id: string;
  login: string;
  name: string;
  name_kana: string;
  unit_id: string;
  unit_name: string;
  position_id: string | null;
  position_name: string | null;
  clearance: number;
  status: string;
  totp_enrolled_at: string | null;
  last_login_at: string | null;
  created_at: string;
  disabled_at: string | null;
}

export const presentUser = (u: UserRow, roles: string[], groupIds: string[]) => ({
  id: u.id,
  login: u.login,
  name: u.name,
  nameKana: u.name_kana,
  unitId: u.unit_id,
  unitName: u.unit_name,
  positionId: u.position_id,
  positionName: u.position_name,
  roles,
  groupIds,
  clearance: u.clearance,
  status: u.status,
  mfaEnrolled: u.totp_enrolled_at !== null,
  lastLoginAt: u.last_login_at,
  createdAt: u.created_at,
  disabledAt: u.disabled_at,
});
