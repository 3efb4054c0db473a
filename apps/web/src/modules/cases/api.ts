import { api } from '../../api/client';
import { csrfHeader } from '../intel/csrf';

export interface CaseListItem {
  id: string;
  caseNumber: string;
  title: string;
  type: string;
  classificationCode: string | null;
  leadUnitId: string;
  status: string;
  stage: string;
  tlp: string;
  confidentiality: number;
  updatedAt: string;
}

export interface CaseDetail extends Omit<CaseListItem, 'updatedAt'> {
  summary: string;
  handling: string[];
  recognisedOn: string | null;
  clearedOn: string | null;
  referredOn: string | null;
  updatedAt: string;
  leadUnitName: string | null;
  myRole: 'lead' | 'member' | 'reader';
  members: { userId: string; name: string; role: string; via: string }[];
  supportingUnits: { id: string; name: string }[];
  reports: { id: string; receiptNumber: string; summary: string }[];
  tasks: { id: string; title: string; assigneeId: string | null; dueOn: string | null; status: string }[];
  damages: { id: string; amountYen: number; method: string; occurredOn: string | null; note: string }[];
  persons: { id: string; kind: string; label: string }[];
  attachments: { id: string; name: string; size: number }[];
}

export interface TimelineItem {
  id: string;
  at: string;
  kind: string;
  body: string;
  author: string | null;
}

export interface Classification {
  code: string;
  parentCode: string | null;
  level: number;
  labelJa: string;
  labelEn: string;
}

export const CASE_TYPES = ['cyber_crime', 'cyber_attack', 'serious_cyber', 'csirt'] as const;
export const STAGES = ['recognised', 'investigating', 'cleared', 'referred'] as const;
export const STATUSES = ['open', 'suspended', 'closed'] as const;
export const METHODS = [
  'ib_transfer',
  'card_fraud',
  'ransom',
  'e_money',
  'crypto',
  'bank_transfer',
  'business_loss',
  'other',
] as const;

const base = (id: string) => `/api/cases/${encodeURIComponent(id)}`;

export const casesApi = {
  list: (q: Record<string, string | undefined>) =>
    api.get<{ items: CaseListItem[]; nextCursor: string | null; partial?: boolean }>('/api/cases', q),
  classifications: () => api.get<{ items: Classification[] }>('/api/cases/classifications'),
  create: (body: object) => api.post<{ id: string; caseNumber: string }>('/api/cases', body),
  get: (id: string) => api.get<CaseDetail>(base(id)),
  update: (id: string, body: object) => api.patch<CaseDetail>(base(id), body),
  timeline: (id: string, cursor?: string) =>
    api.get<{ items: TimelineItem[]; nextCursor: string | null }>(`${base(id)}/timeline`, { cursor }),
  note: (id: string, body: string) => api.post(`${base(id)}/timeline`, { body }),
  addMember: (id: string, login: string, role: string) => api.post(`${base(id)}/members`, { login, role }),
  override: (id: string, reason: string) => api.post<CaseDetail>(`${base(id)}/override`, { reason }),
  addTask: (id: string, body: object) => api.post(`${base(id)}/tasks`, body),
  taskDone: (id: string, taskId: string) => api.patch(`${base(id)}/tasks/${taskId}`, { status: 'done' }),
  addPerson: (id: string, body: object) => api.post(`${base(id)}/persons`, body),
  person: (id: string, personId: string) => api.get<Record<string, string>>(`${base(id)}/persons/${personId}`),
  addDamage: (id: string, body: object) => api.post(`${base(id)}/damages`, body),
  observables: (id: string) =>
    api.get<{ items: { id: string; type: string; display: string; role: string }[] }>(`${base(id)}/observables`),
  addObservable: (id: string, value: string, role: string) =>
    api.post(`${base(id)}/observables`, { items: [{ value, role }] }),
  async upload(id: string, file: File): Promise<void> {
    const form = new FormData();
    form.append('file', file);
    const res = await fetch(`${base(id)}/attachments`, {
      method: 'POST',
      body: form,
      headers: await csrfHeader(),
      credentials: 'same-origin',
    });
    if (!res.ok) throw new Error(`upload failed (${res.status})`);
  },
};
