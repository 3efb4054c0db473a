import { api } from '../../api/client';

export interface FieldDef {
  key: string;
  label: string;
  required: boolean;
  kind: 'text' | 'date' | 'number' | 'select';
  options?: string[];
}
export interface RequestType {
  code: string;
  name: string;
  legalBasis: string;
  recipientKinds: string[];
  fields: FieldDef[];
  rules: { itemKind?: string; delivery: 'mail' | 'print'; preservationDays?: number; preservationMaxDays?: number };
}
export interface Recipient {
  id: string;
  name: string;
  kind: string;
  abuseEmail: string | null;
  legalEmail: string | null;
  fax: string | null;
  bankCode: string | null;
}
export interface RequestListItem {
  id: string;
  reference: string;
  title: string;
  status: string;
  typeCode: string;
  typeName: string;
  recipientName: string;
  documentNumber: string | null;
  dueAt: string | null;
  periodUntil: string | null;
  createdAt: string;
}
export interface RequestDetail {
  id: string;
  reference: string;
  title: string;
  status: string;
  typeCode: string;
  type: RequestType;
  recipient: Recipient;
  caseId: string | null;
  campaignId: string | null;
  fields: Record<string, string | number>;
  documentNumber: string | null;
  dueAt: string | null;
  periodUntil: string | null;
  periodDays: number | null;
  canApprove: boolean;
  items: {
    id: string;
    position: number;
    kind: string;
    display: string;
    outcome: string;
    outcomeAt: string | null;
    details: Record<string, unknown>;
  }[];
  events: {
    id: string;
    at: string;
    action: string;
    from: string | null;
    to: string | null;
    note: string;
    actorName: string | null;
  }[];
  documents: { id: string; kind: string; documentNumber: string; mailId: string | null; createdAt: string }[];
}
export interface Measures {
  timeToOutcome: {
    recipientId: string;
    recipientName: string;
    outcome: string;
    count: number;
    medianHours: number | null;
    meanHours: number;
  }[];
  openByAge: { bucket: string; count: number }[];
  openByStatus: Record<string, number>;
  openTotal: number;
}
export interface SourceObservable {
  id: string;
  type: string;
  value: string;
  display: string;
}

const base = (id: string) => `/api/requests/${encodeURIComponent(id)}`;

export const requestsApi = {
  list: (q: Record<string, string | undefined>) =>
    api.get<{ items: RequestListItem[]; nextCursor: string | null }>('/api/requests', q),
  types: () => api.get<{ items: RequestType[] }>('/api/requests/types'),
  recipients: () => api.get<{ items: Recipient[] }>('/api/requests/recipients'),
  bank: (code: string) =>
    api.get<{ code: string; name: string; branches: { code: string; name: string }[] }>(`/api/requests/banks/${code}`),
  sources: (kind: 'campaign' | 'case', id: string) =>
    api.get<{ items: SourceObservable[] }>(`/api/requests/sources/${kind}/${encodeURIComponent(id)}/observables`),
  create: (body: object) => api.post<{ id: string; reference: string }>('/api/requests', body),
  get: (id: string) => api.get<RequestDetail>(base(id)),
  approve: (id: string) => api.post<RequestDetail>(`${base(id)}/approve`, {}),
  send: (id: string, via: 'mail' | 'print') => api.post<RequestDetail>(`${base(id)}/send`, { via }),
  status: (id: string, to: string, note?: string) => api.post<RequestDetail>(`${base(id)}/status`, { to, note }),
  extend: (id: string, days: number) => api.post<RequestDetail>(`${base(id)}/extend`, { days }),
  withdraw: (id: string, note?: string) => api.post<RequestDetail>(`${base(id)}/withdraw`, { note }),
  outcome: (id: string, itemId: string, outcome: string) =>
    api.post<RequestDetail>(`${base(id)}/items/${itemId}/outcome`, { outcome }),
  measures: () => api.get<Measures>('/api/requests/measures'),
  documentUrl: (id: string, docId: string) => `${base(id)}/documents/${docId}`,
};
