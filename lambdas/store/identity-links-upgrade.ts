import { type DynamoDBClient, paginateQuery, type WriteRequest } from '@aws-sdk/client-dynamodb';
import type { IdentityKey } from '../domain/community.js';
import { keys } from './keys.js';
import { markUpgradeDone, upgradeDone, writeAll } from './upgrade-steps.js';

/** The name of the marker that records the upgrade as done (`keys.upgradeDone`). */
export const identityLinksUpgrade = 'identity-activity-links';

/**
 * Links every activity a table holds from before activities were linked from their identities
 * (`keys.identityActivity`, written by ingestion since) once per table: reads the activities'
 * ids and identities from the time index, writes the links, then a marker so later calls read one
 * item. Idempotent (a link is a key): a call cut short is finished by the next. Takes the client
 * and table it is given (local mode runs it before the handlers' environment is set).
 * @param progress called with the number of links written so far, after each thousand
 * @returns how many links it wrote (0 when already done).
 */
export async function linkIdentitiesToActivities(
  client: DynamoDBClient,
  table: string,
  progress: (written: number) => void = () => {},
): Promise<number> {
  if (await upgradeDone(client, table, identityLinksUpgrade)) return 0;
  let written = 0;
  for (const partition of keys.activityTimePartitions()) {
    const query = {
      TableName: table,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: partition } },
      ProjectionExpression: 'activityId, identities',
    };
    for await (const page of paginateQuery({ client }, query)) {
      const links: WriteRequest[] = (page.Items ?? []).flatMap((item) => {
        const activityId = item.activityId?.S;
        const identities = (item.identities?.L ?? []).flatMap((value) =>
          value.S ? [value.S as IdentityKey] : [],
        );
        if (activityId === undefined) return [];
        return identities.map((identity) => {
          const link = keys.identityActivity(identity, activityId);
          return { PutRequest: { Item: { pk: { S: link.pk }, sk: { S: link.sk } } } };
        });
      });
      await writeAll(client, table, links, 'links');
      const before = written;
      written += links.length;
      if (Math.floor(written / 1000) > Math.floor(before / 1000)) progress(written);
    }
  }
  await markUpgradeDone(client, table, identityLinksUpgrade);
  return written;
}
