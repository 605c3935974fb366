import type { Command } from 'commander';

/** Adds an "Examples:" block to a command's `--help`, each line a command a user can copy. */
export function withExamples(command: Command, examples: readonly string[]): Command {
  return command.addHelpText(
    'after',
    `\nExamples:\n${examples.map((example) => `  $ ${example}`).join('\n')}\n`,
  );
}
