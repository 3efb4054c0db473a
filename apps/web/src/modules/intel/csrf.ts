import { api } from '../../api/client';
import type { Me } from '../../api/types';

/** Raw uploads bypass the JSON client: the session's CSRF token is read from `/api/auth/me` for them. */
export async function csrfHeader(): Promise<Record<string, string>> {
  const me = await api.get<Me>('/api/auth/me');
  return { 'X-CSRF-Token': me.csrfToken, 'X-Renkei-Locale': document.documentElement.lang === 'en' ? 'en' : 'ja' };
}
