import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, request, test } from '@playwright/test';
import { type Account, uniqueSuffix } from './support/accounts';
import { checkAccessibility } from './support/axe';
import { e2ePort } from './support/env';
import { createStaff, signInBrowser } from './support/staff';

// Issue 8: an analyst configures a feed served locally, collects it, sees its health turn to failing with the error
// in the history when the feed breaks, then hunts an uploaded log and finds the planted match. A viewer sees the
// feeds but may neither configure them nor hunt. Documentation names only; nothing leaves 127.0.0.1.
test.describe.configure({ mode: 'serial' });

const suffix = uniqueSuffix();
const FEED_URL_VALUE = `http://phish-${suffix}.example/login`;
let analyst: Account;
let viewer: Account;
let feedServer: Server;
let feedBase = '';
let broken = false;

test.beforeAll(async () => {
  analyst = await createStaff(`det-cy-${suffix}`, { name: '検知 試験', role: 'cyber_analyst', unit: 'cyber-ka' });
  viewer = await createStaff(`det-vw-${suffix}`, { name: '検知 試験', role: 'viewer', unit: 'cyber-ka' });
  feedServer = createServer((req, res) => {
    if (broken) {
      res.writeHead(503).end('maintenance');
      return;
    }
    if (req.headers['if-none-match'] === '"e1"') {
      res.writeHead(304).end();
      return;
    }
    res
      .writeHead(200, { etag: '"e1"', 'content-type': 'text/plain' })
      .end(`${FEED_URL_VALUE.replace('http', 'hxxp')}\n`);
  });
  await new Promise<void>((r) => feedServer.listen(0, '127.0.0.1', r));
  feedBase = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}`;
});

test.afterAll(() => {
  feedServer.close();
});

test('分析官はフィードを登録して取得し、障害を履歴で確認し、ログを照合できる', async ({ page, context }) => {
  await signInBrowser(context, analyst, `Pw-${suffix}-Detect-2026x`);
  await page.goto('/detection');
  await expect(page.getByRole('heading', { level: 1, name: '脅威情報フィード' })).toBeVisible();
  await page.getByRole('link', { name: 'フィードを追加' }).click();
  await page.getByLabel('名称').fill(`試験フィード ${suffix}`);
  await page.getByLabel('取得先URL').fill(`${feedBase}/feed.txt`);
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForURL(/\/detection\/feeds\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('feed-health')).toHaveText('未取得');

  await page.getByRole('button', { name: '今すぐ取得' }).click();
  await expect(page.getByTestId('feed-health')).toHaveText('正常');
  await expect(page.getByTestId('runs')).toContainText('更新あり');
  await checkAccessibility(page, 'detection-feed');

  // The same content again: a 304, state kept.
  await page.getByRole('button', { name: '今すぐ取得' }).click();
  await expect(page.getByTestId('runs')).toContainText('変化なし (304)');

  // The feed breaks: failing, the error in the history.
  broken = true;
  await page.getByRole('button', { name: '今すぐ取得' }).click();
  await expect(page.getByTestId('feed-health')).toHaveText('障害');
  await page.getByLabel('エラーのみ表示').check();
  await expect(page.getByTestId('runs').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('runs')).toContainText('HTTP 503');

  await page.goto('/detection');
  await expect(page.getByTestId('feeds')).toContainText(`試験フィード ${suffix}`);
  await expect(page.getByTestId('feeds')).toContainText('障害');
  await checkAccessibility(page, 'detection-feeds');

  // Hunt an uploaded proxy log: the planted line is found, the other is not.
  await page.goto('/detection/hunt');
  await page.locator('input[type=file]').setInputFiles({
    name: 'proxy.log',
    mimeType: 'text/plain',
    buffer: Buffer.from(
      `1764115200.000 10 10.0.0.1 TCP_MISS/200 100 GET http://benign.example/ - HIER_DIRECT/192.0.2.1 text/html\n` +
        `1764115201.000 10 10.0.0.2 TCP_MISS/200 100 GET ${FEED_URL_VALUE}?u=1 - HIER_DIRECT/192.0.2.2 text/html\n`,
    ),
  });
  await page.getByRole('button', { name: '照合する' }).click();
  await expect(page.getByTestId('hunt-table')).toBeVisible();
  await expect(page.getByTestId('hunt-linesRead')).toHaveText('2');
  await expect(page.getByTestId('hunt-matches')).toHaveText('1');
  await expect(page.getByTestId('hunt-table')).toContainText(FEED_URL_VALUE);
  await checkAccessibility(page, 'detection-hunt');
});

test('閲覧者はフィードを見られるが、設定も照合もできない', async ({ page, context }) => {
  await signInBrowser(context, viewer, `Pw-${suffix}-Detect-2026x`);
  await page.goto('/detection');
  await expect(page.getByTestId('feeds')).toContainText(`試験フィード ${suffix}`);
  await expect(page.getByRole('link', { name: 'フィードを追加' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'ログ照合' })).toHaveCount(0);
  const api = await request.newContext({
    baseURL: `http://127.0.0.1:${e2ePort}`,
    storageState: await context.storageState(),
  });
  const refused = await api.post('/api/detection/hunt', { data: 'x', headers: { 'content-type': 'text/plain' } });
  expect([401, 403]).toContain(refused.status());
  await api.dispose();
});
