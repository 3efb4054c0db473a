import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('serve')
    .description('サーバを起動する / start the server (API and web UI)')
    .option('--demo', 'デモデータを投入してから起動する / load the demo data set first')
    .action(async (opts: { demo?: boolean }) => {
      const { loadConfig, startServer } = await import('@renkei/server');
      const config = loadConfig();
      await startServer(config, undefined, { demo: opts.demo === true });
      // Keep running until a signal stops the server.
      await new Promise<never>(() => {});
    });
}
