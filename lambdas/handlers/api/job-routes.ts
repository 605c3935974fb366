import * as z from 'zod';
import { queueRecalculation } from '../../compute/recalculation-jobs.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { compareMonths, monthRange, parseMonth } from '../../domain/month.js';
import { auditEntry } from '../../http/audit.js';
import { readBody } from '../../http/body.js';
import { monthRangeParams } from '../../http/fields.js';
import { listResponse } from '../../http/lists.js';
import { readQuery } from '../../http/params.js';
import { json } from '../../http/responses.js';
import { param, type RouteImplementations } from '../../http/router.js';
import { getJob, type Job, listJobs } from '../../store/jobs-store.js';
import { functions } from '../../system.js';
import { jobsQuery } from './evidence-schemas.js';

const earliestMonth = parseMonth('2000-01');

/** A job covers at most this many months: 20 years is more history than any report shows. */
const maxMonths = 240;

export const recalculateBody = z.object({
  from: z.string({ error: 'must be a month YYYY-MM' }),
  to: z.string({ error: 'must be a month YYYY-MM' }),
});

/**
 * A job still `queued` or `running` with no progress for longer than a run and its two retries can
 * take (each up to the function's timeout, 10 s and 20 s apart) was cut short without recording
 * why (its execution stopped, or could not reach DynamoDB): it reads `failed`.
 */
const stalledAfterMs = (functions.recalculate.timeoutSeconds * 3 + 30 + 60) * 1000;

function withStalledAsFailed(job: Job): Job {
  const active = job.status === 'queued' || job.status === 'running';
  if (!active || Date.now() - Date.parse(job.updatedAt) < stalledAfterMs) return job;
  return { ...job, status: 'failed', error: 'The job stopped without finishing; start it again' };
}

/** `POST /admin/recalculate`, `GET /admin/jobs/{jobId}` (SPEC §3) and `GET /admin/jobs` (§7). */
export const jobRoutes: RouteImplementations = {
  'POST /admin/recalculate': async (reqCtx) => {
    const body = await readBody(reqCtx, recalculateBody);
    const { from, to } = monthRangeParams(body.from, body.to);
    // No fact is older (SPEC §2 dates before 2000 are refused), and 1970-01 has no month before it.
    if (compareMonths(from, earliestMonth) < 0) {
      throw new ValidationError(`from must be ${earliestMonth} or later; no data is older`);
    }
    const months = monthRange(from, to);
    if (months.length > maxMonths) {
      throw new ValidationError(
        `${months.length} months asked; recalculate at most ${maxMonths} at once`,
      );
    }
    const job = await queueRecalculation(months, {
      audit: (created) =>
        auditEntry(reqCtx, `job:${created.jobId}`, null, { months: created.months }),
    });
    return json(202, { jobId: job.jobId });
  },
  'GET /admin/jobs': async (reqCtx) => {
    const params = readQuery(reqCtx, jobsQuery);
    return listResponse(reqCtx, params, {
      route: 'GET /admin/jobs',
      key: 'jobs',
      items: (await listJobs()).map(withStalledAsFailed),
      // Newest first (SPEC §7).
      orderBy: [
        [(job) => job.createdAt, 'desc'],
        [(job) => job.jobId, 'desc'],
      ],
    });
  },
  'GET /admin/jobs/{jobId}': async (reqCtx) => {
    const jobId = param(reqCtx, 'jobId') ?? '';
    const job = /^[0-9a-f-]{36}$/.test(jobId) ? await getJob(jobId) : undefined;
    if (!job) throw new NotFoundError(`No job ${jobId}`);
    return json(200, withStalledAsFailed(job));
  },
};
