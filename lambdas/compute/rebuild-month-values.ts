import pMap from 'p-map';
import type { Month } from '../domain/month.js';
import { logger } from '../runtime/observability.js';
import { getConfig } from '../store/config-store.js';
import { listMonths } from '../store/months-store.js';
import {
  clearMonthValuesStale,
  deleteMonthValues,
  monthValuesStaleSince,
  scanSnapshotSegment,
} from '../store/rebuild-store.js';
import { foldIntoMonthValues } from '../store/telemetry-store.js';

/**
 * Cluster month values are keyed by month in the reporting zone. After the zone changes they are
 * rebuilt from the snapshot facts, which are kept for exactly this, in three steps a job runs as
 * tasks of its state machine (`lambdas/orchestration/recalculation-machine.ts`), fanned out:
 * 1. `dropMonthValues`, per month: its old values and its place in the month registry go;
 * 2. `foldSnapshotSegment`, per scan segment (a key range): its facts are folded again in the
 *    new zone, which registers and touches their months;
 * 3. `finishRebuild`: the values are marked current — unless the zone changed again meanwhile.
 * Folding is idempotent, so snapshots arriving meanwhile are safe.
 */

/** Step 1 for one month (`YYYY-MM`, in the zone the values were built in). */
export async function dropMonthValues(month: Month): Promise<void> {
  await deleteMonthValues([month]);
}

/**
 * Step 2 for one scan segment: folds its snapshot facts into month values in the current zone.
 * @returns the number of facts folded.
 */
export async function foldSnapshotSegment(segment: number, totalSegments: number): Promise<number> {
  const { timezone } = await getConfig();
  let folded = 0;
  await scanSnapshotSegment(segment, totalSegments, async (facts) => {
    await foldIntoMonthValues(facts, timezone);
    folded += facts.length;
  });
  return folded;
}

/**
 * Step 3: marks the values current if they are still stale `since` the same zone change.
 * @returns whether they were (false: the zone changed again, and a later rebuild is owed).
 */
export async function finishRebuild(since: string): Promise<boolean> {
  const done = await clearMonthValuesStale(since);
  if (!done) logger.warn('The zone changed again during the rebuild; month values stay stale');
  return done;
}

/** In-process segments of the in-place rebuild (`rebuildMonthValuesIfStale`). */
const inPlaceSegments = 4;

/**
 * The three steps in this invocation, when the values are stale: for a recalculation that runs
 * outside a job that rebuilt them (a job queued before the zone changed). Small data only — a job
 * queued while they are stale rebuilds them fanned out first.
 * @returns whether a rebuild was done.
 */
export async function rebuildMonthValuesIfStale(): Promise<boolean> {
  const since = await monthValuesStaleSince();
  if (since === null) return false;
  logger.info('Rebuilding cluster month values for a new reporting zone in place', { since });
  await pMap(
    (await listMonths()).map((state) => state.month),
    dropMonthValues,
    { concurrency: 4 },
  );
  const counts = await pMap(
    Array.from({ length: inPlaceSegments }, (_, segment) => segment),
    (segment) => foldSnapshotSegment(segment, inPlaceSegments),
  );
  await finishRebuild(since);
  logger.info('Cluster month values rebuilt', { snapshots: counts.reduce((a, b) => a + b, 0) });
  return true;
}
