/**
 * `npm run bench`: Flywheel's speed, memory and DynamoDB cost on local mode, printed as figures
 * (not a timed test: these machines are noisy). BENCH_SCALE=0.1 runs a tenth of the sizes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import { buildConsole, type ConsoleBuild, scriptBudgetBytes } from '../console/build.js';
import { dropMonthValues, foldSnapshotSegment } from '../lambdas/compute/rebuild-month-values.js';
import { recalculateKa } from '../lambdas/compute/recalculate-ka.js';
import { snapshotRank } from '../lambdas/domain/ka.js';
import { addMonths, type Month, monthOf, monthRange } from '../lambdas/domain/month.js';
import { batchWrite } from '../lambdas/store/batch.js';
import { setDocumentClient } from '../lambdas/store/client.js';
import { keys } from '../lambdas/store/keys.js';
import { listMonths, touchMonths } from '../lambdas/store/months-store.js';
import { queryAll } from '../lambdas/store/query.js';
import { scanSnapshotSegment } from '../lambdas/store/rebuild-store.js';
import { writesInFlight } from '../lambdas/store/telemetry-store.js';
import { env, functions, stateMachines } from '../lambdas/system.js';
import { ensureTables, localClient, startDynamoDb } from '../local/dynamodb.js';
import { freePort } from '../local/free-port.js';
import { startSes } from '../local/ses.js';
import { startLocalSystem } from '../local/system.js';
import { deliverSigned } from '../test/support/signed-delivery.js';
import { type BundleFigures, benchBundles } from './bundles.js';
import { meteredClient } from './capacity.js';
import { costTableMarkdown, type MeasuredUnits } from './cost.js';
import { benchRunCommunity } from './run-community.js';

const scale = Number(process.env.BENCH_SCALE ?? '1');
const sizes = {
  ingestEvents: Math.round(20_000 * scale),
  activities: Math.round(3_000 * scale),
  accounts: Math.round(10_000 * scale),
  clustersPerAccount: 3,
  months: 24,
  /** Accounts of the history benchmark: one month recomputed after 12 and after 36 months. */
  historyAccounts: Math.round(2_000 * scale),
};

/** Signed deliveries in flight during the ingest benchmark, each with its own writes in flight. */
const deliveriesInFlight = 4;

const secrets = {
  adminToken: 'bench-token',
  telemetrySecret: `whsec_${Buffer.from('flywheel benchmark secret 32 bytes!').toString('base64')}`,
  communitySecret: `whsec_${Buffer.from('flywheel benchmark community secret').toString('base64')}`,
  githubSecret: 'flywheel benchmark github secret',
  discourseSecret: 'flywheel benchmark discourse secret',
  sessionSecret: 'bench-session-secret',
};

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const rate = (n: number, s: number) => `${Math.round(n / s).toLocaleString('en')}/s`;

async function main() {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  console.log(`Flywheel benchmark (scale ${scale})`);
  process.stdout.write('Bundling every function as the stack does, and its bare SDK clients… ');
  const bundles = await benchBundles();
  const consoleBuild = await benchConsole();
  console.log('done');
  console.log('Starting DynamoDB Local in memory…');
  const dynamoDb = await startDynamoDb({ port: await freePort() });
  const ses = await startSes({ port: await freePort() });
  const system = await startLocalSystem({
    port: 0,
    dynamoDb: { endpoint: dynamoDb.endpoint },
    ses: { endpoint: ses.endpoint },
    tablePrefix: 'bench-',
    secrets,
    scheduleTimeZone: 'UTC',
    runSchedules: false,
  });
  const meter = meteredClient();
  setDocumentClient(meter.client);
  try {
    const table = system.tableNames.main;
    // DynamoDB Local's JVM serves its first requests several times slower: warm it up first,
    // then take the ceiling right before and right after ingestion, through the same client.
    process.stdout.write('Warming up DynamoDB Local… ');
    await deliverEvents(system.apiUrl, telemetryEvents(2_000, 'warm'));
    await singleConditionalPuts(meter.client, table, 2_000, 'WARM');
    console.log('done');
    const ceilingBefore = await benchSingleConditionalPuts(meter.client, table, 'BEFORE');
    const ingest = await benchIngest(system.apiUrl, meter);
    const ceilingAfter = await benchSingleConditionalPuts(meter.client, table, 'AFTER');
    const community = await benchCommunityIngest(system.apiUrl, meter);
    const raw = {
      ...(await benchRawWrites(dynamoDb.endpoint, table)),
      single: {
        items: ceilingBefore.items + ceilingAfter.items,
        seconds: ceilingBefore.seconds + ceilingAfter.seconds,
      },
    };
    const recalc = await benchRecalculation(dynamoDb.endpoint, meter);
    const history = [
      await benchOneMonthAfter(12, dynamoDb.endpoint, meter),
      await benchOneMonthAfter(36, dynamoDb.endpoint, meter),
    ] as const;
    const rebuild = await benchRebuild(table, meter);
    printFigures(ingest, raw, recalc, history);
    printCommunity(community);
    printFanOutEstimate(history[1]);
    printRebuildEstimate(rebuild);
    printCostTable(ingest, community, history[1]);
    printBundles(bundles);
    printConsole(consoleBuild);
  } finally {
    setDocumentClient(undefined);
    await system.stop();
    await ses.stop();
    await dynamoDb.stop();
  }
}

function telemetryEvents(count: number, prefix = 'bench') {
  const base = Date.parse('2026-09-01T00:00:00Z');
  return Array.from({ length: count }, (_, i) => ({
    clusterId: `${prefix}-c${i % Math.max(1, Math.round(count / 5))}`,
    accountId: `bench-a${i % 1000}`,
    environment: 'production',
    nodes: (i * 7) % 60,
    reportedAt: new Date(base + i * 60_000).toISOString(),
  }));
}

/** Signed deliveries of 500 items to a webhook, `deliveriesInFlight` at a time. */
async function deliverInBatches(
  url: string,
  secret: string,
  key: 'events' | 'activities',
  items: readonly unknown[],
) {
  const batches: unknown[][] = [];
  for (let i = 0; i < items.length; i += 500) batches.push(items.slice(i, i + 500));
  await pMap(
    batches,
    async (batch) => {
      const response = await deliverSigned(url, secret, { [key]: batch });
      if (response.status !== 202) throw new Error(`Delivery answered ${response.status}`);
    },
    { concurrency: deliveriesInFlight },
  );
}

const deliverEvents = (apiUrl: string, events: ReturnType<typeof telemetryEvents>) =>
  deliverInBatches(`${apiUrl}/webhooks/telemetry`, secrets.telemetrySecret, 'events', events);

async function benchIngest(apiUrl: string, meter: ReturnType<typeof meteredClient>) {
  const events = telemetryEvents(sizes.ingestEvents);
  meter.reset();
  process.stdout.write(`Ingest: ${events.length} events in signed deliveries of 500… `);
  const start = process.hrtime.bigint();
  await deliverEvents(apiUrl, events);
  const elapsed = seconds(start);
  console.log(`${elapsed.toFixed(1)} s`);
  return {
    events: events.length,
    seconds: elapsed,
    writeUnits: meter.write(),
    writeRequests: meter.writeRequests(),
    readUnits: meter.read(),
  };
}

/** Community activities through their webhook: the capacity an activity costs (cost table). */
async function benchCommunityIngest(apiUrl: string, meter: ReturnType<typeof meteredClient>) {
  const base = Date.parse('2026-09-01T00:00:00Z');
  const membersCount = Math.ceil(sizes.activities / 3);
  const activityOf = (i: number, member: number, at: number) => ({
    activityId: `bench-act-${i}`,
    type: i % 3 === 0 ? 'talk' : 'forum-post',
    // About three activities a member, each member known by an email and a GitHub login.
    member: { email: `member${member}@example.com`, github: `m${member}` },
    occurredAt: new Date(at).toISOString(),
  });
  const activities = Array.from({ length: sizes.activities }, (_, i) =>
    activityOf(i, i % membersCount, base + i * 60_000),
  );
  meter.reset();
  process.stdout.write(`Community: ${activities.length} activities… `);
  const start = process.hrtime.bigint();
  await deliverInBatches(
    `${apiUrl}/webhooks/community`,
    secrets.communitySecret,
    'activities',
    activities,
  );
  const elapsed = seconds(start);
  console.log(`${elapsed.toFixed(1)} s`);
  const writeUnits = meter.write();
  const readUnits = meter.read();
  // A run's community step: from every activity, from the index, after a day's activities (1 %
  // of those stored, in the next month: half by members known, half by new ones).
  const day = Math.max(10, Math.round(activities.length / 100));
  const runs = await benchRunCommunity(meter, async () => {
    const next = Date.parse('2026-10-02T00:00:00Z');
    const fresh = Array.from({ length: day }, (_, i) =>
      activityOf(activities.length + i, i % 2 === 0 ? i : membersCount + i, next + i * 60_000),
    );
    await deliverInBatches(
      `${apiUrl}/webhooks/community`,
      secrets.communitySecret,
      'activities',
      fresh,
    );
    return fresh.length;
  });
  return { activities: activities.length, seconds: elapsed, writeUnits, readUnits, runs };
}

function printCommunity(community: Awaited<ReturnType<typeof benchCommunityIngest>>) {
  console.log(
    `  ${'community activities through the webhook'.padEnd(48)} ${rate(community.activities, community.seconds).padStart(10)}  ${(community.writeUnits / community.activities).toFixed(2)} WRU, ${(community.readUnits / community.activities).toFixed(2)} RRU an activity`,
  );
  const { full, unchanged, day, dayActivities } = community.runs;
  const line = (label: string, run: typeof full, what: string) =>
    console.log(`  ${label.padEnd(48)} ${`${run.seconds.toFixed(2)} s`.padStart(10)}  ${what}`);
  line(
    "a run's members from every activity",
    full,
    `${(full.readUnits / community.activities).toFixed(3)} RRU an activity stored (the first run, or after a change of zone)`,
  );
  line(
    "a run's members from the index, nothing changed",
    unchanged,
    `${(unchanged.readUnits / unchanged.members).toFixed(3)} RRU, ${(unchanged.writeUnits / unchanged.members).toFixed(3)} WRU a member (${unchanged.members.toLocaleString('en')} members; ${(unchanged.readUnits / full.readUnits).toFixed(2)} of the reads above)`,
  );
  line(
    `… after a day's ${dayActivities} activities`,
    day,
    `${((day.readUnits - unchanged.readUnits) / dayActivities).toFixed(2)} RRU, ${((day.writeUnits - unchanged.writeUnits) / dayActivities).toFixed(2)} WRU more an activity changed (its member resolved again, its index chunks written)`,
  );
}

/**
 * One month's recalculation at larger cluster counts, from the 36-month run's measured cost per
 * cluster (time, read and write units; fixed costs included, so an overestimate). DynamoDB Local
 * reads slower than DynamoDB, so the times are upper bounds for one Lambda run (15 min). A job's
 * runs are `monthsPerRun` months each (`lambdas/system.ts`), chained by its state machine: what
 * must fit one Lambda run is one run of months, not the job.
 */
function printFanOutEstimate(run: OneMonth) {
  const clusters = sizes.historyAccounts * sizes.clustersPerAccount;
  const { monthsPerRun } = stateMachines.recalculation;
  const limit = functions.recalculate.timeoutSeconds;
  console.log(
    `\nOne month recalculated, estimated from ${clusters.toLocaleString('en')} clusters measured (linear in clusters); a job runs ${monthsPerRun} months a run`,
  );
  for (const target of [30_000, 300_000, 1_000_000]) {
    const factor = target / clusters;
    const time = run.seconds * factor;
    const perRun = time * monthsPerRun;
    console.log(
      `  ${`${target.toLocaleString('en')} clusters`.padEnd(48)} ${`${time.toFixed(0)} s`.padStart(10)}  ${Math.round(run.readUnits * factor).toLocaleString('en')} RRU, ${Math.round(run.writeUnits * factor).toLocaleString('en')} WRU; a run of ${monthsPerRun} months ${perRun.toFixed(0)} s (target ≤ ${limit} s: ${perRun <= limit ? 'fits' : 'does not fit'}); 36 months = ${Math.ceil(36 / monthsPerRun)} runs, ~${((time * 36) / 60).toFixed(0)} min`,
    );
  }
}

/** The README's monthly cost table, from this run's measured units (`bench/cost.ts`). */
function printCostTable(
  ingest: Figures['ingest'],
  community: Awaited<ReturnType<typeof benchCommunityIngest>>,
  run: OneMonth,
) {
  const clusters = sizes.historyAccounts * sizes.clustersPerAccount;
  const measured: MeasuredUnits = {
    wruPerEvent: ingest.writeUnits / ingest.events,
    wruPerActivity: community.writeUnits / community.activities,
    runRruPerCluster: run.readUnits / clusters,
    runWruPerCluster: run.writeUnits / clusters,
    runSecondsPerCluster: run.seconds / clusters,
    ...communityUnits(community),
    ingestSecondsPerEvent: deliveriesInFlight / (ingest.events / ingest.seconds),
  };
  console.log('\nWhat it costs on AWS a month (README; formulas in bench/cost.ts), from this run:');
  for (const line of costTableMarkdown(measured)) console.log(`  ${line}`);
  console.log(
    `  measured: ${measured.wruPerEvent.toFixed(2)} WRU an event, ${measured.wruPerActivity.toFixed(2)} WRU an activity; a one-month run ${measured.runRruPerCluster.toFixed(3)} RRU, ${measured.runWruPerCluster.toFixed(3)} WRU and ${(measured.runSecondsPerCluster * 1000).toFixed(3)} ms a cluster; a run's community ${measured.communityRruPerMember.toFixed(4)} RRU, ${measured.communityWruPerMember.toFixed(4)} WRU and ${(measured.communitySecondsPerMember * 1000).toFixed(4)} ms a member, ${measured.communityRruPerActivityRead.toFixed(3)} RRU and ${(measured.communitySecondsPerActivityRead * 1000).toFixed(3)} ms an activity read, ${measured.communityRruPerChange.toFixed(2)} RRU, ${measured.communityWruPerChange.toFixed(2)} WRU and ${(measured.communitySecondsPerChange * 1000).toFixed(2)} ms an activity changed; ingest ${(measured.ingestSecondsPerEvent * 1000).toFixed(2)} ms of a function an event`,
  );
}

/** The community terms of the cost table (`bench/cost.ts`), from the three measured runs. */
function communityUnits(community: Awaited<ReturnType<typeof benchCommunityIngest>>) {
  const { full, unchanged, day, dayActivities } = community.runs;
  const perChange = (a: number, b: number) => Math.max(0, a - b) / dayActivities;
  return {
    communityRruPerMember: unchanged.readUnits / unchanged.members,
    communityWruPerMember: unchanged.writeUnits / unchanged.members,
    communitySecondsPerMember: unchanged.seconds / unchanged.members,
    communityRruPerActivityRead: full.readUnits / community.activities,
    communitySecondsPerActivityRead: full.seconds / community.activities,
    communityRruPerChange: perChange(day.readUnits, unchanged.readUnits),
    communityWruPerChange: perChange(day.writeUnits, unchanged.writeUnits),
    communitySecondsPerChange: perChange(day.seconds, unchanged.seconds),
  };
}

/** The same number of items, written the fastest plain way: BatchWriteItem, 25 a call, 8 in flight. */
async function benchRawWrites(endpoint: string, table: string) {
  const client = localClient(endpoint);
  const items = telemetryEvents(sizes.ingestEvents).map((event, i) => ({
    PutRequest: {
      Item: { pk: { S: `RAW#${i}` }, sk: { S: 'FACT' }, body: { S: JSON.stringify(event) } },
    },
  }));
  const chunks: (typeof items)[] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  process.stdout.write(`Raw BatchWriteItem: ${items.length} items… `);
  const start = process.hrtime.bigint();
  await pMap(
    chunks,
    (chunk) => client.send(new BatchWriteItemCommand({ RequestItems: { [table]: chunk } })),
    {
      concurrency: 8,
    },
  );
  const elapsed = seconds(start);
  console.log(`${elapsed.toFixed(1)} s`);
  client.destroy();
  return { items: items.length, seconds: elapsed };
}

/**
 * What bounds ingestion here: exact dedupe needs a conditional write per event, and DynamoDB Local
 * serves single-item writes far slower than batches (on DynamoDB they scale with concurrency).
 * Measured through the same client as ingestion, with as many writes in flight as it keeps.
 */
async function benchSingleConditionalPuts(
  client: DynamoDBDocumentClient,
  table: string,
  prefix: string,
) {
  const count = Math.round(sizes.ingestEvents / 4);
  process.stdout.write(`Single conditional PutItem: ${count} items… `);
  const start = process.hrtime.bigint();
  await singleConditionalPuts(client, table, count, prefix);
  const elapsed = seconds(start);
  console.log(`${elapsed.toFixed(1)} s`);
  return { items: count, seconds: elapsed };
}

async function singleConditionalPuts(
  client: DynamoDBDocumentClient,
  table: string,
  count: number,
  prefix: string,
) {
  await pMap(
    Array.from({ length: count }, (_, i) => i),
    (i) =>
      client.send(
        new PutCommand({
          TableName: table,
          Item: { pk: `${prefix}#${i}`, sk: 'FACT' },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    { concurrency: deliveriesInFlight * writesInFlight },
  );
}

async function benchRecalculation(endpoint: string, meter: ReturnType<typeof meteredClient>) {
  const client = localClient(endpoint);
  const tables = await ensureTables(client, 'bench-recalc-');
  process.env[env.table] = tables.main;
  const last = monthOf(new Date(), 'UTC');
  const months = monthRange(addMonths(last, -(sizes.months - 1)), last);
  await seedMonthValues(months, sizes.accounts);
  const shardsRead = async () => {
    let items = 0;
    await pMap(
      months,
      async (month) => {
        // The same parallelism as the recalculation: 4 months at a time, their shards at once.
        const shards = await pMap(keys.clusterMonthValuePartitions(month), (pk) => queryAll(pk), {
          concurrency: 8,
        });
        items += shards.reduce((sum, found) => sum + found.length, 0); // after the await
      },
      { concurrency: 4 },
    );
    return items;
  };
  process.stdout.write('Bare Query of the same items… ');
  let start = process.hrtime.bigint();
  const itemsRead = await shardsRead();
  const bareSeconds = seconds(start);
  console.log(`${itemsRead} items, ${bareSeconds.toFixed(1)} s`);
  process.stdout.write(`Recalculation of ${months.length} months… `);
  meter.reset();
  const peak = { heap: 0, rss: 0 };
  const sample = setInterval(() => {
    const usage = process.memoryUsage();
    peak.heap = Math.max(peak.heap, usage.heapUsed);
    peak.rss = Math.max(peak.rss, usage.rss);
  }, 10);
  start = process.hrtime.bigint();
  await recalculateKa(months);
  const recalcSeconds = seconds(start);
  clearInterval(sample);
  console.log(`${recalcSeconds.toFixed(1)} s`);
  client.destroy();
  return {
    months: months.length,
    accountMonths: sizes.accounts * months.length,
    itemsRead,
    bareSeconds,
    recalcSeconds,
    peak,
    readUnits: meter.read(),
    writeUnits: meter.write(),
  };
}

/**
 * The read units of recomputing the current month once `history` months of data exist and have
 * been computed, the current month touched since (as the daily schedule finds it): what a daily
 * run costs, which must not grow with the length of history (SPEC §4, issue #17).
 */
async function benchOneMonthAfter(
  history: number,
  endpoint: string,
  meter: ReturnType<typeof meteredClient>,
) {
  const client = localClient(endpoint);
  const tables = await ensureTables(client, `bench-history${history}-`);
  process.env[env.table] = tables.main;
  const last = monthOf(new Date(), 'UTC');
  const months = monthRange(addMonths(last, -(history - 1)), last);
  await seedMonthValues(months, sizes.historyAccounts);
  await recalculateKa(months);
  await touchMonths([last]);
  process.stdout.write(`One month recomputed after ${history} months… `);
  meter.reset();
  const start = process.hrtime.bigint();
  await recalculateKa([last]);
  const elapsed = seconds(start);
  console.log(`${elapsed.toFixed(2)} s`);
  client.destroy();
  return { history, seconds: elapsed, readUnits: meter.read(), writeUnits: meter.write() };
}

/** Segments the rebuild bench folds, one task after another (a task's own rate). */
const benchSegments = 16;

/**
 * A zone change's rebuild of the ingest table's month values (README "Zone change"), as its state
 * machine's tasks do it: every month's values dropped, then the snapshot facts folded again
 * segment by segment — one task at a time, so each task's own rate is what is measured.
 */
async function benchRebuild(table: string, meter: ReturnType<typeof meteredClient>) {
  process.env[env.table] = table;
  const months = (await listMonths()).map((state) => state.month);
  const partitions = months.flatMap((month) => keys.clusterMonthValuePartitions(month));
  const values = (await pMap(partitions, (pk) => queryAll(pk, { projection: ['pk'] }))).flat()
    .length;
  process.stdout.write(
    `Zone change: ${values} month values dropped, facts folded in ${benchSegments} segments… `,
  );
  // The scan alone first: a fold task's time is its scan (per fact) and its writes (per value).
  const scanStart = process.hrtime.bigint();
  for (let segment = 0; segment < benchSegments; segment++) {
    await scanSnapshotSegment(segment, benchSegments, async () => {});
  }
  const scanSeconds = seconds(scanStart);
  meter.reset();
  const start = process.hrtime.bigint();
  for (const month of months) await dropMonthValues(month);
  const dropSeconds = seconds(start);
  const foldStart = process.hrtime.bigint();
  let facts = 0;
  for (let segment = 0; segment < benchSegments; segment++) {
    facts += await foldSnapshotSegment(segment, benchSegments);
  }
  const foldSeconds = seconds(foldStart);
  console.log(`${(dropSeconds + foldSeconds).toFixed(1)} s`);
  return {
    values,
    facts,
    scanSeconds,
    dropSeconds,
    foldSeconds,
    readUnits: meter.read(),
    writeUnits: meter.write(),
  };
}

/**
 * The rebuild at 1M clusters and 36 months of daily snapshots, from the measured per-item times:
 * each task (a month dropped, a segment folded) must fit one Lambda run.
 */
function printRebuildEstimate(rebuild: Awaited<ReturnType<typeof benchRebuild>>) {
  const { rebuildSegments, rebuildConcurrency } = stateMachines.recalculation;
  const limit = functions.recalculate.timeoutSeconds;
  const perValue = rebuild.dropSeconds / Math.max(1, rebuild.values);
  const perFactScanned = rebuild.scanSeconds / Math.max(1, rebuild.facts);
  // What folding adds to the scan is its writes: one conditional update a cluster month a page.
  const perValueFolded =
    Math.max(0, rebuild.foldSeconds - rebuild.scanSeconds) / Math.max(1, rebuild.values);
  console.log(
    `\nZone change rebuild, measured: ${rebuild.values} month values dropped (${(perValue * 1000).toFixed(3)} ms each), ${rebuild.facts} facts scanned (${(perFactScanned * 1000).toFixed(3)} ms each) and folded (+${(perValueFolded * 1000).toFixed(3)} ms a month value), ${rebuild.readUnits.toFixed(0)} RRU, ${rebuild.writeUnits.toFixed(0)} WRU`,
  );
  const clusters = 1_000_000;
  const facts = clusters * 30.4 * 36;
  const values = clusters * 36;
  const dropTask = clusters * perValue;
  const foldTask =
    (facts / rebuildSegments) * perFactScanned + (values / rebuildSegments) * perValueFolded;
  const total =
    Math.ceil(36 / rebuildConcurrency) * dropTask +
    Math.ceil(rebuildSegments / rebuildConcurrency) * foldTask;
  console.log(
    `  ${'1,000,000 clusters, 36 months'.padEnd(48)} ${`${foldTask.toFixed(0)} s`.padStart(10)}  a fold task (1/${rebuildSegments}: ${Math.round(facts / rebuildSegments).toLocaleString('en')} facts, ${Math.round(values / rebuildSegments).toLocaleString('en')} month values; target ≤ ${limit} s: ${foldTask <= limit ? 'fits' : 'does not fit'}); a month's drop ${dropTask.toFixed(0)} s (${dropTask <= limit ? 'fits' : 'does not fit'}); ${rebuildConcurrency} at a time, ~${(total / 60).toFixed(0)} min in all`,
  );
}

/** `accounts` × 3 clusters × the months of month values, written straight to the table. */
async function seedMonthValues(months: readonly Month[], accounts: number) {
  const clusters = accounts * sizes.clustersPerAccount;
  process.stdout.write(
    `Seeding ${(clusters * months.length).toLocaleString('en')} cluster month values… `,
  );
  const start = process.hrtime.bigint();
  const requests = months.flatMap((month, m) =>
    Array.from({ length: clusters }, (_, c) => {
      const value = {
        clusterId: `rc${c}`,
        nodes: (c * 13 + m * 7) % 41,
        environment: 'production' as const,
        reportedAt: `${month}-15T00:00:00Z`,
        eventId: `rc${c}@${month}`,
      };
      const rank = snapshotRank(value);
      const accountId = `ra${c % accounts}`;
      return {
        PutRequest: {
          Item: {
            ...keys.clusterMonthValue(month, value.clusterId),
            ...value,
            rank,
            accountId,
            accountRank: rank,
          },
        },
      };
    }),
  );
  await batchWrite(requests);
  await touchMonths(months);
  console.log(`${seconds(start).toFixed(1)} s`);
}

interface Figures {
  ingest: Awaited<ReturnType<typeof benchIngest>>;
  raw: Awaited<ReturnType<typeof benchRawWrites>> & { single: { items: number; seconds: number } };
  recalc: Awaited<ReturnType<typeof benchRecalculation>>;
  history: readonly [OneMonth, OneMonth];
}
type OneMonth = Awaited<ReturnType<typeof benchOneMonthAfter>>;

function printFigures(
  ingest: Figures['ingest'],
  raw: Figures['raw'],
  recalc: Figures['recalc'],
  history: Figures['history'],
) {
  const [short, long] = history;
  const clusters = (sizes.historyAccounts * sizes.clustersPerAccount).toLocaleString('en');
  const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
  const ingestRate = ingest.events / ingest.seconds;
  const writesPerEvent = ingest.writeRequests / ingest.events;
  const rawRate = raw.items / raw.seconds;
  const rows: [string, string, string][] = [
    ['ingest through the webhook', rate(ingest.events, ingest.seconds), ''],
    ['raw BatchWriteItem, same items', rate(raw.items, raw.seconds), ''],
    ['ingest / raw', (ingestRate / rawRate).toFixed(2), 'batches cannot carry the conditions'],
    [
      'single conditional PutItem, same DB',
      rate(raw.single.items, raw.single.seconds),
      `the ceiling, ${deliveriesInFlight * writesInFlight} in flight as ingest`,
    ],
    ['write requests per ingested event', writesPerEvent.toFixed(2), ''],
    [
      'ingest / (single-write ceiling ÷ writes per event)',
      (ingestRate / (raw.single.items / raw.single.seconds / writesPerEvent)).toFixed(2),
      'target ≥ 0.8',
    ],
    [
      'write units per ingested event',
      (ingest.writeUnits / ingest.events).toFixed(2),
      'target ≤ 2',
    ],
    ['read units per ingested event', (ingest.readUnits / ingest.events).toFixed(2), ''],
    [
      `recalculation, ${recalc.months} months × ${sizes.accounts} accounts`,
      `${recalc.recalcSeconds.toFixed(1)} s`,
      '',
    ],
    [
      `bare Query of the same ${recalc.itemsRead.toLocaleString('en')} items`,
      `${recalc.bareSeconds.toFixed(1)} s`,
      '',
    ],
    [
      'recalculation / bare read',
      (recalc.recalcSeconds / recalc.bareSeconds).toFixed(2),
      'target ≤ 1.5',
    ],
    ['peak heap during recalculation', mb(recalc.peak.heap), 'target < 512 MB'],
    ['peak RSS of the process', mb(recalc.peak.rss), ''],
    [
      'capacity units per account-month',
      ((recalc.readUnits + recalc.writeUnits) / recalc.accountMonths).toFixed(3),
      `${(recalc.readUnits / recalc.accountMonths).toFixed(3)} read + ${(recalc.writeUnits / recalc.accountMonths).toFixed(3)} write`,
    ],
    ...history.map((run): [string, string, string] => [
      `one month recomputed after ${run.history} months, ${clusters} clusters`,
      `${run.readUnits.toFixed(1)} RRU`,
      `${run.writeUnits.toFixed(1)} WRU, ${run.seconds.toFixed(2)} s`,
    ]),
    [
      `read units, ${long.history} months ÷ ${short.history} months of history`,
      (long.readUnits / short.readUnits).toFixed(2),
      'target ≤ 1.1',
    ],
  ];
  console.log('\nFigures');
  for (const [what, value, note] of rows)
    console.log(`  ${what.padEnd(48)} ${value.padStart(10)}  ${note}`);
}

function printBundles(bundles: readonly BundleFigures[]) {
  const kb = (bytes: number) => `${Math.round(bytes / 1000).toLocaleString('en')} KB`;
  const ms = (value: number) => `${Math.round(value)} ms`;
  console.log('\nBundles (minified, no source map; cold import: median of 5 fresh processes)');
  console.log(
    `  ${'function'.padEnd(12)} ${'JS'.padStart(9)} ${'package'.padStart(9)} ${'import'.padStart(7)}   ${'SDK only'.padStart(9)} ${'import'.padStart(7)}  target`,
  );
  for (const b of bundles) {
    const target = b.name === 'report' ? 'package ≤ 4,000 KB' : 'JS ≤ 600 KB';
    console.log(
      `  ${b.name.padEnd(12)} ${kb(b.jsBytes).padStart(9)} ${kb(b.packageBytes).padStart(9)} ${ms(b.importMs).padStart(7)}   ${kb(b.sdkBytes).padStart(9)} ${ms(b.sdkImportMs).padStart(7)}  ${target}`,
    );
  }
  const clients = [...new Set(bundles.flatMap((b) => b.sdkPackages))].join(', ');
  console.log(
    `  (SDK only: a bundle of just the client classes each function uses, from ${clients})`,
  );
}

/** The console as `npm start` and the stack build it (SPEC §12), into a directory of its own. */
async function benchConsole(): Promise<ConsoleBuild> {
  const dir = mkdtempSync(join(tmpdir(), 'flywheel-console-bench-'));
  try {
    return await buildConsole(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function printConsole(built: ConsoleBuild) {
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  console.log('\nConsole (SPEC §12: all the JavaScript a page loads, gzipped -9)');
  console.log(
    `  ${'JavaScript'.padEnd(12)} ${kib(built.scriptBytes).padStart(10)} minified, ${kib(built.scriptGzipBytes).padStart(9)} gzipped  target ≤ ${kib(scriptBudgetBytes)} gzipped`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
