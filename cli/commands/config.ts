import type { Command } from 'commander';
import { yearArgument } from '../arguments.js';
import { cliContext } from '../cli-context.js';
import { parseConfigValue } from '../config-value.js';
import { UsageError } from '../errors.js';
import { withExamples } from '../help-examples.js';
import { formatFields, formatTable } from '../table.js';

/** `flywheel config get|set` (SPEC §3 `GET`/`PUT /admin/config`). */
export function registerConfig(program: Command): void {
  const config = program.command('config').description('Read or change the configuration');
  withExamples(
    config
      .command('get')
      .description('Print the configuration, defaults included, or one key of it')
      .argument('[key]', 'one key, e.g. kaThreshold')
      .action(async (key: string | undefined, _options, self: Command) => {
        const context = cliContext(self);
        const all = await context.client.json<Record<string, unknown>>('GET', '/admin/config');
        if (key !== undefined && !(key in all)) {
          throw new UsageError(
            `The configuration has no key ${key}; it has ${Object.keys(all).join(', ')}`,
          );
        }
        const value = key === undefined ? all : all[key];
        if (context.json) return context.printJson(value);
        context.print(key === undefined ? formatFields(Object.entries(all)) : `${format(value)}\n`);
      }),
    ['flywheel config get', 'flywheel config get kaThreshold', 'flywheel config get --json'],
  );
  withExamples(
    config
      .command('set')
      .description(
        'Change one key (a partial PUT /admin/config). Values are JSON when they parse as JSON; list keys also take a comma list',
      )
      .argument('<key>', 'e.g. kaThreshold, timezone, countedEnvironments, reportRecipients')
      .argument('<value>', 'e.g. 60, Europe/Berlin, production,staging, \'["a@x.com"]\'')
      .action(async (key: string, text: string, _options, self: Command) => {
        const context = cliContext(self);
        let value: unknown;
        try {
          value = parseConfigValue(key, text);
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
        const saved = await context.client.json<Record<string, unknown>>('PUT', '/admin/config', {
          body: { [key]: value },
        });
        if (context.json) return context.printJson(saved);
        context.print(`${key} = ${format(saved[key])}\n`);
        context.note('Computed months change when they are recalculated: flywheel recalculate');
      }),
    [
      'flywheel config set kaThreshold 60',
      'flywheel config set timezone Asia/Shanghai',
      'flywheel config set countedEnvironments production,staging',
      'flywheel config set reportRecipients growth@example.com,cto@example.com',
      'flywheel config set reportSender reports@example.com',
    ],
  );
}

const format = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

interface Program {
  readonly year: number;
  readonly from: number | null;
  readonly tiers: { id: string; name: string; minCount: number; counts: string[] }[];
}

/** `flywheel program get|set <year>` (SPEC §3 `GET`/`PUT /admin/programs/{year}`). */
export function registerProgram(program: Command): void {
  const programs = program
    .command('program')
    .description("Read or set a year's evangelist program");
  withExamples(
    programs
      .command('get')
      .description('Print the program in force for a year, and which year it comes from')
      .argument('<year>', 'e.g. 2026', yearArgument)
      .action(async (year: string, _options, self: Command) => {
        const context = cliContext(self);
        const found = await context.client.json<Program>('GET', `/admin/programs/${year}`);
        if (context.json) return context.printJson(found);
        context.print(
          `Program of ${year} (${found.from === null ? 'the default' : `set for ${found.from}`})\n`,
        );
        context.print(
          formatTable(found.tiers, [
            { header: 'TIER', value: (t) => t.id },
            { header: 'NAME', value: (t) => t.name },
            { header: 'MIN', value: (t) => t.minCount },
            { header: 'COUNTS', value: (t) => t.counts },
          ]),
        );
      }),
    ['flywheel program get 2026', 'flywheel program get 2026 --json > program-2026.json'],
  );
  withExamples(
    programs
      .command('set')
      .description(
        'Set a year\'s tiers from a JSON file ({ "tiers": [...] } or the array), or stdin',
      )
      .argument('<year>', 'e.g. 2027', yearArgument)
      .argument('[file]', 'a JSON file; - or none reads stdin', '-')
      .action(async (year: string, file: string, _options, self: Command) => {
        const context = cliContext(self);
        // Loaded here: zod costs every other command start-up time.
        const { readProgramFile } = await import('../program-file.js');
        const tiers = readProgramFile(file);
        const saved = await context.client.json<Program>('PUT', `/admin/programs/${year}`, {
          body: { tiers },
        });
        if (context.json) return context.printJson(saved);
        context.print(
          `Program of ${year} set: ${saved.tiers.map((t) => `${t.id} (${t.minCount})`).join(', ')}\n`,
        );
      }),
    [
      'flywheel program set 2027 program-2027.json',
      `echo '{"tiers":[{"id":"mve","name":"MVE","minCount":4,"counts":["talk"]}]}' | flywheel program set 2027`,
    ],
  );
}
