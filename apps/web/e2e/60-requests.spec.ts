import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type APIResponse, type Page, expect, test } from '@playwright/test';
import { simpleParser } from 'mailparser';
import { readPdf } from '../../server/src/platform/documents/pdfText.ts';
import { type Account, saveAccount, uniqueSuffix } from './support/accounts';
import { ApiSession } from './support/api';
import { checkAccessibility } from './support/axe';
import { mailDir, phishingHosts, phishingUrl, sitesPort } from './support/phishing';
import { field, signIn } from './support/ui';

// Issue 11, "done when": an analyst picks twenty phishing URLs from a campaign; Renkei groups them by hosting provider
// (addresses → AS from the imported prefix table → the recipient mapped to the AS), captures the sites and drafts one
// takedown per provider; the unit head approves and sends; the PDFs carry today's 和暦 date and each document number;
// the notices reach a local SMTP sink; the sites go down, a re-check records it and the dashboard shows the time to
// takedown per provider. A freeze request refuses a branch the bank does not have; a preservation request warns
// before its period runs out and refuses an extension past 60 days in total.
// The "sites" are support/sites.mjs on 127.0.0.2–11 (provider A) and 127.0.0.18–27 (provider B), reached under
// reserved example.jp names through the server's test-only host map; nothing leaves the machine.
const lang = 'ja';
test.describe.configure({ mode: 'serial', timeout: 600_000 });

async function staff(login: string, name: string, head: boolean): Promise<Account> {
  const admin = await ApiSession.admin();
  const units = (await admin.get('/api/admin/units')) as { items: { id: string; code: string }[] };
  const unit = units.items.find((u) => u.code === 'cyber-ka')!;
  const positions = (await admin.get('/api/admin/positions')) as { items: { id: string; isHead: boolean }[] };
  const created = (await admin.post('/api/admin/users', {
    login,
    name,
    nameKana: 'テスト',
    unitId: unit.id,
    roles: ['cyber_analyst'],
    clearance: 2,
    ...(head ? { positionId: positions.items.find((x) => x.isHead)!.id } : {}),
  })) as { initialPassword: string };
  await admin.dispose();
  const account = { login, password: created.initialPassword };
  saveAccount(account);
  return account;
}

async function call(page: Page, method: 'GET' | 'POST', path: string, data?: object | string, type?: string) {
  const me = (await (await page.request.get('/api/auth/me')).json()) as { csrfToken: string };
  return page.request.fetch(path, {
    method,
    data,
    headers: { 'X-CSRF-Token': me.csrfToken, ...(type ? { 'Content-Type': type } : {}) },
  });
}
async function ok<T>(res: APIResponse): Promise<T> {
  expect(res.status(), await res.text()).toBeLessThan(300);
  return (await res.json().catch(() => ({}))) as T;
}

/** The messages the SMTP sink has received so far: subject, recipients, text. */
async function mailbox(): Promise<{ subject: string; to: string; text: string }[]> {
  const files = readdirSync(mailDir).filter((f) => f.endsWith('.eml'));
  return Promise.all(
    files.map(async (f) => {
      const m = await simpleParser(readFileSync(join(mailDir, f)));
      const to = Array.isArray(m.to) ? m.to.map((x) => x.text).join(', ') : (m.to?.text ?? '');
      return { subject: m.subject ?? '', to, text: m.text ?? '' };
    }),
  );
}

const wareki = () =>
  new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
    era: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'Asia/Tokyo',
  })
    .format(new Date())
    .replace(/^令和1年/, '令和元年');

interface Detail {
  id: string;
  reference: string;
  status: string;
  documentNumber: string | null;
  recipient: { name: string };
  documents: { id: string; kind: string; documentNumber: string }[];
  items: { id: string; value: string; outcome: string; capture?: { lastOutcome: string | null } | null }[];
}

test('takedowns in bulk from a campaign: grouped by provider, captured, approved, PDFs, SMTP, re-check, dashboard; freeze and preservation rules', async ({
  page,
  browser,
}) => {
  const suffix = uniqueSuffix();
  const analyst = await staff(`rq-analyst-${suffix}`, 'サイバー 分析官', false);
  const head = await staff(`rq-head-${suffix}`, 'サイバー 課長', true);
  await signIn(page, lang, analyst, { newPassword: `Pw-${suffix}-Renkei-2026`, tag: 'requests-analyst' });

  // Setup through the API: the prefix → AS table (intel's import), a case holding the twenty URLs, a campaign they
  // belong to, a bank and an ISP for the freeze and preservation requests.
  const table = await ok<{ prefixes: number }>(
    await call(
      page,
      'POST',
      '/api/observables/asn-prefixes',
      `prefix,asn,name\n127.0.0.0/28,64501,EXAMPLE-HOSTING-A ${suffix}\n127.0.0.16/28,64502,EXAMPLE-HOSTING-B ${suffix}\n`,
      'text/csv',
    ),
  );
  expect(table.prefixes).toBe(2);
  const kase = await ok<{ id: string }>(
    await call(page, 'POST', '/api/cases', { title: `フィッシング ${suffix}`, type: 'cyber_crime' }),
  );
  const urls = phishingHosts.map(phishingUrl);
  await ok(
    await call(page, 'POST', `/api/cases/${kase.id}/observables`, {
      items: urls.map((value) => ({ value, role: 'suspect' })),
    }),
  );
  const obs = await ok<{ items: { id: string; type: string; value: string }[] }>(
    await call(page, 'GET', `/api/cases/${kase.id}/observables`),
  );
  const urlObs = obs.items.filter((o) => o.type === 'url');
  expect(urlObs.map((o) => o.value).sort()).toEqual([...urls].sort());
  const campaign = await ok<{ id: string }>(
    await call(page, 'POST', '/api/observables/entities', { kind: 'campaign', name: `銀行なりすまし ${suffix}` }),
  );
  await ok(
    await call(page, 'POST', `/api/observables/entities/${campaign.id}/observables`, {
      observables: urlObs.map((o) => ({ observableId: o.id, reason: 'キャンペーンのURL' })),
    }),
  );
  const bank = await ok<{ id: string }>(
    await call(page, 'POST', '/api/requests/recipients', {
      name: `三菱UFJ銀行 ${suffix}`,
      kind: 'bank',
      bankCode: '0005',
    }),
  );
  const isp = await ok<{ id: string }>(
    await call(page, 'POST', '/api/requests/recipients', {
      name: `見本通信 ${suffix}`,
      kind: 'isp',
      legalEmail: `legal-${suffix}@isp.example.test`,
    }),
  );

  // 1. The recipients directory: provider A is added and mapped to its AS in the UI; provider B through the API.
  const providerA = `ホスティングA ${suffix}`;
  const providerB = `ホスティングB ${suffix}`;
  await page.goto('/requests/recipients');
  await field(page, '名称').fill(providerA);
  await field(page, '不正利用窓口メール').fill(`abuse-a-${suffix}@hosting-a.example.test`);
  await page.getByRole('button', { name: '宛先を登録' }).click();
  await expect(page.getByRole('table', { name: '宛先一覧' }).getByRole('cell', { name: providerA })).toBeVisible();
  await page.getByRole('combobox', { name: '宛先' }).fill(providerA);
  await page.getByRole('option', { name: providerA }).click();
  await field(page, 'AS番号（例: AS64501）').fill('AS64501');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByText('保存しました')).toBeVisible();
  await expect(
    page.getByRole('table', { name: '宛先一覧' }).getByRole('row', { name: new RegExp(`${providerA}.*AS64501`) }),
  ).toBeVisible();
  await checkAccessibility(page, 'requests-recipients');
  const b = await ok<{ id: string }>(
    await call(page, 'POST', '/api/requests/recipients', {
      name: providerB,
      kind: 'hosting',
      abuseEmail: `abuse-b-${suffix}@hosting-b.example.test`,
    }),
  );
  expect(
    (await call(page, 'POST', '/api/requests/recipients/networks', { recipientId: b.id, asn: 'AS64502' })).status(),
  ).toBe(204);

  // 2. The analyst loads the campaign on the batch page, picks all twenty URLs and previews the grouping.
  await page.goto('/requests');
  await page.getByRole('link', { name: 'テイクダウン一括起案' }).click();
  await expect(page).toHaveURL(/\/requests\/takedowns\/new/);
  await field(page, '取得元ID').fill(campaign.id);
  await page.getByRole('button', { name: '読み込む' }).click();
  for (const u of urls) await expect(page.getByRole('checkbox', { name: u, exact: true })).toBeVisible();
  await page.getByRole('checkbox', { name: 'すべて選択' }).check();
  await expect(page.getByText('20件を選択')).toBeVisible();
  await page.getByRole('button', { name: '宛先ごとに分ける' }).click();
  const groups = page.getByRole('table', { name: '宛先ごとの内訳' });
  await expect(groups.getByRole('row', { name: new RegExp(`${providerA}.*AS64501\\s*10$`) })).toBeVisible();
  await expect(groups.getByRole('row', { name: new RegExp(`${providerB}.*AS64502\\s*10$`) })).toBeVisible();
  await expect(groups.getByRole('row')).toHaveCount(3);
  await checkAccessibility(page, 'requests-takedowns');

  // 3. 一括起案 with capture: one draft per provider, every site captured (in the background) while up.
  await expect(page.getByRole('checkbox', { name: '起案前にサイトを保全する（HTML・画面・ハッシュ）' })).toBeChecked();
  await field(page, '依頼理由').fill('金融機関を装うフィッシングサイト（ログイン情報の窃取）');
  await page.getByRole('button', { name: '一括起案' }).click();
  // Either the drafts or an error: an error fails here at once instead of after the time-out.
  await expect(page.getByTestId('takedown-result').or(page.getByRole('alert'))).toBeVisible({ timeout: 300_000 });
  await expect(page.getByText('2件の依頼を起案しました')).toBeVisible();
  const drafts = page.getByRole('table', { name: '起案した依頼' });
  await expect(drafts.getByRole('row')).toHaveCount(3);
  // The drafts come back at once, the captures run in the background: the page follows them until all are done.
  const captures = page.getByRole('table', { name: 'サイトの保全結果' });
  await expect(captures.getByRole('row')).toHaveCount(21);
  await expect(page.getByTestId('capture-progress')).toHaveText(/^(取得中 \d+|保全完了 20)\/20$/);
  await expect(page.getByTestId('capture-progress')).toHaveText('保全完了 20/20', { timeout: 180_000 });
  await expect(captures.getByRole('row', { name: /稼働中/ })).toHaveCount(20);
  await checkAccessibility(page, 'requests-takedowns-result');
  const paths: string[] = [];
  for (const provider of [providerA, providerB]) {
    const href = await drafts.getByRole('link', { name: `依頼を開く: ${provider}` }).getAttribute('href');
    expect(href).toMatch(/^\/requests\/[0-9a-f-]{36}$/);
    paths.push(href!);
  }
  await page.goto(paths[0]!);
  await expect(page.getByText('起案中').first()).toBeVisible();
  await expect(page.getByRole('button', { name: '決裁する' })).toHaveCount(0);
  await expect(page.getByRole('table', { name: '対象' }).getByRole('row', { name: /稼働中/ })).toHaveCount(10);

  // 4. The unit head approves both and sends them by e-mail.
  const context = await browser.newContext();
  const hp = await context.newPage();
  await signIn(hp, lang, head, { newPassword: `Pw-${suffix}-Head-2026`, tag: 'requests-head' });
  const details: Detail[] = [];
  for (const path of paths) {
    await hp.goto(path);
    await hp.getByRole('button', { name: '決裁する' }).click();
    await expect(hp.getByTestId('document-number')).toContainText(/第\d+号/);
    await hp.getByRole('button', { name: 'メールで送付' }).click();
    await expect(hp.getByText('送付済').first()).toBeVisible();
    details.push(await ok<Detail>(await call(hp, 'GET', `/api${path}`)));
  }
  await checkAccessibility(hp, 'requests-detail');
  expect(details.map((d) => d.recipient.name)).toEqual([providerA, providerB]);
  for (const d of details) expect(d.items).toHaveLength(10);

  // 5. The letters: today's 和暦 date (JST) and each request's own document number.
  for (const d of details) {
    const letter = d.documents.find((x) => x.kind === 'letter')!;
    const pdf = await hp.request.get(`/api/requests/${d.id}/documents/${letter.id}`);
    expect(pdf.status()).toBe(200);
    const text = (await readPdf(new Uint8Array(await pdf.body()))).pages.map((p) => p.text).join('\n');
    expect(text).toContain(wareki());
    expect(d.documentNumber).toMatch(/第\d+号/);
    expect(text).toContain(d.documentNumber!);
  }
  expect(details[0]!.documentNumber).not.toBe(details[1]!.documentNumber);

  // 6. Both notices reached the SMTP server, each with its reference in the subject, to its provider's abuse desk.
  await expect
    .poll(async () => (await mailbox()).filter((m) => details.some((d) => m.subject.includes(d.reference))).length, {
      timeout: 60_000,
    })
    .toBe(2);
  const mails = await mailbox();
  for (const [i, d] of details.entries()) {
    const m = mails.find((x) => x.subject.includes(d.reference))!;
    expect(m.to).toContain(
      i === 0 ? `abuse-a-${suffix}@hosting-a.example.test` : `abuse-b-${suffix}@hosting-b.example.test`,
    );
  }

  // 7. The providers take the sites down; 「再確認」 finds them gone and records the takedown.
  const down = await fetch(`http://127.0.0.1:${sitesPort}/__admin/down`, {
    method: 'POST',
    body: JSON.stringify({ hosts: phishingHosts.map((h) => h.host) }),
  });
  expect(down.status).toBe(200);
  for (const path of paths) {
    await page.goto(path);
    await page.getByRole('button', { name: '再確認' }).click();
    await expect(page.getByText('再確認しました（10件が停止）')).toBeVisible({ timeout: 120_000 });
    for (let n = 1; n <= 10; n++)
      await expect(page.getByRole('combobox', { name: `結果 ${n}`, exact: true })).toHaveValue('停止済');
    const after = await ok<Detail>(await call(page, 'GET', `/api${path}`));
    expect(after.items.map((i) => i.outcome)).toEqual(Array(10).fill('taken_down'));
  }
  await checkAccessibility(page, 'requests-detail-rechecked');

  // 7b. A capture the guard refuses (credentials in the URL) is recorded as failed; 「失敗した取得を再試行」 queues it
  // again and the background job tries it once more (refused again: the guard does not change its mind).
  const credUrl = phishingUrl(phishingHosts[0]!).replace('http://', 'http://user:pw@');
  const retried = await ok<{ requests: { id: string }[] }>(
    await call(page, 'POST', '/api/requests/takedowns', {
      urls: [credUrl],
      title: `資格情報付きURL ${suffix}`,
      reason: 'フィッシング',
      screenshot: false,
    }),
  );
  await page.goto(`/requests/${retried.requests[0]!.id}`);
  await expect(page.getByTestId('capture-progress')).toHaveText('保全完了 1/1', { timeout: 120_000 });
  await checkAccessibility(page, 'requests-capture-failed');
  await page.getByRole('button', { name: '失敗した取得を再試行' }).click();
  await expect(page.getByText('1件の取得を再試行します')).toBeVisible();
  await expect(page.getByRole('cell', { name: '取得再試行', exact: true })).toBeVisible();
  await expect(page.getByRole('cell', { name: '取得失敗', exact: true })).toHaveCount(2, { timeout: 120_000 });
  await expect(page.getByRole('button', { name: '失敗した取得を再試行' })).toBeVisible();

  // 8. The dashboard shows the time to takedown for both providers.
  await hp.goto('/requests/dashboard');
  await expect(hp.getByTestId('time-to-outcome')).toContainText(`${providerA}（停止済）`);
  await expect(hp.getByTestId('time-to-outcome')).toContainText(`${providerB}（停止済）`);
  await checkAccessibility(hp, 'requests-dashboard');

  // 9. A freeze request refuses a branch code the bank does not have (and shows the names of a real one).
  const freeze = (branchCode: string) =>
    call(page, 'POST', '/api/requests', {
      typeCode: 'koza_toketsu',
      recipientId: bank.id,
      title: `詐欺利用口座 ${suffix}`,
      fields: { 被害者振込日時: '2026-03-30', 振込金額: 150000, 同意: '有' },
      items: [
        {
          kind: 'bank_account',
          account: {
            bankCode: '0005',
            branchCode,
            accountType: 'futsu',
            number: '0619622',
            holderKana: 'ショウシュウ（カ',
          },
        },
      ],
    });
  const refused = await freeze('999');
  expect(refused.status()).toBe(400);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('REQUEST_BRANCH_UNKNOWN');
  const frozen = await ok<{ id: string }>(await freeze('170'));
  await page.goto(`/requests/${frozen.id}`);
  await expect(page.locator('body')).toContainText('西池袋');
  await expect(page.locator('body')).toContainText('ｼﾖｳｼﾕｳ(ｶ');

  // 10. A preservation request of 5 days: the page warns that the period is about to run out; extended to 60 days in
  // total the warning goes; one day more is refused.
  const pres = await ok<{ id: string }>(
    await call(page, 'POST', '/api/requests', {
      typeCode: 'hozen_yosei',
      recipientId: isp.id,
      title: `通信履歴保全 ${suffix}`,
      fields: { 保全対象記録: '接続記録（送信元・通信日時）' },
      items: [{ kind: 'ipv4', value: '192.0.2.44' }],
      periodDays: 5,
    }),
  );
  await ok(await call(hp, 'POST', `/api/requests/${pres.id}/approve`, {}));
  await ok(await call(hp, 'POST', `/api/requests/${pres.id}/send`, { via: 'mail' }));
  await page.goto(`/requests/${pres.id}`);
  await expect(page.getByText('保全期限まで残り5日です')).toBeVisible();
  await expect(page.getByText('あと55日延長できます')).toBeVisible();
  await checkAccessibility(page, 'requests-preservation-warning');
  await field(page, '延長日数').fill('55');
  await page.getByRole('button', { name: '保全期間を延長' }).click();
  await expect(page.locator('body')).toContainText('（60日）');
  await expect(page.getByText(/保全期限まで残り/)).toHaveCount(0);
  const past = await call(page, 'POST', `/api/requests/${pres.id}/extend`, { days: 1 });
  expect(past.status()).toBe(409);
  expect(((await past.json()) as { error: { code: string } }).error.code).toBe('REQUEST_PRESERVATION_LIMIT');
  await context.close();
});
