import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { monthArgument } from '../arguments.js';
import { cliContext } from '../cli-context.js';
import { withExamples } from '../help-examples.js';

/** `flywheel report preview|send <month>` (SPEC §3 `GET /reports/{month}`, `POST …/send`). */
export function registerReport(program: Command): void {
  const report = program.command('report').description('Preview or mail the monthly report');
  withExamples(
    report
      .command('preview')
      .description("Fetch a month's report as HTML, exactly as mailed, to a file or stdout")
      .argument('<month>', 'YYYY-MM', monthArgument)
      .option(
        '-o, --output <file>',
        'write the HTML to this file (default: stdout; with --json, as { month, html })',
      )
      .action(async (month: string, options: { output?: string }, self: Command) => {
        const context = cliContext(self);
        const response = await context.client.request('GET', `/reports/${month}`, {
          headers: { accept: 'text/html' },
        });
        const html = await response.text();
        if (options.output === undefined) {
          // --json keeps stdout JSON: the HTML is a field of it.
          return context.json ? context.printJson({ month, html }) : context.print(html);
        }
        writeFileSync(options.output, html);
        if (context.json)
          return context.printJson({ month, file: options.output, bytes: Buffer.byteLength(html) });
        context.print(
          `Wrote the ${month} report to ${options.output} (${Buffer.byteLength(html)} bytes)\n`,
        );
      }),
    [
      'flywheel report preview 2026-10 -o report.html',
      'flywheel report preview 2026-10 > report.html',
    ],
  );
  withExamples(
    report
      .command('send')
      .description("Mail a month's report to reportRecipients; once per month unless --force")
      .argument('<month>', 'YYYY-MM', monthArgument)
      .option('--force', 'mail it again even if it was already sent')
      .action(async (month: string, options: { force?: boolean }, self: Command) => {
        const context = cliContext(self);
        const sent = await context.client.json<{ messageId: string | null; alreadySent: boolean }>(
          'POST',
          `/admin/reports/${month}/send`,
          { body: { force: options.force === true } },
        );
        if (context.json) return context.printJson(sent);
        context.print(
          sent.alreadySent
            ? `The ${month} report was already sent (message ${sent.messageId}); add --force to send it again\n`
            : `Sent the ${month} report (message ${sent.messageId})\n`,
        );
      }),
    ['flywheel report send 2026-10', 'flywheel report send 2026-10 --force'],
  );
}
