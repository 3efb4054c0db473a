import { readFileSync, writeFileSync } from 'node:fs';
import { type Page, expect, test } from '@playwright/test';
import { type Account, saveAccount, uniqueSuffix } from './support/accounts';
import { ApiSession } from './support/api';
import { checkAccessibility } from './support/axe';
import { choose, signIn } from './support/ui';

// Issue 7 §4 (case package as a STIX bundle): an analyst chooses the partner prefecture and the timeline entries,
// sees what will be withheld and why (the victim's mail address and the entry naming her), downloads the
// .stix.json, and imports it into another case, where the summary and the chosen entry arrive as received.
// A broken file is refused with its reason. Documentation names only (.example); nothing is fetched.
const lang = 'ja';
test.describe.configure({ mode: 'serial', timeout: 300_000 });

const suffix = uniqueSuffix();
const PARTNER = `福島県警察 ${suffix}`;
const URL_DEFANGED = `hxxps://pkg-${suffix}[.]example/login`;
const URL_PLAIN = `https://pkg-${suffix}.example/login`;
const VICTIM_MAIL = `hanako-${suffix}@victim.example.jp`;

async function analyst(login: string): Promise<Account> {
  const admin = await ApiSession.admin();
  try {
    const units = (await admin.get('/api/admin/units')) as { items: { id: string; code: string }[] };
    const unit = units.items.find((u) => u.code === 'cyber-ka');
    if (!unit) throw new Error('no unit cyber-ka');
    const created = (await admin.post('/api/admin/users', {
      login,
      name: 'サ対 事件担当',
      nameKana: 'テスト',
      unitId: unit.id,
      roles: ['cyber_analyst'],
      clearance: 2,
    })) as { initialPassword: string };
    await admin.post('/api/sharing/partners', { name: PARTNER, kind: 'prefecture', tlpMax: 'amber' });
    const account = { login, password: created.initialPassword };
    saveAccount(account);
    return account;
  } finally {
    await admin.dispose();
  }
}

async function call(page: Page, method: 'GET' | 'POST', path: string, data?: object) {
  const me = (await (await page.request.get('/api/auth/me')).json()) as { csrfToken: string };
  const res = await page.request.fetch(path, { method, data, headers: { 'X-CSRF-Token': me.csrfToken } });
  expect(res.status(), `${method} ${path}: ${await res.text()}`).toBeLessThan(300);
  return res.json();
}

test('事件パッケージを STIX で出力し（保留内容を確認）、別の事件に取り込める', async ({ page }, info) => {
  const account = await analyst(`pkg-${suffix}`);
  await signIn(page, lang, account, { newPassword: `Pw-${suffix}-Pkg-Renkei-2026`, tag: 'pkg' });

  const caseA = (await call(page, 'POST', '/api/cases', {
    title: `フィッシング事件 ${suffix}`,
    summary: '銀行を装う SMS から偽サイトへ誘導した事案。',
    type: 'cyber_crime',
    tlp: 'amber',
  })) as { id: string };
  const caseB = (await call(page, 'POST', '/api/cases', { title: `受領側の事件 ${suffix}`, type: 'cyber_crime' })) as {
    id: string;
  };
  await call(page, 'POST', `/api/cases/${caseA.id}/observables`, {
    items: [
      { value: URL_DEFANGED, role: 'suspect' },
      { value: VICTIM_MAIL, role: 'victim' },
    ],
  });
  await call(page, 'POST', `/api/cases/${caseA.id}/persons`, { kind: 'victim', label: '被害者A', name: '福島 花子' });
  await call(page, 'POST', `/api/cases/${caseA.id}/timeline`, { body: `偽サイトのサーバを特定 ${suffix}` });
  await call(page, 'POST', `/api/cases/${caseA.id}/timeline`, { body: '被害者 福島花子 から事情聴取' });
  await call(page, 'POST', `/api/cases/${caseA.id}/timeline`, { body: `選ばない記録 ${suffix}` });

  // 1. Export: partner, entries, the preview of what is withheld and why.
  await page.goto(`/cases/${caseA.id}/work`);
  const section = page.getByRole('region', { name: '事件パッケージ（STIX）の提供・受領' });
  await expect(section).toBeVisible();
  const form = section.getByRole('form', { name: '事件パッケージを出力' });
  await choose(form, page, '提供先（連携先）', PARTNER, true);
  await form.getByRole('checkbox', { name: new RegExp(`偽サイトのサーバを特定 ${suffix}`) }).check();
  await form.getByRole('checkbox', { name: /福島花子 から事情聴取/ }).check();
  await expect(form.getByRole('button', { name: 'STIX ファイルを出力' })).toBeDisabled();
  await form.getByRole('button', { name: '提供内容を確認' }).click();
  const preview = form.getByRole('region', { name: '提供するもの' });
  await expect(preview).toContainText('事件の概要 1 件・指標 2 件・経過 1 件');
  await expect(preview).toContainText('事件番号を含みます');
  const withheld = preview.getByRole('table');
  await expect(withheld.getByRole('row', { name: new RegExp(VICTIM_MAIL) })).toContainText('個人情報');
  await expect(withheld.getByRole('row', { name: /事情聴取/ })).toContainText('個人情報');
  await checkAccessibility(page, 'case-package-preview');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    form.getByRole('button', { name: 'STIX ファイルを出力' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^case-package-.*\.stix\.json$/);
  const file = info.outputPath('case-package.stix.json');
  await download.saveAs(file);
  await expect(form.getByText(/出力しました/)).toBeVisible();
  const text = readFileSync(file, 'utf8');
  const bundle = JSON.parse(text) as { type: string; objects: { type: string; [k: string]: unknown }[] };
  expect(bundle.type).toBe('bundle');
  expect(bundle.objects.filter((o) => o.type === 'note').map((o) => o.content)).toEqual([
    `偽サイトのサーバを特定 ${suffix}`,
  ]);
  expect(bundle.objects.some((o) => o.type === 'indicator' && o.pattern === `[url:value = '${URL_PLAIN}']`)).toBe(true);
  for (const never of [VICTIM_MAIL, '福島花子', '福島 花子', `選ばない記録 ${suffix}`])
    expect(text).not.toContain(never);

  // 2. Import into the other case: the summary and the chosen entry arrive, marked as received from the partner.
  await page.goto(`/cases/${caseB.id}/work`);
  const importForm = page.getByRole('form', { name: '事件パッケージを取り込む' });
  await importForm.locator('input[type="file"]').setInputFiles(file);
  await choose(importForm, page, '送付元（連携先）', PARTNER);
  await importForm.getByRole('button', { name: '取り込む' }).click();
  await expect(importForm.getByRole('status')).toContainText(
    `${PARTNER} から受領：指標 2 件・経過 2 件を取り込みました。`,
  );
  const exportB = page.getByRole('form', { name: '事件パッケージを出力' });
  await expect(
    exportB.getByRole('checkbox', { name: new RegExp(`から受領.*偽サイトのサーバを特定 ${suffix}`) }),
  ).toBeVisible();
  await expect(exportB.getByRole('checkbox', { name: /銀行を装う SMS から偽サイトへ誘導した事案/ })).toBeVisible();
  await checkAccessibility(page, 'case-package-imported');

  // 3. A broken bundle: refused with the reason, nothing written.
  const broken = info.outputPath('broken.stix.json');
  writeFileSync(broken, JSON.stringify({ ...bundle, objects: [{ type: 'note', id: 'note--x', spec_version: '2.1' }] }));
  await importForm.locator('input[type="file"]').setInputFiles(broken);
  await importForm.getByRole('button', { name: '取り込む' }).click();
  await expect(importForm.getByRole('alert')).toContainText('STIX バンドルが仕様に適合しないため取り込みません');
  await expect(importForm.getByRole('alert')).toContainText('note--x');
  const timeline = (await call(page, 'GET', `/api/cases/${caseB.id}/timeline?limit=200`)) as {
    items: { kind: string }[];
  };
  expect(timeline.items.filter((e) => e.kind === 'received')).toHaveLength(2);
  await checkAccessibility(page, 'case-package-refused');
});
