import { expect, type Page } from '@playwright/test';
import { checkAccessibility } from './axe';
import { type Lang, text } from './i18n';
import { button, choose, field, navigate } from './ui';

export interface NewUnit {
  code: string;
  name: string;
  nameKana: string;
  abbreviation: string;
}

/** Adds a police station (警察署) through the units page. */
export async function createStation(page: Page, lang: Lang, unit: NewUnit, tag: string): Promise<void> {
  await navigate(page, lang, 'nav.units');
  await expect(page.getByRole('heading', { level: 1, name: text(lang, 'admin.units.title') })).toBeVisible();
  await checkAccessibility(page, `${tag}-units`);
  await button(page, text(lang, 'admin.units.create')).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await field(dialog, text(lang, 'admin.units.name')).fill(unit.name);
  await field(dialog, text(lang, 'admin.units.nameKana')).fill(unit.nameKana);
  await field(dialog, text(lang, 'admin.units.code')).fill(unit.code);
  await field(dialog, text(lang, 'admin.units.abbreviation')).fill(unit.abbreviation);
  await choose(dialog, page, text(lang, 'admin.units.kind'), text(lang, 'unitKinds.station'));
  await checkAccessibility(page, `${tag}-unit-form`);
  await button(dialog, text(lang, 'common.create')).click();
  await expect(dialog).toBeHidden();
  const row = page.getByTestId(`unit-row-${unit.code}`);
  await expect(row).toBeVisible();
  await expect(row).toContainText(unit.name);
  await expect(row).toContainText(text(lang, 'unitKinds.station'));
}

export interface NewUser {
  login: string;
  name: string;
  nameKana: string;
  unitName: string;
  role: string;
}

/** Adds a staff member through the staff page and returns the one-time password it shows. */
export async function createUser(page: Page, lang: Lang, user: NewUser, tag: string): Promise<string> {
  await navigate(page, lang, 'nav.users');
  await expect(page.getByRole('heading', { level: 1, name: text(lang, 'admin.users.title') })).toBeVisible();
  await checkAccessibility(page, `${tag}-users`);
  await button(page, text(lang, 'admin.users.create')).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await field(dialog, text(lang, 'admin.users.login')).fill(user.login);
  await field(dialog, text(lang, 'admin.users.name')).fill(user.name);
  await field(dialog, text(lang, 'admin.users.nameKana')).fill(user.nameKana);
  await choose(dialog, page, text(lang, 'admin.users.unit'), user.unitName, true);
  await dialog.locator(`input[type="checkbox"][value="${user.role}"]`).check();
  await checkAccessibility(page, `${tag}-user-form`);
  await button(dialog, text(lang, 'common.create')).click();
  const secret = dialog.getByTestId('initial-password');
  await expect(secret).toBeVisible();
  const password = ((await secret.textContent()) ?? '').trim();
  expect(password.length).toBeGreaterThanOrEqual(8);
  await checkAccessibility(page, `${tag}-user-created`);
  await button(dialog, text(lang, 'common.done')).click();
  await expect(dialog).toBeHidden();
  await field(page, text(lang, 'admin.users.search')).fill(user.login);
  await expect(page.getByRole('cell', { name: user.login, exact: true })).toBeVisible();
  return password;
}
