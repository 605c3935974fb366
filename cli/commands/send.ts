import type { Command } from 'commander';
import { integerArgument } from '../arguments.js';
import { cliContext } from '../cli-context.js';
import { FailedError, UsageError } from '../errors.js';
import { withExamples } from '../help-examples.js';
import type { SendSummary } from '../send-file.js';
import {
  maxBatchItems,
  type Source,
  secretVariable,
  sources,
  statePathOf,
} from '../send-sources.js';
import { formatTable } from '../table.js';

/**
 * `flywheel send telemetry|community <file.jsonl>` (SPEC §11): one item per line, signed batches
 * of up to 1,000, resumable, rejections printed by line number.
 */
export function registerSend(program: Command): void {
  const send = program
    .command('send')
    .description('Deliver a JSON Lines file of telemetry events or community activities');
  for (const source of sources) {
    withExamples(
      send
        .command(source)
        .description(
          `Send ${source === 'telemetry' ? 'telemetry events (POST /webhooks/telemetry)' : 'community activities (POST /webhooks/community)'}, one JSON object a line, signed with ${secretVariable[source]}`,
        )
        .argument('<file>', 'a .jsonl file')
        .option('--secret <whsec>', `the signing secret (default: $${secretVariable[source]})`)
        .option(
          '--batch-size <n>',
          `items per delivery, 1–${maxBatchItems}`,
          integerArgument(1, maxBatchItems),
          maxBatchItems,
        )
        .option(
          '--restart',
          `ignore kept progress (<file>.flywheel-progress) and send from the first line`,
        )
        .action(async (file: string, options: SendOptions, self: Command) => {
          const context = cliContext(self);
          // Loaded here: zod and the signing library cost every other command start-up time.
          const { sendFile } = await import('../send-file.js');
          const summary = await sendFile(context, {
            source,
            file,
            secret: secretOf(source, options.secret),
            batchSize: options.batchSize,
            restart: options.restart === true,
          });
          report(context, summary);
        }),
      [
        `flywheel send ${source} ${source}.jsonl`,
        `${secretVariable[source]}=whsec_… FLYWHEEL_URL=https://api.example.com flywheel send ${source} ${source}.jsonl`,
        `flywheel send ${source} ${source}.jsonl   # again after a failure: resumes where it stopped`,
      ],
    ).addHelpText(
      'after',
      `\nProgress is kept in ${statePathOf('<file>')} while sending and removed when done.\nExit 1 when a delivery fails (run again to resume) or any line was refused.\n`,
    );
  }
}

interface SendOptions {
  readonly secret?: string;
  readonly batchSize: number;
  readonly restart?: boolean;
}

function secretOf(source: Source, flag: string | undefined): string {
  const secret = flag ?? process.env[secretVariable[source]];
  if (secret === undefined || secret.trim() === '') {
    throw new UsageError(
      `No signing secret: set ${secretVariable[source]} (\`npm start\` prints it) or pass --secret whsec_…`,
    );
  }
  return secret.trim();
}

function report(context: ReturnType<typeof cliContext>, summary: SendSummary): void {
  const { totals, refused } = summary;
  const refusedCount = totals.rejected + totals.unsendable;
  if (context.json) {
    context.printJson(summary);
  } else {
    if (refused.length > 0) {
      context.print('Refused lines\n');
      context.print(
        formatTable(refused, [
          { header: 'LINE', value: (r) => r.line },
          { header: 'ERROR', value: (r) => r.error },
        ]),
      );
    }
    context.print(
      `Sent ${summary.file}${summary.resumedAtLine ? ` (resumed at line ${summary.resumedAtLine})` : ''}: ${totals.accepted} accepted, ${totals.duplicates} duplicates, ${refusedCount} refused, in ${totals.batches} deliveries\n`,
    );
  }
  if (refusedCount > 0) {
    throw new FailedError(
      `${refusedCount} line(s) were refused${refused.length < refusedCount ? ' (earlier runs printed some)' : ''}; fix them and send them again — lines already accepted count once however often they are sent`,
    );
  }
}
