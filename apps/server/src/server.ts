import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { ensureFirstAdmin } from './platform/bootstrap.ts';
import type { Config } from './platform/config.ts';
import type { Platform } from './platform/context.ts';
import { jobsOf } from './platform/jobs/index.ts';
import { ensureMailJobs, releaseHeldMail } from './platform/mail/outbox.ts';
import { openPlatform } from './platform/open.ts';

/** The demo data set (issue 3) is loaded through its own module once it exists. */
async function loadDemo(platform: Platform, out: (line: string) => void): Promise<void> {
  const path = './platform/demo/index.ts';
  const mod = (await import(path)) as { loadDemoData?: (p: Platform) => Promise<unknown> };
  if (!mod.loadDemoData) throw new Error('the demo data set is not available in this build');
  await mod.loadDemoData(platform);
  out('デモデータを投入しました / demo data loaded');
}

/** `renkei serve`: migrate, create the first admin if needed, listen; stop cleanly on SIGINT/SIGTERM. */
export async function startServer(
  config: Config,
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  options: { demo?: boolean } = {},
): Promise<FastifyInstance> {
  const platform = await openPlatform(config);
  const admin = await ensureFirstAdmin(platform);
  if (options.demo) await loadDemo(platform, out);
  if (admin) {
    if (admin.generated) {
      out('──────────────────────────────────────────────────────────────');
      out(' 初期管理者アカウントを作成しました / First administrator created');
      out(`   ログインID / login:            ${admin.login}`);
      out(`   一時パスワード / one-time password: ${admin.password}`);
      out(' この表示は一度だけです。初回ログイン時に変更と二要素認証の登録が必要です。');
      out(' Shown once only. Change it and enrol TOTP at first sign-in.');
      out('──────────────────────────────────────────────────────────────');
    } else {
      out(
        `初期管理者 ${admin.login} を RENKEI_ADMIN_PASSWORD で作成しました / first admin created from RENKEI_ADMIN_PASSWORD`,
      );
    }
  }
  const app = await buildApp(platform);
  app.addHook('onClose', async () => {
    await jobsOf(platform).stop();
    await platform.db.close();
  });
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await app.listen({ port: config.port, host: config.host });
  // Background work starts once the server answers; held mail is queued when SMTP is configured.
  ensureMailJobs(platform);
  await jobsOf(platform).start();
  await releaseHeldMail(platform);
  out(`Renkei: ${config.baseUrl} (${platform.db.engine})`);
  return app;
}
