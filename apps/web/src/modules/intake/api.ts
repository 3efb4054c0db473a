import { ApiError, api } from '../../api/client';
import { csrfHeader } from '../intel/csrf';

export interface Receipt {
  receiptNumber: string;
  statusToken: string;
}

export interface PublicStatus {
  receiptNumber: string;
  receivedAt: string;
  status: string;
  statusLabel: string;
  message: string | null;
  additions: { createdAt: string }[];
  attachments: number;
  updatedAt: string;
}

export interface Clock {
  calendarMs: number;
  workingMs: number;
}

export interface QueueItem {
  id: string;
  receiptNumber: string;
  channel: string;
  channelLabel: string;
  kind: string;
  status: string;
  statusLabel: string;
  summary: string;
  category: string | null;
  suggestedCategory: string | null;
  suggestedScore: number | null;
  urgent: boolean;
  ownerUnitName: string;
  assigneeName: string | null;
  receivedAt: string;
  acknowledgedAt: string | null;
  escalatedAt: string | null;
  flags: string[];
  clocks: { sinceReceipt: Clock | null; sinceAssignment: Clock | null };
  cluster: { id: string; size: number; firstAt: string | null; latestAt: string | null } | null;
}

export interface Observable {
  id: string;
  type: string;
  value: string;
  display: string;
  role: 'suspect' | 'victim' | 'unknown';
  foundIn: string;
}

export interface Report extends QueueItem {
  narrative: string;
  occurredOn: string | null;
  amountYen: number | null;
  reporterType: string;
  reporter: Record<string, string> | null;
  details: {
    ranking?: { category: string; score: number }[];
    ihc?: IhcFields | null;
    npa?: { prefecture?: string; routedUnitId?: string; reference?: string } | null;
    business?: Record<string, unknown> | null;
    partner?: { name: string; reference?: string } | null;
    patrol?: { foundOn?: string; location?: string } | null;
  };
  receivingUnitId: string;
  observables: Observable[];
  attachments: { id: string; name: string; detectedType: string | null; size: number; flags: string[] }[];
  additions: { id: string; text: string; createdAt: string }[];
  notes: { id: string; body: string; author: string; createdAt: string }[];
  personHistoryCount: number;
}

export interface IhcFields {
  category?: string;
  referenceNumber?: string;
  judgmentDate?: string;
  url?: string;
  preservationHold?: boolean;
  deletionRequestedOn?: string;
  deletionConfirmedOn?: string;
}

export interface RoutingRule {
  category: string | null;
  urgent: boolean | null;
  target: 'cyber' | 'receiving' | 'unit';
  targetUnitId?: string | null;
  enabled?: boolean;
  note?: string;
}

export interface Unit {
  id: string;
  code: string;
  name: string;
  kind: string;
}

export type BulkAction = 'acknowledge' | 'assign' | 'route' | 'category' | 'close';

export interface DutyItem {
  id: string;
  reportId: string;
  receiptNumber: string;
  summary: string;
  reasons: { reason: string; matched: string[] }[];
  createdAt: string;
  acknowledgedAt: string | null;
  waitingMs: number | null;
}

/** Fetch outside the shared client: the public endpoints (no cookies) and the one PUT (the client has none). */
async function publicFetch<T>(
  method: string,
  path: string,
  init: { body?: BodyInit; token?: string; json?: boolean; headers?: Record<string, string>; session?: boolean },
) {
  const headers: Record<string, string> = { Accept: 'application/json', ...init.headers };
  if (init.json) headers['Content-Type'] = 'application/json';
  if (init.token) headers['X-Status-Token'] = init.token;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: init.body, credentials: init.session ? 'same-origin' : 'omit' });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', 'network error');
  }
  const body = (await res.json().catch(() => ({}))) as T & { error?: { code: string; message: string } };
  if (!res.ok) throw new ApiError(res.status, body.error?.code ?? `HTTP_${res.status}`, body.error?.message ?? '');
  return body as T;
}

export const intakeApi = {
  submit: (report: object, files: File[]) => {
    const form = new FormData();
    form.append('report', JSON.stringify(report));
    for (const f of files) form.append('attachments', f, f.name);
    return publicFetch<Receipt>('POST', '/api/public/reports', { body: form });
  },
  status: (receipt: string, token: string) =>
    publicFetch<PublicStatus>('GET', `/api/public/reports/${encodeURIComponent(receipt)}`, { token }),
  addition: (receipt: string, token: string, text: string) =>
    publicFetch<PublicStatus>('POST', `/api/public/reports/${encodeURIComponent(receipt)}/additions`, {
      token,
      json: true,
      body: JSON.stringify({ text }),
    }),
  queue: (q: Record<string, string | undefined>) => api.get<{ items: QueueItem[] }>('/api/intake/reports', q),
  report: (id: string) => api.get<Report>(`/api/intake/reports/${id}`),
  create: (body: object) => api.post<{ id: string; receiptNumber: string }>('/api/intake/reports', body),
  act: (id: string, action: 'acknowledge' | 'assign' | 'category' | 'close', body: object = {}) =>
    api.post<{ ok: true }>(`/api/intake/reports/${id}/${action}`, body),
  role: (id: string, observableId: string, role: string) =>
    api.patch<{ ok: true }>(`/api/intake/reports/${id}/observables/${observableId}`, { role }),
  duty: () => api.get<{ items: DutyItem[] }>('/api/intake/duty', { open: 'true' }),
  bulk: (body: { ids: string[]; action: BulkAction } & Record<string, string | string[]>) =>
    api.post<{ changed: number }>('/api/intake/reports/bulk', body),
  personHistory: (id: string) => api.get<{ items: QueueItem[] }>(`/api/intake/reports/${id}/person-history`),
  promote: (clusterId: string, name: string) =>
    api.post<{ campaignId: string; name: string; linked: number }>(`/api/intake/clusters/${clusterId}/promote`, {
      name,
    }),
  routingRules: () => api.get<{ items: (RoutingRule & { id: string })[] }>('/api/intake/routing-rules'),
  saveRoutingRules: async (rules: RoutingRule[]) =>
    publicFetch<{ items: (RoutingRule & { id: string })[] }>('PUT', '/api/intake/routing-rules', {
      json: true,
      body: JSON.stringify({ rules }),
      headers: await csrfHeader(),
      session: true,
    }),
  units: () => api.get<{ items: Unit[] }>('/api/intake/units'),
  ackDuty: (id: string) => api.post<{ ok: true }>(`/api/intake/duty/${id}/acknowledge`),
};

export const CATEGORIES = [
  '詐欺・悪質商法',
  'インターネットオークション',
  '名誉毀損・誹謗中傷等',
  '不正アクセス・コンピュータウイルス',
  '迷惑メール',
  '違法・有害情報',
  'その他',
] as const;

export const OUTCOMES = [
  'advice',
  'referred_ipa',
  'referred_consumer_center',
  'referred_legal_affairs',
  'referred_ihaho',
  'case_opened',
  'no_further_action',
] as const;

export function duration(ms: number | null | undefined, lang: string): string {
  if (ms === null || ms === undefined) return '—';
  const h = Math.floor(ms / 3600_000);
  const m = Math.floor((ms % 3600_000) / 60_000);
  if (lang === 'en') return h >= 24 ? `${Math.floor(h / 24)}d ${h % 24}h` : `${h}h ${m}m`;
  return h >= 24 ? `${Math.floor(h / 24)}日${h % 24}時間` : `${h}時間${m}分`;
}
