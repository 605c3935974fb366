import { RetryableError } from '../domain/errors.js';
import type { Month } from '../domain/month.js';
import {
  type RebuildInput,
  type RecalculationInput,
  runsOf,
} from '../orchestration/recalculation-machine.js';
import { logger } from '../runtime/observability.js';
import { startExecution } from '../runtime/start-execution.js';
import type { AuditEntry } from '../store/audit-store.js';
import { createJob, getJob, idempotentJobId, type Job, setJobStatus } from '../store/jobs-store.js';
import { listMonths } from '../store/months-store.js';
import { monthValuesStaleSince } from '../store/rebuild-store.js';
import { stateMachines } from '../system.js';

/** What else a queued job does besides recomputing its months. */
export interface QueueOptions {
  /** The audit entry written with the job record (SPEC §8), for a job queued through the API. */
  readonly audit?: (job: Job) => AuditEntry;
  /** A month whose report the job mails once every run succeeded (SPEC §4 monthly schedule). */
  readonly report?: Month;
  /**
   * For a schedule, which may fire twice: one job per key (e.g. `daily:2026-11-30`); queueing it
   * again answers the job already queued and starts nothing.
   */
  readonly idempotencyKey?: string;
}

/**
 * Queues a recalculation job over `months` (consecutive, oldest first): the job record (with its
 * audit entry when one is given, in one transaction), then an execution of the `recalculation`
 * state machine named by the job id, which recomputes the months in runs of `monthsPerRun` and
 * then, when `report` is given, has that month's report mailed. While month values are stale (the
 * zone changed), the job rebuilds them first, fanned out (`RebuildInput`).
 * @returns the job as created (`queued`), or as it is when `idempotencyKey` had queued it already.
 * @throws RetryableError when Step Functions refused the execution; the job then reads `failed`.
 */
export async function queueRecalculation(
  months: readonly Month[],
  { audit, report, idempotencyKey }: QueueOptions = {},
): Promise<Job> {
  const jobId = idempotencyKey === undefined ? undefined : idempotentJobId(idempotencyKey);
  const job = await createJob(months, { ...(audit ? { audit } : {}), ...(jobId ? { jobId } : {}) });
  if (!job) {
    const queued = await getJob(jobId as string);
    if (!queued) throw new RetryableError('The job was queued and is gone already; retry');
    logger.info('The job was queued already', { jobId, idempotencyKey });
    return queued;
  }
  const rebuild = await rebuildInput();
  const input: RecalculationInput = {
    jobId: job.jobId,
    runs: runsOf(job.months, stateMachines.recalculation.monthsPerRun),
    ...(report ? { report } : {}),
    ...(rebuild ? { rebuild } : {}),
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

/** The rebuild a job queued now must do first: `undefined` when month values are current. */
async function rebuildInput(): Promise<RebuildInput | undefined> {
  const since = await monthValuesStaleSince();
  if (since === null) return undefined;
  const { rebuildSegments } = stateMachines.recalculation;
  return {
    since,
    months: (await listMonths()).map((state) => state.month),
    segments: Array.from({ length: rebuildSegments }, (_, segment) => segment),
  };
}
