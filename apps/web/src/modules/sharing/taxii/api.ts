import { ApiError, api } from '../../../api/client';
import { csrfHeader } from '../../intel/csrf';

/** PUT is not in the shared JSON client: the same headers, the server's error turned into an ApiError. */
async function put<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(path, {
    method: 'PUT',
    credentials: 'same-origin',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', ...(await csrfHeader()) },
    body: JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  if (!res.ok) throw new ApiError(res.status, json.error?.code ?? 'ERROR', json.error?.message ?? res.statusText);
  return json as T;
}

export interface Grant {
  partnerId: string;
  partner: string;
  read: boolean;
  write: boolean;
}

export interface Collection {
  id: string;
  apiRoot: string;
  title: string;
  description: string;
  publishedAt: string | null;
  grants: Grant[];
}

export interface PublishResult {
  partners: number;
  added: number;
  withheld: number;
  removed: number;
}

export interface Subscription {
  id: string;
  name: string;
  partnerId: string | null;
  apiRootUrl: string;
  collectionId: string;
  direction: 'pull' | 'push';
  lastRunAt: string | null;
  lastOkAt: string | null;
  lastError: string | null;
  objectsTotal: number;
  disabled: boolean;
}

export interface SubscriptionInput {
  name: string;
  apiRootUrl: string;
  collectionId: string;
  token: string;
  direction: 'pull' | 'push';
  partnerId?: string | null;
}

export const taxiiApi = {
  collections: () => api.get<{ items: Collection[] }>('/api/taxii/collections'),
  createCollection: (input: { title: string; description?: string }) =>
    api.post<{ id: string; apiRoot: string; title: string }>('/api/taxii/collections', input),
  grant: (id: string, input: { partnerId: string; read: boolean; write: boolean }) =>
    put<{ ok: boolean }>(`/api/taxii/collections/${id}/grants`, input),
  publish: (id: string) => api.post<PublishResult>(`/api/taxii/collections/${id}/publish`, {}),
  subscriptions: () => api.get<{ items: Subscription[] }>('/api/taxii/subscriptions'),
  createSubscription: (input: SubscriptionInput) => api.post<Subscription>('/api/taxii/subscriptions', input),
  run: (id: string) => api.post<{ moved: number; error?: string }>(`/api/taxii/subscriptions/${id}/run`, {}),
};
