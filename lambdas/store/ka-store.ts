import pMap from 'p-map';
import {
  type AccountOfMonth,
  type AccountStatus,
  accountStatuses,
  type ClusterMonthValue,
  type Environment,
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

/** Only what attribution needs: the account the month's latest account-bearing snapshot named. */
export type MonthAccountNames = Pick<StoredMonthValue, 'clusterId' | 'accountId' | 'accountRank'>;

/**
 * A month's cluster month values across its shards: in full, or only the account each cluster's
 * latest snapshot named (a projection: less to read, parse and hold for months not recomputed).
 */
export async function monthValues(month: Month): Promise<StoredMonthValue[]>;
export async function monthValues(month: Month, only: 'accounts'): Promise<MonthAccountNames[]>;
export async function monthValues(month: Month, only?: 'accounts') {
  const projection = only ? { projection: ['sk', 'accountId', 'accountRank'] } : {};
  const shards = await pMap(
    keys.clusterMonthValuePartitions(month),
    (pk) => queryAll(pk, projection),
    { concurrency: 8 },
  );
  return shards.flat().map((item) => ({
    clusterId: item.sk as string,
    ...(only
      ? {}
      : {
          nodes: item.nodes as number,
          environment: item.environment as Environment,
          reportedAt: item.reportedAt as string,
        }),
    ...(item.accountId
      ? { accountId: item.accountId as string, accountRank: item.accountRank as string }
      : {}),
  }));
}

/**
 * A month's account list is stored as a few chunks of compact JSON rather than an item per
 * account: it is always read and written whole, and 10,000 accounts then cost a handful of writes
 * instead of 10,000 (and a few hundred write units instead of 10,000).
 */
const chunkChars = 300_000;

type CompactAccount = [accountId: string, productionNodes: number, status: number];

/** The stored account list of a month (KAs, churned, near), without names. */
export async function kaAccounts(month: Month): Promise<Omit<AccountOfMonth, 'name'>[]> {
  const items = await queryAll(keys.kaAccountsPartition(month));
  const chunks = items.sort((a, b) => (a.chunk as number) - (b.chunk as number));
  return chunks.flatMap((item) =>
    (JSON.parse(item.accounts as string) as CompactAccount[]).map(([accountId, nodes, status]) => ({
      accountId,
      productionNodes: nodes,
      status: accountStatuses[status] as AccountStatus,
    })),
  );
}

function toChunks(accounts: readonly AccountOfMonth[]): string[] {
  const chunks: string[] = [];
  let current: CompactAccount[] = [];
  let size = 0;
  for (const { accountId, productionNodes, status } of accounts) {
    const entry: CompactAccount = [accountId, productionNodes, accountStatuses.indexOf(status)];
    size += JSON.stringify(entry).length + 1;
    current.push(entry);
    if (size >= chunkChars) {
      chunks.push(JSON.stringify(current));
      current = [];
      size = 0;
    }
  }
  if (current.length > 0 || chunks.length === 0) chunks.push(JSON.stringify(current));
  return chunks;
}

/**
 * Replaces a month's results: its account list, then its row (a reader who sees the new row finds
 * the list it describes). Chunks beyond the new list's are removed when the month was computed
 * before.
 */
export async function saveKaMonth(
  row: KaMonthRow,
  accounts: readonly AccountOfMonth[],
  computedBefore: boolean,
): Promise<void> {
  const chunks = toChunks(accounts);
  const previous = computedBefore
    ? await queryAll(keys.kaAccountsPartition(row.month), { projection: ['sk', 'chunk'] })
    : [];
  const stale = previous.filter((item) => (item.chunk as number) >= chunks.length);
  await batchWrite([
    ...chunks.map((json, chunk) =>
      putRequest({ ...keys.kaAccountsChunk(row.month, chunk), chunk, accounts: json }),
    ),
    ...stale.map((item) => deleteRequest({ pk: keys.kaAccountsPartition(row.month), sk: item.sk })),
  ]);
  await batchWrite([putRequest({ ...keys.kaMonth(row.month), ...row })]);
}
