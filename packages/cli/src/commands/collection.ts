import type { Command } from 'commander';
import { CliFailure } from '../failure.ts';
import { withPlatform } from '../platform.ts';

/** `renkei collection add|grant|publish`: TAXII 2.1 collections (issue 10, INTERFACES.md). */
export function register(program: Command): void {
  const collection = program.command('collection').description('TAXII コレクション / TAXII collections');
  collection
    .command('add')
    .description('コレクションを作成し ID を表示する / create a collection and print its id')
    .requiredOption('--title <title>', '名称 / title')
    .option('--api-root <root>', 'API ルート / API root name', 'renkei')
    .option('--description <text>', '説明 / description', '')
    .action(async (opts: { title: string; apiRoot: string; description: string }) => {
      const svc = await import('@renkei/server/modules/sharing/taxii/collections');
      const { isAppError } = await import('@renkei/server/platform/errors');
      await withPlatform(async (p) => {
        try {
          const c = await svc.createCollection(
            p,
            null,
            { title: opts.title, apiRoot: opts.apiRoot, description: opts.description },
            null,
          );
          process.stdout.write(`${c.id}\n`);
        } catch (err) {
          if (isAppError(err)) throw new CliFailure(err.message);
          throw err;
        }
      });
    });
  collection
    .command('grant')
    .description('連携先に読み取り・書き込みを許可する / give a partner read and/or write')
    .argument('<id>', 'コレクション ID / collection id')
    .requiredOption('--partner <name>', '連携先名 / partner name')
    .option('--read', '読み取り / read')
    .option('--write', '書き込み / write')
    .action(async (id: string, opts: { partner: string; read?: boolean; write?: boolean }) => {
      if (!opts.read && !opts.write) throw new CliFailure('give --read and/or --write', 2);
      const svc = await import('@renkei/server/modules/sharing/taxii/collections');
      const { isAppError } = await import('@renkei/server/platform/errors');
      await withPlatform(async (p) => {
        try {
          await svc.grantCollection(
            p,
            null,
            id,
            { name: opts.partner },
            { read: opts.read === true, write: opts.write === true },
            null,
          );
        } catch (err) {
          if (isAppError(err)) throw new CliFailure(err.message);
          throw err;
        }
      });
    });
  collection
    .command('publish')
    .description(
      '提供方針に従い各連携先向けに公開する / publish our indicators to each reader through the egress policy',
    )
    .argument('<id>', 'コレクション ID / collection id')
    .action(async (id: string) => {
      const svc = await import('@renkei/server/modules/sharing/taxii/collections');
      const { isAppError } = await import('@renkei/server/platform/errors');
      await withPlatform(async (p) => {
        try {
          const r = await svc.publishCollection(p, null, id, null);
          process.stderr.write(
            `partners ${r.partners}, added ${r.added}, withheld ${r.withheld}, removed ${r.removed}\n`,
          );
        } catch (err) {
          if (isAppError(err)) throw new CliFailure(err.message);
          throw err;
        }
      });
    });
}
