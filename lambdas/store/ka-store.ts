import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import type { ChampionLossAlert } from '../domain/alerts.js';
import type { NodeBridge } from '../domain/bridge.js';
import type { EligibilityRow } from '../domain/eligibility.js';
import {
  type AccountOfMonth,
  type AccountStatus,
  accountStatuses,
  type ClusterMonthValue,
  type Environment,
  type ListedAccount,
} from '../domain/ka.js';
import type { KaMonthRow } from '../domain/ka-month-row.js';
import type { Month } from '../domain/month.js';
import { kaQuickRatio } from '../domain/quick-ratio.js';
import { batchWrite, deleteRequest, putRequest } from './batch.js';
import { db, tableName } from './client.js';
import { saveMonthEvangelists } from './evangelists-store.js';
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
  'kaQuickRatio',
  'communitySourcedNew',
  'computedAt',
] as const satisfies readonly (keyof KaMonthRow)[];

/**
 * A stored row as SPEC §3 returns it. A row stored before the quick ratio was kept derives it from
 * its movements (the same rule); one without `communitySourcedNew` reads `null` until recalculated.
 */
function toRow(item: Record<string, unknown>): KaMonthRow {
  const row = Object.fromEntries(
    rowFields.map((field) => [field, item[field] ?? null]),
  ) as unknown as KaMonthRow;
  return 'kaQuickRatio' in item ? row : { ...row, kaQuickRatio: kaQuickRatio(row) };
}

/** Computed months between `from` and `to` (inclusive), oldest first. */
export async function kaMonthRows(from: Month, to: Month): Promise<KaMonthRow[]> {
  const items = await queryAll(keys.kaMonthsPartition, { between: [from, to] });
  return items.map(toRow);
}

/**
 * The node bridges of the computed months between `from` and `to`, oldest first (SPEC §10), kept
 * with each month's row; a month computed before bridges were kept has none until recalculated.
 */
export async function nodeBridges(from: Month, to: Month): Promise<NodeBridge[]> {
  const items = await queryAll(keys.kaMonthsPartition, { between: [from, to] });
  return items.flatMap((item) =>
    item.bridge
      ? [{ month: item.month as Month, ...(item.bridge as Omit<NodeBridge, 'month'>) }]
      : [],
  );
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

/**
 * An account-list row as stored. Lists stored before SPEC §10's figures were kept end after
 * `status`; theirs read `null`.
 */
type CompactAccount = [
  accountId: string,
  productionNodes: number,
  status: number,
  previousNodes?: number,
  communitySourced?: 0 | 1,
  champions?: number,
];

/** The stored account list of a month (KAs, churned, near), without names. */
export async function kaAccounts(month: Month): Promise<Omit<ListedAccount, 'name'>[]> {
  const items = await queryAll(keys.kaAccountsPartition(month), {
    between: keys.kaAccountsChunkRange,
  });
  return accountsOfChunks(items);
}

/** The entries of a set of JSON chunks (`toChunks`), in chunk order. */
export const entriesOfChunks = <T>(items: readonly Record<string, unknown>[]): T[] =>
  [...items]
    .sort((a, b) => (a.chunk as number) - (b.chunk as number))
    .flatMap((item) => JSON.parse(item.accounts as string) as T[]);

const accountsOfChunks = (items: readonly Record<string, unknown>[]) =>
  entriesOfChunks<CompactAccount>(items).map(
    ([accountId, nodes, status, previousNodes, communitySourced, champions]) => ({
      accountId,
      productionNodes: nodes,
      previousNodes: previousNodes ?? null,
      status: accountStatuses[status] as AccountStatus,
      communitySourced: communitySourced === undefined ? null : communitySourced === 1,
      champions: champions ?? null,
    }),
  );

/** A month's production nodes per account, as stored beside its list: `[accountId, nodes]`. */
type CompactNodes = [accountId: string, productionNodes: number];

const nodesOfChunks = (items: readonly Record<string, unknown>[]) =>
  new Map(entriesOfChunks<CompactNodes>(items));

/** What a month's successor needs of its stored results (SPEC §1 movements, §10). */
export interface MonthKaHistory {
  /** The month's KAs. */
  readonly ka: Set<string>;
  /** Every account KA in the month or a computed month before it; undefined if not stored. */
  readonly everKa: Set<string> | undefined;
  /** Every account's production nodes in the month; undefined if not stored. */
  readonly nodes: Map<string, number> | undefined;
}

const chunksOf = (items: readonly Record<string, unknown>[], prefix: string) =>
  items.filter((item) => String(item.sk).startsWith(prefix));

/** A computed month's KAs, ever-KA accounts and nodes: one partition read, however long history. */
export async function monthKaHistory(month: Month): Promise<MonthKaHistory> {
  const items = await queryAll(keys.kaAccountsPartition(month));
  const ever = chunksOf(items, 'EVER#');
  const nodes = chunksOf(items, 'NODES#');
  return {
    ka: kaOfAccounts(accountsOfChunks(chunksOf(items, 'CHUNK#'))),
    everKa: ever.length > 0 ? new Set(entriesOfChunks<string>(ever)) : undefined,
    nodes: nodes.length > 0 ? nodesOfChunks(nodes) : undefined,
  };
}

/**
 * What cohorts read of a computed month (SPEC §10): its account list and every account's nodes.
 * A month stored before all nodes were kept reads the nodes of its listed accounts only.
 */
export async function monthListAndNodes(
  month: Month,
): Promise<{ accounts: Omit<ListedAccount, 'name'>[]; nodes: Map<string, number> }> {
  const [list, stored] = await Promise.all([
    kaAccounts(month),
    queryAll(keys.kaAccountsPartition(month), { between: keys.monthNodesChunkRange }),
  ]);
  const nodes =
    stored.length > 0
      ? nodesOfChunks(stored)
      : new Map(list.map((a): CompactNodes => [a.accountId, a.productionNodes]));
  return { accounts: list, nodes };
}

/**
 * A computed month's champion-loss alerts (SPEC §10); none for a month computed before alerts
 * were kept.
 */
export async function monthAlerts(month: Month): Promise<ChampionLossAlert[]> {
  const items = await queryAll(keys.kaAccountsPartition(month), { between: keys.alertsChunkRange });
  return entriesOfChunks<ChampionLossAlert>(items);
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

/** Everything a recalculation keeps of one month. */
export interface MonthResults {
  /** Its row of SPEC §3 `GET /metrics/ka`. */
  readonly row: KaMonthRow;
  /** Its node bridge (SPEC §10), kept in the row's item. */
  readonly bridge: NodeBridge;
  /** Its account list (SPEC §3), with names or not: names are read live. */
  readonly accounts: readonly ListedAccount[];
  /** Every account KA in the month or a computed month before it. */
  readonly everKa: ReadonlySet<string>;
  /** Every account's production nodes in the month (accounts with none may be left out). */
  readonly nodes: ReadonlyMap<string, number>;
  readonly alerts: readonly ChampionLossAlert[];
  /** Its evangelists (SPEC §3 `GET /evangelists` as of the month, staff flagged). */
  readonly evangelists: readonly EligibilityRow[];
}

const compactAccount = (account: ListedAccount): CompactAccount => [
  account.accountId,
  account.productionNodes,
  accountStatuses.indexOf(account.status),
  account.previousNodes ?? 0,
  account.communitySourced ? 1 : 0,
  account.champions ?? 0,
];

/**
 * Replaces a month's results: its account list, ever-KA accounts (what the next month's movements
 * need, so that recomputing one month never reads the whole history), every account's nodes, its
 * alerts and its evangelists, then its row with its bridge and evangelist count (a reader who sees
 * the new row finds the lists it describes). Chunks beyond the new ones are removed when the month
 * was computed before.
 */
export async function saveKaMonth(results: MonthResults, computedBefore: boolean): Promise<void> {
  const { row, bridge } = results;
  const nodes = [...results.nodes].filter(([, n]) => n > 0).sort(([a], [b]) => (a < b ? -1 : 1));
  const chunked = (json: string[], key: (month: Month, chunk: number) => { sk: string }) =>
    json.map((accounts, chunk) => ({ ...key(row.month, chunk), chunk, accounts }));
  const items = [
    ...chunked(toChunks(results.accounts.map(compactAccount)), keys.kaAccountsChunk),
    ...chunked(toChunks([...results.everKa].sort()), keys.everKaChunk),
    ...chunked(toChunks(nodes), keys.monthNodesChunk),
    ...chunked(toChunks(results.alerts), keys.alertsChunk),
  ];
  const written = new Set(items.map((item) => item.sk));
  const previous = computedBefore
    ? await queryAll(keys.kaAccountsPartition(row.month), { projection: ['sk'] })
    : [];
  const stale = previous.filter((item) => !written.has(item.sk as string));
  await Promise.all([
    batchWrite([
      ...items.map(putRequest),
      ...stale.map((item) =>
        deleteRequest({ pk: keys.kaAccountsPartition(row.month), sk: item.sk }),
      ),
    ]),
    saveMonthEvangelists(row.month, results.evangelists),
  ]);
  const { month: _, ...bridgeFigures } = bridge;
  const evangelists = results.evangelists.length;
  await batchWrite([
    putRequest({ ...keys.kaMonth(row.month), ...row, bridge: bridgeFigures, evangelists }),
  ]);
}
