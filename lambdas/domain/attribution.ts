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
