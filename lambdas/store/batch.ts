import {
  BatchGetCommand,
  BatchWriteCommand,
  type BatchWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import { RetryableError } from '../domain/errors.js';
import { db, tableName } from './client.js';

type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

const maxAttempts = 8;
const batchSize = 25;

const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.min(2000, 25 * 2 ** attempt * Math.random())));

/**
 * Writes with BatchWriteItem, 25 at a time, retrying unprocessed items with jittered exponential
 * backoff; throws a RetryableError rather than lose a write.
 */
export async function batchWrite(requests: readonly WriteRequest[]): Promise<void> {
  const chunks: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += batchSize) {
    chunks.push(requests.slice(i, i + batchSize));
  }
  await pMap(chunks, writeChunk, { concurrency: 8 });
}

async function writeChunk(chunk: WriteRequest[]): Promise<void> {
  await untilProcessed(chunk, 'writes', async (pending) => {
    const table = tableName();
    const result = await db().send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
    return result.UnprocessedItems?.[table] ?? [];
  });
}

/**
 * Sends `pending` until DynamoDB has processed all of it, retrying what it hands back with
 * jittered exponential backoff; throws a RetryableError rather than lose any of it.
 */
export async function untilProcessed<T>(
  chunk: T[],
  what: string,
  send: (pending: T[]) => Promise<T[]>,
): Promise<void> {
  let pending = chunk;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt === maxAttempts) {
      throw new RetryableError(`DynamoDB left ${pending.length} ${what} unprocessed; retry later`);
    }
    if (attempt > 0) await pause(attempt);
    pending = await send(pending);
  }
}

export const putRequest = (item: Record<string, unknown>): WriteRequest => ({
  PutRequest: { Item: item },
});

export const deleteRequest = (key: Record<string, unknown>): WriteRequest => ({
  DeleteRequest: { Key: key },
});

type Key = Record<string, unknown>;
const getBatchSize = 100;

/**
 * Reads items by key with BatchGetItem, 100 at a time, retrying unprocessed keys like
 * `batchWrite`; items that do not exist are simply absent. Eventually consistent (half the read
 * units): evidence reads show what was stored, not what is being written this instant.
 */
export async function batchGet(keys: readonly Key[]): Promise<Record<string, unknown>[]> {
  const chunks: Key[][] = [];
  for (let i = 0; i < keys.length; i += getBatchSize) chunks.push(keys.slice(i, i + getBatchSize));
  const found = await pMap(chunks, getChunk, { concurrency: 4 });
  return found.flat();
}

async function getChunk(chunk: Key[]): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  await untilProcessed(chunk, 'reads', async (pending) => {
    const table = tableName();
    const result = await db().send(
      new BatchGetCommand({ RequestItems: { [table]: { Keys: pending } } }),
    );
    items.push(...(result.Responses?.[table] ?? []));
    return result.UnprocessedKeys?.[table]?.Keys ?? [];
  });
  return items;
}
