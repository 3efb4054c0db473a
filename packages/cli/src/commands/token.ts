import type { Command } from 'commander';
import { CliFailure } from '../failure.ts';
import { withPlatform } from '../platform.ts';

export function register(program: Command): void {
  const token = program.command('token').description('APIトークン / API tokens');
  token
    .command('create')
    .description('APIトークンを発行して表示する（一度だけ）/ print a new API token (shown once)')
    .option('--login <login>', '職員アカウント / staff account')
    .option('--partner <name>', '連携先の機械アカウント / a partner machine account (issue 9)')
    .option('--name <text>', '用途 / what it is for', 'cli')
    .option('--expires <days>', '有効日数 / days until it expires', '90')
    .action(async (opts: { login?: string; partner?: string; name: string; expires: string }) => {
      if (!opts.login && !opts.partner) throw new CliFailure('give --login or --partner', 2);
      if (opts.login && opts.partner) throw new CliFailure('give --login or --partner, not both', 2);
      const days = Number(opts.expires);
      if (!Number.isInteger(days) || days < 1 || days > 730) throw new CliFailure('--expires must be 1–730 days', 2);
      if (opts.partner) {
        const partners = await import('@renkei/server/modules/sharing/partners');
        await withPlatform(async (p) => {
          const partner = await partners.findPartnerByName(p.db.db, opts.partner!);
          if (!partner) throw new CliFailure(`no partner named ${opts.partner}`);
          if (partner.disabled_at) throw new CliFailure(`partner ${opts.partner} is disabled`);
          const out = await partners.createPartnerToken(
            p,
            null,
            partner.id,
            { name: opts.name, expiresInDays: days },
            null,
          );
          process.stdout.write(`${out.token}\n`);
        });
        return;
      }
      const tokens = await import('@renkei/server/modules/admin/tokenService');
      await withPlatform(async (p) => {
        const user = await p.db.db
          .selectFrom('users')
          .select(['id', 'status'])
          .where('login', '=', opts.login!)
          .executeTakeFirst();
        if (!user) throw new CliFailure(`no account with login ${opts.login}`);
        if (user.status !== 'active') throw new CliFailure(`account ${opts.login} is disabled`);
        // The operator at the server console acts for the installation: no acting person is recorded.
        const out = await tokens.create(p, null, { userId: user.id, name: opts.name, expiresInDays: days }, null);
        process.stdout.write(`${out.token}\n`);
      });
    });
}
