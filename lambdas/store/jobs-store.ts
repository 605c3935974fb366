import { createHash, randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Month } from '../domain/month.js';
import { type AuditEntry, writeAudited } from './audit-store.js';
import { db, tableName } from './client.js';
import { keys } from './keys.js';
import { queryAll } from './query.js';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** A recalculation job as `GET /admin/jobs/{jobId}` shows it (SPEC §3), with its progress. */
export interface Job {
  readonly jobId: string;
  readonly status: JobStatus;
  readonly months: Month[];
  readonly completedMonths: Month[];
  readonly error?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Jobs are kept for 30 days, then DynamoDB's TTL removes them. */
const retentionSeconds = 30 * 24 * 3600;

/**
 * Creates a queued job over `months`. Through the API the job and its audit entry (SPEC §8) are
 * one transaction. With `jobId` (a schedule's idempotency, see `idempotentJobId`) the job is
 * created only if none has that id.
 * @returns the job created, or `undefined` when a job with `jobId` already exists.
 */
export async function createJob(
  months: readonly Month[],
  options: { audit?: (job: Job) => AuditEntry; jobId?: string } = {},
): Promise<Job | undefined> {
  const now = new Date().toISOString();
  const job: Job = {
    jobId: options.jobId ?? randomUUID(),
    status: 'queued',
    months: [...months],
    completedMonths: [],
    createdAt: now,
    updatedAt: now,
  };
  const expiresAt = Math.floor(Date.now() / 1000) + retentionSeconds;
  const put = {
    TableName: tableName(),
    Item: { ...keys.job(job.jobId), ...keys.jobByTime(job.jobId, now), ...job, expiresAt },
    ...(options.jobId ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}),
  };
  try {
    if (options.audit) await writeAudited([{ Put: put }], options.audit(job));
    else await db().send(new PutCommand(put));
  } catch (error) {
    if (options.jobId && error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
  return job;
}

/**
 * A job id (UUID-shaped, as `GET /admin/jobs/{jobId}` takes) derived from an idempotency key such
 * as `daily:2026-11-30`: a schedule that fires twice queues one job, and its execution is named
 * by it once (Step Functions refuses a second execution of one name).
 */
export function idempotentJobId(key: string): string {
  const hex = createHash('sha256').update(key).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export async function getJob(jobId: string): Promise<Job | undefined> {
  const result = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.job(jobId), ConsistentRead: true }),
  );
  if (!result.Item) return undefined;
  return jobOf(result.Item);
}

function jobOf(item: Record<string, unknown>): Job {
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, expiresAt: _e, ...job } = item;
  return job as unknown as Job;
}

/**
 * Every job still kept (30 days), from `gsi1` (jobs created before the index keys existed are not
 * listed). A job past its expiry that DynamoDB has not removed yet is left out (SPEC §7 jobs).
 */
export async function listJobs(): Promise<Job[]> {
  const items = await queryAll(keys.jobsByTimePartition, { index: 'gsi1' });
  const now = Math.floor(Date.now() / 1000);
  return items.filter((item) => (item.expiresAt as number) > now).map(jobOf);
}

/** Moves a job to a status (`running`, `succeeded` or `failed`). */
export async function setJobStatus(
  jobId: string,
  status: Exclude<JobStatus, 'queued'>,
  error?: string,
): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.job(jobId),
      UpdateExpression: `SET #status = :status, updatedAt = :now${error ? ', #error = :error' : ''}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#status': 'status', ...(error ? { '#error': 'error' } : {}) },
      ExpressionAttributeValues: {
        ':status': status,
        ':now': new Date().toISOString(),
        ...(error ? { ':error': error } : {}),
      },
    }),
  );
}

/**
 * Records one more month done, so a caller polling the job sees progress. A retried run records
 * its months once: a month already listed is left as it is.
 */
export async function recordJobProgress(jobId: string, month: Month): Promise<void> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.job(jobId),
        UpdateExpression:
          'SET completedMonths = list_append(completedMonths, :month), updatedAt = :now',
        ConditionExpression: 'NOT contains(completedMonths, :name)',
        ExpressionAttributeValues: {
          ':month': [month],
          ':name': month,
          ':now': new Date().toISOString(),
        },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}
