import { expect, test } from '@playwright/test';
import { uniqueSuffix } from './support/accounts';
import { checkAccessibility } from './support/axe';
import { createStaff } from './support/staff';
import { signIn } from './support/ui';

// Issue 6 "done when": citizen smishing report on a phone, station phone consultation with its 受理票, a 犯行予告 at
// the duty desk, the cyber analyst's queue with clocks and the smishing report in its cluster with its URL linked.
// URLs below are documentation names (.example); nothing is fetched.
const lang = 'ja';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const SMS = (url: string) =>
  `お荷物のお届けにあがりましたが宛先不明の為持ち帰りました。下記よりご確認ください ${url} というSMSが届きました。`;
const FULLWIDTH_URL = 'ｈｘｘｐｓ：／／ｓａｇａｗａ-ｆｕｋｕ[.]ｅｘａｍｐｌｅ／ｔｒａｃｋ';

test.describe.configure({ mode: 'serial' });

let smishingReceipt = '';

test.describe('citizen on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('reports a smishing SMS with a defanged full-width URL and a screenshot, checks the status and adds a detail', async ({
    page,
  }) => {
    await page.goto('/report');
    await expect(page.getByRole('heading', { level: 1, name: 'サイバー犯罪の通報・相談' })).toBeVisible();
    await expect(page.getByText('110番')).toBeVisible();
    await expect(page.getByText('被害届ではありません')).toBeVisible();
    await checkAccessibility(page, 'intake-public-form');
    await page.getByLabel('匿名で送る').check();
    await page.getByLabel('あやしいメール・SMSが届いた').check();
    await page.getByLabel(/何があったか/).fill(SMS(FULLWIDTH_URL));
    await page.locator('input[type=file]').setInputFiles({ name: 'sms.png', mimeType: 'image/png', buffer: PNG });
    await page.getByRole('button', { name: '送信する' }).click();
    const receipt = page.getByTestId('receipt-number');
    await expect(receipt).toHaveText(/^R\d+-\d{6}$/);
    smishingReceipt = (await receipt.textContent()) ?? '';
    await checkAccessibility(page, 'intake-public-receipt');

    await page.getByRole('link', { name: '状況を確認する・情報を追加する' }).click();
    await page.getByRole('button', { name: '確認する' }).click();
    await expect(page.getByTestId('public-status')).toHaveText('受付済み');
    await page.getByLabel('追加する内容').fill('同じSMSが家族の携帯にも届きました。');
    await page.getByRole('button', { name: '情報を追加する' }).click();
    await expect(page.getByTestId('additions-count')).toContainText('1');
    await checkAccessibility(page, 'intake-public-status');
  });
});

test('a station officer takes a phone consultation and prints its 受理票', async ({ page }) => {
  const suffix = uniqueSuffix();
  const officer = await createStaff(`intake-st-${suffix}`, {
    name: '郡山 署員',
    role: 'station_officer',
    unit: 'st-koriyama',
  });
  await signIn(page, lang, officer, { newPassword: `Pw-${suffix}-Renkei-2026`, tag: 'intake-station' });
  await page.goto('/intake/new');
  await expect(page.getByRole('heading', { level: 1, name: '通報・相談の受理（職員入力）' })).toBeVisible();
  await page.getByLabel('お名前').fill('見本 太郎');
  await page.getByLabel(/電話番号/).fill('024-000-0000');
  await page
    .getByLabel(/何があったか/)
    .fill('フリマアプリでゲーム機を購入し3万円を支払ったが商品が届かず、出品者と連絡が取れない。');
  await page.getByLabel('被害額（円）').fill('30000');
  await checkAccessibility(page, 'intake-staff-entry');
  await page.getByLabel(/何があったか/).press('Control+Enter');
  await page.waitForURL(/\/intake\/reports\//);
  const print = page.getByRole('link', { name: '相談受理票を印刷（PDF）' });
  await expect(print).toBeVisible();
  await checkAccessibility(page, 'intake-report-page');
  const href = await print.getAttribute('href');
  const pdf = await page.request.get(href ?? '');
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
});

test('a 犯行予告 reaches the duty desk and the cyber analyst sees routed reports with clocks and the smishing cluster', async ({
  page,
}) => {
  const threat = await page.request.post('/api/public/reports', {
    data: {
      kind: 'information',
      reporterType: 'anonymous',
      narrative: '掲示板に「明日の正午に郡山駅で無差別に人を刺す」という書き込みがあります。',
    },
  });
  expect(threat.status()).toBe(201);
  const threatReceipt = ((await threat.json()) as { receiptNumber: string }).receiptNumber;
  const variant = await page.request.post('/api/public/reports', {
    data: { kind: 'report', reporterType: 'anonymous', narrative: SMS('hxxps://yamato-fuku[.]example/t/9') },
  });
  expect(variant.status()).toBe(201);

  const suffix = uniqueSuffix();
  const analyst = await createStaff(`intake-cy-${suffix}`, {
    name: 'サ対 分析官',
    role: 'cyber_analyst',
    unit: 'cyber-ka',
  });
  await signIn(page, lang, analyst, { newPassword: `Pw-${suffix}-Renkei-2026`, tag: 'intake-analyst' });
  await page.goto('/intake');
  await expect(page.getByRole('heading', { level: 1, name: '通報・相談の一覧' })).toBeVisible();
  await expect(page.getByTestId('duty-list')).toContainText(threatReceipt);
  const row = page.locator(`tr[data-receipt="${smishingReceipt}"]`);
  await expect(row).toBeVisible();
  await expect(row.getByTestId('clock')).toContainText('時間');
  await expect(row.getByTestId('cluster-size')).toHaveText(/[2-9]件|\d{2,}件/);
  await checkAccessibility(page, 'intake-queue');
  await row.getByRole('link', { name: smishingReceipt }).click();
  await expect(page.getByTestId('observables')).toContainText('sagawa-fuku.example');
  await expect(page.getByTestId('report-cluster')).toBeVisible();
});
