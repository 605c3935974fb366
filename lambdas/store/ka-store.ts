import { QueryCommand } from '@aws-sdk/lib-dynamodb';
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
import { db, tableName } from './client.js';
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

/** The latest computed month before `month`, or undefined: one item read, however long history. */
export async function latestComputedBefore(month: Month): Promise<Month | undefined> {
  const { pk, sk } = keys.kaMonth(month);
  const result = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND sk < :month',
      ExpressionAttributeValues: { ':pk': pk, ':month': sk },
      ProjectionExpression: 'sk',
      ScanIndexForward: false,
      Limit: 1,
    }),
  );
  return result.Items?.[0]?.sk as Month | undefined;
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
  const items = await queryAll(keys.kaAccountsPartition(month), {
    between: keys.kaAccountsChunkRange,
  });
  return accountsOfChunks(items);
}

const accountsOfChunks = (items: readonly Record<string, unknown>[]) =>
  [...items]
    .sort((a, b) => (a.chunk as number) - (b.chunk as number))
    .flatMap((item) =>
      (JSON.parse(item.accounts as string) as CompactAccount[]).map(
        ([accountId, nodes, status]) => ({
          accountId,
          productionNodes: nodes,
          status: accountStatuses[status] as AccountStatus,
        }),
      ),
    );

/** What a month's successor needs of its stored results (SPEC §1 movements). */
export interface MonthKaHistory {
  /** The month's KAs. */
  readonly ka: Set<string>;
  /** Every account KA in the month or a computed month before it; undefined if not stored. */
  readonly everKa: Set<string> | undefined;
}

/** A computed month's KAs and ever-KA accounts: one partition read, however long history. */
export async function monthKaHistory(month: Month): Promise<MonthKaHistory> {
  const items = await queryAll(keys.kaAccountsPartition(month));
  const isEver = (item: Record<string, unknown>) => String(item.sk).startsWith('EVER#');
  const ever = items.filter(isEver).sort((a, b) => (a.chunk as number) - (b.chunk as number));
  return {
    ka: kaOfAccounts(accountsOfChunks(items.filter((item) => !isEver(item)))),
    everKa:
      ever.length > 0
        ? new Set(ever.flatMap((item) => JSON.parse(item.accounts as string) as string[]))
        : undefined,
  };
}

/** The KAs of a stored account list: every account in it that is neither churned nor near. */
export const kaOfAccounts = (accounts: readonly Pick<AccountOfMonth, 'accountId' | 'status'>[]) =>
  new Set(
    accounts.filter((a) => a.status !== 'churned' && a.status !== 'near').map((a) => a.accountId),
  );

function toChunks<T>(entries: Iterable<T>): string[] {
  const chunks: string[] = [];
  let current: T[] = [];
  let size = 0;
  for (const entry of entries) {
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
 * Replaces a month's results: its account list and ever-KA accounts (what the next month's
 * movements need, so that recomputing one month never reads the whole history), then its row (a
 * reader who sees the new row finds the list it describes). Chunks beyond the new ones are
 * removed when the month was computed before.
 */
export async function saveKaMonth(
  row: KaMonthRow,
  accounts: readonly AccountOfMonth[],
  everKa: ReadonlySet<string>,
  computedBefore: boolean,
): Promise<void> {
  const compact = accounts.map(
    ({ accountId, productionNodes, status }): CompactAccount => [
      accountId,
      productionNodes,
      accountStatuses.indexOf(status),
    ],
  );
  const items = [
    ...toChunks(compact).map((json, chunk) => ({
      ...keys.kaAccountsChunk(row.month, chunk),
      chunk,
      accounts: json,
    })),
    ...toChunks([...everKa].sort()).map((json, chunk) => ({
      ...keys.everKaChunk(row.month, chunk),
      chunk,
      accounts: json,
    })),
  ];
  const written = new Set(items.map((item) => item.sk));
  const previous = computedBefore
    ? await queryAll(keys.kaAccountsPartition(row.month), { projection: ['sk'] })
    : [];
  const stale = previous.filter((item) => !written.has(item.sk as string));
  await batchWrite([
    ...items.map(putRequest),
    ...stale.map((item) => deleteRequest({ pk: keys.kaAccountsPartition(row.month), sk: item.sk })),
  ]);
  await batchWrite([putRequest({ ...keys.kaMonth(row.month), ...row })]);
}
