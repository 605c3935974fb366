import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { NamedAccount } from '../domain/attribution.js';
import type { Environment } from '../domain/ka.js';
import type { Month } from '../domain/month.js';
import { tables } from '../system.js';
import { batchGet } from './batch.js';
import { db, tableName } from './client.js';
import { readJsonChunks, writeJsonChunks } from './json-chunks.js';
import { keys } from './keys.js';
import type { Snapshot } from './telemetry-store.js';

type NamedEntry = [accountId: string, clusterId: string, rank: string];

/** Entries are keyed `<accountId> <clusterId>`: a space sorts before any id character. */
const namedKey = ([accountId, clusterId]: NamedEntry) => `${accountId} ${clusterId}`;

/**
 * Keeps the account each cluster's snapshots last named (SPEC §1 "Account of a cluster"), as a
 * recalculation found it reading every month, sorted by account: list routes read it instead of
 * every month's values, and one account's clusters are one or two small chunks.
 */
export async function saveNamedAccounts(named: ReadonlyMap<string, NamedAccount>): Promise<void> {
  const entries = [...named].map(
    ([clusterId, { accountId, rank }]): NamedEntry => [accountId, clusterId, rank],
  );
  await writeJsonChunks(keys.namedAccountsPartition, entries, namedKey);
}

const namedMap = (entries: readonly NamedEntry[]) =>
  new Map(entries.map(([accountId, clusterId, rank]) => [clusterId, { accountId, rank }]));

/** The named accounts the latest recalculation saved, by cluster; empty before the first one. */
export async function namedAccounts(): Promise<Map<string, NamedAccount>> {
  return namedMap(await readJsonChunks<NamedEntry>(keys.namedAccountsPartition));
}

/** The clusters whose snapshots last named `accountId`, as the latest recalculation saw them. */
export async function clustersNamedFor(accountId: string): Promise<Map<string, NamedAccount>> {
  const entries = await readJsonChunks<NamedEntry>(keys.namedAccountsPartition, [
    `${accountId} `,
    `${accountId}!`,
  ]);
  return namedMap(entries.filter(([named]) => named === accountId));
}

/** A cluster's month value as stored (SPEC §1 "Cluster month value"), with what it was made of. */
export interface ClusterMonth {
  readonly month: Month;
  readonly clusterId: string;
  readonly nodes: number;
  readonly environment: Environment;
  readonly reportedAt: string;
  /** The snapshot the value is taken from. */
  readonly eventId: string;
  /** The account the month's latest account-bearing snapshot named, and that snapshot's rank. */
  readonly accountId?: string;
  readonly accountRank?: string;
}

/**
 * One cluster's month values in the given months, oldest first, by key: one read per month asked,
 * however many clusters the store holds.
 */
export async function clusterMonths(
  clusterId: string,
  months: readonly Month[],
): Promise<ClusterMonth[]> {
  const monthOfKey = new Map(months.map((m) => [keys.clusterMonthValue(m, clusterId).pk, m]));
  const items = await batchGet(months.map((m) => keys.clusterMonthValue(m, clusterId)));
  return items
    .map((item) => ({
      month: monthOfKey.get(item.pk as string) as Month,
      clusterId,
      nodes: item.nodes as number,
      environment: item.environment as Environment,
      reportedAt: item.reportedAt as string,
      eventId: item.eventId as string,
      ...(item.accountId
        ? { accountId: item.accountId as string, accountRank: item.accountRank as string }
        : {}),
    }))
    .sort((a, b) => (a.month < b.month ? -1 : 1));
}

/** A snapshot fact as stored, with when it arrived. */
export type StoredSnapshot = Snapshot & { readonly receivedAt: string };

/** How many snapshot facts `GET /clusters/{clusterId}` shows (SPEC §7). */
const clusterSnapshotLimit = 100;

/**
 * A cluster's latest snapshot facts by `reportedAt`, newest first — facts of one instant by
 * eventId, descending (the sort key's order, `keys.snapshot`) — at most `limit`: one Query of the
 * cluster's partition, whose read units follow what it returns, however long the history.
 */
export async function latestSnapshotFacts(
  clusterId: string,
  limit = clusterSnapshotLimit,
): Promise<StoredSnapshot[]> {
  const result = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': tables.main.partitionKey },
      ExpressionAttributeValues: { ':pk': keys.snapshotPartition(clusterId) },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (result.Items ?? []).map((item) => {
    const { pk: _pk, sk: _sk, ...fact } = item;
    return fact as unknown as StoredSnapshot;
  });
}
