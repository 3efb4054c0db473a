import { expect, test } from '@playwright/test';
import { type Account, loadAccount, saveAccount, uniqueSuffix } from './support/accounts';
import { createStation, createUser } from './support/admin';
import { checkAccessibility } from './support/axe';
import { e2eAdminPassword } from './support/env';
import { text } from './support/i18n';
import { button, logout, signIn } from './support/ui';

const lang = 'en';

test('in English: the admin creates a station and an officer, who then signs in', async ({ page }) => {
  // Japanese by default; the header switch turns the UI to English and the choice survives a reload.
  await page.goto('/login');
  await expect(page.getByRole('heading', { level: 1, name: text('ja', 'auth.login.title') })).toBeVisible();
  await page.getByTestId('language-switch').click();
  await expect(page.getByRole('heading', { level: 1, name: text(lang, 'auth.login.title') })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: text(lang, 'auth.login.title') })).toBeVisible();

  const admin: Account = loadAccount('admin') ?? { login: 'admin', password: e2eAdminPassword };
  await signIn(page, lang, admin, { newPassword: 'E2e-Kanri-Changed-Passw0rd', tag: 'en-admin' });
  await checkAccessibility(page, 'en-admin-home');

  const suffix = uniqueSuffix();
  const unitName = `Renkei Test Station ${suffix}`;
  await createStation(
    page,
    lang,
    { code: `E2E-EN-${suffix}`, name: unitName, nameKana: 'レンケイテストショ', abbreviation: 'RT' },
    'en-admin',
  );
  const officer: Account = { login: `officer-en-${suffix}`, password: '' };
  officer.password = await createUser(
    page,
    lang,
    { login: officer.login, name: 'Hanako Keibu', nameKana: 'ハナコ ケイブ', unitName, role: 'station_officer' },
    'en-admin',
  );
  saveAccount(officer);
  await logout(page, lang);

  await signIn(page, lang, officer, { newPassword: `En-${suffix}-Renkei-2026`, tag: 'en-officer' });
  await expect(page.getByTestId('home-user')).toContainText(unitName);
  await expect(page.getByTestId('module-cases')).toContainText(text(lang, 'home.comingSoon'));
  await expect(page.getByTestId('module-cases')).toContainText(text(lang, 'modules.cases.title'));
  await checkAccessibility(page, 'en-officer-home');

  // And back to Japanese from the header.
  await button(page.getByRole('banner'), '日本語').click();
  await expect(page.getByRole('heading', { level: 1, name: text('ja', 'home.title') })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await logout(page, 'ja');
});
