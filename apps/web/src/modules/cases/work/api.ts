import { ApiError, api } from '../../../api/client';
import { csrfHeader } from '../../intel/csrf';

export interface SupportClock {
  workingMs: number;
  elapsedMs: number;
  budgetMs: number;
  dueAt: string;
  overdue: boolean;
  running: boolean;
}

export interface SupportRequest {
  id: string;
  caseId: string | null;
  caseNumber: string | null;
  reportId: string | null;
  fromUnit: { id: string; name: string };
  toUnit: { id: string; name: string };
  requestedBy: { id: string; name: string };
  kind: string;
  kindLabel: string;
  urgency: string;
  summary: string;
  details: string;
  status: string;
  requestedAt: string;
  decidedAt: string | null;
  assignee: { id: string; name: string } | null;
  reason: string | null;
  escalatedAt: string | null;
  clock: SupportClock;
}

export interface Workload {
  byStatus: Record<string, number>;
  waiting: number;
  overdue: number;
  byAssignee: { id: string; name: string; open: number }[];
  last90Days: { decided: number; medianWorkingMsToDecision: number | null; decidedLate: number };
}

export interface Evidence {
  id: string;
  caseId: string;
  parentId: string | null;
  storage: 'store' | 'forensic';
  itemNumber: string | null;
  title: string;
  description: string;
  originalName: string | null;
  size: number | null;
  hashes: { sha256: string; sha1: string | null; md5: string | null };
  location: string | null;
  custodyState: string;
  custodyEvents: number;
  downloadable: boolean;
  createdAt: string;
}

export interface CustodyEvent {
  seq: number;
  action: string;
  at: string;
  actorName: string;
  location: string;
  reason: string;
  counterpart: string | null;
  hash: string;
}

export interface ChainVerdict {
  ok: boolean;
  events: number;
  firstBadSeq: number | null;
  reason: string | null;
}

export interface EvidenceDetail extends Evidence {
  custody: CustodyEvent[];
  chain: ChainVerdict;
  derived: { id: string; title: string }[];
  warrants: { id: string; kind: string; reference: string | null; status: string }[];
}

export interface CheckItem {
  item: string;
  done: boolean;
}

export interface Analysis {
  id: string;
  caseId: string;
  evidenceIds: string[];
  purpose: string;
  equipment: string[];
  tools: { name: string; version: string }[];
  checklist: CheckItem[];
  status: string;
  requestedByName: string | null;
  approverName: string | null;
  decisionNote: string | null;
  result: string | null;
  createdAt: string;
}

export interface Warrant {
  id: string;
  kind: string;
  kindLabel: string;
  reference: string | null;
  target: string;
  validUntil: string | null;
  daysLeft: number | null;
  status: string;
}

const base = (caseId: string) => `/api/cases/${encodeURIComponent(caseId)}`;

export const workApi = {
  support: (box: 'inbox' | 'outbox', status?: string) =>
    api.get<{ items: SupportRequest[] }>('/api/support-requests', { box, status }),
  supportForCase: (caseId: string) => api.get<{ items: SupportRequest[] }>(`/api/support-requests/by-case/${caseId}`),
  requestSupport: (body: { caseId: string; kind: string; urgency: string; summary: string; details?: string }) =>
    api.post<SupportRequest>('/api/support-requests', body),
  accept: (id: string) => api.post<SupportRequest>(`/api/support-requests/${id}/accept`, {}),
  decline: (id: string, reason: string) => api.post<SupportRequest>(`/api/support-requests/${id}/decline`, { reason }),
  handBack: (id: string, reason: string) =>
    api.post<SupportRequest>(`/api/support-requests/${id}/hand-back`, { reason }),
  complete: (id: string) => api.post<SupportRequest>(`/api/support-requests/${id}/complete`, {}),
  workload: () => api.get<Workload>('/api/support-requests/workload'),

  evidence: (caseId: string) => api.get<{ items: Evidence[] }>(`${base(caseId)}/evidence`),
  evidenceItem: (caseId: string, id: string) => api.get<EvidenceDetail>(`${base(caseId)}/evidence/${id}`),
  verify: (caseId: string, id: string) => api.get<ChainVerdict>(`${base(caseId)}/evidence/${id}/verify`),
  downloadUrl: (caseId: string, id: string) => `${base(caseId)}/evidence/${id}/download`,
  async upload(
    caseId: string,
    item: { title: string; location: string; itemNumber?: string; parentId?: string },
    file: File,
  ) {
    const form = new FormData();
    form.append('item', JSON.stringify(item));
    form.append('file', file, file.name);
    const res = await fetch(`${base(caseId)}/evidence`, {
      method: 'POST',
      body: form,
      credentials: 'same-origin',
      headers: await csrfHeader(),
    });
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
      throw new ApiError(res.status, body.error?.code ?? `HTTP_${res.status}`, body.error?.message ?? res.statusText);
    }
    return (await res.json()) as Evidence;
  },
  register: (
    caseId: string,
    body: { title: string; location: string; sha256: string; md5?: string; sha1?: string; itemNumber?: string },
  ) => api.post<Evidence>(`${base(caseId)}/evidence/registered`, body),
  custody: (
    caseId: string,
    id: string,
    body: { action: string; location: string; reason: string; counterpart?: string },
  ) => api.post<CustodyEvent>(`${base(caseId)}/evidence/${id}/custody`, body),

  analyses: (caseId: string) => api.get<{ items: Analysis[] }>(`${base(caseId)}/analysis`),
  createAnalysis: (
    caseId: string,
    body: { evidenceIds: string[]; purpose: string; equipment: string[]; tools: { name: string; version: string }[] },
  ) => api.post<Analysis>(`${base(caseId)}/analysis`, body),
  updateAnalysis: (caseId: string, id: string, body: { checklist: CheckItem[] }) =>
    api.patch<Analysis>(`${base(caseId)}/analysis/${id}`, body),
  submitAnalysis: (caseId: string, id: string) => api.post<Analysis>(`${base(caseId)}/analysis/${id}/submit`, {}),
  approvals: () => api.get<{ items: Analysis[] }>('/api/cases/analysis-approvals'),
  decide: (caseId: string, id: string, decision: 'approve' | 'return', note?: string) =>
    api.post<Analysis>(`${base(caseId)}/analysis/${id}/decision`, { decision, note }),

  warrants: (caseId: string) => api.get<{ items: Warrant[] }>(`${base(caseId)}/warrants`),
};

/** Working time as "3時間05分" / "3h 05m". */
export function hm(ms: number, lang: string): string {
  const m = Math.floor(ms / 60_000);
  const h = Math.floor(m / 60);
  const mm = String(m % 60).padStart(2, '0');
  return lang === 'en' ? `${h}h ${mm}m` : `${h}時間${mm}分`;
}

export const jst = (iso: string | null) => {
  if (!iso) return '';
  const d = new Date(new Date(iso).getTime() + 9 * 3600_000);
  return `${d.getUTCFullYear()}/${d.getUTCMonth() + 1}/${d.getUTCDate()} ${d.getUTCHours()}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
};
