/**
 * The demo's company story (SPEC §1 "key accounts"): a growing open-source infrastructure company
 * whose key accounts go from about 8 to about 30 in two years, then — they aimed for 8x in a year —
 * to about 270 in the last twelve months. Accounts ramp up through the near-KA band before they
 * become KA, some dip below the threshold and come back, some leave (a few return much later), and
 * a pipeline of near-KA and small accounts never makes it. Same seed, same story.
 */
import { type Month, monthOf } from '../../lambdas/domain/month.js';
import { type TelemetryEvent, telemetryEvents } from './clusters.js';
import { companyNames, slug } from './names.js';
import { type Random, seededRandom } from './random.js';

export type { TelemetryEvent } from './clusters.js';

export type AccountKind = 'key' | 'near' | 'small';

export interface DemoAccount {
  readonly accountId: string;
  readonly name: string;
  readonly kind: AccountKind;
  /** Month index (into the story's months) in which the plan first makes it KA. */
  readonly kaFrom?: number;
  /** Planned production nodes per month index; `undefined` while it does not report. */
  readonly totals: readonly (number | undefined)[];
}

/** One account bought by another (SPEC §9): its clusters report under the buyer from `month` on. */
export interface Acquisition {
  readonly into: string;
  readonly account: string;
  readonly month: Month;
}

export interface CompanyStory {
  readonly timeZone: string;
  readonly months: readonly Month[];
  readonly accounts: readonly DemoAccount[];
  readonly events: readonly TelemetryEvent[];
  /** The demo merges it (`POST /admin/accounts/merge`), so it is neither a churn nor a new KA. */
  readonly acquisition: Acquisition | undefined;
}

export interface StoryOptions {
  readonly seed: number;
  readonly months: readonly Month[];
  readonly timeZone: string;
}

const KA = 50;

/** How many KAs the story aims for in month `t` of `n`: slow growth, then the hockey stick. */
export function kaTarget(t: number, n: number): number {
  const hockey = n - 13; // twelve months before the last
  if (t <= hockey) return 8 * (30 / 8) ** (t / Math.max(1, hockey));
  return 30 + 240 * ((t - hockey) / 12) ** 2.3;
}

const jitter = (random: Random, value: number, spread = 0.07) =>
  Math.round(value * (1 - spread + 2 * spread * random.next()));

/** A future key account: ramps up through the near band, is KA from `t`, then lives its fate. */
function keyAccountTotals(random: Random, t: number, n: number): (number | undefined)[] {
  const totals: (number | undefined)[] = Array(n).fill(undefined);
  const firstSeen = Math.max(0, t - random.int(2, 12));
  const near = random.chance(0.6) ? random.int(1, 3) : 0; // months spent at 30–49 just before
  for (let i = firstSeen; i < t; i++) {
    const progress = (i - firstSeen + 1) / (t - firstSeen + 1);
    totals[i] =
      i >= t - near ? random.int(30, 49) : Math.min(29, Math.round(4 + 30 * progress ** 1.5));
  }
  // Sizes are skewed: most KAs run 50–200 nodes, a few run well over a thousand.
  const start = random.int(52, 90);
  const cap = random.weighted([
    [random.int(80, 200), 6],
    [random.int(200, 600), 3],
    [random.int(600, 1600), 1],
  ] as const);
  const rate = 1 + 0.06 * random.next();
  for (let i = t; i < n; i++) {
    totals[i] = Math.max(KA, jitter(random, Math.min(cap, start * rate ** (i - t))));
  }
  const fate = random.weighted([
    ['steady', 80],
    ['dip', 10],
    ['churn', 7],
    ['threshold', 3],
  ] as const);
  if (fate === 'dip' && t + 3 < n - 1) {
    // Churned for a month or three, then reactivated.
    const from = random.int(t + 2, n - 2);
    const length = Math.min(random.int(1, 3), n - 1 - from);
    for (let i = from; i < from + length; i++) totals[i] = random.int(22, 47);
  } else if (fate === 'churn' && t + 3 < n) {
    const from = random.int(t + 3, n - 1);
    const stops = random.chance(0.5); // left for good, or shrank to a side project
    const back = random.chance(0.35) ? from + random.int(4, 10) : n;
    for (let i = from; i < Math.min(back, n); i++) {
      totals[i] = stops ? undefined : random.int(8, 40);
    }
  } else if (fate === 'threshold') {
    // One cluster right at the line: 49 is near, 50 is KA.
    for (let i = t + 1; i < n; i++) totals[i] = random.pick([48, 49, 50, 50, 51, 53]);
  }
  return totals;
}

/** Near-KA pipeline and small accounts, starting later rather than earlier. */
function otherTotals(random: Random, kind: AccountKind, n: number): (number | undefined)[] {
  const start = Math.floor(n * Math.sqrt(random.next()));
  return Array.from({ length: n }, (_, i) => {
    if (i < start) return undefined;
    if (kind === 'small') return random.int(3, 28);
    return random.chance(0.12) ? random.int(20, 29) : random.int(30, 49);
  });
}

/** Accounts month by month: as many new KAs each month as the target curve asks for. */
function planAccounts(random: Random, n: number): Omit<DemoAccount, 'accountId' | 'name'>[] {
  const plans: Omit<DemoAccount, 'accountId' | 'name'>[] = [];
  const kaCount: number[] = Array(n).fill(0);
  for (let t = 0; t < n; t++) {
    const wanted = jitter(random, kaTarget(t, n), t === n - 1 ? 0.03 : 0.05);
    for (let k = kaCount[t] ?? 0; k < wanted; k++) {
      const totals = keyAccountTotals(random, t, n);
      totals.forEach((nodes, i) => {
        if (nodes !== undefined && nodes >= KA) kaCount[i] = (kaCount[i] ?? 0) + 1;
      });
      plans.push({ kind: 'key', kaFrom: t, totals });
    }
  }
  for (const [kind, count] of [
    ['near', 45],
    ['small', 50],
  ] as const) {
    for (let k = 0; k < count; k++) plans.push({ kind, totals: otherTotals(random, kind, n) });
  }
  return plans;
}

/** The whole story: accounts with names, and every telemetry snapshot their clusters send. */
export function companyStory({ seed, months, timeZone }: StoryOptions): CompanyStory {
  const random = seededRandom(seed, 'company');
  const plans = planAccounts(random, months.length);
  const names = companyNames(random, plans.length);
  const accounts = plans.map((plan, k): DemoAccount => {
    const name = names[k] ?? `Account ${k + 1}`;
    return { ...plan, accountId: slug(name), name };
  });
  const events = telemetryEvents(seededRandom(seed, 'clusters'), accounts, months, timeZone);
  const acquisition = acquisitionOf(accounts, months);
  return {
    timeZone,
    months,
    accounts,
    events: acquisition ? acquired(events, acquisition, timeZone) : events,
    acquisition,
  };
}

/**
 * Four months before the end, one steady KA buys another: the first two KAs (in plan order) that
 * stay KA from a year before then to the end. `undefined` when the story has no such pair.
 */
function acquisitionOf(accounts: readonly DemoAccount[], months: readonly Month[]) {
  const at = months.length - 4;
  const steady = accounts.filter(
    (a) => a.kind === 'key' && a.totals.slice(at - 12).every((n) => n !== undefined && n >= KA),
  );
  const [buyer, bought] = steady;
  const month = months[at];
  if (!buyer || !bought || month === undefined) return undefined;
  return { into: buyer.accountId, account: bought.accountId, month };
}

/**
 * The bought account's clusters are redeployed under the buyer from the acquisition's month: new
 * cluster ids naming the buyer, so until an admin merges the two accounts the books show a churn
 * and a jump.
 */
function acquired(
  events: readonly TelemetryEvent[],
  { into, account, month }: Acquisition,
  timeZone: string,
): TelemetryEvent[] {
  const clusters = new Set(events.filter((e) => e.accountId === account).map((e) => e.clusterId));
  return events.map((event) =>
    clusters.has(event.clusterId) && monthOf(event.reportedAt, timeZone) >= month
      ? {
          ...event,
          eventId: `${event.eventId}.acquired`,
          clusterId: `${event.clusterId}.acquired`,
          accountId: into,
        }
      : event,
  );
}
