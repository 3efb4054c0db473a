import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.ts';
import { CliFailure } from './failure.ts';

/**
 * Builds the `renkei` program. Exit codes (INTERFACES.md): 0 success, 1 an explained failure
 * (one line on stderr), 2 bad usage.
 */
export function buildProgram(): Command {
  const program = new Command('renkei')
    .description('Renkei (連携) — サイバー犯罪対策業務基盤 / cyber division operations platform')
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of commands) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version') {
        return 0;
      }
      return 2;
    }
    if (err instanceof CliFailure) {
      process.stderr.write(`renkei: ${err.message}\n`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`renkei: ${message.split('\n')[0]}\n`);
    return 1;
  }
}
