import { recalculateKa } from '../compute/recalculate-ka.js';
import { queueRecalculation } from '../compute/recalculation-jobs.js';
import { touchedThrough } from '../compute/recompute-touched.js';
import { monthOf } from '../domain/month.js';
import { instrumented } from '../runtime/instrument.js';
import { logger } from '../runtime/observability.js';
import { getConfig } from '../store/config-store.js';
import { monthValuesStaleSince } from '../store/rebuild-store.js';
import { stateMachines } from '../system.js';
import { scheduleEventSchema } from './schedule-event.js';

/**
 * SPEC §4 daily schedule: the current month and every month touched since its computation. One
 * run's worth of months (the usual day: the current month) is recomputed here; more (after a
 * change that touched many months), or any after a zone change, becomes a recalculation job, split
 * into runs by its state machine so that no run nears the function's timeout, and listed at
 * `GET /admin/jobs`.
 */
export const handler = instrumented(async (event: unknown) => {
  scheduleEventSchema.parse(event);
  const { timezone } = await getConfig();
  const months = await touchedThrough(monthOf(new Date(), timezone));
  // Stale month values (the zone changed) are rebuilt by a job, fanned out, never in place.
  const stale = (await monthValuesStaleSince()) !== null;
  if (stale || months.length > stateMachines.recalculation.monthsPerRun) {
    // One job a day, however often the schedule fires (EventBridge delivers at least once).
    const day = new Date().toISOString().slice(0, 10);
    const { jobId } = await queueRecalculation(months, { idempotencyKey: `daily:${day}` });
    logger.info('Daily recomputation queued as a job', {
      from: months[0],
      to: months.at(-1),
      jobId,
    });
    return { months, jobId };
  }
  await recalculateKa(months);
  logger.info('Daily recomputation done', { from: months[0], to: months.at(-1) });
  return { months };
});
