/**
 * From an account's planned production nodes to what its clusters actually report (SPEC §2): the
 * nodes split across one to three production clusters (the second and third deployed once the
 * account grows into a KA), staging and development clusters beside them, clusters whose agent only
 * names its account after an upgrade, clusters nobody has attributed, and a few snapshots a month,
 * the last of which carries the month's value (SPEC §1: the latest snapshot wins).
 */
import type { Month } from '../../lambdas/domain/month.js';
import type { DemoAccount } from './company.js';
import type { Random } from './random.js';
import { instantIn } from './timeline.js';

export type Environment = 'production' | 'staging' | 'development' | 'test';

/** One item of `POST /webhooks/telemetry` (SPEC §2). */
export interface TelemetryEvent {
  readonly eventId: string;
  readonly clusterId: string;
  readonly accountId?: string;
  readonly environment: Environment;
  readonly nodes?: number;
  readonly components?: Readonly<Record<string, number>>;
  readonly reportedAt: string;
  readonly version?: string;
}

interface Cluster {
  readonly clusterId: string;
  readonly accountId: string | undefined;
  readonly environment: Environment;
  /** Month value per month index; `undefined` while it does not report. */
  readonly nodes: (number | undefined)[];
  /** Snapshots before this month index carry no accountId (an old agent). */
  readonly namedFrom: number;
  /** Reports `components` instead of `nodes`. */
  readonly components: boolean;
  /** Months behind the latest release. */
  readonly upgradeLag: number;
}

function cluster(
  random: Random,
  clusterId: string,
  accountId: string | undefined,
  environment: Environment,
  nodes: (number | undefined)[],
): Cluster {
  return {
    clusterId,
    accountId,
    environment,
    nodes,
    namedFrom: random.chance(0.1) ? random.int(1, nodes.length - 2) : 0,
    components: random.chance(0.3),
    upgradeLag: random.int(0, 8),
  };
}

/** Splits `total` by `weights` exactly: the parts always sum to the total. */
function split(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const parts = weights.map((w) => Math.floor((total * w) / sum));
  parts[0] = (parts[0] ?? 0) + total - parts.reduce((a, b) => a + b, 0);
  return parts;
}

function accountClusters(random: Random, account: DemoAccount): Cluster[] {
  const { accountId, totals, kind } = account;
  const count =
    kind === 'key'
      ? random.weighted([
          [1, 45],
          [2, 35],
          [3, 20],
        ] as const)
      : random.int(1, 2);
  const weights = Array.from({ length: count }, () => random.int(1, 4));
  // Only the first cluster reports until the account becomes KA; then the others are deployed.
  const from = account.kaFrom ?? 0;
  const columns = totals.map((total, i) =>
    total === undefined ? [] : i < from ? [total] : split(total, weights),
  );
  const clusters = weights.map((_, k) =>
    cluster(
      random,
      `${accountId}.prod-${k + 1}`,
      accountId,
      'production',
      columns.map((parts) => parts[k]),
    ),
  );
  if (random.chance(kind === 'key' ? 0.45 : 0.2)) {
    const share = 0.08 + 0.2 * random.next();
    const nodes = totals.map((t) =>
      t === undefined ? undefined : Math.max(2, Math.round(t * share)),
    );
    clusters.push(cluster(random, `${accountId}.staging`, accountId, 'staging', nodes));
  }
  if (random.chance(0.12)) {
    const environment = random.pick(['development', 'test'] as const);
    const nodes = totals.map((t) => (t === undefined ? undefined : random.int(2, 8)));
    clusters.push(cluster(random, `${accountId}.${environment}`, accountId, environment, nodes));
  }
  return clusters;
}

/** Clusters that never say whose they are: trials, forks, a team that never set its accountId. */
function unattributedClusters(random: Random, n: number, count: number): Cluster[] {
  const ids = new Set<string>();
  while (ids.size < count)
    ids.add(`cluster-${random.int(0, 0xffffff).toString(16).padStart(6, '0')}`);
  return [...ids].map((clusterId) => {
    const start = random.int(0, n - 2);
    const end = random.chance(0.4) ? random.int(start + 1, n) : n;
    let level = random.int(3, 40);
    const nodes = Array.from({ length: n }, (_, i) => {
      if (i < start || i >= end) return undefined;
      level = Math.max(1, Math.min(120, level + random.int(-4, 6)));
      return level;
    });
    const environment = random.chance(0.8) ? 'production' : 'staging';
    return { ...cluster(random, clusterId, undefined, environment, nodes), namedFrom: 0 };
  });
}

/** A release a quarter: `7.0.0`, `7.1.0`, …, with a patch a month in between. */
const release = (i: number) => {
  const quarter = Math.floor(Math.max(0, i) / 3);
  return `${7 + Math.floor(quarter / 4)}.${quarter % 4}.${Math.max(0, i) % 3}`;
};

function componentsOf(nodes: number): Record<string, number> {
  const coordinator = Math.min(3, nodes);
  const storage = Math.round((nodes - coordinator) * 0.6);
  return { compute: nodes - coordinator - storage, storage, coordinator };
}

/**
 * The snapshots of one cluster in month `i`: 1–2 (enough to show the latest winning, few enough
 * for a quick demo), in distinct slots of the month so they never tie;
 * earlier ones on the way from last month's value, the last one exactly the month value.
 */
function monthSnapshots(
  random: Random,
  c: Cluster,
  i: number,
  month: Month,
  timeZone: string,
): TelemetryEvent[] {
  const value = c.nodes[i];
  if (value === undefined) return [];
  const previous = c.nodes[i - 1] ?? value;
  const count = random.int(1, 2);
  return Array.from({ length: count }, (_, k) => {
    const nodes =
      k === count - 1 ? value : Math.round(previous + ((value - previous) * (k + 1)) / count);
    const reportedAt = instantIn(month, (k + 0.1 + 0.85 * random.next()) / count, timeZone);
    const named = c.accountId !== undefined && i >= c.namedFrom;
    return {
      eventId: `${c.clusterId}:${month}:${k + 1}`,
      clusterId: c.clusterId,
      ...(named ? { accountId: c.accountId } : {}),
      environment: c.environment,
      ...(c.components ? { components: componentsOf(nodes) } : { nodes }),
      reportedAt,
      version: release(i - c.upgradeLag),
    };
  });
}

/** Every snapshot of every cluster, month by month (oldest first, as a live feed would send them). */
export function telemetryEvents(
  random: Random,
  accounts: readonly DemoAccount[],
  months: readonly Month[],
  timeZone: string,
): TelemetryEvent[] {
  const clusters = [
    ...accounts.flatMap((account) => accountClusters(random, account)),
    ...unattributedClusters(random, months.length, 24),
  ];
  return months.flatMap((month, i) =>
    clusters.flatMap((c) => monthSnapshots(random, c, i, month, timeZone)),
  );
}
