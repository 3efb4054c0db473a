import { createHash } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { uniqueSuffix } from './support/accounts';
import { checkAccessibility } from './support/axe';
import { call } from './support/http';
import { createStaff, pageAs } from './support/staff';
import { signIn } from './support/ui';

// Issue 7 (case work): the officer requests support on his case; a cyber analyst accepts it, uploads evidence,
// records custody and an analysis request that his superior approves; a colleague who is no member gets nothing.
const lang = 'ja';

test.describe.configure({ mode: 'serial', timeout: 300_000 });

const LOG = Buffer.from('2026-03-30T01:02:03Z 203.0.113.7 POST /wp-login.php 200\n'.repeat(200));

test('support, evidence with custody, and an analysis request approved by a superior', async ({ page, browser }) => {
  const suffix = uniqueSuffix();
  const officer = await createStaff(`cw-officer-${suffix}`, {
    role: 'station_officer',
    unit: 'st-koriyama',
    name: '郡山署 警察官',
  });
  const analyst = await createStaff(`cw-analyst-${suffix}`, {
    role: 'cyber_analyst',
    unit: 'cyber-ka',
    name: 'サイバー 解析員',
    position: 'staff',
  });
  const chief = await createStaff(`cw-chief-${suffix}`, {
    role: 'cyber_analyst',
    unit: 'cyber-ka',
    name: 'サイバー 係長',
    position: 'chief',
  });
  const colleague = await createStaff(`cw-colleague-${suffix}`, {
    role: 'cyber_analyst',
    unit: 'cyber-ka',
    name: 'サイバー 同僚',
    position: 'staff',
  });

  // 1. The officer's case (its creation is the cases core's test); he asks the cyber division for support.
  await signIn(page, lang, officer, { newPassword: `Pw-${suffix}-officer-Renkei-2026`, tag: 'cw-officer' });
  const created = await call(page, 'POST', '/api/cases', { title: `不正ログイン事件 ${suffix}`, type: 'cyber_crime' });
  expect(created.status(), await created.text()).toBe(201);
  const caseId = ((await created.json()) as { id: string }).id;
  await page.goto(`/cases/${caseId}/work`);
  await expect(page.getByRole('heading', { level: 1, name: '証拠・支援・解析' })).toBeVisible();
  await page.getByLabel('要請内容').fill(`Webサーバのログ解析 ${suffix}`);
  await page.getByRole('button', { name: '支援を要請する' }).click();
  await expect(page.getByText('支援を要請しました。')).toBeVisible();
  await expect(page.getByTestId('support-table')).toContainText('受理待ち');
  await expect(page.getByTestId('support-clock').first()).toContainText('期限');
  await checkAccessibility(page, 'casework-case-page');

  // 2. The analyst sees it in the division's inbox with its working-time clock and accepts it.
  const a = await pageAs(browser, lang, analyst, `Pw-${suffix}-analyst-Renkei-2026`, 'analyst');
  await a.goto('/support');
  await expect(a.getByRole('heading', { level: 1, name: '支援要請' })).toBeVisible();
  const row = a
    .getByTestId('support-table')
    .getByRole('row')
    .filter({ hasText: `ログ解析 ${suffix}` });
  await expect(row.getByTestId('support-clock')).toContainText('時間');
  await checkAccessibility(a, 'casework-support-inbox');
  await row.getByRole('button', { name: '受理する' }).click();
  await expect(row.getByTestId('support-status')).toHaveText('受理');

  // 3. He uploads the log as evidence; its hashes are shown; he records custody.
  await a.goto(`/cases/${caseId}/work`);
  const evidence = a.getByRole('region', { name: '証拠品' });
  await evidence.getByLabel('品名').fill('Webサーバのアクセスログ');
  await evidence.getByLabel('保管場所').fill('サイバー犯罪対策課 解析室');
  await evidence.getByLabel('押収品番号').fill('押第7号の1');
  await evidence.locator('input[type=file]').setInputFiles({ name: 'access.log', mimeType: 'text/plain', buffer: LOG });
  await evidence.getByRole('button', { name: '証拠ファイルを登録' }).click();
  await evidence.getByRole('link', { name: 'Webサーバのアクセスログ' }).click();
  await expect(a.getByTestId('hash-sha256')).toHaveText(createHash('sha256').update(LOG).digest('hex'));
  await expect(a.getByTestId('hash-md5')).toHaveText(createHash('md5').update(LOG).digest('hex'));
  const evidenceUrl = new URL(a.url()).pathname;
  await a.getByRole('textbox', { name: /^場所/ }).fill('証拠品保管庫A-3');
  await a.getByRole('textbox', { name: /^理由/ }).fill('解析まで保管');
  await a.getByRole('button', { name: '保管経過を記録' }).click();
  await expect(a.getByTestId('custody-table')).toContainText('証拠品保管庫A-3');
  await expect(a.getByTestId('chain-verdict')).toContainText('正常です（2件）');
  await checkAccessibility(a, 'casework-evidence');

  // 4. An analysis request: the checklist is ticked, then sent to his superior.
  await a.goto(`/cases/${caseId}/work`);
  const analysis = a.getByRole('region', { name: '解析依頼' });
  await analysis.getByRole('checkbox', { name: 'Webサーバのアクセスログ' }).check();
  await analysis.getByLabel('解析の目的').fill('侵入経路の特定');
  await analysis.getByLabel('解析機材（1行に1つ）').fill('解析用PC（スタンドアロン）');
  await analysis.getByLabel('解析ツール（名前 バージョン、1行に1つ）').fill('Autopsy 4.21.0');
  await analysis.getByRole('button', { name: '解析依頼を作成' }).click();
  const card = analysis.locator('[data-testid^="analysis-"]').filter({ hasText: '侵入経路の特定' });
  await expect(card.getByTestId('analysis-status')).toHaveText('作成中');
  const boxes = card.getByRole('checkbox');
  const n = await boxes.count();
  for (let i = 0; i < n; i++) {
    await boxes.nth(i).check();
    await expect(boxes.nth(i)).toBeChecked();
  }
  await card.getByRole('button', { name: '上司の承認を求める' }).click();
  await expect(card.getByTestId('analysis-status')).toHaveText('承認待ち');
  await checkAccessibility(a, 'casework-analysis');

  // 5. A colleague of the same division who is no member gets nothing by URL.
  const c = await pageAs(browser, lang, colleague, `Pw-${suffix}-colleague-Renkei-2026`, 'colleague');
  const denied = await c.request.get(`/api/cases/${caseId}/evidence`);
  expect(denied.status()).toBe(404);
  await c.goto(evidenceUrl);
  await expect(c.getByText('Webサーバのアクセスログ')).toHaveCount(0);

  // 6. The superior approves it from his approvals page.
  const boss = await pageAs(browser, lang, chief, `Pw-${suffix}-chief-Renkei-2026`, 'chief');
  await boss.goto('/analysis-approvals');
  await expect(boss.getByRole('heading', { level: 1, name: '解析依頼の承認' })).toBeVisible();
  const pending = boss.locator('[data-testid^="analysis-"]').filter({ hasText: '侵入経路の特定' });
  await expect(pending).toContainText('Autopsy 4.21.0');
  await checkAccessibility(boss, 'casework-approvals');
  await pending.getByLabel('所見').fill('手順に問題なし');
  await pending.getByRole('button', { name: '承認する' }).click();
  await expect(boss.getByText('承認待ちの解析依頼はありません。')).toBeVisible();
  await a.goto(`/cases/${caseId}/work`);
  await expect(a.getByRole('region', { name: '解析依頼' }).getByTestId('analysis-status').first()).toHaveText(
    '承認済み',
  );
});
