import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useCallback } from 'react';
import { setCsrfToken } from '../api/client';
import { logout } from '../modules/auth/api';

/** Ends the session on the server, forgets everything cached, and goes to the login page. */
export function useLogout(): () => Promise<void> {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useCallback(async () => {
    try {
      await logout();
    } finally {
      setCsrfToken(null);
      queryClient.clear();
      await navigate({ to: '/login' });
    }
  }, [queryClient, navigate]);
}
