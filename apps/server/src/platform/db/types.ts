import type { Generated } from 'kysely';

/**
 * Table types. Portable rules (docs/adr/0002-two-databases.md): text UUID keys, ISO-8601 UTC text
 * timestamps set by the application, 0/1 integers for booleans, JSON as text.
 */
export interface UnitTable {
  id: string;
  code: string;
  name: string;
  name_kana: string;
  kind: string;
  parent_id: string | null;
  abbreviation: string | null;
  valid_from: string;
  valid_to: string | null;
  sort_order: number;
  created_at: string;
  updated_at: string;
}

export interface PositionTable {
  id: string;
  code: string;
  name: string;
  name_en: string;
  rank: number;
  is_head: number;
  created_at: string;
}

export interface RoleTable {
  code: string;
  name_ja: string;
  name_en: string;
  description: string;
}

export interface GroupTable {
  id: string;
  name: string;
  description: string;
  created_at: string;
}

export interface UserTable {
  id: string;
  login: string;
  name: string;
  name_kana: string;
  email: string | null;
  unit_id: string;
  position_id: string | null;
  clearance: number;
  status: string;
  password_hash: string | null;
  must_change_password: number;
  totp_secret_enc: string | null;
  totp_pending_enc: string | null;
  totp_enrolled_at: string | null;
  /** The last TOTP time step accepted: a code is never accepted twice. */
  totp_last_step: number | null;
  failed_logins: number;
  locked_until: string | null;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
  disabled_at: string | null;
  disabled_reason: string | null;
}

export interface UserRoleTable {
  user_id: string;
  role: string;
}

export interface UserGroupTable {
  user_id: string;
  group_id: string;
}

export interface RecoveryCodeTable {
  id: string;
  user_id: string;
  code_hash: string;
  used_at: string | null;
}

export interface SessionTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  stage: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  client_ip: string | null;
  user_agent: string | null;
}

export interface ApiTokenTable {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  token_hash: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  created_by: string | null;
}

export interface AuditLogTable {
  /** Global order for listing; assigned by the database. */
  seq: Generated<number>;
  /** The hash chain ("lane") this record belongs to, and its position in it (docs/adr/0002). */
  lane: number;
  lane_seq: number;
  at: string;
  actor_id: string | null;
  actor_login: string | null;
  actor_unit_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  result: string;
  client_ip: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

export interface AuditCheckpointTable {
  id: Generated<number>;
  /** Every record with seq ≤ upto_seq is archived; per lane, the chain continues from upto_hash. */
  upto_seq: number;
  lane: number;
  upto_lane_seq: number;
  upto_hash: string;
  row_count: number;
  archive_sha256: string;
  archive_name: string;
  created_at: string;
  created_by: string | null;
}

export interface SettingTable {
  key: string;
  value: string;
}

export interface Database {
  units: UnitTable;
  positions: PositionTable;
  roles: RoleTable;
  groups: GroupTable;
  users: UserTable;
  user_roles: UserRoleTable;
  user_groups: UserGroupTable;
  recovery_codes: RecoveryCodeTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  audit_log: AuditLogTable;
  audit_checkpoints: AuditCheckpointTable;
  settings: SettingTable;
}
