/**
 * The oracle: the KA metrics SPEC §1 and the account lists SPEC §3 expect from a set of telemetry
 * events, computed here from the events alone — never by calling `lambdas/` — so that a test
 * comparing the two checks the product against the SPEC rather than against itself. It is written
 * to be obviously right, not fast: plain loops over the whole data set, recomputed for every month.
 */
import type { TelemetryEvent } from './telemetry-scenario.js';

/** The configuration the metrics depend on (SPEC §3 `PUT /admin/config`). */
export interface KaRules {
  readonly timezone: string;
  readonly kaThreshold: number;
  readonly nearKaThreshold: number;
  readonly countedEnvironments: readonly string[];
  readonly yearlyTarget: number;
}

/** SPEC §1's defaults, in the given reporting time zone. */
export const defaultKaRules = (timezone: string): KaRules => ({
  timezone,
  kaThreshold: 50,
  nearKaThreshold: 30,
  countedEnvironments: ['production'],
  yearlyTarget: 8,
});

export type AccountStatus = 'new' | 'reactivated' | 'retained' | 'churned' | 'near';

/** One line of `GET /metrics/ka/{month}/accounts`, without the display name. */
export interface ExpectedAccount {
  readonly accountId: string;
  readonly productionNodes: number;
  readonly status: AccountStatus;
}

/** One row of `GET /metrics/ka`, without `championCoverage` and `computedAt`, plus its accounts. */
export interface ExpectedMonth {
  readonly month: string;
  readonly kaCount: number;
  readonly new: number;
  readonly reactivated: number;
  readonly retained: number;
  readonly churned: number;
  readonly productionNodes: number;
  readonly nearKaCount: number;
  readonly unattributedNodes: number;
  readonly momMultiple: number | null;
  readonly yoyMultiple: number | null;
  readonly ytdMultiple: number | null;
  readonly targetKa: number | null;
  readonly onTrack: boolean | null;
  readonly accounts: readonly ExpectedAccount[];
}

const monthFormatters = new Map<string, Intl.DateTimeFormat>();

/** The reporting month (`YYYY-MM`) in `timezone` of an ISO 8601 instant (SPEC §1). */
export function monthInZone(instant: string, timezone: string): string {
  let formatter = monthFormatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
    });
    monthFormatters.set(timezone, formatter);
  }
  const parts = formatter.formatToParts(new Date(instant));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}`;
}

/** The month `n` months after `month` (before, for negative `n`). */
export function addMonths(month: string, n: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Every month from `from` to `to`, both included, oldest first. */
export function monthsFrom(from: string, to: string): string[] {
  const months: string[] = [];
  for (let month = from; month <= to; month = addMonths(month, 1)) months.push(month);
  return months;
}

// The inverse direction, for building snapshots at a given local time (the scenario generator).

const wallClocks = new Map<string, Intl.DateTimeFormat>();

/** How many minutes the zone's clock is ahead of UTC at an instant. */
export function zoneOffsetMinutes(epoch: number, timezone: string): number {
  let formatter = wallClocks.get(timezone);
  if (!formatter) {
    const digits = { year: 'numeric', month: 'numeric', day: 'numeric' } as const;
    const time = { hour: 'numeric', minute: 'numeric', second: 'numeric' } as const;
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      ...digits,
      ...time,
    });
    wallClocks.set(timezone, formatter);
  }
  const p = Object.fromEntries(
    formatter.formatToParts(epoch).map((x) => [x.type, Number(x.value)]),
  );
  const wall = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((wall - Math.floor(epoch / 1000) * 1000) / 60_000);
}

/** The instant the zone's clock shows `day` (may overflow the month) `h:m:s` of `month`. */
export function zonedInstant(timezone: string, month: string, day: number, h = 0, m = 0, s = 0) {
  const wall = Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, day, h, m, s);
  const guess = wall - zoneOffsetMinutes(wall, timezone) * 60_000;
  return wall - zoneOffsetMinutes(guess, timezone) * 60_000;
}

/** `2024-01-31T23:59:59+08:00`: the instant as a clock `offset` minutes ahead of UTC reads it. */
export function isoWithOffset(epoch: number, offset: number): string {
  const local = new Date(epoch + offset * 60_000).toISOString().slice(0, 19);
  const hhmm = (minutes: number) =>
    `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  return offset === 0 ? `${local}Z` : `${local}${offset < 0 ? '-' : '+'}${hhmm(Math.abs(offset))}`;
}

/** SPEC §2: an item's id is its `eventId`, by default `<clusterId>@<reportedAt>`. */
export const eventIdOf = (event: TelemetryEvent): string =>
  event.eventId ?? `${event.clusterId}@${event.reportedAt}`;

/** SPEC §2: `nodes`, or the sum of `components` when `nodes` is omitted. */
export const nodesOf = (event: TelemetryEvent): number =>
  event.nodes ?? Object.values(event.components ?? {}).reduce((sum, n) => sum + n, 0);

const instantOf = (event: TelemetryEvent): number => Date.parse(event.reportedAt);

/** Each event once, whatever how often it was delivered (SPEC §2). */
function distinctEvents(events: readonly TelemetryEvent[]): TelemetryEvent[] {
  const byId = new Map<string, TelemetryEvent>();
  for (const event of events) if (!byId.has(eventIdOf(event))) byId.set(eventIdOf(event), event);
  return [...byId.values()];
}

/** SPEC §1: the accountId of the cluster's latest snapshot (by reportedAt) that carried one. */
function clusterAccounts(events: readonly TelemetryEvent[]): Map<string, string> {
  const latest = new Map<string, TelemetryEvent>();
  for (const event of events) {
    if (event.accountId === undefined) continue;
    const seen = latest.get(event.clusterId);
    if (!seen || instantOf(event) > instantOf(seen)) latest.set(event.clusterId, event);
  }
  return new Map([...latest].map(([clusterId, event]) => [clusterId, event.accountId ?? '']));
}

/** SPEC §1: the latest snapshot (by reportedAt) of each cluster among a month's snapshots. */
function clusterMonthValues(eventsOfMonth: readonly TelemetryEvent[]): TelemetryEvent[] {
  const latest = new Map<string, TelemetryEvent>();
  for (const event of eventsOfMonth) {
    const seen = latest.get(event.clusterId);
    if (!seen || instantOf(event) > instantOf(seen)) latest.set(event.clusterId, event);
  }
  return [...latest.values()];
}

interface MonthNodes {
  /** Production nodes per account that had any cluster value in the month. */
  readonly accounts: Map<string, number>;
  readonly unattributed: number;
}

function monthNodes(
  eventsOfMonth: readonly TelemetryEvent[],
  accountOf: Map<string, string>,
  rules: KaRules,
): MonthNodes {
  const accounts = new Map<string, number>();
  let unattributed = 0;
  for (const value of clusterMonthValues(eventsOfMonth)) {
    const counted = rules.countedEnvironments.includes(value.environment);
    const accountId = accountOf.get(value.clusterId);
    if (accountId === undefined) unattributed += counted ? nodesOf(value) : 0;
    else accounts.set(accountId, (accounts.get(accountId) ?? 0) + (counted ? nodesOf(value) : 0));
  }
  return { accounts, unattributed };
}

const ratio = (numerator: number, denominator: number): number | null =>
  denominator === 0 ? null : numerator / denominator;

/**
 * SPEC §1's onTrack: ka(M) ≥ ka(Dec) × target^(m/12). The tolerance only matters when the two
 * sides are mathematically equal (m = 4, 8 or 12 with target 8) and floating point lands a hair off.
 */
const onTrack = (ka: number, december: number, target: number, monthNumber: number): boolean =>
  ka >= december * target ** (monthNumber / 12) - 1e-9;

/**
 * The expected metrics of each month in `months` (oldest first), with history taken from every
 * month since the earliest snapshot, so that `new` means "KA in no earlier month" (SPEC §1).
 */
export function expectedKaMonths(
  allEvents: readonly TelemetryEvent[],
  months: readonly string[],
  rules: KaRules,
  /** SPEC §9: account → the account it is an alias of; an alias counts as that account. */
  aliases: ReadonlyMap<string, string> = new Map(),
): ExpectedMonth[] {
  const events = distinctEvents(allEvents);
  const accountOf = new Map(
    [...clusterAccounts(events)].map(([clusterId, accountId]) => [
      clusterId,
      aliases.get(accountId) ?? accountId,
    ]),
  );
  const byMonth = new Map<string, TelemetryEvent[]>();
  for (const event of events) {
    const month = monthInZone(event.reportedAt, rules.timezone);
    byMonth.set(month, byMonth.get(month) ?? []);
    byMonth.get(month)?.push(event);
  }
  const last = months.at(-1) ?? '';
  const first = [...byMonth.keys(), months[0] ?? last].sort()[0] ?? last;
  const nodes = new Map<string, MonthNodes>();
  const kas = new Map<string, Set<string>>();
  for (const month of monthsFrom(addMonths(first, -13), last)) {
    const n = monthNodes(byMonth.get(month) ?? [], accountOf, rules);
    nodes.set(month, n);
    kas.set(
      month,
      new Set([...n.accounts].filter(([, v]) => v >= rules.kaThreshold).map(([a]) => a)),
    );
  }
  const kaIn = (month: string) => kas.get(month) ?? new Set<string>();
  const everKaBefore = (month: string) =>
    new Set([...kas].filter(([m]) => m < month).flatMap(([, set]) => [...set]));

  return months.map((month) => {
    const current = kaIn(month);
    const previous = kaIn(addMonths(month, -1));
    const before = everKaBefore(month);
    const { accounts, unattributed } = nodes.get(month) ?? { accounts: new Map(), unattributed: 0 };
    const nodesOfAccount = (accountId: string) => accounts.get(accountId) ?? 0;
    const statusOf = (accountId: string): AccountStatus =>
      !before.has(accountId) ? 'new' : previous.has(accountId) ? 'retained' : 'reactivated';
    const list: ExpectedAccount[] = [...current].map((accountId) => ({
      accountId,
      productionNodes: nodesOfAccount(accountId),
      status: statusOf(accountId),
    }));
    const churned = [...previous].filter((a) => !current.has(a));
    for (const accountId of churned) {
      list.push({ accountId, productionNodes: nodesOfAccount(accountId), status: 'churned' });
    }
    const near = [...accounts]
      .filter(([, v]) => v >= rules.nearKaThreshold && v < rules.kaThreshold)
      .map(([accountId]) => accountId);
    for (const accountId of near.filter((a) => !previous.has(a))) {
      list.push({ accountId, productionNodes: nodesOfAccount(accountId), status: 'near' });
    }
    const count = (status: AccountStatus) => list.filter((a) => a.status === status).length;
    const december = kaIn(`${Number(month.slice(0, 4)) - 1}-12`).size;
    return {
      month,
      kaCount: current.size,
      new: count('new'),
      reactivated: count('reactivated'),
      retained: count('retained'),
      churned: churned.length,
      productionNodes: [...accounts.values()].reduce((sum, v) => sum + v, 0),
      nearKaCount: near.length,
      unattributedNodes: unattributed,
      momMultiple: ratio(current.size, previous.size),
      yoyMultiple: ratio(current.size, kaIn(addMonths(month, -12)).size),
      ytdMultiple: ratio(current.size, december),
      targetKa: december === 0 ? null : rules.yearlyTarget * december,
      onTrack:
        december === 0
          ? null
          : onTrack(current.size, december, rules.yearlyTarget, Number(month.slice(5, 7))),
      accounts: list.sort((a, b) => a.accountId.localeCompare(b.accountId)),
    };
  });
}

/**
 * SPEC §1: every account's production nodes in every month with data, `month → account → nodes`
 * (accounts whose clusters report only in uncounted environments have 0).
 */
export function expectedProductionNodes(
  allEvents: readonly TelemetryEvent[],
  rules: KaRules,
): Map<string, Map<string, number>> {
  const events = distinctEvents(allEvents);
  const accountOf = clusterAccounts(events);
  const byMonth = new Map<string, TelemetryEvent[]>();
  for (const event of events) {
    const month = monthInZone(event.reportedAt, rules.timezone);
    byMonth.set(month, [...(byMonth.get(month) ?? []), event]);
  }
  return new Map(
    [...byMonth].map(([month, monthEvents]) => [
      month,
      monthNodes(monthEvents, accountOf, rules).accounts,
    ]),
  );
}
