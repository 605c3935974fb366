import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client.js';

type Item = Record<string, unknown>;

/** Every item of a partition (optionally a sort-key range), following pagination. */
export async function queryAll(
  pk: string,
  options: { between?: [string, string]; projection?: string[] } = {},
): Promise<Item[]> {
  const items: Item[] = [];
  const names: Record<string, string> = { '#pk': 'pk' };
  const values: Record<string, unknown> = { ':pk': pk };
  let condition = '#pk = :pk';
  if (options.between) {
    names['#sk'] = 'sk';
    values[':from'] = options.between[0];
    values[':to'] = options.between[1];
    condition += ' AND #sk BETWEEN :from AND :to';
  }
  const input: QueryCommandInput = {
    TableName: tableName(),
    KeyConditionExpression: condition,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
  if (options.projection) {
    input.ProjectionExpression = options.projection.map((_, i) => `#p${i}`).join(', ');
    options.projection.forEach((name, i) => {
      names[`#p${i}`] = name;
    });
  }
  let startKey: Item | undefined;
  do {
    const page = await db().send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}
