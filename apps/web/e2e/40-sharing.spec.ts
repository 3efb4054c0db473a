import { type BrowserContext, expect, request, test } from '@playwright/test';
import { type Account, saveAccount, uniqueSuffix } from './support/accounts';
import { ApiSession } from './support/api';
import { checkAccessibility } from './support/axe';
import { e2ePort } from './support/env';
import { totpCode } from './support/totp';

// Issue 9: an analyst registers a partner, then reviews per recipient what an export would send and what it would
// withhold, and why (a citizen's report is 機密性2: it never goes to a vendor, and AMBER is never public).
// Documentation names only (.example); nothing is fetched.
test.describe.configure({ mode: 'serial' });

const suffix = uniqueSuffix();
const URL_DEFANGED = `hxxps://share-${suffix}[.]example/login`;
const URL_PLAIN = `share-${suffix}.example/login`;
const PARTNER = `フィルタ事業者 ${suffix}`;
let analyst: Account;

async function createStaff(login: string, name: string, role: string, unitCode: string): Promise<Account> {
  const admin = await ApiSession.admin();
  const units = (await admin.get('/api/admin/units')) as { items: { id: string; code: string }[] };
  const unit = units.items.find((u) => u.code === unitCode);
  if (!unit) throw new Error(`no unit ${unitCode}`);
  const created = (await admin.post('/api/admin/users', {
    login,
    name,
    nameKana: 'テスト',
    unitId: unit.id,
    roles: [role],
    clearance: 2,
  })) as { initialPassword: string };
  await admin.dispose();
  return { login, password: created.initialPassword };
}

async function signInBrowser(context: BrowserContext, account: Account): Promise<void> {
  const api = await request.newContext({ baseURL: `http://127.0.0.1:${e2ePort}` });
  const post = async (path: string, data: unknown, csrf: string) => {
    const response = await api.post(path, { data, headers: { 'X-CSRF-Token': csrf } });
    expect(response.ok(), `${path}: ${await response.text()}`).toBe(true);
    return (await response.json()) as { stage: string; csrfToken: string; secret?: string };
  };
  let reply = await post('/api/auth/login', { login: account.login, password: account.password }, '');
  if (reply.stage === 'password_change') {
    const newPassword = `Pw-${suffix}-Share-2026x`;
    reply = await post('/api/auth/password', { currentPassword: account.password, newPassword }, reply.csrfToken);
    account.password = newPassword;
  }
  if (reply.stage === 'mfa_enrol') {
    const start = await post('/api/auth/totp/enrol/start', {}, reply.csrfToken);
    account.totpSecret = start.secret;
    reply = await post('/api/auth/totp/enrol/finish', { code: await totpCode(start.secret ?? '') }, reply.csrfToken);
  } else if (reply.stage === 'mfa_verify') {
    reply = await post('/api/auth/totp/verify', { code: await totpCode(account.totpSecret ?? '') }, reply.csrfToken);
  }
  saveAccount(account);
  expect(reply.stage).toBe('ok');
  await context.addCookies((await api.storageState()).cookies);
  await api.dispose();
}

test.beforeAll(async () => {
  analyst = await createStaff(`share-cy-${suffix}`, 'サ対 共有担当', 'cyber_analyst', 'cyber-ka');
  const citizen = await request.newContext({ baseURL: `http://127.0.0.1:${e2ePort}` });
  const response = await citizen.post('/api/public/reports', {
    data: {
      kind: 'report',
      reporterType: 'anonymous',
      narrative: `銀行を名乗るSMSが届き、${URL_DEFANGED} にアクセスしてしまいました。`,
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  await citizen.dispose();
});

test('分析官は連携先を登録し、提供先ごとに提供されるものと保留されるもの（理由）を確認できる', async ({
  page,
  context,
}) => {
  await signInBrowser(context, analyst);

  await page.goto('/sharing');
  await expect(page.getByRole('heading', { level: 1, name: '連携先' })).toBeVisible();
  await page.getByRole('button', { name: '連携先を追加' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(/^名称/).fill(PARTNER);
  await dialog.getByLabel('TLP の上限').click();
  await page.getByRole('option', { name: 'TLP:AMBER', exact: true }).click();
  await dialog.getByRole('button', { name: '追加' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('row', { name: new RegExp(PARTNER) });
  await expect(row).toContainText('TLP:AMBER');
  await expect(row).toContainText('セキュリティ・フィルタリング事業者');
  await checkAccessibility(page, 'sharing-partners');

  // Public: an AMBER value from a citizen's report is withheld, with the reason.
  await page.goto('/sharing/export');
  await expect(page.getByRole('heading', { level: 1, name: '提供内容の確認と出力' })).toBeVisible();
  const withheld = page.getByRole('table', { name: '提供されないもの（理由）' });
  const mine = withheld.getByRole('row', { name: new RegExp(URL_PLAIN.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) });
  await expect(mine.first()).toContainText('公開できるのは TLP:CLEAR のみです');
  await checkAccessibility(page, 'sharing-export-public');

  // The vendor: AMBER is within its ceiling, but the report is 機密性2 and a vendor is no official body.
  await page.getByRole('combobox', { name: '提供先' }).click();
  await page.getByRole('option', { name: PARTNER }).click();
  await expect(mine.first()).toContainText('機密性2 は公的機関に限ります');
  const download = page.getByRole('link', { name: 'STIX 2.1 バンドルを出力' });
  await expect(download).toHaveAttribute('href', /\/api\/sharing\/export\/stix\?partner=[0-9a-f-]{36}/);
  await checkAccessibility(page, 'sharing-export-partner');

  // Phone width: the page still reads.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByRole('heading', { level: 1, name: '提供内容の確認と出力' })).toBeVisible();
});
