import { z } from 'zod';
import { recalculateKa } from '../compute/recalculate-ka.js';
import { instrumented } from '../runtime/instrument.js';
import { logger, metrics } from '../runtime/observability.js';
import { getJob, recordJobProgress, setJobStatus } from '../store/jobs-store.js';

const jobEvent = z.object({ jobId: z.string() });

/**
 * Runs a queued recalculation job (SPEC §3 `POST /admin/recalculate`), recording each month done.
 * A failure is recorded on the job and rethrown, so Lambda's async retry can run it again.
 */
export const handler = instrumented(async (event: unknown) => {
  const { jobId } = jobEvent.parse(event);
  const job = await getJob(jobId);
  if (!job) throw new Error(`Job ${jobId} does not exist`);
  await setJobStatus(jobId, 'running');
  try {
    await recalculateKa(job.months, (month) => recordJobProgress(jobId, month));
    await setJobStatus(jobId, 'succeeded');
    metrics.addMetric('monthsRecalculated', 'Count', job.months.length);
  } catch (error) {
    logger.error('Recalculation failed', { error, jobId });
    await setJobStatus(jobId, 'failed', 'Recalculation failed; see the logs and retry');
    throw error;
  }
  return { jobId, months: job.months.length };
});
