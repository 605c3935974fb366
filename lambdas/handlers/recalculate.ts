import { logger } from '../runtime/observability.js';

/** A queued recalculation job (SPEC §3 `POST /admin/recalculate`). */
export async function handler(event: unknown) {
  logger.warn('Recalculation is not built yet', { event });
  return { ok: false };
}
