/** The latest account a cluster's snapshots named, with the rank of that snapshot. */
export interface NamedAccount {
  readonly accountId: string;
  readonly rank: string;
}

/**
 * Folds per-month account observations into each cluster's latest one: the accountId of the
 * cluster's latest snapshot that carried one (SPEC §1 "Account of a cluster"). Folding into an
 * existing map lets a caller stream months through it.
 */
export function latestNamedAccounts(
  observations: Iterable<{ clusterId: string; accountId?: string; accountRank?: string }>,
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
