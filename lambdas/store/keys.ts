import { createHash } from 'node:crypto';
import type { IdentityKey } from '../domain/community.js';
import type { Month } from '../domain/month.js';

/**
 * Every key of the one table. Facts (snapshots, activities, merges, mappings, accounts, programs,
 * config) and derived data (cluster month values, computed months, jobs) live under distinct
 * prefixes, so a recalculation can always rebuild the derived items from the facts.
 */

/** Cluster month values of a month are spread over shards so that ingestion has no hot partition. */
export const monthValueShards = 8;

/** Activities are spread over shards of `gsi1` for the same reason; reads query them in parallel. */
export const activityShards = 4;

const shardOf = (text: string, shards = monthValueShards): number =>
  createHash('md5').update(text).digest().readUInt16BE(0) % shards;

/** An instant as a fixed-width UTC ISO string, so that sort keys order by time. */
export const utcInstant = (iso: string): string => new Date(iso).toISOString();

export const keys = {
  config: () => ({ pk: 'CONFIG', sk: 'CONFIG' }),
  /** A telemetry snapshot as received; keyed by eventId, so a redelivery is a conditional no-op. */
  snapshot: (eventId: string) => ({ pk: `SNAPSHOT#${eventId}`, sk: 'FACT' }),
  clusterMonthValue: (month: Month, clusterId: string) => ({
    pk: `CMV#${month}#${shardOf(clusterId)}`,
    sk: clusterId,
  }),
  clusterMonthValuePartitions: (month: Month) =>
    Array.from({ length: monthValueShards }, (_, shard) => `CMV#${month}#${shard}`),
  /** Every month with data: when it was last touched by new facts and last computed. */
  monthsPartition: 'MONTHS',
  month: (month: Month) => ({ pk: 'MONTHS', sk: month }),
  /**
   * The account each cluster's latest account-bearing snapshot named, kept current as months are
   * recomputed (derived from the month values, so a recalculation can always rebuild it).
   */
  namedAccount: (clusterId: string) => ({ pk: `NAMED#${shardOf(clusterId)}`, sk: clusterId }),
  namedAccountPartitions: () =>
    Array.from({ length: monthValueShards }, (_, shard) => `NAMED#${shard}`),
  clusterMappingsPartition: 'CLUSTERMAP',
  clusterMapping: (clusterId: string) => ({ pk: 'CLUSTERMAP', sk: clusterId }),
  accountsPartition: 'ACCOUNT',
  account: (accountId: string) => ({ pk: 'ACCOUNT', sk: accountId }),
  kaMonthsPartition: 'KAMONTH',
  kaMonth: (month: Month) => ({ pk: 'KAMONTH', sk: month }),
  kaAccountsPartition: (month: Month) => `KAACCOUNTS#${month}`,
  kaAccountsChunk: (month: Month, chunk: number) => ({
    pk: `KAACCOUNTS#${month}`,
    sk: `CHUNK#${String(chunk).padStart(4, '0')}`,
  }),
  kaAccountsChunkRange: ['CHUNK#', 'CHUNK#~'] as const,
  /** Every account KA in the month or any computed month before it, beside the month's list. */
  everKaChunk: (month: Month, chunk: number) => ({
    pk: `KAACCOUNTS#${month}`,
    sk: `EVER#${String(chunk).padStart(4, '0')}`,
  }),
  job: (jobId: string) => ({ pk: `JOB#${jobId}`, sk: 'JOB' }),
  /** A month's report: claimed while being sent, then the record that it was sent. */
  reportsPartition: 'REPORT',
  report: (month: Month) => ({ pk: 'REPORT', sk: month }),
  /** When telemetry last arrived, for the report's data freshness. */
  telemetryReceipt: () => ({ pk: 'META', sk: 'TELEMETRY' }),
  /** A community activity as received; keyed by activityId, so a redelivery fails the put. */
  activity: (activityId: string) => ({ pk: `ACTIVITY#${activityId}`, sk: 'FACT' }),
  /** The activity's place in time on `gsi1`: a range of instants is one query per shard. */
  activityByTime: (activityId: string, occurredAt: string) => ({
    gsi1pk: `ACTIVITIES#${shardOf(activityId, activityShards)}`,
    gsi1sk: `${utcInstant(occurredAt)}#${activityId}`,
  }),
  activityTimePartitions: () =>
    Array.from({ length: activityShards }, (_, shard) => `ACTIVITIES#${shard}`),
  /** An identity some activity arrived with: one partition each, so ingestion has no hot key. */
  identity: (identity: IdentityKey) => ({ pk: `IDENTITY#${identity}`, sk: 'IDENTITY' }),
  mergesPartition: 'MERGES',
  /** An explicit merge, keyed by its sorted identities: merging the same set again is a no-op. */
  merge: (identities: readonly IdentityKey[]) => ({
    pk: 'MERGES',
    sk: createHash('sha256')
      .update([...identities].sort().join('\n'))
      .digest('hex'),
  }),
  programsPartition: 'PROGRAM',
  program: (year: number) => ({ pk: 'PROGRAM', sk: String(year) }),
} as const;
