import { recomputeTouchedThrough } from '../compute/recompute-touched.js';
import { monthOf } from '../domain/month.js';
import { instrumented } from '../runtime/instrument.js';
import { logger } from '../runtime/observability.js';
import { getConfig } from '../store/config-store.js';
import { scheduleEventSchema } from './schedule-event.js';

/** SPEC §4 daily schedule: the current month and every month touched since its computation. */
export const handler = instrumented(async (event: unknown) => {
  scheduleEventSchema.parse(event);
  const { timezone } = await getConfig();
  const months = await recomputeTouchedThrough(monthOf(new Date(), timezone));
  logger.info('Daily recomputation done', { from: months[0], to: months.at(-1) });
  return { months };
});
