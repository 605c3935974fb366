import { createHash } from 'node:crypto';
import type { IdentityKey } from '../domain/community.js';
import { sortableInstant } from '../domain/instant.js';
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

/** A sender-chosen id of any length, as a fixed-size key part. */
const hashed = (text: string): string => createHash('sha256').update(text).digest('base64url');

/**
 * An instant as UTC text that orders by time at full precision (SPEC §2), so that sort keys do.
 * Keys written before sub-millisecond precision end in `Z` (`…00.000Z#id`); they still sort by
 * time against these, except against a later instant in the same millisecond.
 */
export const utcInstant = (iso: string): string => sortableInstant(iso);

export const keys = {
  config: () => ({ pk: 'CONFIG', sk: 'CONFIG' }),
  /**
   * A telemetry snapshot as received (SPEC §2), in its cluster's partition and ordered by
   * `reportedAt` at full precision, then by eventId (UTF-8 byte order, DynamoDB's): a cluster's
   * latest facts are one Query, without an index — which would cost a write unit an event (issue
   * #17). Written with a conditional put, so a redelivery (the same eventId, cluster and instant;
   * the default eventId `<clusterId>@<reportedAt>` fixes both) is a no-op and the first stored
   * copy wins. A sender that reuses one eventId for another cluster or instant stores two facts;
   * month values still take each cluster month's latest snapshot, so nothing is counted twice.
   */
  snapshot: (fact: { clusterId: string; reportedAt: string; eventId: string }) => ({
    pk: `CLUSTERSNAP#${fact.clusterId}`,
    sk: `${utcInstant(fact.reportedAt)}#${fact.eventId}`,
  }),
  snapshotPartition: (clusterId: string) => `CLUSTERSNAP#${clusterId}`,
  /** Begins every snapshot fact's partition key (and no other), for a scan of all of them. */
  snapshotPartitionPrefix: 'CLUSTERSNAP#',
  /**
   * Where snapshot facts were keyed before, by eventId alone (`SNAPSHOT#<eventId>` / `FACT`): read
   * only to move them to their cluster's partition (`store/legacy-snapshot-facts.ts`).
   */
  legacySnapshot: { prefix: 'SNAPSHOT#', sk: 'FACT' },
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
  /** A mapping's place on `gsi1` by its account: one account's mapped clusters (SPEC §7). */
  mappingByAccount: (accountId: string, clusterId: string) => ({
    gsi1pk: `MAPPEDTO#${accountId}`,
    gsi1sk: clusterId,
  }),
  mappingsByAccountPartition: (accountId: string) => `MAPPEDTO#${accountId}`,
  accountsPartition: 'ACCOUNT',
  account: (accountId: string) => ({ pk: 'ACCOUNT', sk: accountId }),
  /** An alias account's place on `gsi1` under its canonical account: one account's aliases. */
  aliasByAccount: (into: string, alias: string) => ({
    gsi1pk: `ALIASESOF#${into}`,
    gsi1sk: alias,
  }),
  aliasesByAccountPartition: (accountId: string) => `ALIASESOF#${accountId}`,
  kaMonthsPartition: 'KAMONTH',
  kaMonth: (month: Month) => ({ pk: 'KAMONTH', sk: month }),
  kaAccountsPartition: (month: Month) => `KAACCOUNTS#${month}`,
  /**
   * The evangelists as of a month (SPEC §3 `GET /evangelists`, staff included and flagged), in
   * sorted JSON chunks by member id, as the month's recalculation computed them.
   */
  evangelistsPartition: (month: Month) => `EVANGELISTS#${month}`,
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
  /**
   * Every account's production nodes in the month (not only the listed ones), beside its list:
   * the next month's `previousNodes` and the cohorts' curves read them (SPEC §10).
   */
  monthNodesChunk: (month: Month, chunk: number) => ({
    pk: `KAACCOUNTS#${month}`,
    sk: `NODES#${String(chunk).padStart(4, '0')}`,
  }),
  monthNodesChunkRange: ['NODES#', 'NODES#~'] as const,
  /** The month's champion-loss alerts (SPEC §10), beside its list. */
  alertsChunk: (month: Month, chunk: number) => ({
    pk: `KAACCOUNTS#${month}`,
    sk: `ALERT#${String(chunk).padStart(4, '0')}`,
  }),
  alertsChunkRange: ['ALERT#', 'ALERT#~'] as const,
  job: (jobId: string) => ({ pk: `JOB#${jobId}`, sk: 'JOB' }),
  /** A job's place on `gsi1`: `GET /admin/jobs` lists jobs newest first without a scan. */
  jobByTime: (jobId: string, createdAt: string) => ({
    gsi1pk: 'JOBS',
    gsi1sk: `${createdAt}#${jobId}`,
  }),
  jobsByTimePartition: 'JOBS',
  /**
   * The account each cluster's snapshots last named (SPEC §1), as the latest recalculation found
   * it, in JSON chunks sorted by account (see `store/json-chunks.ts`): list routes attribute a
   * month's clusters without reading every month's values, and one account's are a chunk or two.
   */
  namedAccountsPartition: 'NAMEDACCOUNTS',
  /**
   * The members as the latest recalculation resolved them, in sorted JSON chunks: by member id, by
   * identity, and by account (see `store/member-index-store.ts`).
   */
  memberIndexPartition: 'MEMBERINDEX',
  identityIndexPartition: 'IDENTITYINDEX',
  /** What the member index was built from and when, so a run knows what changed since. */
  memberIndexMeta: () => ({ pk: 'META', sk: 'MEMBERINDEX' }),
  accountMembersPartition: 'ACCOUNTMEMBERS',
  /** A month's report: claimed while being sent, then the record that it was sent. */
  reportsPartition: 'REPORT',
  report: (month: Month) => ({ pk: 'REPORT', sk: month }),
  /** That a one-off move of old items (`store/legacy-snapshot-facts.ts`) has been done. */
  upgradeDone: (name: string) => ({ pk: 'META', sk: `UPGRADE#${name}` }),
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
  /**
   * A submitted activity's place in the review queue on `gsi2` (SPEC §7 `status=submitted`): set
   * while its status is `submitted` and removed with it, so the queue's reads are its own size.
   */
  reviewQueue: (activityId: string, occurredAt: string) => ({
    gsi2pk: 'REVIEW',
    gsi2sk: `${utcInstant(occurredAt)}#${activityId}`,
  }),
  reviewQueuePartition: 'REVIEW',
  /**
   * That an activity arrived with the identity, in the identity's partition (one each, so
   * ingestion has no hot key; a table from before links also holds an `IDENTITY` item there,
   * which says only that the identity is known). Written by ingestion for each identity of each
   * stored activity: one member's activities are found by following identities
   * (`compute/connected-members.ts`) without reading every activity.
   */
  identityActivity: (identity: IdentityKey, activityId: string) => ({
    pk: `IDENTITY#${identity}`,
    sk: `ACTIVITY#${activityId}`,
  }),
  identityPartition: (identity: IdentityKey) => `IDENTITY#${identity}`,
  /** Every `identityActivity` sort key: the highest code point sorts after any activity id. */
  identityActivityRange: ['ACTIVITY#', 'ACTIVITY#\u{10FFFF}'] as const,
  mergesPartition: 'MERGES',
  /** An explicit merge, keyed by its sorted identities: merging the same set again is a no-op. */
  merge: (identities: readonly IdentityKey[]) => ({
    pk: 'MERGES',
    sk: createHash('sha256')
      .update([...identities].sort().join('\n'))
      .digest('hex'),
  }),
  /**
   * A change to a month already mailed (SPEC §9 "What changed"), in its month's partition; on
   * `gsi1` in order of when it was recorded, so the next report finds those since the last one.
   */
  change: (month: Month, at: string, field: string) => ({
    pk: `CHANGES#${month}`,
    sk: `${utcInstant(at)}#${field}`,
    gsi1pk: 'CHANGES',
    gsi1sk: `${utcInstant(at)}#${month}#${field}`,
  }),
  changesPartition: (month: Month) => `CHANGES#${month}`,
  changesByTimePartition: 'CHANGES',
  /** A mailed month's results as mailed (SPEC §9): the row here, the account list in chunks. */
  mailedRow: (month: Month) => ({ pk: 'MAILED', sk: month }),
  mailedAccountsPartition: (month: Month) => `MAILEDACCOUNTS#${month}`,
  /** An admin split (SPEC §9), ordered by when it was made. */
  splitsPartition: 'SPLITS',
  split: (splitAt: string, identities: readonly IdentityKey[]) => ({
    pk: 'SPLITS',
    sk: `${utcInstant(splitAt)}#${hashed([...identities].sort().join('\n'))}`,
  }),
  /**
   * A member's admin affiliation periods (SPEC §9), keyed by the member's smallest identity when
   * they were set; the record names all the member's identities then, so it follows merges.
   */
  affiliationsPartition: 'AFFILIATIONS',
  affiliations: (identity: IdentityKey) => ({ pk: 'AFFILIATIONS', sk: identity }),
  /** An email domain an account holds (SPEC §3): one item each, so two accounts cannot hold it. */
  accountDomain: (domain: string) => ({ pk: `DOMAIN#${domain}`, sk: 'DOMAIN' }),
  /**
   * A webhook item refused by validation (SPEC §2), keyed by its delivery and index so that a
   * redelivery keeps one record; on `gsi1` by the month it arrived in, newest last.
   */
  rejection: (source: string, webhookId: string, index: number) => ({
    pk: `REJECTION#${source}#${hashed(webhookId)}`,
    sk: String(index).padStart(4, '0'),
  }),
  rejectionByTime: (
    month: Month,
    at: string,
    source: string,
    webhookId: string,
    index: number,
  ) => ({
    gsi1pk: `REJECTIONS#${month}`,
    gsi1sk: `${utcInstant(at)}#${source}#${hashed(webhookId)}#${String(index).padStart(4, '0')}`,
  }),
  rejectionsPartition: (month: Month) => `REJECTIONS#${month}`,
  /**
   * A personal token, keyed by the SHA-256 of its value so that a request finds it with one read
   * (SPEC §8: only the hash is stored); listed on `gsi1` by its id, which orders by creation.
   */
  token: (tokenHash: string) => ({ pk: `TOKEN#${tokenHash}`, sk: 'TOKEN' }),
  tokenById: (tokenId: string) => ({ gsi1pk: 'TOKENS', gsi1sk: tokenId }),
  tokensPartition: 'TOKENS',
  /** A token name in use, revoked or not: names are unique for good (SPEC §8: 409). */
  tokenName: (name: string) => ({ pk: 'TOKENNAME', sk: name }),
  /** An audit entry, in the partition of its UTC month, ordered by time (SPEC §8). */
  auditEntry: (at: string, entryId: string) => ({
    pk: `AUDIT#${at.slice(0, 7)}`,
    sk: `${utcInstant(at)}#${entryId}`,
  }),
  auditPartition: (utcMonth: string) => `AUDIT#${utcMonth}`,
  programsPartition: 'PROGRAM',
  program: (year: number) => ({ pk: 'PROGRAM', sk: String(year) }),
} as const;
