import { type BrowserContext, expect, request, test } from '@playwright/test';
import { type Account, loadAccount, saveAccount, uniqueSuffix } from './support/accounts';
import { checkAccessibility } from './support/axe';
import { e2eAdminPassword, e2ePort } from './support/env';
import { totpCode } from './support/totp';

// Issue 3 pages: outbox, document templates, need-to-know groups (admin), the SSO parts of the login page.
test.describe.configure({ mode: 'serial' });
const suffix = uniqueSuffix();

/** Signs the account in through the API (password change + TOTP as asked) and gives the cookie to the browser. */
async function signInBrowser(context: BrowserContext, account: Account): Promise<void> {
  const api = await request.newContext({ baseURL: `http://127.0.0.1:${e2ePort}` });
  const post = async (path: string, data: unknown, csrf: string) => {
    const response = await api.post(path, { data, headers: { 'X-CSRF-Token': csrf } });
    expect(response.ok(), `${path}: ${await response.text()}`).toBe(true);
    return (await response.json()) as { stage: string; csrfToken: string; secret?: string };
  };
  let reply = await post('/api/auth/login', { login: account.login, password: account.password }, '');
  if (reply.stage === 'password_change') {
    const newPassword = `Pw-${suffix}-Platform-2026x`;
    reply = await post('/api/auth/password', { currentPassword: account.password, newPassword }, reply.csrfToken);
    account.password = newPassword;
    saveAccount(account);
  }
  if (reply.stage === 'mfa_enrol') {
    const start = await post('/api/auth/totp/enrol/start', {}, reply.csrfToken);
    account.totpSecret = start.secret;
    saveAccount(account);
    reply = await post('/api/auth/totp/enrol/finish', { code: await totpCode(start.secret ?? '') }, reply.csrfToken);
  } else if (reply.stage === 'mfa_verify') {
    reply = await post('/api/auth/totp/verify', { code: await totpCode(account.totpSecret ?? '') }, reply.csrfToken);
  }
  expect(reply.stage).toBe('ok');
  await context.addCookies((await api.storageState()).cookies);
  await api.dispose();
}

test('ログイン画面: SSO 未設定ならボタンはなく、?sso=failed で失敗を知らせる', async ({ page }) => {
  await page.goto('/login?sso=failed');
  await expect(page.getByRole('alert')).toContainText('シングルサインオンに失敗しました');
  await expect(page.getByRole('link', { name: /SSO/ })).toHaveCount(0);
  await checkAccessibility(page, 'platform-login-sso-failed');
});

test('管理者は送信メール・文書テンプレート・知る必要のあるグループの画面を使える', async ({ page, context }) => {
  await signInBrowser(context, loadAccount('admin') ?? { login: 'admin', password: e2eAdminPassword });

  await page.goto('/admin/outbox');
  await expect(page.getByRole('heading', { level: 1, name: '送信メール（アウトボックス）' })).toBeVisible();
  await expect(page.getByTestId('outbox-table')).toBeVisible();
  await page.getByText('失敗', { exact: true }).click();
  await checkAccessibility(page, 'platform-outbox');

  await page.goto('/admin/document-templates');
  await expect(page.getByRole('heading', { level: 1, name: '文書テンプレート' })).toBeVisible();
  const rows = page.getByTestId('templates-table').locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  await checkAccessibility(page, 'platform-templates');
  await rows.first().getByRole('button', { name: /^編集/ }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByLabel('テンプレート本文')).not.toHaveValue('');
  await checkAccessibility(page, 'platform-template-editor');
  await dialog.getByRole('button', { name: 'プレビュー' }).click();
  await expect(dialog.getByTestId('template-preview')).toBeVisible();
  // The PDF viewer in the frame keeps the page from going network-idle: axe ran before the preview.
  await expect(dialog.getByRole('link', { name: 'PDFをダウンロード' })).toHaveAttribute('href', /^blob:/);
  await page.keyboard.press('Escape');

  await page.goto('/admin/groups');
  await expect(page.getByRole('heading', { level: 1, name: '知る必要のあるグループ' })).toBeVisible();
  await page.getByLabel(/^グループ名/).fill(`特別捜査班${suffix}`);
  await page.getByRole('button', { name: 'グループを作成' }).click();
  await expect(page.getByTestId('groups-table')).toContainText(`特別捜査班${suffix}`);
  await checkAccessibility(page, 'platform-groups');
});
