import { paginateQuery, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { tables } from '../system.js';
import { db, tableName } from './client.js';

type Item = Record<string, unknown>;

export interface QueryOptions {
  /** Sort keys from the first to the second, inclusive. */
  readonly between?: readonly [string, string];
  readonly projection?: readonly string[];
  /** Query a global index (`gsi1`) instead of the table. */
  readonly index?: (typeof tables.main.globalIndexes)[number]['indexName'];
}

/** Every item of a partition (optionally a sort-key range), following pagination. */
export async function queryAll(pk: string, options: QueryOptions = {}): Promise<Item[]> {
  return queryEach(pk, options, (item) => item);
}

/**
 * `queryAll`, each item made into what `each` returns as its page arrives: the pages' raw items
 * are not all held at once (the first community run reads every activity this way).
 */
export async function queryEach<T>(
  pk: string,
  options: QueryOptions,
  each: (item: Item) => T,
): Promise<T[]> {
  const items: T[] = [];
  for await (const item of queryItems(pk, options)) items.push(each(item));
  return items;
}

/**
 * The items of a partition (optionally a sort-key range) in sort-key order, fetched a query of
 * `pageSize` items (DynamoDB's `Limit`; its own 1 MB pages otherwise) at a time, as they are
 * consumed: a reader that stops early reads no further (`GET /activities` merges shards this way).
 */
export async function* queryItems(
  pk: string,
  options: QueryOptions,
  pageSize?: number,
): AsyncGenerator<Item> {
  const index = tables.main.globalIndexes.find((i) => i.indexName === options.index);
  const names: Record<string, string> = {
    '#pk': index?.partitionKey ?? tables.main.partitionKey,
    '#sk': index?.sortKey ?? tables.main.sortKey,
  };
  const values: Record<string, unknown> = { ':pk': pk };
  if (options.between) [values[':from'], values[':to']] = options.between;
  const input: QueryCommandInput = {
    TableName: tableName(),
    ...(index ? { IndexName: index.indexName } : {}),
    KeyConditionExpression: `#pk = :pk${options.between ? ' AND #sk BETWEEN :from AND :to' : ''}`,
    ExpressionAttributeValues: values,
  };
  if (options.projection) {
    input.ProjectionExpression = options.projection.map((_, i) => `#p${i}`).join(', ');
    options.projection.forEach((name, i) => {
      names[`#p${i}`] = name;
    });
  }
  if (!options.between) delete names['#sk'];
  input.ExpressionAttributeNames = names;
  const config = { client: db(), ...(pageSize === undefined ? {} : { pageSize }) };
  for await (const page of paginateQuery(config, input)) yield* page.Items ?? [];
}

/**
 * The item of a partition with the greatest sort key below `before` (or equal to it, when
 * `inclusive`); `undefined` when none.
 */
export async function lastItemBefore(
  pk: string,
  before: string,
  inclusive = false,
): Promise<Item | undefined> {
  const result = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: `#pk = :pk AND #sk ${inclusive ? '<=' : '<'} :before`,
      ExpressionAttributeNames: { '#pk': tables.main.partitionKey, '#sk': tables.main.sortKey },
      ExpressionAttributeValues: { ':pk': pk, ':before': before },
      ScanIndexForward: false,
      Limit: 1,
    }),
  );
  return result.Items?.[0];
}
