import { GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import type { Month } from '../domain/month.js';
import { batchWrite, deleteRequest } from './batch.js';
import { db, tableName } from './client.js';
import { keys } from './keys.js';
import { queryAll } from './query.js';
import { factOf, type Snapshot } from './telemetry-store.js';

const metaKey = { pk: 'META', sk: 'MONTHVALUES' };

/** Whether cluster month values must be rebuilt because the reporting zone changed. */
export async function monthValuesStale(): Promise<boolean> {
  const result = await db().send(
    new GetCommand({ TableName: tableName(), Key: metaKey, ConsistentRead: true }),
  );
  return result.Item?.stale === true;
}

export async function setMonthValuesStale(stale: boolean): Promise<void> {
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...metaKey, stale } }));
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

/** Every stored snapshot fact, page by page, over parallel scan segments. */
export async function scanSnapshotFacts(
  onPage: (facts: Snapshot[]) => Promise<void>,
): Promise<void> {
  const segments = 4;
  await pMap(
    Array.from({ length: segments }, (_, i) => i),
    async (segment) => {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await db().send(
          new ScanCommand({
            TableName: tableName(),
            Segment: segment,
            TotalSegments: segments,
            FilterExpression: 'begins_with(pk, :prefix)',
            ExpressionAttributeValues: { ':prefix': keys.snapshotPartitionPrefix },
            ExclusiveStartKey: startKey,
          }),
        );
        await onPage((page.Items ?? []).map(factOf));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    },
  );
}
