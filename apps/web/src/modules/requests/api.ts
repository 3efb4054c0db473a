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
  rules: {
    itemKind?: string;
    delivery: 'mail' | 'print';
    preservationDays?: number;
    preservationMaxDays?: number;
    warnBeforeDays?: number;
  };
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
  /** The background captures of a takedown's items, counted per state (null when none was queued). */
  captureProgress?: CaptureProgress | null;
  items: {
    id: string;
    position: number;
    kind: string;
    display: string;
    outcome: string;
    outcomeAt: string | null;
    details: Record<string, unknown>;
    /** The site captured before a takedown and its latest re-check (takedowns only; absent on older servers). */
    capture?: ItemCapture | null;
    /** The background capture of the item: queued, done or failed (null when none was queued). */
    captureState?: CaptureState | null;
    /** Why a failed capture failed (refused, failed). */
    captureFailure?: string | null;
    /** 復活: when the site, confirmed down after the takedown, answered again (the latest time). */
    resurfacedAt?: string | null;
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
export type CaptureState = 'queued' | 'done' | 'failed';
export interface CaptureProgress {
  total: number;
  queued: number;
  done: number;
  failed: number;
}
export interface ItemCapture {
  id: string;
  lastOutcome: string | null;
  lastCheckedAt: string | null;
  screenshot: boolean;
  /**
   * How the re-check follows the site: every 6 h (following), daily since it was confirmed down after the takedown
   * (watching, until watchUntil), no more after 30 days down (ended), or not at all (stopped). Absent on older servers.
   */
  watch?: 'following' | 'watching' | 'ended' | 'stopped';
  downAt?: string | null;
  watchUntil?: string | null;
}
export interface GroupItem {
  url: string;
  host: string;
  address: string | null;
  asn: string | null;
  cidr: string | null;
}
export interface Grouping {
  groups: {
    recipientId: string | null;
    recipientName: string | null;
    asn: string | null;
    provider: string | null;
    contact: { name: string | null; email: string | null } | null;
    items: GroupItem[];
  }[];
  unresolved: { url: string; reason: string }[];
}
export interface TakedownBatch {
  requests: {
    id: string;
    reference: string;
    recipientId: string;
    recipientName: string;
    asn: string | null;
    noticeReference: string | null;
    items: { id: string; value: string }[];
  }[];
  /** Every drafted URL queued for capture in the background (empty without capture): follow the requests' detail. */
  captures: { url: string; itemId: string; requestId: string; status: CaptureState }[];
  deferred: { recipientName?: string | null; reason: string; retryAt?: string | null; urls: string[] }[];
  unresolved: { url: string; reason: string }[];
}
export interface Recheck {
  items: { id: string; value: string; checkOutcome: string; outcome: string }[];
}
export interface CaptureDetail {
  id: string;
  url: string;
  profile?: string;
  htmlFileId?: string | null;
  screenshotFileId?: string | null;
  htmlSha256?: string | null;
  screenshotSha256?: string | null;
  lastOutcome?: string | null;
  checks?: { at?: string; checkedAt?: string; outcome: string; status?: number | null }[];
}
export type CaptureProfile = 'desktop' | 'iphone' | 'android';
export interface SourceObservable {
  id: string;
  type: string;
  value: string;
  display: string;
}

/** How often a request page refetches while its captures run in the background (false once none is queued). */
export const CAPTURE_POLL_MS = 2000;
export const capturesPending = (d: RequestDetail | undefined) => (d?.captureProgress?.queued ?? 0) > 0;

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
  /** The observables to pick from: a campaign's (an intel entity) or a case's, as the server lets the caller see them. */
  loadSource: async (kind: 'campaign' | 'case', id: string): Promise<SourceObservable[]> =>
    (await requestsApi.sources(kind, id)).items,
  group: (urls: string[]) => api.post<Grouping>('/api/requests/recipients/group', { urls }),
  takedowns: (body: {
    urls: string[];
    title: string;
    reason?: string;
    campaignId?: string;
    caseId?: string;
    capture: boolean;
    profile: CaptureProfile;
  }) => api.post<TakedownBatch>('/api/requests/takedowns', body),
  recheck: (id: string) => api.post<Recheck>(`${base(id)}/recheck`, {}),
  /** Re-queues the request's failed captures (only those); the background job captures them again. */
  retryCaptures: (id: string) => api.post<{ retried: number }>(`${base(id)}/captures/retry`, {}),
  createRecipient: (body: object) => api.post<{ id: string }>('/api/requests/recipients', body),
  network: (body: { recipientId: string; asn?: string; maxPerHour?: number }) =>
    api.post<unknown>('/api/requests/recipients/networks', body),
  capture: (id: string) => api.get<CaptureDetail>(`/api/requests/recipients/captures/${encodeURIComponent(id)}`),
  /** A captured file (HTML or PNG); each download is audited by the server. */
  captureFileUrl: (id: string, fileId: string) =>
    `/api/requests/recipients/captures/${encodeURIComponent(id)}/files/${encodeURIComponent(fileId)}`,
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
