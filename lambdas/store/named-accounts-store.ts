import pMap from 'p-map';
import type { KeptNamedAccount } from '../domain/attribution.js';
import type { Month } from '../domain/month.js';
import { batchWrite, putRequest } from './batch.js';
import { keys } from './keys.js';
import { queryAll } from './query.js';

/**
 * Every cluster's kept named account (SPEC §1 "Account of a cluster"), by cluster id: one Query
 * per shard, so reading it costs what the clusters weigh, not how many months they reported.
 */
export async function keptNamedAccounts(): Promise<Map<string, KeptNamedAccount>> {
  const shards = await pMap(
    keys.namedAccountPartitions(),
    (pk) => queryAll(pk, { projection: ['sk', 'accountId', 'accountRank', 'month'] }),
    { concurrency: 8 },
  );
  return new Map(
    shards.flat().map((item) => [
      item.sk as string,
      {
        accountId: item.accountId as string,
        rank: item.accountRank as string,
        month: item.month as Month,
      },
    ]),
  );
}

/**
 * Saves changed named accounts in batches. Two recalculations running at once with different views
 * of a month may leave the earlier view here, exactly as they may leave it in the month's results:
 * the next recalculation of a touched month puts both right.
 */
export async function saveNamedAccounts(
  changes: ReadonlyMap<string, KeptNamedAccount>,
): Promise<void> {
  await batchWrite(
    [...changes].map(([clusterId, { accountId, rank, month }]) =>
      putRequest({ ...keys.namedAccount(clusterId), accountId, accountRank: rank, month }),
    ),
  );
}
