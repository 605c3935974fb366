import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { type Month, monthOf } from '../domain/month.js';
import { batchWrite, putRequest } from './batch.js';
import { db, tableName } from './client.js';
import { keys } from './keys.js';
import { type MonthPosition, pageOfMonths } from './month-pages.js';

/** A webhook item refused by validation, as `GET /admin/rejections` lists it (SPEC §2, §7). */
export interface StoredRejection {
  readonly source: string;
  /** The delivery's id (`webhook-id`, or the sender's own delivery header). */
  readonly webhookId: string;
  readonly index: number;
  readonly error: string;
  /** The item as sent when its JSON fits 4 KiB; else the first 4 KiB of that JSON, as text. */
  readonly item: unknown;
  /** When the delivery carrying it arrived. */
  readonly at: string;
}

/**
 * SPEC §2 keeps rejected items 30 days; they are kept 40, so that a month's count is still whole
 * when its report is mailed on the 1st of the next month, or resent a few days later.
 */
const retentionSeconds = 40 * 24 * 3600;
const maxItemBytes = 4096;
const maxErrorChars = 1000;

/**
 * The item's JSON, cut to 4 KiB (SPEC §2) on a character boundary. Kept as text: a rejected item
 * may hold what DynamoDB cannot store as a map (empty keys, nesting deeper than 32 levels).
 */
export function itemText(item: unknown): string {
  const text = JSON.stringify(item) ?? 'null';
  if (Buffer.byteLength(text, 'utf8') <= maxItemBytes) return text;
  // Decoding drops a trailing partial character as U+FFFD; the cut removes it.
  return Buffer.from(text, 'utf8')
    .subarray(0, maxItemBytes)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
}

/** The item as sent when its JSON was whole, else the first 4 KiB of that JSON, as text. */
function itemOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Keeps the rejected items of one delivery. Keyed by delivery and index, so a redelivery
 * overwrites its own records instead of adding more.
 */
export async function storeRejections(
  rejections: readonly StoredRejection[],
  timeZone: string,
): Promise<void> {
  const expiresAt = Math.floor(Date.now() / 1000) + retentionSeconds;
  await batchWrite(
    rejections.map((r) => {
      const month = monthOf(r.at, timeZone);
      return putRequest({
        ...keys.rejection(r.source, r.webhookId, r.index),
        ...keys.rejectionByTime(month, r.at, r.source, r.webhookId, r.index),
        source: r.source,
        webhookId: r.webhookId.slice(0, 256),
        index: r.index,
        error: r.error.slice(0, maxErrorChars),
        itemJson: itemText(r.item),
        at: r.at,
        expiresAt,
      });
    }),
  );
}

export interface RejectionQuery {
  readonly from: Month;
  readonly to: Month;
  readonly source?: string;
  readonly limit: number;
  /** Where the previous page stopped, as `listRejections` returned it. */
  readonly after?: RejectionPosition;
}

/** Where a page stopped: the month being read and DynamoDB's position in it. */
export type RejectionPosition = MonthPosition;

/**
 * Rejections of the months `from`–`to`, newest first (SPEC §7), a page at a time; TTL-expired
 * ones are left out (DynamoDB deletes them up to days late, DynamoDB Local never).
 */
export async function listRejections(
  query: RejectionQuery,
): Promise<{ rejections: StoredRejection[]; next: RejectionPosition | null }> {
  const page = await pageOfMonths(
    query,
    query.limit,
    query.after,
    (month) => rejectionsQuery(month, query.source),
    rejectionOf,
  );
  return { rejections: page.items, next: page.next };
}

/** How many items were rejected in the month (SPEC §5's count; read from the index's keys). */
export async function countRejections(month: Month): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db().send(
      new QueryCommand({
        ...rejectionsQuery(month),
        Select: 'COUNT',
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

function rejectionsQuery(month: Month, source?: string): QueryCommandInput {
  const now = Math.floor(Date.now() / 1000);
  return {
    TableName: tableName(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    FilterExpression: `expiresAt > :now${source ? ' AND #source = :source' : ''}`,
    ExpressionAttributeValues: {
      ':pk': keys.rejectionsPartition(month),
      ':now': now,
      ...(source ? { ':source': source } : {}),
    },
    ...(source ? { ExpressionAttributeNames: { '#source': 'source' } } : {}),
    ScanIndexForward: false,
  };
}

const rejectionOf = (item: Record<string, unknown>): StoredRejection => ({
  source: String(item.source),
  webhookId: String(item.webhookId),
  index: Number(item.index),
  error: String(item.error),
  item: itemOf(String(item.itemJson)),
  at: String(item.at),
});
