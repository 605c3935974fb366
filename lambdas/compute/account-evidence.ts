import pMap from 'p-map';
import { accountMonths, type EvidenceStatus } from '../domain/account-evidence.js';
import { clusterAttribution, latestNamedAccounts } from '../domain/attribution.js';
import { isChampionByMonths } from '../domain/champions.js';
import { NotFoundError } from '../domain/errors.js';
import { compareMonths, firstMonth, lastMonth, type Month } from '../domain/month.js';
import { accountDirectory, accountRecord, aliasesOf } from '../store/accounts-store.js';
import { clusterMonths, clustersNamedFor } from '../store/cluster-store.js';
import { getConfig } from '../store/config-store.js';
import { clusterMappings, clustersMappedTo, mappingsOf } from '../store/directory-store.js';
import { kaAccounts, kaMonthRows } from '../store/ka-store.js';
import { accountMembers, affiliatedMembers } from '../store/member-index-store.js';
import { listMonths } from '../store/months-store.js';
import { monthClusters } from './cluster-evidence.js';

/** One account of SPEC §7 `GET /accounts`. */
export interface AccountRow {
  readonly accountId: string;
  readonly name: string | null;
  readonly productionNodes: number;
  readonly status: EvidenceStatus;
  readonly clusters: number;
  readonly champions: number;
  readonly firstKaMonth: Month | null;
}

const isKa = (status: string) => status !== 'churned' && status !== 'near';

/** The computed months, oldest first. */
async function computedMonths(): Promise<Month[]> {
  return (await kaMonthRows(firstMonth, lastMonth)).map((row) => row.month);
}

/** The latest computed month (SPEC §7: the accounts list's default); `null` before any. */
export async function latestComputedMonth(): Promise<Month | null> {
  return (await computedMonths()).at(-1) ?? null;
}

/**
 * Every account of computed `month` (SPEC §7 `GET /accounts`): with production nodes in it, a
 * mapping, a name or a currently affiliated member (members as the latest recalculation resolved
 * them). Status and production nodes of the month's
 * listed accounts (KA, churned, near) are as computed; other accounts' nodes are their clusters'
 * month values under today's attribution. Unordered; the route orders and pages.
 */
export async function accountsOfMonth(month: Month): Promise<AccountRow[]> {
  const [clusters, listed, directory, mappings, members, config, months] = await Promise.all([
    monthClusters(month),
    kaAccounts(month),
    accountDirectory(),
    clusterMappings(),
    affiliatedMembers(),
    getConfig(),
    computedMonths(),
  ]);
  const earlier = months.filter((m) => compareMonths(m, month) <= 0);
  const lists = await pMap(earlier, (m) => kaAccounts(m), { concurrency: 4 });
  const firstKa = new Map<string, Month>();
  earlier.forEach((m, i) => {
    for (const a of lists[i] ?? [])
      if (isKa(a.status) && !firstKa.has(a.accountId)) firstKa.set(a.accountId, m);
  });
  // Aliases count as their canonical account (SPEC §1, §9): they are not listed of their own.
  const canonical = (id: string) => directory.get(id)?.aliasOf ?? id;
  const names = new Map(
    [...directory.values()].flatMap((a) =>
      a.name !== null && a.aliasOf === null ? [[a.accountId, a.name] as const] : [],
    ),
  );
  const counted = new Set<string>(config.countedEnvironments);
  const rows = new Map<string, { productionNodes: number; clusters: number; champions: number }>();
  const row = (accountId: string) => {
    const existing = rows.get(accountId) ?? { productionNodes: 0, clusters: 0, champions: 0 };
    rows.set(accountId, existing);
    return existing;
  };
  for (const cluster of clusters) {
    if (cluster.accountId === null) continue;
    const account = row(canonical(cluster.accountId));
    if (!counted.has(cluster.environment)) continue;
    account.productionNodes += cluster.nodes;
    account.clusters += 1;
  }
  for (const accountId of [...names.keys(), ...mappings.values()]) row(canonical(accountId));
  for (const member of members) {
    if (member.accountId === null) continue;
    const account = row(member.accountId);
    if (isChampionByMonths(member.qualifyingMonths, month)) account.champions += 1;
  }
  const status = new Map(listed.map((a) => [a.accountId, a]));
  return [...rows].map(([accountId, counts]) => ({
    accountId,
    name: names.get(accountId) ?? null,
    productionNodes: status.get(accountId)?.productionNodes ?? counts.productionNodes,
    status: status.get(accountId)?.status ?? 'other',
    clusters: counts.clusters,
    // The month's listed accounts carry the champions the recalculation counted (affiliation at
    // the end of the month, staff left out: SPEC §1); others are counted from the member index.
    champions: status.get(accountId)?.champions ?? counts.champions,
    firstKaMonth: firstKa.get(accountId) ?? null,
  }));
}

/**
 * One account's evidence (SPEC §7 `GET /accounts/{accountId}`): its name, its production nodes and
 * status in every computed month, the clusters whose account it is now with their latest month
 * value, and its currently affiliated members (as the latest recalculation resolved them). Reads
 * its record and its aliases' and mapped clusters' index entries, its clusters' mappings and month
 * values by key (one item per cluster and month with data) and its chunks of the indexes: never
 * other accounts' records, clusters or members.
 * @throws NotFoundError when nobody named the account and no cluster or member belongs to it.
 */
export async function accountEvidence(requested: string) {
  const requestedRecord = await accountRecord(requested);
  // An alias answers for its canonical account (SPEC §7).
  const accountId = requestedRecord?.aliasOf ?? requested;
  const [account, aliases] = await Promise.all([
    accountId === requested ? requestedRecord : accountRecord(accountId),
    aliasesOf(accountId),
  ]);
  // Aliases have no aliases (no chains, SPEC §9): an id counts for this account when it is one.
  const own = new Set([accountId, ...aliases]);
  const [mapped, named, states, months, config, affiliated] = await Promise.all([
    Promise.all([...own].map((id) => clustersMappedTo(id))),
    Promise.all([...own].map((id) => clustersNamedFor(id))),
    listMonths(),
    computedMonths(),
    getConfig(),
    accountMembers(accountId),
  ]);
  const namedFor = new Map(named.flatMap((clusters) => [...clusters]));
  const clusterIds = [...new Set([...namedFor.keys(), ...mapped.flat()])].sort();
  const dataMonths = states.map((state) => state.month);
  const [mappings, values] = await Promise.all([
    mappingsOf(clusterIds),
    pMap(clusterIds, (id) => clusterMonths(id, dataMonths), { concurrency: 4 }),
  ]);
  const clusters = values.flatMap((history, i) => {
    const clusterId = clusterIds[i] as string;
    const named = latestNamedAccounts(history, new Map(namedFor)).get(clusterId);
    const attribution = clusterAttribution(mappings.get(clusterId), named);
    const attributed = attribution.accountId;
    return attributed !== null && own.has(attributed) ? [{ clusterId, attribution, history }] : [];
  });
  if (!account && clusters.length === 0 && affiliated.length === 0) {
    throw new NotFoundError(`No account ${accountId}: not named, and no cluster or member has it`);
  }
  const counted = new Set<string>(config.countedEnvironments);
  const nodesOf = (month: Month) =>
    clusters.reduce((sum, { history }) => {
      const value = history.find((v) => v.month === month);
      return sum + (value && counted.has(value.environment) ? value.nodes : 0);
    }, 0);
  const latestComputed = months.at(-1);
  return {
    accountId,
    name: account?.name ?? null,
    domains: account?.domains ?? [],
    aliases,
    months: accountMonths({ accountId, months, nodesOf, rules: config }),
    clusters: clusters.map(({ clusterId, attribution, history }) => {
      const latest = history.at(-1);
      return {
        clusterId,
        source: attribution.source,
        environment: latest?.environment ?? null,
        nodes: latest?.nodes ?? null,
        reportedAt: latest?.reportedAt ?? null,
      };
    }),
    members: affiliated.map((member) => ({
      memberId: member.memberId,
      name: member.name,
      lastActivityAt: member.lastActivityAt,
      champion:
        latestComputed !== undefined && isChampionByMonths(member.qualifyingMonths, latestComputed),
    })),
  };
}
