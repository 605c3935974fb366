import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import type { Month } from '../domain/month.js';
import { batchWrite, deleteRequest } from './batch.js';
import { db, tableName } from './client.js';
import { keys } from './keys.js';
import { queryAll } from './query.js';
import { factOf, type Snapshot } from './telemetry-store.js';

const metaKey = { pk: 'META', sk: 'MONTHVALUES' };

/**
 * Since when cluster month values must be rebuilt because the reporting zone changed (ISO 8601),
 * `null` when they are current. A rebuild clears it only if it is still the one it started from.
 */
export async function monthValuesStaleSince(): Promise<string | null> {
  const result = await db().send(
    new GetCommand({ TableName: tableName(), Key: metaKey, ConsistentRead: true }),
  );
  return result.Item?.stale === true ? String(result.Item.since ?? '') : null;
}

/** Marks cluster month values stale (the zone changed) from now. */
export async function setMonthValuesStale(): Promise<void> {
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...metaKey, stale: true, since: new Date().toISOString() },
    }),
  );
}

/**
 * Marks them current again after a rebuild that started when they were stale `since`; a zone
 * changed again meanwhile (a later `since`) keeps them stale, for the next rebuild.
 * @returns whether they were marked current.
 */
export async function clearMonthValuesStale(since: string): Promise<boolean> {
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...metaKey, stale: false },
        ConditionExpression: 'attribute_not_exists(since) OR since = :since',
        ExpressionAttributeValues: { ':since': since },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Deletes the cluster month values and the month registry of the given months. */
export async function deleteMonthValues(months: readonly Month[]): Promise<void> {
  await pMap(
    months,
    async (month) => {
      const partitions = keys.clusterMonthValuePartitions(month);
      const items = (
        await pMap(partitions, (pk) => queryAll(pk, { projection: ['pk', 'sk'] }))
      ).flat();
      await batchWrite(
        [...items, keys.month(month)].map((item) => deleteRequest({ pk: item.pk, sk: item.sk })),
      );
    },
    { concurrency: 4 },
  );
}

/**
 * The snapshot facts of one parallel scan segment (`segment` of `totalSegments`, DynamoDB's own
 * split of the table by key hash), page by page. A cluster's facts share a partition, so they all
 * fall in one segment.
 */
export async function scanSnapshotSegment(
  segment: number,
  totalSegments: number,
  onPage: (facts: Snapshot[]) => Promise<void>,
): Promise<void> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db().send(
      new ScanCommand({
        TableName: tableName(),
        Segment: segment,
        TotalSegments: totalSegments,
        FilterExpression: 'begins_with(pk, :prefix)',
        ExpressionAttributeValues: { ':prefix': keys.snapshotPartitionPrefix },
        ExclusiveStartKey: startKey,
      }),
    );
    await onPage((page.Items ?? []).map(factOf));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}
