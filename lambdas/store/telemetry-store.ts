import { type AttributeValue, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import pMap from 'p-map';
import { type Environment, snapshotRank } from '../domain/ka.js';
import { type Month, monthOf } from '../domain/month.js';
import { db, tableName } from './client.js';
import { keys } from './keys.js';
import { touchMonths } from './months-store.js';

/** A telemetry snapshot as validated at the edge (SPEC §2), `nodes` already resolved. */
export interface Snapshot {
  readonly eventId: string;
  readonly clusterId: string;
  readonly accountId?: string;
  readonly environment: Environment;
  readonly nodes: number;
  readonly components?: Readonly<Record<string, number>>;
  readonly reportedAt: string;
  readonly version?: string;
}

export interface StoreResult {
  readonly accepted: number;
  readonly duplicates: number;
}

/** Parallel single-item writes in flight per delivery: enough to hide latency, not to throttle. */
export const writesInFlight = 32;

/**
 * Stores snapshots exactly once each and folds them into their cluster month values.
 * The fact is a conditional put keyed by cluster, instant and eventId (`keys.snapshot`): a
 * redelivery — even a concurrent one — finds it and counts as a duplicate. Month values are then
 * (re)applied from the stored facts, new and duplicate alike: the conditional "later snapshot
 * wins" update is idempotent, so a delivery cut short after its facts were stored is completed by
 * its redelivery.
 *
 * Each cluster month's facts are stored and then folded in one task, rather than every fact of
 * the delivery first and every fold after: writes stay in flight without a barrier between the
 * two phases (issue #17: ingestion near the store's single-write ceiling).
 */
export async function storeSnapshots(
  snapshots: readonly Snapshot[],
  timeZone: string,
): Promise<StoreResult> {
  const receivedAt = new Date().toISOString();
  const byClusterMonth = new Map<string, Snapshot[]>();
  for (const s of snapshots) {
    const key = `${monthOf(s.reportedAt, timeZone)}|${s.clusterId}`;
    const group = byClusterMonth.get(key);
    if (group) group.push(s);
    else byClusterMonth.set(key, [s]);
  }
  const outcomes = (
    await pMap(
      byClusterMonth.values(),
      async (facts) => {
        const stored = await Promise.all(facts.map((s) => putFact(s, receivedAt)));
        // Stored facts, not the delivered ones: a duplicate's stored content wins.
        for (const group of groupByClusterMonth(
          stored.map((outcome) => outcome.fact),
          timeZone,
        )) {
          await applyMonthValue(group);
        }
        return stored;
      },
      { concurrency: writesInFlight },
    )
  ).flat();
  await touchMonths([...new Set(outcomes.map((o) => monthOf(o.fact.reportedAt, timeZone)))]);
  await recordReceipt(receivedAt);
  const duplicates = outcomes.filter((outcome) => outcome.duplicate).length;
  return { accepted: outcomes.length - duplicates, duplicates };
}

/**
 * Folds stored snapshot facts into their cluster month values in the given zone and marks their
 * months touched. Idempotent: folding a fact again changes nothing.
 */
export async function foldIntoMonthValues(
  facts: readonly Snapshot[],
  timeZone: string,
): Promise<void> {
  const groups = groupByClusterMonth(facts, timeZone);
  await pMap(groups, applyMonthValue, { concurrency: writesInFlight });
  await touchMonths([...new Set(groups.map((group) => group.month))]);
}

async function putFact(snapshot: Snapshot, receivedAt: string) {
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keys.snapshot(snapshot),
          ...snapshot,
          // A Map marshals any component name; a plain object named `constructor` would not.
          ...(snapshot.components
            ? { components: new Map(Object.entries(snapshot.components)) }
            : {}),
          receivedAt,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { fact: snapshot, duplicate: false };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    // The stored fact wins over a redelivery that (wrongly) changed its content.
    const stored = error.Item ? unmarshallFact(error.Item) : snapshot;
    return { fact: stored, duplicate: true };
  }
}

function unmarshallFact(item: Record<string, AttributeValue>): Snapshot {
  return factOf(unmarshall(item));
}

/** The snapshot a stored fact item holds. */
export function factOf(item: Record<string, unknown>): Snapshot {
  const { pk: _pk, sk: _sk, receivedAt: _r, ...fact } = item;
  return fact as unknown as Snapshot;
}

interface ClusterMonthGroup {
  readonly month: Month;
  readonly clusterId: string;
  /** The group's latest snapshot, and its latest one that named an account. */
  readonly latest: Snapshot;
  readonly latestWithAccount: Snapshot | undefined;
}

function groupByClusterMonth(facts: readonly Snapshot[], timeZone: string): ClusterMonthGroup[] {
  const groups = new Map<string, ClusterMonthGroup>();
  const later = (a: Snapshot | undefined, b: Snapshot) =>
    a === undefined || snapshotRank(b) > snapshotRank(a) ? b : a;
  for (const fact of facts) {
    const month = monthOf(fact.reportedAt, timeZone);
    const key = `${month}|${fact.clusterId}`;
    const group = groups.get(key);
    groups.set(key, {
      month,
      clusterId: fact.clusterId,
      latest: later(group?.latest, fact),
      latestWithAccount: fact.accountId
        ? later(group?.latestWithAccount, fact)
        : group?.latestWithAccount,
    });
  }
  return [...groups.values()];
}

/**
 * Folds a group into its cluster month value with conditional writes on the snapshot rank, never
 * read-modify-write: the later snapshot wins whatever the arrival order. The account named by the
 * latest account-bearing snapshot is tracked beside it, for "account of a cluster" (SPEC §1).
 */
async function applyMonthValue(group: ClusterMonthGroup): Promise<void> {
  const { latest, latestWithAccount } = group;
  const accountInSameWrite = latestWithAccount === latest;
  const applied = await conditionalSet(group, 'rank', {
    rank: snapshotRank(latest),
    nodes: latest.nodes,
    environment: latest.environment,
    eventId: latest.eventId,
    reportedAt: latest.reportedAt,
    ...(accountInSameWrite ? accountFields(latest) : {}),
  });
  if (latestWithAccount && !(applied && accountInSameWrite)) {
    await conditionalSet(group, 'accountRank', accountFields(latestWithAccount));
  }
}

const accountFields = (snapshot: Snapshot) => ({
  accountId: snapshot.accountId,
  accountRank: snapshotRank(snapshot),
});

async function conditionalSet(
  group: ClusterMonthGroup,
  rankAttribute: 'rank' | 'accountRank',
  fields: Record<string, unknown>,
): Promise<boolean> {
  const names = Object.keys(fields);
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.clusterMonthValue(group.month, group.clusterId),
        UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
        ConditionExpression: `attribute_not_exists(#rank) OR #rank < :rank`,
        ExpressionAttributeNames: {
          '#rank': rankAttribute,
          ...Object.fromEntries(names.map((name, i) => [`#f${i}`, name])),
        },
        ExpressionAttributeValues: {
          ':rank': fields[rankAttribute],
          ...Object.fromEntries(names.map((name, i) => [`:v${i}`, fields[name]])),
        },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Keeps when telemetry last arrived (one write a delivery), for the report's data freshness. */
async function recordReceipt(receivedAt: string): Promise<void> {
  await db()
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.telemetryReceipt(),
        UpdateExpression: 'SET lastReceivedAt = :at',
        ConditionExpression: 'attribute_not_exists(lastReceivedAt) OR lastReceivedAt < :at',
        ExpressionAttributeValues: { ':at': receivedAt },
      }),
    )
    .catch((error: Error) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
}

/** When telemetry last arrived; `null` before the first delivery. */
export async function lastTelemetryAt(): Promise<string | null> {
  const result = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.telemetryReceipt() }),
  );
  return (result.Item?.lastReceivedAt as string | undefined) ?? null;
}
