import { expect, request, test } from '@playwright/test';
import { type Account, uniqueSuffix } from './support/accounts';
import { ApiSession } from './support/api';
import { checkAccessibility } from './support/axe';
import { e2ePort } from './support/env';
import { citizenReport } from './support/http';
import { createStaff, signInBrowser } from './support/staff';

// Issue 10: an analyst creates a TAXII collection, grants a partner read access, publishes, and the partner's
// machine token then gets objects from the TAXII 2.1 endpoint. Documentation names only (.example).
test.describe.configure({ mode: 'serial' });

const TAXII = 'application/taxii+json;version=2.1';
const suffix = uniqueSuffix();
const PARTNER = `宮城県警察 ${suffix}`;
const COLLECTION = `フィッシング指標 ${suffix}`;
let analyst: Account;
let partnerToken = '';

test.beforeAll(async () => {
  analyst = await createStaff(`taxii-cy-${suffix}`, {
    name: 'サ対 TAXII担当',
    role: 'cyber_analyst',
    unit: 'cyber-ka',
  });
  const admin = await ApiSession.admin();
  // The partner and its machine token (an administrator's task), made through the API.
  const partner = (await admin.post('/api/sharing/partners', {
    name: PARTNER,
    kind: 'prefecture',
    tlpMax: 'amber',
    official: true,
  })) as { id: string };
  partnerToken = (
    (await admin.post(`/api/sharing/partners/${partner.id}/tokens`, { name: 'taxii', expiresInDays: 30 })) as {
      token: string;
    }
  ).token;
  await admin.dispose();
  // Something to publish: a citizen's report with a phishing URL (an observable of our model).
  await citizenReport(`銀行を名乗るSMSが届き、hxxps://taxii-${suffix}[.]example/login にアクセスしてしまいました。`);
});

test('分析官はコレクションを作成し、連携先に閲覧権限を付与して公開でき、連携先はTAXIIで取得できる', async ({
  page,
  context,
}) => {
  await signInBrowser(context, analyst, `Pw-${suffix}-Taxii-2026x`);
  await page.goto('/sharing/taxii');
  await expect(page.getByRole('heading', { level: 1, name: 'TAXIIコレクション' })).toBeVisible();

  await page.getByRole('button', { name: 'コレクションを作成' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(/^名称/).fill(COLLECTION);
  await dialog.getByRole('button', { name: '作成' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByTestId(`collection-${COLLECTION}`);
  await expect(row).toContainText('権限を付与された連携先はありません。');

  await row.getByRole('button', { name: '権限を設定' }).click();
  const grant = page.getByRole('dialog');
  await grant.getByRole('combobox', { name: '連携先' }).click();
  await page.getByRole('option', { name: PARTNER }).click();
  await grant.getByRole('button', { name: '保存' }).click();
  await expect(grant).toBeHidden();
  await expect(row).toContainText(PARTNER);
  await expect(row).toContainText('閲覧');
  await checkAccessibility(page, 'taxii-collections');

  await row.getByRole('button', { name: '今すぐ公開' }).click();
  await expect(row.getByRole('status')).toContainText('公開しました: 連携先 1件');
  const text = (await row.textContent()) ?? '';
  const id = /ID: ([0-9a-f-]{36})/.exec(text)?.[1];
  expect(id).toBeTruthy();

  // The partner's view over TAXII 2.1 (the Playwright request context, the partner's Bearer token).
  const taxii = await request.newContext({
    baseURL: `http://127.0.0.1:${e2ePort}`,
    extraHTTPHeaders: { authorization: `Bearer ${partnerToken}`, accept: TAXII },
  });
  const cols = await taxii.get('/taxii2/renkei/collections/');
  expect(cols.status(), await cols.text()).toBe(200);
  const listed = (await cols.json()) as { collections?: { id: string; can_read: boolean }[] };
  expect(listed.collections?.find((c) => c.id === id)?.can_read).toBe(true);
  const objects = await taxii.get(`/taxii2/renkei/collections/${id}/objects/`);
  expect(objects.status(), await objects.text()).toBe(200);
  expect(objects.headers()['content-type']).toBe(TAXII);
  const envelope = (await objects.json()) as { objects?: { type: string }[] };
  expect((envelope.objects ?? []).length).toBeGreaterThan(0);
  // Without the token: refused.
  const anon = await request.newContext({ baseURL: `http://127.0.0.1:${e2ePort}` });
  const refused = await anon.get(`/taxii2/renkei/collections/${id}/objects/`, { headers: { accept: TAXII } });
  expect(refused.status()).toBe(401);
  await anon.dispose();
  await taxii.dispose();

  await page.goto('/sharing/taxii/subscriptions');
  await expect(page.getByRole('heading', { level: 1, name: 'TAXII購読' })).toBeVisible();
  await checkAccessibility(page, 'taxii-subscriptions');
});
