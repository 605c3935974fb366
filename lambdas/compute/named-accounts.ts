import pMap from 'p-map';
import { type KeptNamedAccount, namedAccountChanges } from '../domain/attribution.js';
import type { MonthNodes } from '../domain/ka.js';
import type { Month } from '../domain/month.js';
import { type MonthAccountNames, monthValues, type StoredMonthValue } from '../store/ka-store.js';
import { type MonthState, markAttributed, unattributedMonths } from '../store/months-store.js';
import { keptNamedAccounts, saveNamedAccounts } from '../store/named-accounts-store.js';

/** What a recalculation reads of the telemetry: the targets' month values, each cluster's account. */
export interface MonthValuesAndNames {
  /** The month values of each target month (only what KA computation reads). */
  readonly values: Map<Month, MonthNodes[]>;
  /** Every cluster's named account (SPEC §1 "Account of a cluster"), current as of `startedAt`. */
  readonly named: Map<string, KeptNamedAccount>;
}

/**
 * Reads the target months' values and brings the clusters' named accounts up to date: only the
 * months touched since they were last folded are read again, so a recalculation reads what its
 * months need plus what changed, never the whole history. Folded months are marked as folded as
 * of `startedAt` (facts arriving meanwhile leave them to the next run).
 */
export async function monthValuesAndNames(
  targets: readonly Month[],
  states: readonly MonthState[],
  startedAt: number,
): Promise<MonthValuesAndNames> {
  const toFold = unattributedMonths(states);
  const folding = new Set(toFold);
  const [named, read] = await Promise.all([
    keptNamedAccounts(),
    pMap(targets, async (month) => slim(month, await monthValues(month), folding.has(month)), {
      concurrency: 4,
    }),
  ]);
  const targetObservations = new Map(read.map((month) => [month.month, month.observations]));
  const changes = new Map<string, KeptNamedAccount>();
  // Months fold in any order: an earlier month's observations rank below a later month's.
  await pMap(
    toFold,
    async (month) => {
      const observations = targetObservations.get(month) ?? (await monthValues(month, 'accounts'));
      for (const [clusterId, next] of namedAccountChanges(named, month, observations))
        changes.set(clusterId, next);
    },
    { concurrency: 4 },
  );
  await saveNamedAccounts(changes);
  await pMap(toFold, (month) => markAttributed(month, startedAt), { concurrency: 8 });
  return { named, values: new Map(read.map((month) => [month.month, month.values])) };
}

/** Only what the computation reads of a month's values, to keep memory low. */
function slim(month: Month, full: readonly StoredMonthValue[], folding: boolean) {
  return {
    month,
    values: full.map(
      ({ clusterId, nodes, environment }): MonthNodes => ({
        clusterId,
        nodes,
        environment,
      }),
    ),
    observations: folding
      ? full.flatMap(({ clusterId, accountId, accountRank }): MonthAccountNames[] =>
          accountId && accountRank ? [{ clusterId, accountId, accountRank }] : [],
        )
      : undefined,
  };
}
