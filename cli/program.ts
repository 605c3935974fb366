import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerAccounts, registerClusters, registerMap } from './commands/accounts.js';
import { registerConfig, registerProgram } from './commands/config.js';
import { registerMembers, registerReview } from './commands/members.js';
import { registerRecalculate } from './commands/recalculate.js';
import { registerReport } from './commands/report.js';
import { registerSend } from './commands/send.js';
import { registerStatus } from './commands/status.js';
import { registerTokens } from './commands/tokens.js';
import { withExamples } from './help-examples.js';

const { version } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string };

/**
 * The `flywheel` command (SPEC §11): every command of the API's admin and evidence routes, over
 * HTTP only. Usage errors throw `CommanderError` (`exitOverride`, inherited by every subcommand
 * declared after it) instead of exiting, so `main` decides the exit code.
 */
export function flywheelProgram(): Command {
  const program = new Command('flywheel')
    .description('Flywheel from the command line: local mode and AWS alike, through the HTTP API')
    .version(version)
    .option('--url <url>', 'the API address (default: $FLYWHEEL_URL, else http://localhost:3000)')
    .option(
      '--token <token>',
      'a bearer token (default: $FLYWHEEL_TOKEN, else $FLYWHEEL_ADMIN_TOKEN)',
    )
    .option('--json', 'print JSON on stdout for scripts (and nothing else there)')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .showSuggestionAfterError();
  registerStatus(program);
  registerConfig(program);
  registerProgram(program);
  registerAccounts(program);
  registerClusters(program);
  registerMap(program);
  registerMembers(program);
  registerReview(program);
  registerRecalculate(program);
  registerReport(program);
  registerTokens(program);
  registerSend(program);
  withExamples(program, [
    'npm start                      # local mode, in another terminal',
    'npx --no -- flywheel status',
    'FLYWHEEL_URL=https://api.example.com FLYWHEEL_TOKEN=fwt_… npx --no -- flywheel accounts list',
  ]);
  return program.addHelpText(
    'after',
    '\nEnvironment: FLYWHEEL_URL, FLYWHEEL_TOKEN (else FLYWHEEL_ADMIN_TOKEN),\nFLYWHEEL_TELEMETRY_SECRET and FLYWHEEL_COMMUNITY_SECRET (for send).\nExit codes: 0 success, 1 failure (the API refused or failed), 2 usage.\n',
  );
}
