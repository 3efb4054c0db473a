import { api, setCsrfToken } from '../../api/client';
import type { LoginResponse, Stage } from '../../api/types';

export async function login(loginId: string, password: string): Promise<LoginResponse> {
  const response = await api.post<LoginResponse>('/api/auth/login', { login: loginId, password });
  setCsrfToken(response.csrfToken);
  return response;
}

interface StageReply {
  stage: Stage;
  /** The session and its CSRF token are renewed on every stage change. */
  csrfToken?: string;
}

function adoptToken<T extends StageReply>(reply: T): T {
  if (reply.csrfToken) setCsrfToken(reply.csrfToken);
  return reply;
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<StageReply> {
  return adoptToken(await api.post<StageReply>('/api/auth/password', { currentPassword, newPassword }));
}

export interface TotpEnrolment {
  secret: string;
  otpauthUrl: string;
  qrDataUrl: string;
}

export function startTotpEnrolment(): Promise<TotpEnrolment> {
  return api.post('/api/auth/totp/enrol/start');
}

export async function finishTotpEnrolment(code: string): Promise<StageReply & { recoveryCodes: string[] }> {
  return adoptToken(await api.post<StageReply & { recoveryCodes: string[] }>('/api/auth/totp/enrol/finish', { code }));
}

export async function verifyTotp(input: { code: string } | { recoveryCode: string }): Promise<StageReply> {
  return adoptToken(await api.post<StageReply>('/api/auth/totp/verify', input));
}

export function logout(): Promise<void> {
  return api.post('/api/auth/logout');
}
