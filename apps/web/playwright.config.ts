import { defineConfig, devices } from '@playwright/test';
import { e2eAdminPassword, e2eDataDir, e2ePort, repoRoot } from './e2e/support/env';
import { mailDir, sitesPort, smtpPort, testHostsEnv } from './e2e/support/phishing';

// Browser tests drive Debian's Chromium against the real server (apps/server via the `renkei` CLI),
// started here on a fixed port with a fresh data folder and a known first-admin password.
const root = repoRoot;
const port = e2ePort;
const dataDir = e2eDataDir;

export default defineConfig({
  testDir: './e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 10_000 },
  forbidOnly: Boolean(process.env.CI),
  outputDir: `${root}test-results/e2e`,
  reporter: [['list'], ['json', { outputFile: `${root}.e2e-results.json` }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  // Started in order: first the outside world of the requests test (an SMTP sink and fake phishing sites on loopback,
  // support/sites.mjs), then Renkei, which sends its mail to that sink. NODE_ENV=test only lets the safe fetcher reach
  // loopback and honour RENKEI_TEST_HOSTS (nothing else in the server reads it).
  webServer: [
    {
      command: 'exec node apps/web/e2e/support/sites.mjs',
      cwd: root,
      url: `http://127.0.0.1:${sitesPort}/__health`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: { SITES_PORT: String(sitesPort), SMTP_PORT: String(smtpPort), MAIL_DIR: mailDir },
    },
    {
      command: `rm -rf '${dataDir}' && mkdir -p '${dataDir}' && exec node packages/cli/bin/renkei.js serve`,
      cwd: root,
      url: `http://127.0.0.1:${port}/api/health`,
      reuseExistingServer: false,
      timeout: 180_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: {
        PORT: String(port),
        RENKEI_DATA_DIR: dataDir,
        RENKEI_DATABASE_URL: `sqlite:${dataDir}/renkei.db`,
        RENKEI_BASE_URL: `http://127.0.0.1:${port}`,
        RENKEI_ADMIN_PASSWORD: e2eAdminPassword,
        NODE_ENV: 'test',
        RENKEI_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        RENKEI_TEST_HOSTS: testHostsEnv,
      },
    },
  ],
});
