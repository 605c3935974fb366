import pMap from 'p-map';
import type {
  AccountOfMonth,
  AccountStatus,
  ClusterMonthValue,
  Environment,
} from '../domain/ka.js';
import type { KaMonthRow } from '../domain/ka-month-row.js';
import type { Month } from '../domain/month.js';
import { batchWrite, deleteRequest, putRequest } from './batch.js';
import { keys } from './keys.js';
import { queryAll } from './query.js';

const rowFields = [
  'month',
  'kaCount',
  'new',
  'reactivated',
  'retained',
  'churned',
  'productionNodes',
  'nearKaCount',
  'unattributedNodes',
  'momMultiple',
  'yoyMultiple',
  'ytdMultiple',
  'targetKa',
  'onTrack',
  'championCoverage',
  'computedAt',
] as const satisfies readonly (keyof KaMonthRow)[];

const toRow = (item: Record<string, unknown>): KaMonthRow =>
  Object.fromEntries(
    rowFields.map((field) => [field, item[field] ?? null]),
  ) as unknown as KaMonthRow;

/** Computed months between `from` and `to` (inclusive), oldest first. */
export async function kaMonthRows(from: Month, to: Month): Promise<KaMonthRow[]> {
  const items = await queryAll(keys.kaMonthsPartition, { between: [from, to] });
  return items.map(toRow);
}

/** A month value as stored for KA computation, with the account its latest snapshot named. */
export interface StoredMonthValue extends ClusterMonthValue {
  readonly accountId?: string;
  readonly accountRank?: string;
}

/** Every cluster month value of a month, across its shards. */
export async function monthValues(month: Month): Promise<StoredMonthValue[]> {
  const shards = await pMap(keys.clusterMonthValuePartitions(month), (pk) => queryAll(pk), {
    concurrency: 8,
  });
  return shards.flat().map((item) => ({
    clusterId: item.sk as string,
    nodes: item.nodes as number,
    environment: item.environment as Environment,
    reportedAt: item.reportedAt as string,
    eventId: item.eventId as string,
    ...(item.accountId
      ? { accountId: item.accountId as string, accountRank: item.accountRank as string }
      : {}),
  }));
}

/** The stored account list of a month (KAs, churned, near), without names. */
export async function kaAccounts(month: Month): Promise<Omit<AccountOfMonth, 'name'>[]> {
  const items = await queryAll(keys.kaAccountsPartition(month));
  return items.map((item) => ({
    accountId: item.sk as string,
    productionNodes: item.productionNodes as number,
    status: item.status as AccountStatus,
  }));
}

/**
 * Replaces a month's results: its row and its account list. Entries no longer listed are removed,
 * which needs the old list only when the month was computed before.
 */
export async function saveKaMonth(
  row: KaMonthRow,
  accounts: readonly AccountOfMonth[],
  computedBefore: boolean,
): Promise<void> {
  const listed = new Set(accounts.map((a) => a.accountId));
  const previous = computedBefore ? await kaAccounts(row.month) : [];
  const stale = previous.filter((a) => !listed.has(a.accountId));
  await batchWrite([
    ...accounts.map(({ accountId, productionNodes, status }) =>
      putRequest({ ...keys.kaAccount(row.month, accountId), productionNodes, status }),
    ),
    ...stale.map((a) => deleteRequest(keys.kaAccount(row.month, a.accountId))),
  ]);
  // The row last: a reader who sees the new row finds the list it describes.
  await batchWrite([putRequest({ ...keys.kaMonth(row.month), ...row })]);
}
