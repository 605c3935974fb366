import { logger } from '../runtime/observability.js';
import { getConfig } from '../store/config-store.js';
import { listMonths } from '../store/months-store.js';
import {
  deleteMonthValues,
  monthValuesStale,
  scanSnapshotFacts,
  setMonthValuesStale,
} from '../store/rebuild-store.js';
import { foldIntoMonthValues } from '../store/telemetry-store.js';

/**
 * Cluster month values are keyed by month in the reporting zone. After the zone changes they are
 * rebuilt from the snapshot facts, which are kept for exactly this: old values and the month
 * registry are dropped, then every fact is folded again in the new zone (which marks every month
 * with data for recalculation). Folding is idempotent, so snapshots arriving meanwhile are safe.
 */
export async function rebuildMonthValuesIfStale(): Promise<boolean> {
  if (!(await monthValuesStale())) return false;
  const { timezone } = await getConfig();
  logger.info('Rebuilding cluster month values for a new reporting zone', { timezone });
  await deleteMonthValues((await listMonths()).map((state) => state.month));
  let folded = 0;
  await scanSnapshotFacts(async (facts) => {
    await foldIntoMonthValues(facts, timezone);
    folded += facts.length;
  });
  await setMonthValuesStale(false);
  logger.info('Cluster month values rebuilt', { timezone, snapshots: folded });
  return true;
}
