import { logger } from '../runtime/observability.js';
import { scheduleEventSchema } from './schedule-event.js';

/** SPEC §4 daily schedule: recompute the current month and every month marked dirty. */
export async function handler(event: unknown) {
  const { schedule } = scheduleEventSchema.parse(event);
  logger.warn('Daily recomputation is not built yet', { schedule });
  return { months: [] };
}
