import { createHash } from 'node:crypto';
import type { Month } from '../domain/month.js';

/**
 * Every key of the one table. Facts (snapshots, mappings, accounts, config) and derived data
 * (cluster month values, computed months, jobs) live under distinct prefixes, so a recalculation
 * can always rebuild the derived items from the facts.
 */

/** Cluster month values of a month are spread over shards so that ingestion has no hot partition. */
export const monthValueShards = 8;

const shardOf = (clusterId: string): number =>
  createHash('md5').update(clusterId).digest().readUInt16BE(0) % monthValueShards;

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
  clusterMappingsPartition: 'CLUSTERMAP',
  clusterMapping: (clusterId: string) => ({ pk: 'CLUSTERMAP', sk: clusterId }),
  accountsPartition: 'ACCOUNT',
  account: (accountId: string) => ({ pk: 'ACCOUNT', sk: accountId }),
  kaMonthsPartition: 'KAMONTH',
  kaMonth: (month: Month) => ({ pk: 'KAMONTH', sk: month }),
  kaAccountsPartition: (month: Month) => `KAACCOUNTS#${month}`,
  kaAccount: (month: Month, accountId: string) => ({ pk: `KAACCOUNTS#${month}`, sk: accountId }),
  job: (jobId: string) => ({ pk: `JOB#${jobId}`, sk: 'JOB' }),
} as const;
