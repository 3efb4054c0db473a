import { expect, test } from '@playwright/test';
import { type Account, uniqueSuffix } from './support/accounts';
import { checkAccessibility } from './support/axe';
import { citizenReport } from './support/http';
import { createStaff, signInBrowser } from './support/staff';

// Issue 9: an analyst registers a partner, then reviews per recipient what an export would send and what it would
// withhold, and why (a citizen's report is 機密性2: it never goes to a vendor, and AMBER is never public).
// Documentation names only (.example); nothing is fetched.
test.describe.configure({ mode: 'serial' });

const suffix = uniqueSuffix();
const URL_DEFANGED = `hxxps://share-${suffix}[.]example/login`;
const URL_PLAIN = `share-${suffix}.example/login`;
const PARTNER = `フィルタ事業者 ${suffix}`;
let analyst: Account;

test.beforeAll(async () => {
  analyst = await createStaff(`share-cy-${suffix}`, { name: 'サ対 共有担当', role: 'cyber_analyst', unit: 'cyber-ka' });
  await citizenReport(`銀行を名乗るSMSが届き、${URL_DEFANGED} にアクセスしてしまいました。`);
});

test('分析官は連携先を登録し、提供先ごとに提供されるものと保留されるもの（理由）を確認できる', async ({
  page,
  context,
}) => {
  await signInBrowser(context, analyst, `Pw-${suffix}-Share-2026x`);

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
