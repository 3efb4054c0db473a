import { queryOptions, useQuery } from '@tanstack/react-query';
import { ApiError, api, setCsrfToken } from './client';
import type { Me, Stage } from './types';

/** `null` when nobody is signed in. */
async function fetchMe(): Promise<Me | null> {
  try {
    const me = await api.get<Me>('/api/auth/me');
    setCsrfToken(me.csrfToken);
    return me;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export const meQuery = queryOptions({
  queryKey: ['me'],
  queryFn: fetchMe,
  staleTime: 60_000,
  retry: false,
});

/** The signed-in session; only used under routes whose guard has already loaded it. */
export function useMe(): Me | null {
  const { data } = useQuery(meQuery);
  return data ?? null;
}

/** Where a session in `stage` has to go next. */
export function pathForStage(stage: Stage): '/password' | '/mfa/enrol' | '/mfa/verify' | '/' {
  switch (stage) {
    case 'password_change':
      return '/password';
    case 'mfa_enrol':
      return '/mfa/enrol';
    case 'mfa_verify':
      return '/mfa/verify';
    default:
      return '/';
  }
}
