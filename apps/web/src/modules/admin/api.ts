import { api } from '../../api/client';
import type { Items, Page } from '../../api/types';

export const unitKinds = ['headquarters', 'bureau', 'division', 'station', 'office'] as const;
export type UnitKind = (typeof unitKinds)[number];

export interface Unit {
  id: string;
  code: string;
  name: string;
  nameKana: string | null;
  kind: UnitKind;
  parentId: string | null;
  abbreviation: string | null;
  validFrom: string | null;
  validTo: string | null;
  sortOrder: number | null;
}

export interface UnitInput {
  code: string;
  name: string;
  nameKana?: string;
  kind: UnitKind;
  parentId?: string | null;
  abbreviation?: string | null;
  validFrom?: string;
  validTo?: string | null;
  sortOrder?: number;
}

export interface Position {
  id: string;
  code: string;
  name: string;
  /** English name (the server's addition to docs/api/platform.md); may be empty. */
  nameEn?: string;
  rank: number;
  isHead: boolean;
}

export type PositionInput = Omit<Position, 'id'>;

export interface Role {
  code: string;
  nameJa: string;
  nameEn: string;
  description: string;
}

export interface Group {
  id: string;
  name: string;
  description: string | null;
}

export interface AdminUser {
  id: string;
  login: string;
  name: string;
  nameKana: string;
  unitId: string;
  unitName: string;
  positionId: string | null;
  positionName: string | null;
  roles: string[];
  groupIds: string[];
  clearance: number;
  status: 'active' | 'disabled';
  mfaEnrolled: boolean;
  lastLoginAt: string | null;
  createdAt: string;
  disabledAt: string | null;
}

export interface UserInput {
  login?: string;
  name: string;
  nameKana: string;
  unitId: string;
  positionId?: string | null;
  roles: string[];
  groupIds: string[];
  clearance: number;
}

export interface UserFilters {
  q?: string;
  unitId?: string;
  status?: 'active' | 'disabled' | '';
}

export interface ApiToken {
  id: string;
  name: string;
  userId: string;
  userLogin: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export const adminApi = {
  units: (includeRetired: boolean) => api.get<Items<Unit>>('/api/admin/units', { includeRetired }),
  createUnit: (input: UnitInput) => api.post<Unit>('/api/admin/units', input),
  updateUnit: (id: string, input: Partial<UnitInput>) => api.patch<Unit>(`/api/admin/units/${id}`, input),

  positions: () => api.get<Items<Position>>('/api/admin/positions'),
  createPosition: (input: PositionInput) => api.post<Position>('/api/admin/positions', input),
  updatePosition: (id: string, input: Partial<PositionInput>) =>
    api.patch<Position>(`/api/admin/positions/${id}`, input),

  roles: () => api.get<Items<Role>>('/api/admin/roles'),
  groups: () => api.get<Items<Group>>('/api/admin/groups'),

  users: (filters: UserFilters, cursor: string | null, limit = 50) =>
    api.get<Page<AdminUser>>('/api/admin/users', { ...filters, cursor, limit }),
  createUser: (input: UserInput) => api.post<{ user: AdminUser; initialPassword: string }>('/api/admin/users', input),
  updateUser: (id: string, input: Partial<UserInput>) => api.patch<AdminUser>(`/api/admin/users/${id}`, input),
  disableUser: (id: string, reason: string) => api.post<AdminUser>(`/api/admin/users/${id}/disable`, { reason }),
  enableUser: (id: string) => api.post<AdminUser>(`/api/admin/users/${id}/enable`),
  resetPassword: (id: string) => api.post<{ initialPassword: string }>(`/api/admin/users/${id}/reset-password`),
  resetMfa: (id: string) => api.post<AdminUser>(`/api/admin/users/${id}/reset-mfa`),

  tokens: (userId?: string) => api.get<Items<ApiToken>>('/api/admin/tokens', { userId }),
  createToken: (input: { userId: string; name: string; expiresInDays: number }) =>
    api.post<ApiToken & { token: string }>('/api/admin/tokens', input),
  revokeToken: (id: string) => api.post<ApiToken>(`/api/admin/tokens/${id}/revoke`),
};
