import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meteredClient } from '../../bench/capacity.js';
import { snapshotRank } from '../../lambdas/domain/ka.js';
import { addMonths, type Month, parseMonth } from '../../lambdas/domain/month.js';
import { batchWrite, putRequest } from '../../lambdas/store/batch.js';
import { db, setDocumentClient } from '../../lambdas/store/client.js';
import { allActivities } from '../../lambdas/store/community-store.js';
import { keys } from '../../lambdas/store/keys.js';
import { touchMonths } from '../../lambdas/store/months-store.js';
import { waitForJob } from '../support/signed-delivery.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

/**
 * What an evidence request costs in DynamoDB read units (SPEC §7: evidence reads cost what they
 * return), at `FLYWHEEL_COST_SCALE` × the demo's data (1 in `npm test`; the README's figures are
 * from 10): the demo has 377 accounts, 858 clusters reporting over 36 months (15,136 snapshots)
 * and 3,415 community activities. At 10 this stores 3,770 accounts, 8,580 clusters with a month
 * value in each month they report (~150,000 month values) and 34,150 activities, recalculates all
 * 36 months, then meters each route with `ReturnConsumedCapacity`. Facts are written straight into
 * the store (the webhooks would take minutes for this many).
 */
const scale = Number(process.env.FLYWHEEL_COST_SCALE ?? 1);
const accounts = 377 * scale;
const clusters = 858 * scale;
const activityCount = 3415 * scale;
const memberCount = 400 * scale;
const months: Month[] = Array.from({ length: 36 }, (_, i) => addMonths(parseMonth('2023-01'), i));

const last = months.at(-1) as Month;

let system: TestSystem;
const costs = new Map<string, number>();

/** mulberry32: a small deterministic generator, so every run measures the same data. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const accountOf = (cluster: number) => `acct-${String(cluster % accounts).padStart(5, '0')}`;
const clusterId = (cluster: number) => `cl-${String(cluster).padStart(5, '0')}`;

function monthValues() {
  const next = random(7);
  const items: Record<string, unknown>[] = [];
  for (let c = 0; c < clusters; c++) {
    // Each cluster reports for a stretch of about half the months, as the demo's do (17.6 of 36).
    const span = 6 + Math.floor(next() * 24);
    const start = Math.floor(next() * (months.length - span));
    for (let m = start; m < start + span; m++) {
      const month = months[m] as Month;
      const value = {
        clusterId: clusterId(c),
        nodes: Math.floor(next() * 80),
        environment: next() < 0.8 ? ('production' as const) : ('staging' as const),
        reportedAt: `${month}-15T00:00:00.000Z`,
        eventId: `${clusterId(c)}@${month}-15T00:00:00.000Z`,
      };
      const rank = snapshotRank(value);
      const named = c % 10 === 0 ? {} : { accountId: accountOf(c), accountRank: rank };
      items.push({ ...keys.clusterMonthValue(month, value.clusterId), ...value, rank, ...named });
      if (c < 20) items.push({ ...keys.snapshot(value), ...value, receivedAt: value.reportedAt });
    }
  }
  return items;
}

/** A cluster that reported daily for all 36 months: its route reads the latest 100 facts only. */
const dailyCluster = 'cl-daily';

function dailyHistory() {
  const items: Record<string, unknown>[] = [];
  for (const month of months) {
    let latest: Record<string, unknown> = {};
    for (let day = 1; day <= 28; day++) {
      const reportedAt = `${month}-${String(day).padStart(2, '0')}T00:00:00.000Z`;
      const fact = {
        clusterId: dailyCluster,
        nodes: 40 + day,
        environment: 'production' as const,
        reportedAt,
        eventId: `${dailyCluster}@${reportedAt}`,
        accountId: accountOf(0),
        components: { tidb: 4, tikv: 30 + day, pd: 3 },
        version: 'v8.5.1',
      };
      items.push({ ...keys.snapshot(fact), ...fact, receivedAt: reportedAt });
      const { components: _c, version: _v, ...value } = fact;
      latest = { ...value, rank: snapshotRank(value), accountRank: snapshotRank(value) };
    }
    items.push({ ...keys.clusterMonthValue(month, dailyCluster), ...latest });
  }
  return items;
}

/** The member route is measured with the first activity's member (its first draw below). */
const measuredIdentity = `github:person${Math.floor(random(11)() * memberCount)}`;

/** How many activities wait for review (set by `activities()`). */
let submitted = 0;

function activities() {
  const next = random(11);
  const items: Record<string, unknown>[] = [];
  for (let a = 0; a < activityCount; a++) {
    const member = Math.floor(next() * memberCount);
    const month = months[Math.floor(next() * months.length)] as Month;
    const activityId = `act-${a}`;
    const occurredAt = `${month}-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}T10:00:00Z`;
    const type = next() < 0.3 ? 'article' : 'talk';
    const status = type === 'article' ? (next() < 0.5 ? 'submitted' : 'recognized') : 'delivered';
    if (status === 'submitted') submitted++;
    const identities = [`email:person${member}@example.com`, `github:person${member}`] as const;
    items.push(...identities.map((identity) => keys.identityActivity(identity, activityId)));
    items.push({
      ...keys.activity(activityId),
      ...keys.activityByTime(activityId, occurredAt),
      ...(status === 'submitted' ? keys.reviewQueue(activityId, occurredAt) : {}),
      activityId,
      type,
      occurredAt,
      status,
      identities,
      name: `Person ${member}`,
      accountId: accountOf(member * 7),
      title: `A title of ${activityId} long enough to be realistic about sizes`,
      receivedAt: occurredAt,
    });
  }
  return items;
}

async function metered(path: string): Promise<number> {
  const meter = meteredClient();
  setDocumentClient(meter.client);
  try {
    const response = await system.api(path);
    expect(response.status, `${path}: ${await response.clone().text()}`).toBe(200);
    await response.arrayBuffer();
    return meter.read();
  } finally {
    setDocumentClient(undefined);
  }
}

beforeAll(async () => {
  system = await startTestSystem();
  db();
  const names = Array.from({ length: accounts }, (_, i) =>
    putRequest({ ...keys.account(accountOf(i)), accountId: accountOf(i), name: `Account ${i}` }),
  );
  const facts = [...monthValues(), ...dailyHistory(), ...activities()];
  await batchWrite([...names, ...facts.map((item) => putRequest(item))]);
  await touchMonths(months);
  const response = await system.api('/admin/recalculate', {
    method: 'POST',
    body: JSON.stringify({ from: months[0], to: months.at(-1) }),
  });
  const { jobId } = (await response.json()) as { jobId: string };
  // The recalculation runs in this process: a poll may meet a busy server; ask again.
  const api = (path: string) =>
    system.api(path).catch(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return system.api(path);
    });
  await waitForJob(api, jobId, 600_000);
  // A member who arrived after the recalculation: not in the member index yet.
  const occurredAt = `${last}-20T10:00:00Z`;
  await batchWrite(
    [
      keys.identityActivity(newcomer, 'act-newcomer'),
      {
        ...keys.activity('act-newcomer'),
        ...keys.activityByTime('act-newcomer', occurredAt),
        activityId: 'act-newcomer',
        type: 'talk',
        occurredAt,
        status: 'delivered',
        identities: [newcomer],
        receivedAt: occurredAt,
      },
    ].map(putRequest),
  );
}, 900_000);

const newcomer = 'github:newcomer';

afterAll(async () => {
  console.log(
    `[evidence read units at ${scale}× the demo]\n${[...costs]
      .map(([route, units]) => `  ${units.toFixed(1).padStart(8)}  ${route}`)
      .join('\n')}`,
  );
  await system?.stop();
});

describe(`evidence read units at ${scale}× the demo's data`, () => {
  it.each([
    ['GET /clusters/{clusterId}', `/clusters/${clusterId(3)}`],
    ['GET /clusters/{clusterId} (1,008 snapshots)', `/clusters/${dailyCluster}`],
    ['GET /accounts/{accountId}', `/accounts/${accountOf(3)}`],
    ['GET /members/{member}', `/members/${measuredIdentity}`],
    ['GET /members/{member} (new since the recalculation)', `/members/${newcomer}`],
    ['GET /evangelists (a recalculated month)', `/evangelists?year=2025&asOf=2025-12`],
    ['GET /clusters (100 of a month)', `/clusters?month=${last}&limit=100`],
    ['GET /clusters?attributed=false (100)', `/clusters?month=${last}&attributed=false&limit=100`],
    ['GET /accounts (100 of a month)', `/accounts?month=${last}&limit=100`],
    ['GET /members (100)', '/members?limit=100'],
    ['GET /activities?status=submitted (100)', '/activities?status=submitted&limit=100'],
    ['GET /activities (100 of all)', '/activities?limit=100'],
    ['GET /activities (100 of all, from the middle)', `/activities?limit=100&from=${months[18]}`],
    ['GET /activities?member= (one member’s)', `/activities?member=${measuredIdentity}`],
    ['GET /admin/jobs', '/admin/jobs'],
  ])('%s', async (route, path) => {
    const units = await metered(path);
    costs.set(route, units);
    expect(units).toBeGreaterThan(0);
  });

  it('every activity read (what no route may read)', async () => {
    const meter = meteredClient();
    setDocumentClient(meter.client);
    try {
      expect((await allActivities()).length).toBe(activityCount + 1);
      costs.set('every activity read (no route does)', meter.read());
    } finally {
      setDocumentClient(undefined);
    }
  });

  // One account, cluster or member, or a page of a list, must cost a small bound that does not
  // grow with the data (the same bounds hold at 1× and 10×).
  it('answers one cluster by its own month values, mapping, account record and facts', () => {
    // One month value per month with data (36 × ½ unit, eventually consistent), its facts; the
    // whole account directory alone would be ~25 units at 10×.
    expect(costs.get('GET /clusters/{clusterId}')).toBeLessThan(25);
  });

  it('reads the 100 facts it shows of a long history, not the history', () => {
    // Against the cluster above (a fact a month for ~18 months): 36 month values instead of ~18,
    // and 100 facts of ~300 bytes (~4 units, ½ a unit per 4 KB). All 1,008 would be ~38 units.
    const daily = costs.get('GET /clusters/{clusterId} (1,008 snapshots)') ?? 0;
    expect(daily - (costs.get('GET /clusters/{clusterId}') ?? 0)).toBeLessThan(15);
  });

  it('answers one account from its chunks of the indexes and its clusters’ month values', () => {
    // Its aliases and mapped clusters from gsi1, not every account and mapping (~25 units at 10×).
    expect(costs.get('GET /accounts/{accountId}')).toBeLessThan(40);
  });

  it('answers one member from the member index and its activities by key', () => {
    expect(costs.get('GET /members/{member}')).toBeLessThan(40);
  });

  it('reads the review queue from its own index: the queue and the page, not every activity', () => {
    const queue = costs.get('GET /activities?status=submitted (100)') ?? 0;
    // The queue's index items (~1 KB each, ½ unit per 4 KB), then two index lookups per row.
    expect(queue).toBeLessThan(submitted / 8 + 100 * 8);
    expect(queue).toBeLessThan(costs.get('every activity read (no route does)') ?? 0);
  });

  it('reads a page of every activity from the time index, not the history', () => {
    // Each of 4 shards reads a quarter of the page and a few more (~1 KB an activity, ½ unit per
    // 4 KB), then a member-index lookup per row (~½ unit where the chunk is new); from the middle
    // of the history the same. Every activity is 144 units at 1×, 1,466.5 at 10×.
    for (const route of [
      'GET /activities (100 of all)',
      'GET /activities (100 of all, from the middle)',
    ])
      expect(costs.get(route), route).toBeLessThan(200);
  });

  it('lists one member’s activities from their own, not every activity', () => {
    expect(costs.get('GET /activities?member= (one member’s)')).toBeLessThan(40);
  });

  it('answers a member the index does not know from its own activities, followed by identity', () => {
    // Its identity's links and activity, the merges and splits (none), config, programs and the
    // affiliation sources (the account directory, as for any member): the member route's bound.
    expect(costs.get('GET /members/{member} (new since the recalculation)')).toBeLessThan(40);
  });

  it('reads less for one account or member, or a month’s evangelists, than a scan of the activities', () => {
    const scan = costs.get('every activity read (no route does)') ?? 0;
    expect(costs.get('GET /accounts/{accountId}')).toBeLessThan(scan / 1.5);
    expect(costs.get('GET /members/{member}')).toBeLessThan(scan / 1.5);
    expect(costs.get('GET /members/{member} (new since the recalculation)')).toBeLessThan(
      scan / 1.5,
    );
    // The year's evangelists as the month's recalculation stored them (~100 bytes a member).
    expect(costs.get('GET /evangelists (a recalculated month)')).toBeLessThan(scan / 1.5);
  });
});
