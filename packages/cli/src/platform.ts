import type { Config, Platform } from '@renkei/server';

/** Opens the platform for a one-shot command (migrations applied, quiet logs) and always closes it. */
export async function withPlatform<T>(fn: (p: Platform, config: Config) => Promise<T>): Promise<T> {
  const { loadConfig } = await import('@renkei/server/platform/config');
  const { openPlatform } = await import('@renkei/server/platform/open');
  const { default: pino } = await import('pino');
  const config = loadConfig();
  const platform = await openPlatform(config, { log: pino({ level: 'silent' }) });
  try {
    return await fn(platform, config);
  } finally {
    await platform.db.close();
  }
}

/** Reads all of stdin (for --password-stdin and piped input). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
