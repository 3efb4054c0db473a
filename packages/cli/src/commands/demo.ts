import type { Command } from 'commander';
import { withPlatform } from '../platform.ts';

export function register(program: Command): void {
  program
    .command('demo')
    .description('デモデータを投入する（何度実行しても重複しない） / load the demo data set (idempotent)')
    .action(async () => {
      const demo = await import('@renkei/server/platform/demo/index');
      await withPlatform(async (p) => {
        const { loaded, already } = await demo.loadDemoData(p);
        const lines = [
          loaded.length
            ? `デモデータを投入しました / demo data loaded: ${loaded.join(', ')}`
            : 'デモデータは投入済みです / demo data already loaded',
        ];
        if (already.length && loaded.length) lines.push(`  already there: ${already.join(', ')}`);
        lines.push(
          `  demo accounts: ${demo.DEMO_STAFF.map((s) => s.login).join(', ')}`,
          `  password: ${demo.DEMO_PASSWORD} (TOTP enrolment at first sign-in; names are marked ${demo.DEMO_PREFIX})`,
        );
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });
}
