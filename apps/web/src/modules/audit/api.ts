import { api, withQuery } from '../../api/client';
import type { Page } from '../../api/types';
import { dayToIso } from '../../format';

export const auditResults = ['success', 'denied', 'failure'] as const;
export type AuditResult = (typeof auditResults)[number];

export interface AuditEntry {
  seq: number;
  at: string;
  actorId: string | null;
  actorLogin: string | null;
  actorUnitId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  result: AuditResult;
  clientIp: string | null;
  details: unknown;
}

/** The filter form's values: days are YYYY-MM-DD in Japan. */
export interface AuditFilters {
  actor: string;
  action: string;
  result: AuditResult | '';
  targetType: string;
  targetId: string;
  fromDay: string;
  toDay: string;
}

export const emptyAuditFilters: AuditFilters = {
  actor: '',
  action: '',
  result: '',
  targetType: '',
  targetId: '',
  fromDay: '',
  toDay: '',
};

export function auditQuery(filters: AuditFilters) {
  return {
    actor: filters.actor.trim(),
    action: filters.action.trim(),
    result: filters.result,
    targetType: filters.targetType.trim(),
    targetId: filters.targetId.trim(),
    from: dayToIso(filters.fromDay, 'start'),
    to: dayToIso(filters.toDay, 'end'),
  };
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBad: { seq: number; reason: string } | null;
}

export const auditApi = {
  list: (filters: AuditFilters, cursor: string | null) =>
    api.get<Page<AuditEntry>>('/api/audit', { ...auditQuery(filters), cursor, limit: 50 }),
  exportUrl: (filters: AuditFilters) => withQuery('/api/audit/export.csv', auditQuery(filters)),
  verify: () => api.get<VerifyResult>('/api/audit/verify'),
};
