import { expect, test } from '@playwright/test';
import { uniqueSuffix } from './support/accounts';
import { checkAccessibility } from './support/axe';
import { call, ok } from './support/http';
import { createStaff } from './support/staff';
import { signIn } from './support/ui';

// Issue 7 (cases core): a station officer's report becomes a case; a user of another unit gets nothing by URL or
// search; the case prints to PDF. URLs are documentation names (.example); nothing is fetched.
const lang = 'ja';

// Four sign-ins and four accessibility checks: slow on a loaded machine.
test.describe.configure({ mode: 'serial', timeout: 300_000 });

test("a station officer's report becomes a case that another unit cannot see, and it prints", async ({
  page,
  browser,
}) => {
  const suffix = uniqueSuffix();
  const title = `ランサムウェア被害 ${suffix}`;
  const URL_VALUE = `hxxps://ransom-pay[.]example/${suffix}`;
  const officer = await createStaff(`case-officer-${suffix}`, {
    role: 'station_officer',
    unit: 'st-koriyama',
    name: '郡山署 警察官',
  });
  const outsider = await createStaff(`case-outsider-${suffix}`, {
    role: 'investigator',
    unit: 'st-aizuwakamatsu',
    name: '会津若松署 捜査員',
  });

  await signIn(page, lang, officer, { newPassword: `Pw-${suffix}-Renkei-2026`, tag: 'cases-officer' });
  const entry = await call(page, 'POST', '/api/intake/reports', {
    channel: 'counter',
    kind: 'report',
    reporterType: 'business',
    narrative: `${title}：社内サーバが暗号化され、脅迫文に ${URL_VALUE} への連絡が指示されていた。`,
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
  // For the officer the case is a place of its URL (so the outsider's refusal in step 4 is not vacuous).
  const caseId = caseUrl.split('/').pop() ?? '';
  const lookupPath = `/api/observables/lookup?value=${encodeURIComponent(URL_VALUE)}`;
  const mine = await ok<{ places: { type: string; id: string; title: string | null }[] }>(
    await call(page, 'GET', lookupPath),
  );
  expect(mine.places.find((place) => place.type === 'case' && place.id === caseId)?.title).toContain(title);

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

  // 4. A user of another unit: nothing by URL, search or correlation (the case's URL), 404 from the API.
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
  // Correlation: looking up the case's URL tells him nothing of the case. The value itself is not secret here: the
  // report it came from is counted as a record he may not read (reports' count policy); the case is not even named.
  await other.goto('/intel');
  await other.getByLabel('照会する値').fill(URL_VALUE);
  await other.getByRole('button', { name: '照会', exact: true }).click();
  await other.waitForURL(/\/intel\/observables\/[0-9a-f-]{36}$/);
  await expect(other.getByTestId('observable-display')).toContainText(`ransom-pay.example/${suffix}`);
  const main = other.getByRole('main');
  await expect(main).toContainText('閲覧権限のない記録 1件');
  await expect(main).not.toContainText('事件');
  await expect(main).not.toContainText(title);
  await checkAccessibility(other, 'cases-outsider-lookup');
  const lookup = await other.request.get(lookupPath);
  expect(lookup.status()).toBe(200);
  const seen = (await lookup.json()) as {
    observable: { counts: { placeType: string }[] };
    places: { type: string }[];
  };
  expect(seen.observable.counts.map((c) => c.placeType)).not.toContain('case');
  expect(seen.places.map((place) => place.type)).not.toContain('case');
  const body = JSON.stringify(seen);
  expect(body).not.toContain(title);
  expect(body).not.toContain(caseId);
  // Nor do the case's places of the value show when he asks for them directly.
  const observableId = new URL(other.url()).pathname.split('/').pop() ?? '';
  const places = await other.request.get(`/api/observables/${observableId}/places?type=case`);
  expect(places.status()).toBe(200);
  expect(((await places.json()) as { items: unknown[] }).items).toEqual([]);
  await context.close();
});
