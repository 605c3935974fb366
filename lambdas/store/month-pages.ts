import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { addMonths, compareMonths, type Month } from '../domain/month.js';
import { db } from './client.js';

/** Where a page of a month-partitioned list stopped: the month being read, DynamoDB's place in it. */
export interface MonthPosition {
  readonly month: Month;
  /** Absent when the month is to be read from its newest item. */
  readonly key?: Record<string, unknown>;
}

/**
 * One page of a list kept in one partition per month (rejections, audit entries), newest month
 * first: reads `query(month)` from `after` (or `to`) back to `from` until `limit` items, and says
 * where the next page starts (`null` at the end of the range).
 */
export async function pageOfMonths<T>(
  range: { readonly from: Month; readonly to: Month },
  limit: number,
  after: MonthPosition | undefined,
  query: (month: Month) => QueryCommandInput,
  itemOf: (item: Record<string, unknown>) => T,
): Promise<{ items: T[]; next: MonthPosition | null }> {
  const items: T[] = [];
  let month = after?.month ?? range.to;
  let start = after?.key;
  while (compareMonths(month, range.from) >= 0) {
    const page = await db().send(
      new QueryCommand({
        ...query(month),
        Limit: limit - items.length,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...(page.Items ?? []).map(itemOf));
    start = page.LastEvaluatedKey;
    if (items.length >= limit) {
      if (start) return { items, next: { month, key: start } };
      const more = compareMonths(month, range.from) > 0;
      return { items, next: more ? { month: addMonths(month, -1) } : null };
    }
    if (!start) month = addMonths(month, -1);
  }
  return { items, next: null };
}
