import {
  BatchWriteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import pMap from 'p-map';
import { untilProcessed } from './batch.js';
import { keys } from './keys.js';

/**
 * The steps a one-off upgrade of a table takes (`account-index-upgrade.ts`,
 * `legacy-snapshot-facts.ts`, `identity-links-upgrade.ts`): each is given the client and table
 * (local mode runs them before the handlers' environment is set) and records itself as done with a
 * marker item (`keys.upgradeDone`), so that later starts read one item.
 */

const markerKey = (name: string) => {
  const { pk, sk } = keys.upgradeDone(name);
  return { pk: { S: pk }, sk: { S: sk } };
};

/** Whether the upgrade `name` was recorded as done on the table. */
export async function upgradeDone(
  client: DynamoDBClient,
  table: string,
  name: string,
): Promise<boolean> {
  const done = await client.send(
    new GetItemCommand({ TableName: table, Key: markerKey(name), ConsistentRead: true }),
  );
  return done.Item !== undefined;
}

/** Records the upgrade `name` as done, with when and, as numbers, `counts` (e.g. items left). */
export async function markUpgradeDone(
  client: DynamoDBClient,
  table: string,
  name: string,
  counts: Record<string, number> = {},
): Promise<void> {
  const numbers = Object.fromEntries(
    Object.entries(counts).map(([field, value]) => [field, { N: String(value) }]),
  );
  await client.send(
    new PutItemCommand({
      TableName: table,
      Item: { ...markerKey(name), at: { S: new Date().toISOString() }, ...numbers },
    }),
  );
}

/**
 * `BatchWriteItem`s of 25, 8 in flight, each retried until DynamoDB processed all of it (a
 * `RetryableError` if it never does); `what` names the writes in that error.
 */
export async function writeAll(
  client: DynamoDBClient,
  table: string,
  requests: readonly WriteRequest[],
  what: string,
): Promise<void> {
  const chunks: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += 25) chunks.push(requests.slice(i, i + 25));
  await pMap(
    chunks,
    (chunk) =>
      untilProcessed(chunk, what, async (pending) => {
        const result = await client.send(
          new BatchWriteItemCommand({ RequestItems: { [table]: pending } }),
        );
        return result.UnprocessedItems?.[table] ?? [];
      }),
    { concurrency: 8 },
  );
}
