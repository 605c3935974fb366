/**
 * What the community costs a recalculation run (issue #17): stores `count` activities (default
 * 90,000; a third as many members, each with an email and a GitHub login) on an in-memory
 * DynamoDB Local, times `loadMembers` — which reads every stored activity — twice and prints the
 * heap the resolved members keep; then a run's community step (`communityOfRun`) without a member
 * index (every activity) and from the index with nothing changed, with the heap at its peak; and
 * what every activity read holds, as stored and as a first run reads it to resolve.
 * `npm run bench:members -- 90000`.
 */
import { spawnSync } from 'node:child_process';
import { loadAffiliationSources, staffAccountsOf } from '../lambdas/compute/affiliation-sources.js';
import { loadMembers } from '../lambdas/compute/community-members.js';
import { communityOfRun } from '../lambdas/compute/run-community.js';
import type { IdentityKey } from '../lambdas/domain/community.js';
import {
  activitiesToResolve,
  allActivities,
  storeActivities,
} from '../lambdas/store/community-store.js';
import { getConfig } from '../lambdas/store/config-store.js';
import { listMonths } from '../lambdas/store/months-store.js';
import { env } from '../lambdas/system.js';
import { ensureTables, localClient, startDynamoDb } from '../local/dynamodb.js';
import { freePort } from '../local/free-port.js';

const count = Number(process.argv[2] ?? 90_000);
const members = Math.max(1, Math.round(count / 3));
const dynamoDb = await startDynamoDb({ port: await freePort() });
try {
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.endpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  process.env[env.table] = (await ensureTables(localClient(dynamoDb.endpoint), 'members-')).main;
  process.stdout.write(`Storing ${count.toLocaleString('en')} activities… `);
  const base = Date.parse('2025-01-01T00:00:00Z');
  for (let i = 0; i < count; i += 1_000) {
    const batch = Array.from({ length: Math.min(1_000, count - i) }, (_, k) => {
      const member = (i + k) % members;
      return {
        activityId: `bench-${i + k}`,
        type: 'forum-post' as const,
        occurredAt: new Date(base + (i + k) * 60_000).toISOString(),
        status: 'delivered' as const,
        identities: [`email:m${member}@example.com`, `github:m${member}`] as IdentityKey[],
        title: 'A question about running a cluster across two regions',
        url: `https://forum.example.com/t/${i + k}`,
      };
    });
    await storeActivities(batch, 'UTC');
  }
  console.log('done');
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  for (const run of [1, 2]) {
    const start = process.hrtime.bigint();
    const resolved = await loadMembers();
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    gc?.();
    const kept = (process.memoryUsage().heapUsed - before) / 1e6;
    console.log(
      `run ${run}: ${resolved.members.length.toLocaleString('en')} members from ${count.toLocaleString('en')} activities in ${seconds.toFixed(2)} s (${((seconds / count) * 1000).toFixed(3)} ms an activity)${gc ? `, ${kept.toFixed(0)} MB kept (${((kept * 1e6) / count).toFixed(0)} B an activity)` : ''}`,
    );
  }
  clearInterval(sampler);
  console.log(`peak RSS of the process ${Math.round(peakRss / 1e6)} MB (storing included)`);
  // What the whole read holds, the largest part of a first run's heap: every activity as stored,
  // and as `activitiesToResolve` keeps it for resolving (no title or url, texts shared).
  for (const [how, read] of [
    ['as stored (allActivities)', allActivities],
    ['to resolve (activitiesToResolve)', activitiesToResolve],
  ] as const) {
    gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    // Measured while held, then let go before the next read.
    const { length, bytes } = await read().then((held) => {
      gc?.();
      return { length: held.length, bytes: process.memoryUsage().heapUsed - heapBefore };
    });
    console.log(
      `every activity read ${how}: ${length.toLocaleString('en')}${gc ? `, ${Math.round(bytes / 1e6)} MB held (${Math.round(bytes / length)} B an activity)` : ''}`,
    );
  }
  // A run right after another needs no overlap for changes: none happened.
  process.env.FLYWHEEL_CHANGES_OVERLAP_MS = '0';
  const config = await getConfig();
  const sources = await loadAffiliationSources(config);
  const staffAccounts = staffAccountsOf(config, sources);
  for (const how of [
    'without a member index (every activity)',
    'from the index, nothing changed',
  ]) {
    const states = await listMonths();
    gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    // The heap while the step runs, sampled: what the function's memory must hold.
    let peakHeap = heapBefore;
    const heapSampler = setInterval(() => {
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }, 10);
    const start = process.hrtime.bigint();
    const community = await communityOfRun({ sources, staffAccounts, states });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    clearInterval(heapSampler);
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    gc?.();
    const kept = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
    const peak = (peakHeap - heapBefore) / 1e6;
    console.log(
      `a run's community ${how}: ${community.members.length.toLocaleString('en')} members in ${seconds.toFixed(2)} s, heap +${peak.toFixed(0)} MB at its peak (${((peak * 1e6) / count).toFixed(0)} B an activity)${gc ? `, ${kept.toFixed(0)} MB kept` : ''}`,
    );
  }
  // The heap each path needs: the smallest old space (MB, by halving) it completes in, in a
  // process of its own, less what that process held before the step. What a function's memory
  // must hold, unlike the sampled heap above, which counts garbage not yet collected.
  for (const mode of ['first', 'index'] as const) {
    const needed = await smallestHeap(mode);
    console.log(
      `a run's community ${mode === 'first' ? 'without a member index (every activity)' : 'from the index, nothing changed'} completes in ${needed.heapMb} MB of heap: ${needed.stepMb} MB for the step (${Math.round((needed.stepMb * 1e6) / count)} B an activity)`,
    );
  }
} finally {
  await dynamoDb.stop();
}

/** Whether the step completes with this old-space limit, and the heap held before it (MB). */
function runWithHeap(mode: 'first' | 'index', heapMb: number) {
  const child = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      `--max-old-space-size=${heapMb}`,
      '--import',
      'tsx',
      'bench/community-heap.ts',
      mode,
    ],
    { env: { ...process.env, FLYWHEEL_CHANGES_OVERLAP_MS: '0' }, encoding: 'utf8' },
  );
  const baseline = Number(/baseline (\d+)/.exec(child.stdout)?.[1] ?? Number.NaN);
  return { ok: child.status === 0, baseline };
}

/** `runWithHeap` halved between a limit that fails and one that completes, to within 4 MB. */
async function smallestHeap(mode: 'first' | 'index') {
  let high = 256;
  let run = runWithHeap(mode, high);
  while (!run.ok) {
    high *= 2;
    if (high > 16_384) throw new Error(`${mode}: does not complete in 16 GB`);
    run = runWithHeap(mode, high);
  }
  let low = 16;
  let baseline = run.baseline;
  while (high - low > 4) {
    const middle = Math.round((low + high) / 2);
    const tried = runWithHeap(mode, middle);
    if (tried.ok) {
      high = middle;
      baseline = tried.baseline;
    } else low = middle;
  }
  return { heapMb: high, stepMb: high - baseline };
}
