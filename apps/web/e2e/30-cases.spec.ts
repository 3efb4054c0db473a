import { type Page, expect, test } from '@playwright/test';
import { type Account, saveAccount, uniqueSuffix } from './support/accounts';
import { ApiSession } from './support/api';
import { checkAccessibility } from './support/axe';
import { signIn } from './support/ui';

// Issue 7 (cases core): a station officer's report becomes a case; a user of another unit gets nothing by URL or
// search; the case prints to PDF. URLs are documentation names (.example); nothing is fetched.
const lang = 'ja';

// Four sign-ins and four accessibility checks: slow on a loaded machine.
test.describe.configure({ mode: 'serial', timeout: 300_000 });

async function staff(login: string, role: string, unitCode: string, name: string): Promise<Account> {
  const admin = await ApiSession.admin();
  const units = (await admin.get('/api/admin/units')) as { items: { id: string; code: string }[] };
  const unit = units.items.find((u) => u.code === unitCode);
  if (!unit) throw new Error(`no unit ${unitCode}`);
  const created = (await admin.post('/api/admin/users', {
    login,
    name,
    nameKana: 'テスト',
    unitId: unit.id,
    roles: [role],
    clearance: 2,
  })) as { initialPassword: string };
  await admin.dispose();
  const account = { login, password: created.initialPassword };
  saveAccount(account);
  return account;
}

/** A JSON call from the signed-in page (same cookies), with the session's CSRF token. */
async function call(page: Page, method: 'GET' | 'POST', path: string, data?: object) {
  const me = (await (await page.request.get('/api/auth/me')).json()) as { csrfToken: string };
  return page.request.fetch(path, { method, data, headers: { 'X-CSRF-Token': me.csrfToken } });
}

test("a station officer's report becomes a case that another unit cannot see, and it prints", async ({
  page,
  browser,
}) => {
  const suffix = uniqueSuffix();
  const title = `ランサムウェア被害 ${suffix}`;
  const officer = await staff(`case-officer-${suffix}`, 'station_officer', 'st-koriyama', '郡山署 警察官');
  const outsider = await staff(`case-outsider-${suffix}`, 'investigator', 'st-aizuwakamatsu', '会津若松署 捜査員');

  await signIn(page, lang, officer, { newPassword: `Pw-${suffix}-Renkei-2026`, tag: 'cases-officer' });
  const entry = await call(page, 'POST', '/api/intake/reports', {
    channel: 'counter',
    kind: 'report',
    reporterType: 'business',
    narrative: `${title}：社内サーバが暗号化され、脅迫文に hxxps://ransom-pay[.]example/${suffix} への連絡が指示されていた。`,
  });
  expect(entry.status(), await entry.text()).toBe(201);
  const reportId = ((await entry.json()) as { id: string }).id;

  // 1. The report page: "事件化する" opens a case linked to the report, with its values as observables.
  await page.goto(`/intake/reports/${reportId}`);
  await page.getByRole('button', { name: '事件化する' }).click();
  await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
  const caseUrl = new URL(page.url()).pathname;
  await expect(page.getByRole('heading', { level: 1 })).toContainText(/令和\d+年.+第\d+号/);
  await expect(page.getByTestId('case-stage')).toHaveText('認知');
  await expect(page.getByTestId('case-observables')).toContainText('ransom-pay.example');
  await expect(page.getByTestId('case-members')).toContainText('主任者');
  await expect(page.getByTestId('case-timeline')).toContainText('を関連付け');

  // 2. A note in the timeline, then the list finds the case by a word of that note.
  await page.getByLabel('経過を記録').fill(`被害企業から VPN 機器のログ提出 ${suffix}`);
  await page.getByRole('button', { name: '追加', exact: true }).last().click();
  await expect(page.getByTestId('case-timeline')).toContainText(`ログ提出 ${suffix}`);
  await checkAccessibility(page, 'cases-case-page');
  await page.goto('/cases');
  await page.getByLabel('検索（事件名・概要・経過）').fill(`ログ提出 ${suffix}`);
  await page.getByRole('button', { name: '検索', exact: true }).click();
  await expect(page.getByTestId('cases-table')).toContainText(title);
  await checkAccessibility(page, 'cases-list');

  // 3. The summary prints as a Japanese PDF.
  const pdf = await page.request.get(`/api/${caseUrl.slice(1)}/summary.pdf`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toContain('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

  // 4. A user of another unit: nothing by URL, nothing by search, 404 from the API.
  const context = await browser.newContext();
  const other = await context.newPage();
  await signIn(other, lang, outsider, { newPassword: `Pw-${suffix}-Other-2026`, tag: 'cases-outsider' });
  await other.goto(caseUrl);
  await expect(other.getByTestId('case-not-found')).toBeVisible();
  await expect(other.locator('body')).not.toContainText(title);
  await checkAccessibility(other, 'cases-not-found');
  await other.goto('/cases');
  await other.getByLabel('検索（事件名・概要・経過）').fill(suffix);
  await other.getByRole('button', { name: '検索', exact: true }).click();
  await expect(other.getByText('該当する事件はありません。')).toBeVisible();
  const api = await other.request.get(`/api${caseUrl}`);
  expect(api.status()).toBe(404);
  expect(await api.text()).not.toContain(title);
  await context.close();
});
