import { expect, test } from '@playwright/test';
import { uniqueSuffix } from './support/accounts';
import { checkAccessibility } from './support/axe';
import { call } from './support/http';
import { createStaff } from './support/staff';
import { choose, field, signIn } from './support/ui';

// Issue 7 (case work forms): on his case's work page the officer registers a seizure warrant linked to an evidence
// item, then the business victim's profile and its early-recovery checklist, where recovery stays locked until
// every preservation step is done (the server refuses it too).
const lang = 'ja';

test.describe.configure({ mode: 'serial', timeout: 300_000 });

test('a warrant linked to evidence, and the victim checklist with preservation before recovery', async ({ page }) => {
  const suffix = uniqueSuffix();
  const account = await createStaff(`cwf-officer-${suffix}`, {
    role: 'station_officer',
    unit: 'st-koriyama',
    name: '郡山署 捜査員',
  });
  await signIn(page, lang, account, { newPassword: `Pw-${suffix}-cwf-Renkei-2026`, tag: 'cwf-officer' });
  const created = await call(page, 'POST', '/api/cases', {
    title: `ランサムウェア事件 ${suffix}`,
    type: 'cyber_crime',
  });
  expect(created.status(), await created.text()).toBe(201);
  const caseId = ((await created.json()) as { id: string }).id;
  const ev = await call(page, 'POST', `/api/cases/${caseId}/evidence/registered`, {
    title: `被害サーバのディスク複製 ${suffix}`,
    location: 'フォレンジック保管庫',
    sha256: 'a'.repeat(64),
  });
  expect(ev.status(), await ev.text()).toBe(201);

  await page.goto(`/cases/${caseId}/work`);
  await expect(page.getByRole('heading', { level: 1, name: '証拠・支援・解析' })).toBeVisible();

  // 1. The warrant: kind, number, court, validity, target, and the evidence item it authorises.
  const form = page.getByRole('form', { name: '令状を登録' });
  await choose(form, page, '令状の種類', '記録命令付差押許可状');
  await field(form, '令状番号').fill(`令状第${suffix}号`);
  await field(form, '発付裁判所').fill('福島地方裁判所郡山支部');
  await field(form, '発付日').fill('2026-11-20');
  await field(form, '有効期間の末日').fill('2026-12-04');
  await field(form, '対象（差し押さえるべき物・場所）').fill('被害サーバのログ（2026年11月分）');
  await form.getByRole('combobox', { name: 'この令状で差し押さえる証拠品' }).click();
  await page.getByRole('option', { name: `被害サーバのディスク複製 ${suffix}` }).click();
  await page.keyboard.press('Escape');
  await form.getByRole('button', { name: '令状を登録' }).click();
  await expect(page.getByText('令状を登録しました。')).toBeVisible();
  const warrants = page.getByRole('region', { name: '令状' });
  await expect(warrants).toContainText('記録命令付差押許可状');
  await expect(warrants).toContainText(`令状第${suffix}号`);
  const detail = await call(page, 'GET', `/api/cases/${caseId}/evidence/${((await ev.json()) as { id: string }).id}`);
  expect(((await detail.json()) as { warrants: { reference: string }[] }).warrants.map((w) => w.reference)).toContain(
    `令状第${suffix}号`,
  );

  // 2. The victim profile: once saved, its checklist appears with recovery locked.
  const victim = page.getByRole('region', { name: '被害事業者情報と早期復旧チェックリスト' });
  await choose(victim, page, '事案の種別', 'ランサムウェア');
  await field(victim, '被害の影響').fill('基幹業務サーバが暗号化され受注業務が停止');
  await victim.getByRole('button', { name: '被害事業者情報を保存' }).click();
  await expect(page.getByText('被害事業者情報を保存しました。')).toBeVisible();
  const checklist = victim.getByTestId('victim-checklist');
  const recovery = checklist.getByRole('group', { name: '復旧（証拠保全の完了後）' }).getByRole('checkbox');
  const preservation = checklist.getByRole('group', { name: '証拠保全（先に完了させる）' }).getByRole('checkbox');
  await expect(preservation).toHaveCount(5); // ransomware adds the ransom-note step
  await expect(recovery.first()).toBeDisabled();
  await expect(victim).toContainText('証拠保全の全項目が完了するまで復旧の項目は記録できません。');
  const refused = await call(page, 'POST', `/api/cases/${caseId}/victim-profile/checklist/backup`, { done: true });
  expect(refused.status()).toBeGreaterThanOrEqual(400);
  expect(refused.status()).toBeLessThan(500);
  await checkAccessibility(page, 'casework-forms');

  // 3. Keyboard: tick every preservation step with Space; the recovery steps unlock.
  for (let i = 0; i < 5; i++) {
    await preservation.nth(i).focus();
    await page.keyboard.press('Space');
    await expect(preservation.nth(i)).toBeChecked();
  }
  await expect(recovery.first()).toBeEnabled();
  await recovery.first().focus();
  await page.keyboard.press('Space');
  await expect(recovery.first()).toBeChecked();
  await page.reload();
  await expect(
    page
      .getByTestId('victim-checklist')
      .getByRole('group', { name: '復旧（証拠保全の完了後）' })
      .getByRole('checkbox')
      .first(),
  ).toBeChecked();
  // 4. An outgoing international assistance request through ICPO, then marked as sent.
  const assist = page.getByRole('region', { name: '捜査共助・国際捜査共助' });
  await choose(assist, page, '区分', '国際捜査共助');
  await expect(field(assist, '経路')).toHaveValue('ICPO');
  await field(assist, '相手方').fill('米国連邦捜査局（FBI）');
  await field(assist, '件名').fill(`C2サーバの加入者情報照会 ${suffix}`);
  await assist.getByRole('button', { name: '共助を登録' }).click();
  await expect(page.getByText('共助を登録しました。')).toBeVisible();
  const row = assist
    .getByTestId('assistance-table')
    .getByRole('row')
    .filter({ hasText: `加入者情報照会 ${suffix}` });
  await expect(row).toContainText('ICPO');
  await choose(row, page, `状態 C2サーバの加入者情報照会 ${suffix}`, '送付済み');
  await expect(field(row, `状態 C2サーバの加入者情報照会 ${suffix}`)).toHaveValue('送付済み');
  // 5. A joint investigation with another prefecture and what was given to it.
  const joint = page.getByRole('region', { name: '合同捜査・共同捜査' });
  await field(joint, '相手方').fill(`宮城県警察 ${suffix}`);
  await joint.getByRole('button', { name: '合同捜査・共同捜査を登録' }).click();
  const share = joint.getByRole('form', { name: `共有を記録 宮城県警察 ${suffix}` });
  await field(share, '共有した情報').fill('C2サーバのIPアドレス一覧');
  await share.getByRole('button', { name: '共有を記録' }).click();
  await expect(joint).toContainText('提供：C2サーバのIPアドレス一覧');

  // 6. Reports to the NPA are the cyber analysts': the officer sees a note, not an error.
  await expect(page.getByRole('region', { name: '警察庁への報告' })).toContainText('サイバー解析担当が作成します');
  await checkAccessibility(page, 'casework-forms-assistance');
});
