import { expect, test } from '@playwright/test';
import { type Account, loadAccount, saveAccount, uniqueSuffix } from './support/accounts';
import { ApiSession } from './support/api';
import { checkAccessibility } from './support/axe';
import { e2eAdminPassword } from './support/env';
import { text } from './support/i18n';
import { button, choose, field, navigate, signIn } from './support/ui';

const lang = 'ja';

// Two days back: the server decides "in force" on the UTC date, one day behind Japan before 09:00 JST.
function twoDaysAgoInTokyo(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date(Date.now() - 2 * 86_400_000));
}

test('管理者は役職を追加し、所属を廃止し、APIトークンを発行・失効し、職員を無効化できる', async ({ page }) => {
  page.on('dialog', (dialog) => void dialog.accept());
  const suffix = uniqueSuffix();
  const setup = await ApiSession.admin();
  const target = await setup.createUser(`leaver-${suffix}`, '異動 三郎', ['viewer']);
  await setup.dispose();

  const admin: Account = loadAccount('admin') ?? { login: 'admin', password: e2eAdminPassword };
  await signIn(page, lang, admin, { newPassword: 'E2e-Kanri-Changed-Passw0rd', tag: 'ja-admin2' });

  // Positions: add one.
  await navigate(page, lang, 'nav.positions');
  await button(page, text(lang, 'admin.positions.create')).click();
  let dialog = page.getByRole('dialog');
  await field(dialog, text(lang, 'admin.positions.name')).fill(`係長${suffix}`);
  await field(dialog, text(lang, 'admin.positions.nameEn')).fill('Chief');
  await field(dialog, text(lang, 'admin.positions.code')).fill(`kakaricho-${suffix}`);
  await field(dialog, text(lang, 'admin.positions.rank')).fill('6');
  await checkAccessibility(page, 'ja-admin-position-form');
  await button(dialog, text(lang, 'common.create')).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('row').filter({ hasText: `係長${suffix}` })).toContainText('Chief');

  // Units: add a station, then retire it; it disappears unless retired units are shown.
  await navigate(page, lang, 'nav.units');
  await button(page, text(lang, 'admin.units.create')).click();
  dialog = page.getByRole('dialog');
  await field(dialog, text(lang, 'admin.units.name')).fill(`廃止予定署${suffix}`);
  await field(dialog, text(lang, 'admin.units.code')).fill(`OLD-${suffix}`);
  await field(dialog, text(lang, 'admin.units.validFrom')).fill('2020-04-01');
  await choose(dialog, page, text(lang, 'admin.units.kind'), text(lang, 'unitKinds.station'));
  await button(dialog, text(lang, 'common.create')).click();
  await expect(dialog).toBeHidden();
  const row = page.getByTestId(`unit-row-OLD-${suffix}`);
  await row.getByRole('button', { name: `${text(lang, 'admin.units.retire')}: 廃止予定署${suffix}` }).click();
  dialog = page.getByRole('dialog');
  // A last day in force in the past: the unit is retired.
  await field(dialog, text(lang, 'admin.units.validTo')).fill(twoDaysAgoInTokyo());
  await checkAccessibility(page, 'ja-admin-unit-retire');
  await button(dialog, text(lang, 'admin.units.retire')).click();
  await expect(dialog).toBeHidden();
  await expect(row).toHaveCount(0);
  await page.getByLabel(text(lang, 'admin.units.includeRetired')).check();
  await expect(row).toContainText(text(lang, 'admin.units.retired'));

  // Tokens: issue one (the secret is shown once), then revoke it.
  await navigate(page, lang, 'nav.tokens');
  await button(page, text(lang, 'admin.tokens.create')).click();
  dialog = page.getByRole('dialog');
  await choose(dialog, page, text(lang, 'admin.tokens.user'), `admin`, true);
  await field(dialog, text(lang, 'admin.tokens.name')).fill(`feed-${suffix}`);
  await checkAccessibility(page, 'ja-admin-token-form');
  await button(dialog, text(lang, 'admin.tokens.create')).click();
  await expect(dialog.getByTestId('token-secret')).not.toBeEmpty();
  await button(dialog, text(lang, 'common.done')).click();
  const tokenRow = page.getByRole('row').filter({ hasText: `feed-${suffix}` });
  await expect(tokenRow).toContainText(text(lang, 'admin.tokens.active'));
  await tokenRow.getByRole('button', { name: `${text(lang, 'admin.tokens.revoke')}: feed-${suffix}` }).click();
  await expect(tokenRow).toContainText(text(lang, 'admin.tokens.revoked'));
  await checkAccessibility(page, 'ja-admin-tokens-revoked');

  // Staff: open a user, disable him with a reason.
  await navigate(page, lang, 'nav.users');
  await field(page, text(lang, 'admin.users.search')).fill(target.login);
  await page.getByRole('button', { name: `${text(lang, 'common.edit')}: ${target.login}` }).click();
  const drawer = page.getByRole('dialog');
  await expect(drawer).toContainText(target.login);
  await checkAccessibility(page, 'ja-admin-user-drawer');
  await field(drawer, text(lang, 'admin.users.disableReason')).fill('人事異動のため');
  await button(drawer, text(lang, 'admin.users.disable')).click();
  await expect(button(drawer, text(lang, 'admin.users.enable'))).toBeVisible();
  saveAccount(target);
});

test('スマートフォン幅でもメニューを開いて移動できる', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const setup = await ApiSession.admin();
  const suffix = uniqueSuffix();
  const auditor = await setup.createUser(`phone-${suffix}`, '携帯 四郎', ['auditor']);
  await setup.dispose();
  await signIn(page, lang, auditor, { newPassword: `Pw-${suffix}-Renkei-2026`, tag: 'ja-phone' });
  const nav = page.getByRole('navigation');
  await expect(nav.getByRole('link', { name: text(lang, 'nav.audit') })).toBeHidden();
  await page.getByRole('button', { name: text(lang, 'app.openNavigation') }).click();
  await expect(nav.getByRole('link', { name: text(lang, 'nav.audit') })).toBeVisible();
  await checkAccessibility(page, 'ja-phone-menu');
  await nav.getByRole('link', { name: text(lang, 'nav.audit') }).click();
  await expect(page.getByRole('heading', { level: 1, name: text(lang, 'audit.title') })).toBeVisible();
  await checkAccessibility(page, 'ja-phone-audit');
});
