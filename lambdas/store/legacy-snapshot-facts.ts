import { type AttributeValue, type DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { parseInstant } from '../domain/instant.js';
import { keys } from './keys.js';
import { markUpgradeDone, upgradeDone, writeAll } from './upgrade-steps.js';

type Item = Record<string, AttributeValue>;

/** The name of the marker that records the move as done (`keys.upgradeDone`). */
export const snapshotFactsUpgrade = 'snapshot-facts-by-cluster';

export interface LegacyFactsMove {
  /** Facts moved to their cluster's partition by this call. */
  readonly moved: number;
  /** Old facts without a cluster, an eventId or a readable `reportedAt`: left where they were. */
  readonly left: number;
}

/**
 * Moves the snapshot facts a table holds under their old key — by eventId alone,
 * `keys.legacySnapshot` — to their cluster's partition (`keys.snapshot`), once per table. Each
 * page of old facts is put under the new keys, attribute for attribute (`receivedAt` too), and
 * only then deleted: a move cut short loses nothing and the next call finishes it. A fact already
 * moved is put again unchanged; the old copy, stored first, wins over a redelivery stored under the
 * new key meanwhile. A marker item records the move as done, so later calls read one item instead
 * of scanning the table. Takes the client and table it is given (local mode runs it before the
 * handlers' environment is set); `onProgress` gets the running count after each page.
 */
export async function moveLegacySnapshotFacts(
  client: DynamoDBClient,
  table: string,
  onProgress: (moved: number) => void = () => {},
): Promise<LegacyFactsMove> {
  if (await upgradeDone(client, table, snapshotFactsUpgrade)) return { moved: 0, left: 0 };
  let moved = 0;
  let left = 0;
  for await (const page of paginateScan({ client }, legacyFactsScan(table))) {
    const old = page.Items ?? [];
    const movable = old.flatMap((item) => {
      const key = clusterKeyOf(item);
      return key ? [{ item, key }] : [];
    });
    left += old.length - movable.length;
    if (movable.length === 0) continue;
    const puts = movable.map(({ item, key }) => ({ PutRequest: { Item: { ...item, ...key } } }));
    await writeAll(client, table, puts, 'moves');
    const deletes = movable.map(({ item }) => ({
      DeleteRequest: { Key: { pk: item.pk as AttributeValue, sk: item.sk as AttributeValue } },
    }));
    await writeAll(client, table, deletes, 'moves');
    moved += movable.length;
    onProgress(moved);
  }
  await markUpgradeDone(client, table, snapshotFactsUpgrade, { left });
  return { moved, left };
}

const legacyFactsScan = (table: string) => ({
  TableName: table,
  FilterExpression: 'begins_with(pk, :prefix) AND sk = :sk',
  ExpressionAttributeValues: {
    ':prefix': { S: keys.legacySnapshot.prefix },
    ':sk': { S: keys.legacySnapshot.sk },
  },
});

/** The fact's key in its cluster's partition; `undefined` if the item lacks what it takes. */
function clusterKeyOf(item: Item): Item | undefined {
  const clusterId = item.clusterId?.S;
  const reportedAt = item.reportedAt?.S;
  const eventId = item.eventId?.S;
  if (!clusterId || !reportedAt || !eventId || !parseInstant(reportedAt)) return undefined;
  return attributeKey(keys.snapshot({ clusterId, reportedAt, eventId }));
}

const attributeKey = ({ pk, sk }: { pk: string; sk: string }): Item => ({
  pk: { S: pk },
  sk: { S: sk },
});
