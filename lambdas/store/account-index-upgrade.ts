import {
  type AttributeValue,
  type DynamoDBClient,
  paginateQuery,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import pMap from 'p-map';
import { keys } from './keys.js';
import { markUpgradeDone, upgradeDone } from './upgrade-steps.js';

type Item = Record<string, AttributeValue>;

/** The name of the marker that records the upgrade as done (`keys.upgradeDone`). */
export const accountIndexUpgrade = 'mappings-and-aliases-by-account';

/**
 * Gives the admin mappings and the alias accounts a table holds from before they were indexed by
 * account their places on `gsi1` (`keys.mappingByAccount`, `keys.aliasByAccount`), once per table:
 * reads the two small partitions, sets the keys where missing, then writes a marker so later calls
 * read one item. Idempotent: a call cut short is finished by the next. Takes the client and table
 * it is given (local mode runs it before the handlers' environment is set).
 * @returns how many items it indexed.
 */
export async function indexMappingsAndAliases(
  client: DynamoDBClient,
  table: string,
): Promise<number> {
  if (await upgradeDone(client, table, accountIndexUpgrade)) return 0;
  const places: { item: Item; place: { gsi1pk: string; gsi1sk: string } }[] = [];
  for (const [pk, placeOf] of [
    [
      keys.clusterMappingsPartition,
      (item: Item) =>
        item.accountId?.S && item.sk?.S
          ? keys.mappingByAccount(item.accountId.S, item.sk.S)
          : undefined,
    ],
    [
      keys.accountsPartition,
      (item: Item) =>
        item.aliasOf?.S && item.sk?.S ? keys.aliasByAccount(item.aliasOf.S, item.sk.S) : undefined,
    ],
  ] as const) {
    const query = {
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: pk } },
    };
    for await (const page of paginateQuery({ client }, query)) {
      for (const item of page.Items ?? []) {
        const place = placeOf(item);
        if (place && !item.gsi1pk) places.push({ item, place });
      }
    }
  }
  await pMap(
    places,
    ({ item, place }) =>
      client.send(
        new UpdateItemCommand({
          TableName: table,
          Key: { pk: item.pk as AttributeValue, sk: item.sk as AttributeValue },
          UpdateExpression: 'SET gsi1pk = :gpk, gsi1sk = :gsk',
          ExpressionAttributeValues: { ':gpk': { S: place.gsi1pk }, ':gsk': { S: place.gsi1sk } },
        }),
      ),
    { concurrency: 8 },
  );
  await markUpgradeDone(client, table, accountIndexUpgrade);
  return places.length;
}
