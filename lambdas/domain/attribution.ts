import type { Month } from './month.js';

/** The latest account a cluster's snapshots named, with the rank of that snapshot. */
export interface NamedAccount {
  readonly accountId: string;
  readonly rank: string;
}

/**
 * A cluster's named account as kept current across recalculations: `month` is the month (in the
 * reporting zone) of the observation that last changed it. `rank` may lag behind later snapshots
 * of that same month that named the same account — see `namedAccountChanges`.
 */
export interface KeptNamedAccount extends NamedAccount {
  readonly month: Month;
}

/** One month's account observation of a cluster: its latest account-bearing snapshot there. */
export interface MonthAccountObservation {
  readonly clusterId: string;
  readonly accountId?: string;
  readonly accountRank?: string;
}

/**
 * Folds one month's account observations into the kept named accounts (in place) and returns the
 * entries that changed, so that a store writes only those (SPEC §1 "Account of a cluster": the
 * latest account-bearing snapshot in any month wins).
 *
 * An observation later than the kept one replaces it, except when it names the same account in the
 * same month: the answer is unchanged, and skipping it keeps the write count at one per cluster
 * per month rather than one per recomputation. The kept rank may then lag, which is safe: every
 * observation of an earlier month ranks below any of this month, and within the month a month
 * value holds only the month's latest observation.
 */
export function namedAccountChanges(
  kept: Map<string, KeptNamedAccount>,
  month: Month,
  observations: Iterable<MonthAccountObservation>,
): Map<string, KeptNamedAccount> {
  const changed = new Map<string, KeptNamedAccount>();
  for (const { clusterId, accountId, accountRank } of observations) {
    if (accountId === undefined || accountRank === undefined) continue;
    const known = kept.get(clusterId);
    if (known && accountRank <= known.rank) continue;
    if (known && known.accountId === accountId && known.month === month) continue;
    const next = { accountId, rank: accountRank, month };
    kept.set(clusterId, next);
    changed.set(clusterId, next);
  }
  return changed;
}

/**
 * Folds per-month account observations into each cluster's latest one regardless of month (SPEC §1
 * "Account of a cluster"), for evidence reads that combine a saved state with months read live.
 */
export function latestNamedAccounts(
  observations: Iterable<MonthAccountObservation>,
  latest: Map<string, NamedAccount> = new Map(),
): Map<string, NamedAccount> {
  for (const { clusterId, accountId, accountRank } of observations) {
    if (accountId === undefined || accountRank === undefined) continue;
    const known = latest.get(clusterId);
    if (!known || accountRank > known.rank) latest.set(clusterId, { accountId, rank: accountRank });
  }
  return latest;
}

/**
 * The account of a cluster (SPEC §1): the admin mapping if one exists, else the account its latest
 * account-bearing snapshot named, else none (unattributed).
 */
export const accountOfCluster =
  (mappings: ReadonlyMap<string, string>, named: ReadonlyMap<string, NamedAccount>) =>
  (clusterId: string): string | undefined =>
    mappings.get(clusterId) ?? named.get(clusterId)?.accountId;

/** How a cluster is attributed (SPEC §7 clusters): its account, and why. */
export interface ClusterAttribution {
  readonly accountId: string | null;
  /** `mapping` when an admin mapped it, `snapshot` when its snapshots named the account. */
  readonly source: 'mapping' | 'snapshot' | null;
  /** The account its snapshots last named, whatever the mapping says; `null` if none. */
  readonly namedAccountId: string | null;
}

/** The account of a cluster with its source (SPEC §1 "Account of a cluster"), as `accountOfCluster`. */
export function clusterAttribution(
  mapping: string | null | undefined,
  named: NamedAccount | undefined,
): ClusterAttribution {
  const namedAccountId = named?.accountId ?? null;
  if (mapping) return { accountId: mapping, source: 'mapping', namedAccountId };
  if (namedAccountId) return { accountId: namedAccountId, source: 'snapshot', namedAccountId };
  return { accountId: null, source: null, namedAccountId: null };
}
