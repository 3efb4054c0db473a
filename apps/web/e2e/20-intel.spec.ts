import { expect, type Page, test } from '@playwright/test';
import { type Account, uniqueSuffix } from './support/accounts';
import { checkAccessibility } from './support/axe';
import { citizenReport } from './support/http';
import { createStaff, signInBrowser } from './support/staff';

// Issue 5 "done when": an analyst looks up a defanged URL, opens its graph and reaches a linked record; a viewer of
// another unit does not see the report he may not see. Data comes in through the real API and the upload page.
// Documentation names only (.example); nothing is fetched.
test.describe.configure({ mode: 'serial' });

const suffix = uniqueSuffix();
const URL_DEFANGED = `hxxps://renkei-${suffix}[.]example/login`;
const CAMPAIGN = `宅配偽装SMS ${suffix}`;
let analyst: Account;
let viewer: Account;
let receipt = '';

async function lookUp(page: Page, value: string) {
  await page.goto('/intel');
  await expect(page.getByRole('heading', { level: 1, name: '指標の照会' })).toBeVisible();
  await page.getByLabel('照会する値').fill(value);
  await page.getByRole('button', { name: '照会', exact: true }).click();
  await page.waitForURL(/\/intel\/observables\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('observable-display')).toContainText(`renkei-${suffix}`);
}

test.beforeAll(async () => {
  analyst = await createStaff(`intel-cy-${suffix}`, { name: 'サ対 分析官', role: 'cyber_analyst', unit: 'cyber-ka' });
  viewer = await createStaff(`intel-vw-${suffix}`, { name: '郡山 閲覧者', role: 'viewer', unit: 'st-koriyama' });
  // A citizen's report with the URL: a place of type report, visible only to those who may read the report.
  receipt = await citizenReport(`荷物の不在通知を装ったSMSが届き、${URL_DEFANGED} にアクセスしてしまいました。`);
});

test('分析官は指標を取り込み、キャンペーンに結び付け、無害化URLで照会してグラフから記録に到達できる', async ({
  page,
  context,
}) => {
  await signInBrowser(context, analyst, `Pw-${suffix}-Intel-2026x`);

  // Bulk import through the upload page: two good lines and one bad one.
  await page.goto('/intel/import');
  await expect(page.getByRole('heading', { level: 1, name: '指標の一括取込' })).toBeVisible();
  await page.locator('input[type=file]').setInputFiles({
    name: `feed-${suffix}.txt`,
    mimeType: 'text/plain',
    buffer: Buffer.from(`${URL_DEFANGED}\n203.0.113.77\nこれは指標ではありません\n`),
  });
  await page.getByRole('button', { name: '取り込む' }).click();
  await expect(page.getByTestId('import-accepted')).toHaveText('2');
  await expect(page.getByTestId('import-badLines')).toHaveText('1');
  await expect(page.getByTestId('import-bad')).toContainText('3');
  await checkAccessibility(page, 'intel-import');

  // A campaign, then the URL linked to it.
  await page.goto('/intel/entities');
  await page.getByRole('button', { name: '新規作成' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(/^名称/).fill(CAMPAIGN);
  await dialog.getByRole('button', { name: '新規作成' }).click();
  await expect(dialog).toBeHidden();
  await checkAccessibility(page, 'intel-entities');
  await page.getByRole('link', { name: CAMPAIGN }).click();
  await expect(page.getByRole('heading', { level: 1, name: `キャンペーン: ${CAMPAIGN}` })).toBeVisible();
  await page.getByLabel(/^指標の値/).fill(URL_DEFANGED);
  await page.getByLabel(/^理由/).fill('同一の文面');
  await page.getByRole('button', { name: '結び付ける', exact: true }).click();
  await expect(page.getByRole('link', { name: new RegExp(`renkei-${suffix}.*example/login`) })).toBeVisible();

  // Look-up with the defanged value: the report and the campaign are there, with their side.
  await lookUp(page, URL_DEFANGED);
  await expect(page.getByTestId('intel-places')).toContainText(receipt);
  await expect(page.getByRole('link', { name: new RegExp(CAMPAIGN) })).toBeVisible();
  await checkAccessibility(page, 'intel-observable');

  // The graph: the campaign is a neighbour; opening it reaches the campaign's page.
  await page.getByRole('link', { name: 'グラフで見る' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'グラフ探索' })).toBeVisible();
  await expect(page.getByTestId('graph-canvas').locator('canvas').first()).toBeVisible();
  const nodes = page.getByTestId('graph-nodes');
  await expect(nodes).toContainText(CAMPAIGN);
  await expect(nodes).toContainText(receipt);
  await checkAccessibility(page, 'intel-graph');
  await nodes.getByRole('button', { name: new RegExp(`^開く: .*${CAMPAIGN}`) }).click();
  await expect(page.getByRole('heading', { level: 1, name: `キャンペーン: ${CAMPAIGN}` })).toBeVisible();

  // Back in the graph, the report node opens the report's page.
  await page.goBack();
  await page
    .getByTestId('graph-nodes')
    .getByRole('button', { name: new RegExp(`^開く: ${receipt}`) })
    .click();
  await page.waitForURL(/\/intake\/reports\/[0-9a-f-]{36}$/);
});

test('他の所属の閲覧者には、見てはならない通報が見えない', async ({ page, context }) => {
  await signInBrowser(context, viewer, `Pw-${suffix}-Intel-2026x`);
  await lookUp(page, URL_DEFANGED);
  // His navigation (from /api/auth/me's abilities): indicators and feeds, but neither sharing nor TAXII.
  const nav = page.getByRole('navigation');
  await expect(nav.getByRole('link', { name: '情報分析（指標）' })).toBeVisible();
  await expect(nav.getByRole('link', { name: '検知（フィード・照合）' })).toBeVisible();
  await expect(nav.getByRole('link', { name: '情報共有（連携先）' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'TAXII連携' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: new RegExp(CAMPAIGN) })).toBeVisible();
  await expect(page.getByText(receipt)).toHaveCount(0);
  await page.getByRole('link', { name: 'グラフで見る' }).click();
  await expect(page.getByTestId('graph-nodes')).toContainText(CAMPAIGN);
  await expect(page.getByTestId('graph-nodes')).not.toContainText(receipt);
  await checkAccessibility(page, 'intel-viewer-graph');
});

test('スマートフォン幅でも照会と詳細が使える', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await signInBrowser(context, analyst, `Pw-${suffix}-Intel-2026x`);
  const page = await context.newPage();
  await lookUp(page, URL_DEFANGED);
  await page.screenshot({ path: test.info().outputPath('intel-phone.png'), fullPage: true });
  await checkAccessibility(page, 'intel-observable-phone');
  await context.close();
});
