import { defineConfig, devices } from '@playwright/test';
import { e2eAdminPassword, e2eDataDir, e2ePort, repoRoot } from './e2e/support/env';

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
  webServer: {
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
    },
  },
});
