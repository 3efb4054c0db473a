// Shapes from docs/api/platform.md (the OpenAPI document at /api/openapi.json is the reference).

export type Stage = 'password_change' | 'mfa_enrol' | 'mfa_verify' | 'ok';

export interface SessionUser {
  id: string;
  login: string;
  name: string;
  nameKana: string;
  unit: { id: string; name: string };
  position: { id: string; name: string } | null;
  roles: string[];
  clearance: number;
}

/** From /api/auth/me: each is one server policy action (apps/server/src/modules/auth/abilities.ts). */
export interface Abilities {
  manageOrganisation: boolean;
  manageUsers: boolean;
  manageTokens: boolean;
  readAudit: boolean;
  readIntel: boolean;
  writeIntel: boolean;
  importIntel: boolean;
  readDetection: boolean;
  huntDetection: boolean;
  manageDetection: boolean;
  readSharing: boolean;
  manageTaxii: boolean;
  readOutbox: boolean;
  readRequests: boolean;
  writeRequests: boolean;
}

export interface Me {
  stage: Stage;
  csrfToken: string;
  user: SessionUser;
  abilities: Abilities;
}

export interface LoginResponse {
  stage: Stage;
  csrfToken: string;
  user: SessionUser;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Items<T> {
  items: T[];
}
