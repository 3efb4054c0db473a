import { type Page, expect, test } from '@playwright/test';
import { uniqueSuffix } from './support/accounts';
import { checkAccessibility } from './support/axe';
import { createStaff } from './support/staff';
import { signIn } from './support/ui';

// Issue 6, staff side: the analyst edits a routing rule, acts on two reports at once from the queue, takes an
// Internet Hotline Center entry with its own fields, reads a person history and promotes a cluster to a campaign.
// URLs are documentation names (.example); nothing is fetched.
const lang = 'ja';

test.describe.configure({ mode: 'serial' });

/** Picks an option of a Mantine Select named by aria-label (its list box carries the same name). */
async function pick(page: Page, name: string, option: string, type = false) {
  const input = page.getByRole('combobox', { name, exact: true });
  await input.click();
  if (type) await input.fill(option);
  await page.getByRole('option', { name: option }).first().click();
}

test('the cyber analyst edits routing rules, acts on several reports, takes an IHC entry and promotes a cluster', async ({
  page,
}) => {
  test.setTimeout(300_000); // one long staff session on a shared 2-core machine
  const suffix = uniqueSuffix();
  // Two near-identical smishing reports from the public form (they land in the cyber division's queue).
  const receipts: string[] = [];
  for (const host of ['acct-verify1[.]example', 'acct-verify2[.]example']) {
    const res = await page.request.post('/api/public/reports', {
      data: {
        kind: 'report',
        reporterType: 'individual',
        contact: { name: '見本 次郎', phone: '080-5555-0101' },
        narrative: `【重要】お客様のアカウントに不審なログインがありました。本人確認のため下記URLから手続きしてください hxxps://${host}/login というSMSが届いた。${suffix}`,
      },
    });
    expect(res.status()).toBe(201);
    receipts.push(((await res.json()) as { receiptNumber: string }).receiptNumber);
  }

  const analyst = await createStaff(`intake-rules-${suffix}`, {
    name: 'サ対 分析官',
    role: 'cyber_analyst',
    unit: 'cyber-ka',
  });
  await signIn(page, lang, analyst, { newPassword: `Pw-${suffix}-Renkei-2026`, tag: 'intake-staff' });

  // 1. Routing rules: add one (オークション → 会津若松警察署), save, see it kept after a reload.
  await page.goto('/intake/routing-rules');
  await expect(page.getByRole('heading', { level: 1, name: '振り分けルール' })).toBeVisible();
  await expect(page.locator('tr[data-rule]').first()).toBeVisible(); // the seeded rules
  const before = await page.locator('tr[data-rule]').count();
  await page.getByRole('button', { name: 'ルールを追加' }).click();
  const n = before + 1;
  await pick(page, `ルール${n}の相談種別`, 'インターネットオークション');
  await pick(page, `ルール${n}の振り分け先`, '指定の所属');
  await pick(page, `ルール${n}の所属`, '会津若松', true);
  await page.getByLabel(`ルール${n}の備考`).fill(`e2e ${suffix}`);
  await checkAccessibility(page, 'intake-routing-rules');
  await page.getByRole('button', { name: 'ルールを保存' }).click();
  await expect(page.getByRole('status')).toContainText('保存しました');
  await page.reload();
  await expect(page.locator('tr[data-rule]')).toHaveCount(n);
  await expect(page.getByLabel(`ルール${n}の備考`)).toHaveValue(`e2e ${suffix}`);
  // Put the rules back as they were, so that other specs route as before.
  await page.getByRole('button', { name: `ルール${n}を削除` }).click();
  await page.getByRole('button', { name: 'ルールを保存' }).click();
  await expect(page.getByRole('status')).toContainText('保存しました');

  // 2. Bulk: select both smishing reports in the queue and confirm their category at once.
  await page.goto('/intake');
  await expect(page.getByRole('heading', { level: 1, name: '通報・相談の一覧' })).toBeVisible();
  for (const r of receipts) await page.getByLabel(`${r} を選択`).check();
  await expect(page.getByTestId('bulk-bar')).toContainText('選択中: 2件');
  await pick(page, '一括操作', '相談種別を確定');
  await pick(page, '確定する相談種別', '迷惑メール');
  await checkAccessibility(page, 'intake-queue-bulk');
  await page.getByRole('button', { name: '実行', exact: true }).click();
  await expect(page.getByTestId('bulk-bar').getByRole('status')).toContainText('2件を処理しました');
  for (const r of receipts) {
    await expect(page.locator(`tr[data-receipt="${r}"]`)).toContainText('迷惑メール');
  }

  // 3. The second report: person history (the same phone) and promotion of its cluster to a campaign.
  await page.locator(`tr[data-receipt="${receipts[1]}"]`).getByRole('link', { name: receipts[1] }).click();
  await page.getByRole('button', { name: /表示する/ }).click();
  await expect(page.getByTestId('person-history')).toContainText(receipts[0] ?? '');
  await page.getByLabel('キャンペーン名').fill(`アカウント確認SMS ${suffix}`);
  await page.getByRole('button', { name: 'キャンペーンに昇格' }).click();
  await expect(page.getByRole('status')).toContainText('キャンペーンに関連付けました');
  await checkAccessibility(page, 'intake-report-history-campaign');

  // 4. An Internet Hotline Center entry with its own fields.
  await page.goto('/intake/new');
  await pick(page, '受理方法', 'インターネット・ホットラインセンター');
  await expect(page.getByTestId('ihc-fields')).toBeVisible();
  await page.getByLabel('IHC分類').fill('わいせつ物公然陳列');
  await page.getByLabel('IHC受付番号').fill(`IHC-${suffix}`);
  await page.getByLabel('対象URL').fill('hxxps://bad-board[.]example/t/1');
  await page.getByLabel('判断日').fill('2026-04-01');
  await page.getByLabel('削除依頼日').fill('2026-04-02');
  await page.getByLabel('保全要請中（削除依頼を保留）').check();
  await page.getByLabel(/何があったか/).fill('IHCから違法情報の通報が転送された。掲示板に対象の書き込みがある。');
  await checkAccessibility(page, 'intake-staff-entry-ihc');
  await page.getByRole('button', { name: '受理する' }).click();
  await page.waitForURL(/\/intake\/reports\//);
  const ihc = page.getByTestId('details-ihc');
  await expect(ihc).toContainText(`IHC-${suffix}`);
  await expect(ihc).toContainText('2026-04-01');
  await expect(page.getByTestId('observables')).toContainText('bad-board.example');
  await checkAccessibility(page, 'intake-report-ihc');
});
