import { recalculateKa } from '../compute/recalculate-ka.js';
import { compareMonths, monthOf, monthRange } from '../domain/month.js';
import { instrumented } from '../runtime/instrument.js';
import { logger } from '../runtime/observability.js';
import { getConfig } from '../store/config-store.js';
import { dirtyMonths, listMonths } from '../store/months-store.js';
import { scheduleEventSchema } from './schedule-event.js';

/**
 * SPEC §4 daily schedule: recompute the current month and every month touched since its last
 * computation. Later months depend on earlier ones (movements, multiples), so everything from the
 * earliest touched month up to the current one is recomputed, in order.
 */
export const handler = instrumented(async (event: unknown) => {
  scheduleEventSchema.parse(event);
  const { timezone } = await getConfig();
  const current = monthOf(new Date(), timezone);
  const [earliest] = dirtyMonths(await listMonths());
  const from = earliest && compareMonths(earliest, current) < 0 ? earliest : current;
  const months = monthRange(from, current);
  await recalculateKa(months);
  logger.info('Daily recomputation done', { from, to: current, months: months.length });
  return { months };
});
