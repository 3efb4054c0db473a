import type { Command } from 'commander';

/**
 * The shared `renkei import` parent command: `import iocs`, `import asn`, and later `import stix` / `import misp`
 * each add their subcommand to it through this function, whichever registers first creates it.
 */
export function importCommand(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'import') ??
    program.command('import').description('データを取り込む / import data (indicators, prefix tables, STIX, MISP)')
  );
}
