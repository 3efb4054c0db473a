import { expect, test } from '@playwright/test';
import { saveAccount, uniqueSuffix } from './support/accounts';
import { ApiSession } from './support/api';
import { checkAccessibility } from './support/axe';
import { text } from './support/i18n';
import { button, field, navigate, signIn } from './support/ui';

const lang = 'ja';

test('署員には管理メニューが表示されず、管理画面とAPIは拒否される', async ({ page }) => {
  const admin = await ApiSession.admin();
  const suffix = uniqueSuffix();
  const officer = await admin.createUser(`plain-${suffix}`, '一般 署員', ['station_officer']);
  await admin.dispose();
  saveAccount(officer);

  await signIn(page, lang, officer, { newPassword: `Pw-${suffix}-Renkei-2026`, tag: 'ja-plain' });
  const nav = page.getByRole('navigation');
  await expect(nav.getByRole('link', { name: text(lang, 'nav.home') })).toBeVisible();
  for (const key of ['nav.units', 'nav.positions', 'nav.users', 'nav.tokens', 'nav.audit']) {
    await expect(nav.getByRole('link', { name: text(lang, key) })).toHaveCount(0);
  }
  await expect(page.getByTestId('module-admin')).toHaveCount(0);
  // Cleared for 機密性1 only: no indicator modules either (the modules' own strings, not in ja.json).
  for (const label of ['情報分析（指標）', '検知（フィード・照合）', '情報共有（連携先）', 'TAXII連携', '送信メール']) {
    await expect(nav.getByRole('link', { name: label })).toHaveCount(0);
  }
  await expect(page.getByTestId('module-intel')).toHaveCount(0);

  for (const path of ['/admin', '/admin/users', '/admin/units', '/admin/tokens', '/audit']) {
    await page.goto(path);
    await expect(page.getByTestId('forbidden')).toBeVisible();
    await expect(page.getByRole('heading', { level: 1, name: text(lang, 'forbidden.title') })).toBeVisible();
  }
  await checkAccessibility(page, 'ja-plain-forbidden');

  // The server refuses the data too, whatever the UI shows.
  for (const path of ['/api/admin/users', '/api/admin/units', '/api/audit']) {
    const response = await page.request.get(path);
    expect(response.status(), path).toBe(403);
  }
});

test('ログインしていなければ管理画面はログイン画面へ移る', async ({ page }) => {
  await page.goto('/admin/users');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { level: 1, name: text(lang, 'auth.login.title') })).toBeVisible();
  await page.goto('/no-such-page');
  await expect(page.getByRole('heading', { level: 1, name: text(lang, 'notFound.title') })).toBeVisible();
  await checkAccessibility(page, 'ja-not-found');
});

test('監査担当は監査ログを絞り込み、チェーンを検証し、CSVを取得できる', async ({ page }) => {
  const admin = await ApiSession.admin();
  const suffix = uniqueSuffix();
  const auditor = await admin.createUser(`auditor-${suffix}`, '監査 次郎', ['auditor']);
  await admin.dispose();
  saveAccount(auditor);

  await signIn(page, lang, auditor, { newPassword: `Pw-${suffix}-Renkei-2026`, tag: 'ja-auditor' });
  await expect(page.getByRole('navigation').getByRole('link', { name: text(lang, 'nav.users') })).toHaveCount(0);
  await navigate(page, lang, 'nav.audit');
  await expect(page.getByRole('heading', { level: 1, name: text(lang, 'audit.title') })).toBeVisible();
  const table = page.getByRole('table');
  await expect(table.getByRole('row').nth(1)).toBeVisible();
  await checkAccessibility(page, 'ja-auditor-audit');

  await field(page, text(lang, 'audit.actor')).fill('admin');
  await button(page, text(lang, 'audit.apply')).click();
  await expect(table.getByRole('row').nth(1)).toContainText('admin');

  await button(page, text(lang, 'audit.verify')).click();
  await expect(page.getByTestId('verify-result')).toContainText(text(lang, 'audit.verifyOk'));
  await checkAccessibility(page, 'ja-auditor-verified');

  const csv = page.getByRole('link', { name: text(lang, 'audit.exportCsv') }).first();
  const href = await csv.getAttribute('href');
  expect(href).toMatch(/^\/api\/audit\/export\.csv\?.*actor=admin/);
  const response = await page.request.get(href ?? '');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('text/csv');
});
