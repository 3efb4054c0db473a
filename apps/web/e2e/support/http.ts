import { type APIResponse, expect, type Page, request } from '@playwright/test';
import { e2ePort } from './env';

/** A JSON call from the signed-in page (same cookies), with the session's CSRF token. */
export async function call(
  page: Page,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  data?: object,
): Promise<APIResponse> {
  const me = (await (await page.request.get('/api/auth/me')).json()) as { csrfToken: string };
  return page.request.fetch(path, { method, data, headers: { 'X-CSRF-Token': me.csrfToken } });
}

/** The body of a successful reply (any 2xx); fails the test with the body otherwise. */
export async function ok<T>(response: APIResponse): Promise<T> {
  expect(response.status(), await response.text()).toBeLessThan(300);
  return (await response.json()) as T;
}

/** An anonymous citizen's report through the public form's API (no session); returns its receipt number. */
export async function citizenReport(narrative: string): Promise<string> {
  const citizen = await request.newContext({ baseURL: `http://127.0.0.1:${e2ePort}` });
  try {
    const response = await citizen.post('/api/public/reports', {
      data: { kind: 'report', reporterType: 'anonymous', narrative },
    });
    expect(response.status(), await response.text()).toBe(201);
    return ((await response.json()) as { receiptNumber: string }).receiptNumber;
  } finally {
    await citizen.dispose();
  }
}
