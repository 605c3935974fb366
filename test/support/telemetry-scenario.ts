/**
 * A realistic, seeded telemetry history for end-to-end tests (SPEC §1–§2): ~100 accounts over a
 * fixed past window, with growth, dips, churn and reactivation, near-KAs, clusters that stop
 * reporting, staging promoted to production, clusters moved between accounts, unattributed
 * clusters, several snapshots per cluster and month, and snapshots a second either side of midnight
 * at month ends in the reporting zone. Same seed, same events: nothing here reads the clock.
 */
import {
  addMonths,
  isoWithOffset,
  monthsFrom,
  zonedInstant,
  zoneOffsetMinutes,
} from './ka-expectations.js';
import { type Delivery, plannedDeliveries } from './webhook-client.js';

export type Environment = 'production' | 'staging' | 'development' | 'test';

/** One item of `POST /webhooks/telemetry` (SPEC §2). */
export interface TelemetryEvent {
  readonly eventId?: string;
  readonly clusterId: string;
  readonly accountId?: string;
  readonly environment: Environment;
  readonly nodes?: number;
  readonly components?: Readonly<Record<string, number>>;
  readonly reportedAt: string;
  readonly version?: string;
}

/** A cluster's story, month by month (index into the window). */
interface ClusterPlan {
  readonly clusterId: string;
  /** Its month value; `undefined` when it does not report that month. */
  readonly nodes: (number | undefined)[];
  readonly environments: Environment[];
  /** The accountId its snapshots carry; `undefined` when they carry none. */
  readonly accounts: (string | undefined)[];
  /** Months whose last snapshot is at 23:59:59 local, followed by one just after midnight. */
  readonly monthEnds: Set<number>;
}

/** From `month` on, the cluster's snapshots carry `to` instead of `from`. */
export type ClusterMove = Readonly<Record<'clusterId' | 'from' | 'to' | 'month', string>>;

export interface TelemetryScenario {
  readonly timezone: string;
  readonly months: readonly string[];
  readonly events: readonly TelemetryEvent[];
  readonly moves: readonly ClusterMove[];
  /** Clusters whose environment turns from staging to production, and when. */
  readonly promotions: readonly { clusterId: string; month: string }[];
  readonly unattributedClusters: readonly string[];
}

export interface ScenarioOptions {
  readonly seed: number;
  readonly timezone: string;
  /** A fixed window in the past, so the scenario never depends on today's date. */
  readonly from?: string;
  readonly to?: string;
  readonly accounts?: number;
}

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: readonly T[]): T[];
}

/** Mulberry32, a tiny well-known 32-bit PRNG: the same seed always gives the same scenario. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new Error('cannot pick from nothing');
    return items[int(0, items.length - 1)] as T;
  };
  const shuffle = <T>(items: readonly T[]): T[] => {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = int(0, i);
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy;
  };
  return { next, int, chance: (p) => next() < p, pick, shuffle };
}

/** How many accounts of each hundred follow each story. */
const PROFILES = { steady: 10, grower: 22, dipper: 15, faller: 8, near: 15, small: 18, late: 12 };
type Profile = keyof typeof PROFILES;

/** Production nodes of an account per month, before they are split across its clusters. */
function accountTotals(random: Random, profile: Profile, n: number): (number | undefined)[] {
  const months = Array.from({ length: n }, (_, i) => i);
  const jitter = (v: number) => Math.max(0, Math.round(v * (0.9 + 0.2 * random.next())));
  switch (profile) {
    case 'steady': {
      const base = random.int(60, 300);
      return months.map(() => jitter(base));
    }
    case 'grower': {
      const [start, low, high] = [random.int(0, 12), random.int(5, 35), random.int(60, 400)];
      const at = (i: number) => low + ((high - low) * (i - start)) / (n - 1 - start);
      return months.map((i) => (i < start ? undefined : jitter(at(i))));
    }
    case 'dipper': {
      const [base, dip, length] = [random.int(65, 150), random.int(3, n - 8), random.int(1, 4)];
      return months.map((i) => (i >= dip && i < dip + length ? random.int(10, 45) : jitter(base)));
    }
    case 'faller': {
      const [base, fall, stops] = [random.int(55, 120), random.int(6, n - 4), random.chance(0.5)];
      return months.map((i) => (i < fall ? jitter(base) : stops ? undefined : random.int(5, 45)));
    }
    case 'near':
      return months.map(() =>
        random.chance(0.1)
          ? random.int(50, 56)
          : random.chance(0.1)
            ? random.int(20, 29)
            : random.int(30, 49),
      );
    case 'small':
      return months.map(() => random.int(1, 29));
    case 'late': {
      const start = random.int(8, 24);
      return months.map((i) => (i < start ? undefined : jitter(20 + 15 * (i - start))));
    }
  }
}

const NON_PRODUCTION: readonly Environment[] = ['staging', 'development', 'test'];

/** The 1–4 clusters of one account: 1–3 in production, sometimes one more that is not (yet). */
function accountClusters(random: Random, accountId: string, profile: Profile, n: number) {
  let totals = accountTotals(random, profile, n);
  const productionCount = random.int(1, 3);
  if (productionCount === 1) {
    // Exactly on and around the thresholds: 50 is KA, 30 near-KA, 49 and 29 just short.
    totals = totals.map((t) =>
      t !== undefined && random.chance(0.05) ? random.pick([29, 30, 49, 50]) : t,
    );
  }
  const weights = Array.from({ length: productionCount }, () => random.int(1, 5));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const plans: ClusterPlan[] = weights.map((w, k) => {
    const nodes = totals.map((t) =>
      t === undefined ? undefined : Math.round((t * w) / weightSum),
    );
    return plan(`${accountId}.c${k + 1}`, nodes, Array(n).fill('production'), accountId, random);
  });
  if (productionCount > 1 && random.chance(0.25)) {
    const stop = random.int(5, n - 2); // this cluster stops reporting for good
    const stopped = random.pick(plans);
    for (let i = stop; i < n; i++) stopped.nodes[i] = undefined;
  }
  let promotion: number | undefined;
  if (random.chance(0.4)) {
    const base = random.int(10, 80);
    const nodes = totals.map((t) =>
      t === undefined ? undefined : Math.round(base * (0.8 + 0.4 * random.next())),
    );
    const environment = random.pick(NON_PRODUCTION);
    promotion = environment === 'staging' && random.chance(0.6) ? random.int(4, n - 3) : undefined;
    const environments = nodes.map(
      (_, i): Environment =>
        promotion !== undefined && i >= promotion ? 'production' : environment,
    );
    plans.push(plan(`${accountId}:extra`, nodes, environments, accountId, random));
  }
  return { plans, promotion };
}

function plan(
  clusterId: string,
  nodes: (number | undefined)[],
  environments: Environment[],
  accountId: string | undefined,
  random: Random,
): ClusterPlan {
  const accounts: (string | undefined)[] = nodes.map(() => accountId);
  const turn = random.int(3, nodes.length - 3);
  const variant = accountId === undefined ? 0 : random.next();
  // Some clusters stop carrying their accountId; others only start carrying one later.
  if (variant < 0.05) accounts.fill(undefined, turn);
  else if (variant < 0.09) accounts.fill(undefined, 0, turn);
  const monthEnds = new Set<number>();
  if (random.chance(0.3)) {
    for (let i = 0; i + 1 < nodes.length; i++) if (random.chance(0.15)) monthEnds.add(i);
  }
  return { clusterId, nodes, environments, accounts, monthEnds };
}

/**
 * Moves some clusters to another account from a month on; only clusters that carry one accountId
 * throughout and report through the middle of the window, so they report on both sides of a move.
 */
function moveClusters(
  random: Random,
  plans: ClusterPlan[],
  months: readonly string[],
): ClusterMove[] {
  const movable = plans.filter(
    (p) =>
      p.accounts.every((a) => a !== undefined && a === p.accounts[0]) &&
      p.nodes.slice(4, -2).every((n) => n !== undefined),
  );
  const accountIds = [...new Set(movable.map((p) => p.accounts[0] ?? ''))];
  const moves: ClusterMove[] = [];
  for (const cluster of random.shuffle(movable).slice(0, 8)) {
    let month = random.int(5, months.length - 8);
    // The first one moves twice: history follows it to the account it reached last.
    const hops = moves.length === 0 ? 2 : 1;
    for (let hop = 0; hop < hops; hop++) {
      const from = cluster.accounts[month] ?? '';
      const to = random.pick(accountIds.filter((a) => a !== from));
      cluster.accounts.fill(to, month);
      moves.push({ clusterId: cluster.clusterId, from, to, month: months[month] ?? '' });
      month += random.int(2, 5);
    }
  }
  return moves;
}

/** Clusters that never say which account they belong to. */
function unattributedPlans(random: Random, n: number): ClusterPlan[] {
  return Array.from({ length: 6 }, (_, k) => {
    const [start, base] = [random.int(0, 10), random.int(5, 120)];
    const nodes = Array.from({ length: n }, (_, i) =>
      i < start ? undefined : Math.round(base * (0.8 + 0.4 * random.next())),
    );
    const environment: Environment = k === 5 ? 'staging' : 'production';
    return plan(`orphan-${k + 1}:k8s`, nodes, Array(n).fill(environment), undefined, random);
  });
}

/** Turns the plans into snapshots: the last one of each month carries the planned month value. */
function snapshotsOf(
  random: Random,
  cluster: ClusterPlan,
  months: readonly string[],
  timezone: string,
) {
  const events: TelemetryEvent[] = [];
  let sequence = 0;
  const emit = (i: number, epoch: number, nodes: number, environment: Environment) => {
    const offset = random.pick([0, zoneOffsetMinutes(epoch, timezone), -300, 330]);
    const accountId = random.chance(0.05) ? undefined : cluster.accounts[i];
    const components = {
      pd: Math.min(3, nodes),
      tikv: Math.floor((nodes - Math.min(3, nodes)) / 2),
    };
    events.push({
      ...(random.chance(0.03) ? { eventId: `evt-${cluster.clusterId}-${++sequence}` } : {}),
      clusterId: cluster.clusterId,
      ...(accountId === undefined ? {} : { accountId }),
      environment,
      ...(random.chance(0.1)
        ? { components: { ...components, tidb: nodes - components.pd - components.tikv } }
        : { nodes }),
      reportedAt: isoWithOffset(epoch, offset),
      ...(random.chance(0.3) ? { version: `v${random.int(6, 8)}.${random.int(0, 5)}.0` } : {}),
    });
  };
  months.forEach((month, i) => {
    const value = cluster.nodes[i];
    const environment = cluster.environments[i] ?? 'production';
    if (value === undefined) return;
    const times = random
      .shuffle(Array.from({ length: 26 }, (_, d) => d + 2))
      .slice(0, random.int(1, 3))
      .map((day) =>
        zonedInstant(timezone, month, day, random.int(0, 23), random.int(0, 59), random.int(0, 59)),
      )
      .sort((a, b) => a - b);
    const [nextMonth, nextEnvironment] = [addMonths(month, 1), cluster.environments[i + 1]];
    if (cluster.monthEnds.has(i) && cluster.nodes[i + 1] !== undefined && nextEnvironment) {
      // 23:59:59 on the last day, then 00:00:01 (or 00:00:00) on the 1st, local time: a zone east
      // of UTC puts the second one in the next month, UTC in this one, with a distinct value.
      times.push(zonedInstant(timezone, nextMonth, 0, 23, 59, 59));
      const justAfter = zonedInstant(timezone, nextMonth, 1, 0, 0, random.pick([0, 1, 1]));
      emit(i + 1, justAfter, value >= 40 ? value - 25 : value + 25, nextEnvironment);
    }
    times.forEach((epoch, k) => {
      const isLast = k === times.length - 1;
      const noisy = Math.max(0, value + random.int(-30, 30));
      const earlierEnvironment = random.chance(0.1) ? random.pick(NON_PRODUCTION) : environment;
      const promoted = environment === 'production' && cluster.environments[i - 1] === 'staging';
      const earlier = promoted ? 'staging' : earlierEnvironment;
      emit(i, epoch, isLast ? value : noisy, isLast ? environment : earlier);
    });
  });
  return events;
}

/** The scenario's events, in generation order (deliveries shuffle them). */
export function telemetryScenario(options: ScenarioOptions): TelemetryScenario {
  const { seed, timezone, from = '2023-01', to = '2025-06', accounts = 100 } = options;
  const months = monthsFrom(from, to);
  if (months.length < 16) throw new Error('the scenario needs a window of at least 16 months');
  const random = seededRandom(seed);
  const profiles = random.shuffle(
    (Object.entries(PROFILES) as [Profile, number][]).flatMap(([profile, share]) =>
      Array<Profile>(Math.round((share * accounts) / 100)).fill(profile),
    ),
  );
  const plans: ClusterPlan[] = [];
  const promotions: { clusterId: string; month: string }[] = [];
  profiles.forEach((profile, k) => {
    const accountId = `acct-${String(k + 1).padStart(3, '0')}`;
    const built = accountClusters(random, accountId, profile, months.length);
    plans.push(...built.plans);
    const extra = built.plans.at(-1);
    if (built.promotion !== undefined && extra) {
      promotions.push({ clusterId: extra.clusterId, month: months[built.promotion] ?? '' });
    }
  });
  const moves = moveClusters(random, plans, months);
  const orphans = unattributedPlans(random, months.length);
  const events = [...plans, ...orphans].flatMap((p) => snapshotsOf(random, p, months, timezone));
  return {
    timezone,
    months,
    events,
    moves,
    promotions,
    unattributedClusters: orphans.map((p) => p.clusterId),
  };
}

/**
 * How a real sender would deliver the scenario: shuffled, in batches of at most 500, ~10% of the
 * events in a second batch too, ~5% of the batches retried whole with the same webhook-id.
 */
export function telemetryDeliveries(
  events: readonly TelemetryEvent[],
  seed: number,
): Delivery<TelemetryEvent>[] {
  return plannedDeliveries(events, seededRandom(seed), { idPrefix: `msg_telemetry_${seed}` });
}
