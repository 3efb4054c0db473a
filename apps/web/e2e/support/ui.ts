import { expect, type Locator, type Page } from '@playwright/test';
import { type Account, saveAccount } from './accounts';
import { checkAccessibility } from './axe';
import { type Lang, text } from './i18n';
import { totpCode } from './totp';

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The input labelled exactly `label` (Mantine appends " *" to required labels). */
export function field(scope: Page | Locator, label: string): Locator {
  return scope.getByLabel(new RegExp(`^${escapeRegExp(label)}\\s*\\*?$`));
}

export function button(scope: Page | Locator, name: string): Locator {
  return scope.getByRole('button', { name, exact: true });
}

/** Picks an option of a Mantine Select (typing first when the select is searchable). */
export async function choose(scope: Page | Locator, page: Page, label: string, option: string, type = false) {
  const input = field(scope, label);
  await input.click();
  if (type) await input.fill(option);
  await page.getByRole('option', { name: option }).first().click();
}

interface SignInOptions {
  /** Used when the server asks for a password change. */
  newPassword?: string;
  /** Prefix for the accessibility checks' names. */
  tag: string;
}

/**
 * Logs in through the UI and completes whatever stage the server asks for (password change, TOTP enrolment
 * or verification) until the home page. Secrets and new passwords are saved for later sign-ins.
 */
export async function signIn(page: Page, lang: Lang, account: Account, options: SignInOptions): Promise<void> {
  await page.goto('/login');
  await expect(page.getByRole('heading', { level: 1, name: text(lang, 'auth.login.title') })).toBeVisible();
  await checkAccessibility(page, `${options.tag}-login`);
  await field(page, text(lang, 'auth.login.loginId')).fill(account.login);
  await field(page, text(lang, 'auth.login.password')).fill(account.password);
  await button(page, text(lang, 'auth.login.submit')).click();
  await page.waitForURL((url) => url.pathname !== '/login');

  for (let step = 0; step < 4; step += 1) {
    const path = new URL(page.url()).pathname;
    if (path === '/') break;
    if (path === '/password') {
      if (!options.newPassword) throw new Error(`${account.login}: the server asks for a new password`);
      await expect(page.getByRole('heading', { level: 1, name: text(lang, 'auth.password.title') })).toBeVisible();
      await checkAccessibility(page, `${options.tag}-password`);
      await field(page, text(lang, 'auth.password.current')).fill(account.password);
      await field(page, text(lang, 'auth.password.new')).fill(options.newPassword);
      await field(page, text(lang, 'auth.password.confirm')).fill(options.newPassword);
      await button(page, text(lang, 'auth.password.submit')).click();
      await page.waitForURL((url) => url.pathname !== '/password');
      account.password = options.newPassword;
      saveAccount(account);
    } else if (path === '/mfa/enrol') {
      await enrolTotp(page, lang, account, options.tag);
    } else if (path === '/mfa/verify') {
      if (!account.totpSecret) throw new Error(`${account.login}: TOTP enrolled but its secret is unknown`);
      await expect(page.getByRole('heading', { level: 1, name: text(lang, 'auth.totp.title') })).toBeVisible();
      await checkAccessibility(page, `${options.tag}-totp-verify`);
      await field(page, text(lang, 'auth.totp.code')).fill(await totpCode(account.totpSecret));
      await button(page, text(lang, 'auth.totp.submit')).click();
      await page.waitForURL((url) => url.pathname !== '/mfa/verify');
    } else {
      throw new Error(`unexpected page after login: ${path}`);
    }
  }
  await expect(page.getByRole('heading', { level: 1, name: text(lang, 'home.title') })).toBeVisible();
}

/** On the enrolment page: reads the secret shown for manual entry, answers with a code, keeps the recovery codes. */
async function enrolTotp(page: Page, lang: Lang, account: Account, tag: string): Promise<void> {
  const secretBox = page.getByTestId('totp-secret');
  await expect(secretBox).toBeVisible();
  await expect(page.getByTestId('totp-qr')).toBeVisible();
  await checkAccessibility(page, `${tag}-totp-enrol`);
  const secret = ((await secretBox.textContent()) ?? '').replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]+=*$/);
  account.totpSecret = secret;
  saveAccount(account);
  await field(page, text(lang, 'auth.totp.code')).fill(await totpCode(secret));
  await button(page, text(lang, 'auth.enrol.submit')).click();
  const codes = page.getByTestId('recovery-codes');
  await expect(codes).toBeVisible();
  await expect(codes.locator('code')).toHaveCount(10);
  await checkAccessibility(page, `${tag}-recovery-codes`);
  const next = button(page, text(lang, 'auth.enrol.continue'));
  await expect(next).toBeDisabled();
  await page.getByLabel(text(lang, 'auth.enrol.savedCheckbox')).check();
  await next.click();
  await page.waitForURL((url) => url.pathname === '/');
}

export async function logout(page: Page, lang: Lang): Promise<void> {
  await button(page.getByRole('banner'), text(lang, 'auth.logout')).click();
  await page.waitForURL((url) => url.pathname === '/login');
}

/** Follows a link of the main navigation. */
export async function navigate(page: Page, lang: Lang, key: string): Promise<void> {
  await page
    .getByRole('navigation')
    .getByRole('link', { name: text(lang, key) })
    .click();
}
