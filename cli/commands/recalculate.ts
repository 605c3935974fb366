import type { Command } from 'commander';
import { monthArgument } from '../arguments.js';
import { cliContext } from '../cli-context.js';
import { FailedError, UsageError } from '../errors.js';
import { withExamples } from '../help-examples.js';

interface Job {
  readonly jobId: string;
  readonly status: 'queued' | 'running' | 'succeeded' | 'failed';
  readonly months: string[];
  readonly completedMonths?: string[];
  readonly error?: string;
}

/** How often a running job is asked for its progress. */
const pollMs = 500;

/**
 * `flywheel recalculate --from --to` (SPEC §3 `POST /admin/recalculate`): queues the job, then
 * polls `GET /admin/jobs/{jobId}` with a progress bar of `completedMonths` out of `months` until
 * it succeeds (exit 0) or fails (exit 1, with the job's error).
 */
export function registerRecalculate(program: Command): void {
  withExamples(
    program
      .command('recalculate')
      .description('Recompute KA metrics and eligibility for a range of months, and wait for it')
      .requiredOption('--from <month>', 'first month YYYY-MM', monthArgument)
      .requiredOption('--to <month>', 'last month YYYY-MM', monthArgument)
      .option('--no-wait', 'print the job id and return at once')
      .action(async (options: { from: string; to: string; wait: boolean }, self: Command) => {
        if (options.from > options.to) {
          throw new UsageError(`--from ${options.from} is after --to ${options.to}`);
        }
        const context = cliContext(self);
        const { jobId } = await context.client.json<{ jobId: string }>(
          'POST',
          '/admin/recalculate',
          {
            body: { from: options.from, to: options.to },
          },
        );
        if (!options.wait) {
          return context.json ? context.printJson({ jobId }) : context.print(`${jobId}\n`);
        }
        context.note(`Job ${jobId} queued`);
        const job = await waitForJob(context, jobId);
        if (job.status === 'failed') {
          throw new FailedError(`Job ${jobId} failed: ${job.error ?? 'no reason given'}`);
        }
        if (context.json) return context.printJson(job);
        context.print(
          `Recalculated ${job.months.length} months (${options.from} to ${options.to}), job ${jobId}\n`,
        );
      }),
    [
      'flywheel recalculate --from 2026-01 --to 2026-10',
      'flywheel recalculate --from 2026-10 --to 2026-10 --no-wait',
    ],
  );
}

async function waitForJob(context: ReturnType<typeof cliContext>, jobId: string): Promise<Job> {
  let bar: ReturnType<typeof context.progress> | undefined;
  try {
    for (;;) {
      const job = await context.client.json<Job>('GET', `/admin/jobs/${jobId}`);
      const done = job.completedMonths?.length ?? 0;
      bar ??= context.progress('Recalculating', job.months.length, 'months');
      bar.update(done, job.months.length);
      if (job.status === 'succeeded' || job.status === 'failed') return job;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  } finally {
    bar?.stop();
  }
}
