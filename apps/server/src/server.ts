import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { ensureFirstAdmin } from './platform/bootstrap.ts';
import type { Config } from './platform/config.ts';
import { openPlatform } from './platform/open.ts';

/** `renkei serve`: migrate, create the first admin if needed, listen; stop cleanly on SIGINT/SIGTERM. */
export async function startServer(
  config: Config,
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<FastifyInstance> {
  const platform = await openPlatform(config);
  const admin = await ensureFirstAdmin(platform);
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
  app.addHook('onClose', async () => platform.db.close());
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await app.listen({ port: config.port, host: config.host });
  out(`Renkei: ${config.baseUrl} (${platform.db.engine})`);
  return app;
}
