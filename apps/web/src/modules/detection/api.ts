import { ApiError, api, withQuery } from '../../api/client';
import { csrfHeader } from '../intel/csrf';

export const TLPS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export const FORMATS = ['txt', 'csv', 'jsonl'] as const;
export const RELIABILITIES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export type Health = 'ok' | 'failing' | 'stale' | 'never' | 'disabled';

export interface Feed {
  id: string;
  name: string;
  url: string;
  format: (typeof FORMATS)[number];
  columns: { value?: string; type?: string };
  source: string;
  tlp: (typeof TLPS)[number];
  reliability: string | null;
  intervalMinutes: number;
  enabled: boolean;
  health: Health;
  nextRunAt: string;
  lastCheckedAt: string | null;
  lastSuccessAt: string | null;
  lastChangedAt: string | null;
  lastOutcome: string | null;
  lastError: string | null;
  consecutiveFailures: number;
}

export type FeedInput = Pick<Feed, 'name' | 'url' | 'format' | 'tlp' | 'intervalMinutes' | 'enabled'> & {
  columns?: { value?: string; type?: string };
  source?: string;
  reliability?: string | null;
};

export interface FeedRun {
  id: string;
  startedAt: string;
  finishedAt: string;
  outcome: 'changed' | 'not_modified' | 'error';
  httpStatus: number | null;
  error: string | null;
  bytes: number;
  lines: number;
  accepted: number;
  badLines: number;
  newObservables: number;
}

export interface HuntResult {
  huntId: string | null;
  file: string;
  lines: number;
  matches: number;
  shown: { line: number; type: string; indicator: string; observed: string }[];
  truncated: boolean;
  recorded: number;
  seconds: number;
}

export const detectionApi = {
  feeds: () => api.get<{ items: Feed[] }>('/api/detection/feeds'),
  feed: (id: string) => api.get<Feed>(`/api/detection/feeds/${id}`),
  create: (input: FeedInput) => api.post<Feed>('/api/detection/feeds', input),
  update: (id: string, input: Partial<FeedInput>) => api.patch<Feed>(`/api/detection/feeds/${id}`, input),
  collect: (id: string) => api.post<{ run: FeedRun; feed: Feed }>(`/api/detection/feeds/${id}/collect`),
  runs: (id: string, errorsOnly: boolean, cursor?: string) =>
    api.get<{ items: FeedRun[]; nextCursor: string | null }>(`/api/detection/feeds/${id}/runs`, {
      errors: errorsOnly ? '1' : undefined,
      cursor,
    }),
  async hunt(file: Blob, options: { file: string; name?: string; record: boolean }): Promise<HuntResult> {
    const url = withQuery('/api/detection/hunt', {
      file: options.file,
      name: options.name,
      record: options.record ? '1' : undefined,
    });
    const response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/octet-stream', Accept: 'application/json', ...(await csrfHeader()) },
      body: file,
    });
    const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
    if (!response.ok) {
      throw new ApiError(response.status, body.error?.code ?? `HTTP_${response.status}`, body.error?.message ?? '');
    }
    return body as HuntResult;
  },
};
