import { CommanderError } from 'commander';
import { CliError } from './errors.js';
import { flywheelProgram } from './program.js';

/**
 * Runs the command line and answers its exit code (SPEC §11): 0 success, 1 failure (the API
 * refused or failed), 2 usage. Commander has already printed its own usage errors; every other
 * failure is printed here, once, without a stack unless it is a bug.
 */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await flywheelProgram().parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof CliError) {
      process.stderr.write(`flywheel: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(
      `flywheel: unexpected error (a bug; please report it):\n${(error as Error).stack ?? String(error)}\n`,
    );
    return 1;
  }
}
