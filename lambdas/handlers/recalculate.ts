import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { recalculateKa } from '../compute/recalculate-ka.js';
import { instrumented } from '../runtime/instrument.js';
import { logger, metrics } from '../runtime/observability.js';
import { getJob, recordJobProgress, setJobStatus } from '../store/jobs-store.js';

const jobEvent = z.object({ jobId: z.string() });

const failureMessage = 'Recalculation failed; see the logs and start it again';

/**
 * Runs a queued recalculation job (SPEC §3 `POST /admin/recalculate`), recording each month done.
 * A failure is recorded on the job and rethrown, so Lambda's async retry can run it again.
 */
export const handler = instrumented(async (event: unknown, context: Context) => {
  const { jobId } = jobEvent.parse(event);
  const job = await getJob(jobId);
  if (!job) throw new Error(`Job ${jobId} does not exist`);
  await setJobStatus(jobId, 'running');
  try {
    await recalculateKa(job.months, (month) => recordJobProgress(jobId, month), jobId);
    await setJobStatus(jobId, 'succeeded');
    metrics.addMetric('monthsRecalculated', 'Count', job.months.length);
  } catch (error) {
    logger.error('Recalculation failed', { error, jobId });
    await recordFailure(jobId, context);
    throw error;
  }
  return { jobId, months: job.months.length };
});

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
