import type { Command } from 'commander';
import { isRole } from '@renkei/server/platform/auth/subject';
import { CliFailure } from '../failure.ts';
import { readStdin, withPlatform } from '../platform.ts';

function collect(value: string, previous: string[]): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

export function register(program: Command): void {
  const user = program.command('user').description('職員アカウント / staff accounts');
  user
    .command('add')
    .description('職員アカウントを追加する / add a staff account')
    .requiredOption('--login <login>', 'ログインID')
    .requiredOption('--name <name>', '氏名')
    .requiredOption('--unit <unit>', '所属コード (e.g. cyber-ka) / unit code')
    .requiredOption('--role <role>', 'ロール (繰り返し・カンマ区切り可) / role, repeatable', collect, [])
    .option('--kana <kana>', 'フリガナ', '')
    .option('--position <code>', '職 (head, deputy, assistant_head, chief, senior, staff)')
    .option('--clearance <n>', '取扱可能な機密性 1-3 / clearance', '1')
    .option('--password-stdin', 'パスワードを標準入力から読む / read the password from stdin')
    .action(async (opts) => {
      const roles = opts.role as string[];
      const bad = roles.find((r) => !isRole(r));
      if (bad) throw new CliFailure(`unknown role: ${bad}`, 2);
      const clearance = Number(opts.clearance);
      if (![1, 2, 3].includes(clearance)) throw new CliFailure('--clearance must be 1, 2 or 3', 2);
      const password = opts.passwordStdin ? (await readStdin()).replace(/\r?\n$/, '') : undefined;
      const users = await import('@renkei/server/modules/admin/userService');
      await withPlatform(async (p) => {
        const unit = await p.db.db.selectFrom('units').select('id').where('code', '=', opts.unit).executeTakeFirst();
        if (!unit) throw new CliFailure(`no unit with code ${opts.unit}`);
        let positionId: string | null = null;
        if (opts.position) {
          const pos = await p.db.db
            .selectFrom('positions')
            .select('id')
            .where('code', '=', opts.position)
            .executeTakeFirst();
          if (!pos) throw new CliFailure(`no position with code ${opts.position}`);
          positionId = pos.id;
        }
        if (password !== undefined && [...password].length < 12)
          throw new CliFailure('the password needs at least 12 characters');
        try {
          const out = await users.create(
            p,
            null,
            { login: opts.login, name: opts.name, nameKana: opts.kana, unitId: unit.id, positionId, roles, clearance },
            null,
            password !== undefined ? { password, mustChange: false } : { mustChange: true },
          );
          process.stdout.write(`created ${opts.login} (${out.user.id})\n`);
          if (password === undefined) process.stdout.write(`one-time password: ${out.initialPassword}\n`);
        } catch (err) {
          if ((err as { code?: string }).code === 'LOGIN_TAKEN') throw new CliFailure(`login ${opts.login} is taken`);
          throw err;
        }
      });
    });
}
