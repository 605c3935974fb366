import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from './audit-store.js';
import { batchGet } from './batch.js';
import { db, tableName } from './client.js';
import { keys } from './keys.js';
import { queryAll } from './query.js';
import { replaceAudited } from './replace-audited.js';

/**
 * Maps a cluster to an account (overriding its events' accountId), or removes the mapping (`null`),
 * with its audit entry; `audit` receives the account it was mapped to, `null` for none.
 */
export async function setClusterMapping(
  clusterId: string,
  accountId: string | null,
  audit: (before: string | null) => AuditEntry,
): Promise<void> {
  await replaceAudited(
    keys.clusterMapping(clusterId),
    () =>
      accountId === null
        ? null
        : {
            clusterId,
            accountId,
            updatedAt: new Date().toISOString(),
            ...keys.mappingByAccount(accountId, clusterId),
          },
    (current) => audit(current ? String(current.accountId) : null),
  );
}

/** Every admin mapping, cluster → account. */
export async function clusterMappings(): Promise<Map<string, string>> {
  const items = await queryAll(keys.clusterMappingsPartition, { projection: ['sk', 'accountId'] });
  return new Map(items.map((item) => [item.sk as string, item.accountId as string]));
}

/** The clusters an admin mapped to `accountId` (as written, not through aliases), from `gsi1`. */
export async function clustersMappedTo(accountId: string): Promise<string[]> {
  const items = await queryAll(keys.mappingsByAccountPartition(accountId), {
    index: 'gsi1',
    projection: ['sk'],
  });
  return items.map((item) => item.sk as string);
}

/** The admin mappings of the given clusters, by key; clusters without one are left out. */
export async function mappingsOf(clusterIds: readonly string[]): Promise<Map<string, string>> {
  const items = await batchGet(clusterIds.map((id) => keys.clusterMapping(id)));
  return new Map(items.map((item) => [item.sk as string, item.accountId as string]));
}

/** The admin mapping of one cluster; `null` when it has none. */
export async function clusterMapping(clusterId: string): Promise<string | null> {
  const { Item } = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.clusterMapping(clusterId) }),
  );
  return (Item?.accountId as string | undefined) ?? null;
}
