import { RetryableError } from '../domain/errors.js';
import type { Month } from '../domain/month.js';
import { type RecalculationInput, runsOf } from '../orchestration/recalculation-machine.js';
import { logger } from '../runtime/observability.js';
import { startExecution } from '../runtime/start-execution.js';
import type { AuditEntry } from '../store/audit-store.js';
import { createJob, type Job, setJobStatus } from '../store/jobs-store.js';
import { stateMachines } from '../system.js';

/**
 * Queues a recalculation job over `months` (consecutive, oldest first): the job record (with its
 * audit entry when one is given, in one transaction), then an execution of the `recalculation`
 * state machine named by the job id, which recomputes the months in runs of `monthsPerRun`.
 * @returns the job as created (`queued`).
 * @throws RetryableError when Step Functions refused the execution; the job then reads `failed`.
 */
export async function queueRecalculation(
  months: readonly Month[],
  audit?: (job: Job) => AuditEntry,
): Promise<Job> {
  const job = await createJob(months, audit);
  const input: RecalculationInput = {
    jobId: job.jobId,
    runs: runsOf(job.months, stateMachines.recalculation.monthsPerRun),
  };
  try {
    await startExecution('recalculation', job.jobId, input);
  } catch (error) {
    logger.error('Could not start the recalculation', { error, jobId: job.jobId });
    await setJobStatus(job.jobId, 'failed', 'The job could not be queued');
    throw new RetryableError('The recalculation could not be queued; retry later');
  }
  return job;
}
