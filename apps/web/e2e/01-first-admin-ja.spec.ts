import { expect, test } from '@playwright/test';
import { type Account, loadAccount, saveAccount, uniqueSuffix } from './support/accounts';
import { createStation, createUser } from './support/admin';
import { checkAccessibility } from './support/axe';
import { e2eAdminPassword } from './support/env';
import { text } from './support/i18n';
import { logout, navigate, signIn } from './support/ui';

const lang = 'ja';

test('初回管理者がTOTPを設定し、警察署と署員を作成し、その署員がログインできる（日本語）', async ({ page }) => {
  const admin: Account = loadAccount('admin') ?? { login: 'admin', password: e2eAdminPassword };
  await signIn(page, lang, admin, { newPassword: 'E2e-Kanri-Changed-Passw0rd', tag: 'ja-admin' });
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  const nav = page.getByRole('navigation');
  for (const key of ['nav.units', 'nav.positions', 'nav.users', 'nav.tokens']) {
    await expect(nav.getByRole('link', { name: text(lang, key) })).toBeVisible();
  }
  await checkAccessibility(page, 'ja-admin-home');

  const suffix = uniqueSuffix();
  const unitName = `連携テスト警察署${suffix}`;
  await createStation(
    page,
    lang,
    { code: `E2E-${suffix}`, name: unitName, nameKana: 'レンケイテストケイサツショ', abbreviation: '連テ' },
    'ja-admin',
  );
  const officer: Account = { login: `officer-${suffix}`, password: '' };
  officer.password = await createUser(
    page,
    lang,
    { login: officer.login, name: '巡査 一郎', nameKana: 'ジュンサ イチロウ', unitName, role: 'station_officer' },
    'ja-admin',
  );
  saveAccount(officer);

  // The other administration pages, for accessibility.
  await navigate(page, lang, 'nav.positions');
  await expect(page.getByRole('heading', { level: 1, name: text(lang, 'admin.positions.title') })).toBeVisible();
  await checkAccessibility(page, 'ja-admin-positions');
  await navigate(page, lang, 'nav.tokens');
  await expect(page.getByRole('heading', { level: 1, name: text(lang, 'admin.tokens.title') })).toBeVisible();
  await checkAccessibility(page, 'ja-admin-tokens');

  await logout(page, lang);

  // The officer: one-time password → own password → TOTP → home.
  await signIn(page, lang, officer, { newPassword: `Pw-${suffix}-Renkei-2026`, tag: 'ja-officer' });
  const summary = page.getByTestId('home-user');
  await expect(summary).toContainText('巡査 一郎');
  await expect(summary).toContainText(unitName);
  await expect(summary).toContainText(text(lang, 'roles.station_officer'));
  await expect(page.getByTestId('module-cases')).toContainText(text(lang, 'home.comingSoon'));
  await expect(page.getByTestId('module-intake')).toContainText('通報・相談');
  await expect(page.getByTestId('module-admin')).toHaveCount(0);
  await expect(page.getByRole('navigation').getByRole('link', { name: text(lang, 'nav.users') })).toHaveCount(0);
  await checkAccessibility(page, 'ja-officer-home');
  await logout(page, lang);
});
