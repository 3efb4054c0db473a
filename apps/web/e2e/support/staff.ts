import type { Browser, BrowserContext, Page } from '@playwright/test';
import { type Account, saveAccount } from './accounts';
import { ApiSession } from './api';
import type { Lang } from './i18n';
import { signIn } from './ui';

export interface StaffOptions {
  /** One role code, e.g. 'cyber_analyst'. */
  role: string;
  /** The code of the unit the person belongs to, e.g. 'cyber-ka'. */
  unit: string;
  /** Shown name; a neutral one when not given. */
  name?: string;
  /** A position code (e.g. 'chief'); none when not given. */
  position?: string;
}

/**
 * Creates a staff account (機密性2) through the admin API and saves it with its one-time password, so that any
 * spec can sign in as it. The person must still change the password and enrol TOTP at the first sign-in.
 */
export async function createStaff(login: string, options: StaffOptions): Promise<Account> {
  const admin = await ApiSession.admin();
  try {
    const units = (await admin.get('/api/admin/units')) as { items: { id: string; code: string }[] };
    const unit = units.items.find((u) => u.code === options.unit);
    if (!unit) throw new Error(`no unit ${options.unit}`);
    let positionId: string | undefined;
    if (options.position) {
      const positions = (await admin.get('/api/admin/positions')) as { items: { id: string; code: string }[] };
      positionId = positions.items.find((p) => p.code === options.position)?.id;
      if (!positionId) throw new Error(`no position ${options.position}`);
    }
    const created = (await admin.post('/api/admin/users', {
      login,
      name: options.name ?? '試験 職員',
      nameKana: 'テスト',
      unitId: unit.id,
      roles: [options.role],
      clearance: 2,
      ...(positionId ? { positionId } : {}),
    })) as { initialPassword: string };
    const account = { login, password: created.initialPassword };
    saveAccount(account);
    return account;
  } finally {
    await admin.dispose();
  }
}

/**
 * Signs in through the API (password change when asked, TOTP enrolment or verification) and hands the session
 * cookie to the browser context: for specs whose subject is not the sign-in pages.
 */
export async function signInBrowser(context: BrowserContext, account: Account, newPassword: string): Promise<void> {
  const session = await ApiSession.signIn(account, newPassword);
  await context.addCookies((await session.context.storageState()).cookies);
  await session.dispose();
}

/** A new browser context signed in as the account through the UI (for a second person in the same test). */
export async function pageAs(
  browser: Browser,
  lang: Lang,
  account: Account,
  newPassword: string,
  tag: string,
): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, lang, account, { newPassword, tag });
  return page;
}
