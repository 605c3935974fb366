import {
  type ClusterAttribution,
  clusterAttribution,
  latestNamedAccounts,
} from '../domain/attribution.js';
import { NotFoundError } from '../domain/errors.js';
import type { Environment } from '../domain/ka.js';
import type { Month } from '../domain/month.js';
import { type AccountRecord, accountDirectory, accountRecord } from '../store/accounts-store.js';
import { clusterMonths, latestSnapshotFacts, namedAccounts } from '../store/cluster-store.js';
import { clusterMapping, clusterMappings } from '../store/directory-store.js';
import { monthValues } from '../store/ka-store.js';
import { listMonths } from '../store/months-store.js';

/** One cluster of a month with its attribution (SPEC §7 `GET /clusters`). */
export interface MonthCluster extends ClusterAttribution {
  readonly clusterId: string;
  readonly environment: Environment;
  readonly nodes: number;
  readonly reportedAt: string;
}

/**
 * The clusters with a month value in `month`, attributed as the recalculation attributes them
 * (SPEC §1 "Account of a cluster"): the admin mapping, else the account their snapshots last
 * named — as the latest recalculation found it across all months, or as this month's values name
 * it when later. Reads the month's values, the mappings and the saved named accounts.
 */
export async function monthClusters(month: Month): Promise<MonthCluster[]> {
  const [values, mappings, saved, directory] = await Promise.all([
    monthValues(month),
    clusterMappings(),
    namedAccounts(),
    accountDirectory(),
  ]);
  const named = latestNamedAccounts(values, saved);
  return values.map((value) => ({
    clusterId: value.clusterId,
    ...canonicalAttribution(
      clusterAttribution(mappings.get(value.clusterId), named.get(value.clusterId)),
      directory,
    ),
    environment: value.environment,
    nodes: value.nodes,
    reportedAt: value.reportedAt,
  }));
}

/** The attribution with its account resolved through aliases (SPEC §1); the named one as named. */
const canonicalAttribution = (
  attribution: ClusterAttribution,
  directory: ReadonlyMap<string, AccountRecord>,
): ClusterAttribution =>
  attribution.accountId === null
    ? attribution
    : {
        ...attribution,
        accountId: directory.get(attribution.accountId)?.aliasOf ?? attribution.accountId,
      };

/** The latest month with data (SPEC §7: the clusters list's default); `null` before any data. */
export async function latestDataMonth(): Promise<Month | null> {
  return (await listMonths()).at(-1)?.month ?? null;
}

/**
 * One cluster's evidence (SPEC §7 `GET /clusters/{clusterId}`): its attribution, its month value
 * in every month with data (oldest first) and its latest 100 snapshot facts by `reportedAt`, every
 * one stored, newest first — facts of one instant by eventId, descending. Reads one item per month
 * with data, the mapping, its account's record and the facts shown: never other clusters or
 * accounts, nor older facts.
 * @throws NotFoundError when no snapshot of the cluster arrived and no admin mapped it.
 */
export async function clusterEvidence(clusterId: string) {
  const states = await listMonths();
  const [months, mapping, facts] = await Promise.all([
    clusterMonths(
      clusterId,
      states.map((state) => state.month),
    ),
    clusterMapping(clusterId),
    latestSnapshotFacts(clusterId),
  ]);
  if (months.length === 0 && mapping === null) {
    throw new NotFoundError(`No cluster ${clusterId}: no snapshot named it and no mapping exists`);
  }
  const named = latestNamedAccounts(months).get(clusterId);
  const attribution = clusterAttribution(mapping, named);
  // Its one account's record by key, for the alias (SPEC §1): not the whole account directory.
  const account = attribution.accountId ? await accountRecord(attribution.accountId) : undefined;
  const snapshots = facts.map((fact) => ({
    eventId: fact.eventId,
    reportedAt: fact.reportedAt,
    receivedAt: fact.receivedAt ?? null,
    nodes: fact.nodes,
    environment: fact.environment,
    accountId: fact.accountId ?? null,
    components: fact.components ?? null,
    version: fact.version ?? null,
  }));
  return {
    clusterId,
    ...canonicalAttribution(attribution, new Map(account ? [[account.accountId, account]] : [])),
    mapping,
    months: months.map(({ month, nodes, environment, reportedAt, eventId }) => ({
      month,
      nodes,
      environment,
      reportedAt,
      eventId,
    })),
    snapshots,
  };
}
