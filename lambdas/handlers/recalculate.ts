import type { Context } from 'aws-lambda';
import * as z from 'zod';
import {
  dropMonthValues,
  finishRebuild,
  foldSnapshotSegment,
} from '../compute/rebuild-month-values.js';
import { recalculateKa } from '../compute/recalculate-ka.js';
import { parseMonth } from '../domain/month.js';
import type { RecalculationInput } from '../orchestration/recalculation-machine.js';
import { instrumented } from '../runtime/instrument.js';
import { logger, metrics } from '../runtime/observability.js';
import { getJob, recordJobProgress, setJobStatus } from '../store/jobs-store.js';

const month = z.string().transform((text) => parseMonth(text));
const runEvent = z.object({
  jobId: z.string(),
  runs: z.array(z.array(month).min(1)).min(1),
  report: month.optional(),
});
const outcomeEvent = z.object({ jobId: z.string(), outcome: z.enum(['succeeded', 'failed']) });
const dropEvent = z.object({ jobId: z.string(), dropMonth: month });
const foldEvent = z.object({
  jobId: z.string(),
  foldSegment: z.number().int().nonnegative(),
  totalSegments: z.number().int().positive(),
});
const rebuiltEvent = z.object({ jobId: z.string(), rebuilt: z.string() });
const taskEvent = z.union([runEvent, outcomeEvent, dropEvent, foldEvent, rebuiltEvent]);

const failureMessage = 'Recalculation failed; see the logs and start it again';

/**
 * A task of the `recalculation` state machine (`lambdas/orchestration/recalculation-machine.ts`):
 * - `{ jobId, runs, report? }`: recomputes the first run of months, recording each month done on
 *   the job, and answers the same with the runs still to do (`report`, the month the job finalises
 *   for its report, passed on). A failure is thrown, so the state machine retries the run and then
 *   records the job failed.
 * - `{ jobId, dropMonth }`, `{ jobId, foldSegment, totalSegments }`, `{ jobId, rebuilt }`: the
 *   steps of rebuilding month values after a zone change, fanned out by the machine.
 * - `{ jobId, outcome }`: records how the job ended (SPEC §3 `GET /admin/jobs/{jobId}`).
 */
export const handler = instrumented(async (event: unknown, context: Context) => {
  const task = taskEvent.parse(event);
  if ('outcome' in task) {
    if (task.outcome === 'failed') await recordFailure(task.jobId, context);
    else await setJobStatus(task.jobId, 'succeeded');
    return { jobId: task.jobId, outcome: task.outcome };
  }
  if (!('runs' in task)) return rebuildStep(task);
  const { jobId, runs, report } = task;
  const [run = [], ...rest] = runs;
  const job = await getJob(jobId);
  if (!job) throw new Error(`Job ${jobId} does not exist`);
  if (job.status === 'queued') await setJobStatus(jobId, 'running');
  try {
    await recalculateKa(run, (done) => recordJobProgress(jobId, done), jobId);
  } catch (error) {
    logger.error('A run of the recalculation failed', { error, jobId, run });
    throw error;
  }
  metrics.addMetric('monthsRecalculated', 'Count', run.length);
  return { jobId, runs: rest, ...(report ? { report } : {}) } satisfies RecalculationInput;
});

/**
 * A step of rebuilding month values after a zone change (`lambdas/compute/rebuild-month-values.ts`),
 * each task marking the job running so that a long rebuild never reads as stalled.
 */
async function rebuildStep(
  task: z.infer<typeof dropEvent> | z.infer<typeof foldEvent> | z.infer<typeof rebuiltEvent>,
) {
  const { jobId } = task;
  await setJobStatus(jobId, 'running');
  if ('dropMonth' in task) {
    await dropMonthValues(task.dropMonth);
    return { jobId, dropped: task.dropMonth };
  }
  if ('foldSegment' in task) {
    const folded = await foldSnapshotSegment(task.foldSegment, task.totalSegments);
    // Debug: a rebuild has 256 of these; Step Functions' execution history shows each task.
    logger.debug('Snapshot facts folded', { jobId, segment: task.foldSegment, folded });
    return { jobId, segment: task.foldSegment, folded };
  }
  return { jobId, current: await finishRebuild(task.rebuilt) };
}

/**
 * The failure that stopped a job is often DynamoDB itself being unreachable: keep trying to record
 * it (with backoff, while the invocation has time) so the job does not read `running` forever.
 */
async function recordFailure(jobId: string, context: Context): Promise<void> {
  const deadline = Date.now() + Math.min(60_000, context.getRemainingTimeInMillis() - 5_000);
  for (let attempt = 0; ; attempt++) {
    try {
      await setJobStatus(jobId, 'failed', failureMessage);
      return;
    } catch (error) {
      if (Date.now() >= deadline) {
        logger.error('Could not record the job as failed', { error, jobId });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 200 * 2 ** attempt)));
    }
  }
}
