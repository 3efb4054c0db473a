import { ApiError, api } from '../../../api/client';
import { csrfHeader } from '../../intel/csrf';

export interface VictimCheck {
  code: string;
  phase: 'preserve' | 'recover';
  label: string;
  done: boolean;
  doneAt: string | null;
}

export interface VictimFields {
  incidentType: 'ransomware' | 'ddos' | 'other';
  currentState?: 'recovered' | 'ongoing' | 'intermittent';
  impact?: string;
  initialResponse?: string;
  [key: string]: unknown;
}

export interface VictimProfile {
  saved: boolean;
  incidentType: string;
  fields: VictimFields | null;
  ncoConsent: boolean;
  checklist: VictimCheck[];
  updatedAt: string | null;
}

export interface WarrantInput {
  kind: string;
  reference?: string;
  court?: string;
  target: string;
  issuedOn?: string;
  validUntil?: string;
  status?: string;
  links?: { type: 'evidence' | 'analysis' | 'person' | 'other'; id: string }[];
}

const base = (caseId: string) => `/api/cases/${encodeURIComponent(caseId)}`;

async function put<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(path, {
    method: 'PUT',
    body: JSON.stringify(body),
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(await csrfHeader()) },
  });
  if (!res.ok) {
    const b = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
    throw new ApiError(res.status, b.error?.code ?? `HTTP_${res.status}`, b.error?.message ?? res.statusText);
  }
  return (await res.json()) as T;
}

export const formsApi = {
  createWarrant: (caseId: string, body: WarrantInput) => api.post<{ id: string }>(`${base(caseId)}/warrants`, body),
  victim: (caseId: string) => api.get<VictimProfile>(`${base(caseId)}/victim-profile`),
  saveVictim: (caseId: string, body: { fields: VictimFields; ncoConsent: boolean }) =>
    put<VictimProfile>(`${base(caseId)}/victim-profile`, body),
  tick: (caseId: string, code: string, done: boolean) =>
    api.post<VictimProfile>(`${base(caseId)}/victim-profile/checklist/${encodeURIComponent(code)}`, { done }),
};
