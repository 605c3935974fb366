/**
 * Key accounts (SPEC §1), as pure functions over plain data: cluster month values, production nodes
 * per account, a month's KAs, near-KAs and movements, and growth against the past and the target.
 */
import { ValidationError } from './errors.js';
import { toInstant } from './instant.js';
import type { Month } from './month.js';
import { addMonths, firstMonth, monthNumber, monthRange, monthsBetween } from './month.js';

/** Every environment telemetry reports (SPEC §2), in the order that breaks a snapshot tie. */
export const environments = ['production', 'staging', 'development', 'test'] as const;

/** Where a cluster runs. */
export type Environment = (typeof environments)[number];

/** The configurable KA rules (SPEC §1, §3 `PUT /admin/config`). */
export interface KaRules {
  /** Production nodes from which an account is a key account. */
  readonly kaThreshold: number;
  /** Production nodes from which an account below `kaThreshold` is a near-KA. */
  readonly nearKaThreshold: number;
  /** Environments whose nodes are production nodes. */
  readonly countedEnvironments: readonly Environment[];
  /** The multiple of last December's KA count the team aims for by this December. */
  readonly yearlyTarget: number;
}

/** The rules of SPEC §1 when the configuration says nothing else. */
export const defaultKaRules: KaRules = Object.freeze({
  kaThreshold: 50,
  nearKaThreshold: 30,
  countedEnvironments: Object.freeze(['production'] as const),
  yearlyTarget: 8,
});

/** A snapshot of a cluster in a month; the latest one in the month is its month value (SPEC §1). */
export interface ClusterMonthValue {
  readonly clusterId: string;
  readonly nodes: number;
  readonly environment: Environment;
  /** ISO 8601 with a zone offset; compared as instants, never as text. */
  readonly reportedAt: string;
  /** The delivery's id (SPEC §2), the last resort when two snapshots tie. */
  readonly eventId?: string;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A string that sorts as snapshots rank for being a cluster's month value (SPEC §1): later
 * `reportedAt`, then at the same instant more nodes (a conflicting report never understates a
 * cluster), then the environment earlier in `environments`, then the larger `eventId`. The store
 * keeps the month value with a conditional write on it; the fixed widths make text order numeric.
 */
export function snapshotRank(value: ClusterMonthValue): string {
  if (!Number.isSafeInteger(value.nodes) || value.nodes < 0) {
    throw new ValidationError(`nodes must be an integer >= 0, got ${value.nodes}`);
  }
  // Every valid Date lies within ±8.64e15 ms; shifted by that, it is a 17-digit number at most.
  // The digits below the millisecond follow it: they sort above the `.` that ends an instant
  // without them, so `.0009` ranks above `.0001` within one millisecond (SPEC §2).
  const { epochMs, belowMs } = toInstant(value.reportedAt);
  const instant = `${String(epochMs + 8.64e15).padStart(17, '0')}${belowMs}`;
  const nodes = String(value.nodes).padStart(16, '0');
  const environment = environments.length - environments.indexOf(value.environment);
  return `${instant}.${nodes}.${environment}.${value.eventId ?? ''}`;
}

/** Ranks, then (only among copies of one delivery) the text of `reportedAt` and the cluster. */
const compareSnapshots = (a: ClusterMonthValue, b: ClusterMonthValue): number =>
  compareText(snapshotRank(a), snapshotRank(b)) ||
  compareText(a.reportedAt, b.reportedAt) ||
  compareText(a.clusterId, b.clusterId);

/** Of two snapshots, the cluster's month value: the later `reportedAt`, not arrival (SPEC §1). */
export function latestSnapshotWins<T extends ClusterMonthValue>(a: T, b: T): T {
  return compareSnapshots(a, b) >= 0 ? a : b;
}

/** Each cluster's month value among snapshots of one month, by cluster id (SPEC §1). */
export function clusterMonthValues<T extends ClusterMonthValue>(
  snapshots: Iterable<T>,
): Map<string, T> {
  const values = new Map<string, T>();
  for (const snapshot of snapshots) {
    const current = values.get(snapshot.clusterId);
    values.set(snapshot.clusterId, current ? latestSnapshotWins(current, snapshot) : snapshot);
  }
  return values;
}

/** A month's production nodes per account and in total (SPEC §1 "Totals of month M"). */
export interface AccountNodes {
  /** Every account with a cluster reporting in the month, even with 0 production nodes. */
  readonly byAccount: Map<string, number>;
  readonly productionNodes: number;
  readonly unattributedNodes: number;
}

/** What a month value contributes to its account: the month's latest node count and environment. */
export type MonthNodes = Pick<ClusterMonthValue, 'clusterId' | 'nodes' | 'environment'>;

/**
 * Sums the month values of each account's clusters in a counted environment (SPEC §1 "Production
 * nodes"); clusters with no account add to `unattributedNodes`, again only in a counted
 * environment. Several snapshots of a cluster are reduced to its month value first.
 */
export function accountNodes(
  snapshots: Iterable<ClusterMonthValue>,
  accountOf: (clusterId: string) => string | undefined,
  rules: KaRules,
): AccountNodes {
  return accountNodesOfMonthValues(clusterMonthValues(snapshots).values(), accountOf, rules);
}

/** `accountNodes` for values already reduced to one per cluster (as the store keeps them). */
export function accountNodesOfMonthValues(
  values: Iterable<MonthNodes>,
  accountOf: (clusterId: string) => string | undefined,
  rules: KaRules,
): AccountNodes {
  const counted = new Set(rules.countedEnvironments);
  const byAccount = new Map<string, number>();
  let productionNodes = 0;
  let unattributedNodes = 0;
  for (const value of values) {
    const nodes = counted.has(value.environment) ? value.nodes : 0;
    const accountId = accountOf(value.clusterId);
    if (accountId === undefined) {
      unattributedNodes += nodes;
    } else {
      byAccount.set(accountId, (byAccount.get(accountId) ?? 0) + nodes);
      productionNodes += nodes;
    }
  }
  return { byAccount, productionNodes, unattributedNodes };
}

/** How the KAs of a month moved against earlier months (SPEC §1 "Movements"), ids sorted. */
export type KaMovements = Readonly<
  Record<'new' | 'reactivated' | 'retained' | 'churned', string[]>
>;

/** The KAs, near-KAs and movements of one month. */
export interface KaMonth {
  readonly month: Month;
  readonly ka: Set<string>;
  readonly near: Set<string>;
  readonly movements: KaMovements;
}

export interface KaMonthInput {
  readonly month: Month;
  /** Production nodes per account in the month (`accountNodes(...).byAccount`). */
  readonly byAccount: ReadonlyMap<string, number>;
  /** KAs of M-1; empty when M-1 has no data or was never computed. */
  readonly previousKa: ReadonlySet<string>;
  /** Accounts that were KA in any month before M (M-1 included). */
  readonly everKaBefore: ReadonlySet<string>;
  readonly rules: KaRules;
}

/**
 * Classifies a month's accounts (SPEC §1): KA at `kaThreshold` production nodes or more, near-KA
 * from `nearKaThreshold` up to below it; an M-1 without data counts as one without KAs.
 */
export function kaMonth(input: KaMonthInput): KaMonth {
  const { kaThreshold, nearKaThreshold } = input.rules;
  const ka = new Set<string>();
  const near = new Set<string>();
  for (const [accountId, nodes] of input.byAccount) {
    if (nodes >= kaThreshold) ka.add(accountId);
    else if (nodes >= nearKaThreshold) near.add(accountId);
  }
  const movements = kaMovements(ka, input.previousKa, input.everKaBefore);
  return { month: input.month, ka, near, movements };
}

/**
 * Each KA of M is exactly one of `new` (never KA before), `reactivated` (KA before M-1, not in
 * M-1) or `retained` (KA in M-1); `churned` are M-1's KAs that are not KA in M (SPEC §1).
 */
export function kaMovements(
  ka: ReadonlySet<string>,
  previousKa: ReadonlySet<string>,
  everKaBefore: ReadonlySet<string>,
): KaMovements {
  const movements: KaMovements = { new: [], reactivated: [], retained: [], churned: [] };
  for (const accountId of ka) {
    if (previousKa.has(accountId)) movements.retained.push(accountId);
    else if (everKaBefore.has(accountId)) movements.reactivated.push(accountId);
    else movements.new.push(accountId);
  }
  for (const accountId of previousKa) if (!ka.has(accountId)) movements.churned.push(accountId);
  for (const ids of Object.values(movements)) ids.sort(compareText);
  return movements;
}

/** `previousKa` and `everKaBefore` are those of the month before `from` (see `KaMonthInput`). */
export interface KaHistoryInput
  extends Pick<KaMonthInput, 'previousKa' | 'everKaBefore' | 'rules'> {
  readonly from: Month;
  readonly to: Month;
  readonly byAccountOf: (month: Month) => ReadonlyMap<string, number>;
}

/** `kaMonth` for every month from `from` to `to`, oldest first, each month seeing the ones before. */
export function kaHistory(input: KaHistoryInput): KaMonth[] {
  const { rules } = input;
  let previousKa = input.previousKa;
  const everKaBefore = new Set([...input.everKaBefore, ...input.previousKa]);
  return monthRange(input.from, input.to).map((month) => {
    const byAccount = input.byAccountOf(month);
    const result = kaMonth({ month, byAccount, previousKa, everKaBefore, rules });
    previousKa = result.ka;
    for (const accountId of result.ka) everKaBefore.add(accountId);
    return result;
  });
}

/** Growth of the KA count (SPEC §1 "Growth"); `null` where a denominator is 0 or unknown. */
export type Growth = Readonly<
  Record<'momMultiple' | 'yoyMultiple' | 'ytdMultiple' | 'targetKa', number | null> & {
    onTrack: boolean | null;
  }
>;

export interface GrowthInput {
  readonly month: Month;
  readonly kaCount: number;
  /** The KA count of an earlier month, `undefined` when it has no data or was never computed. */
  readonly kaCountOf: (month: Month) => number | undefined;
  readonly rules: KaRules;
}

/**
 * The pace is `yearlyTarget^(m/12)` in floating point, so a pace that is an integer on paper can
 * come out a hair above it (64^(10/12) gives 32.00000000000001) and would fail a KA count that
 * meets it exactly. KA counts are integers, so forgiving a relative 1e-9 forgives only rounding.
 */
const PACE_TOLERANCE = 1e-9;

const multiple = (count: number, base: number | undefined): number | null =>
  base === undefined || base === 0 ? null : count / base;

const reachedPace = (kaCount: number, december: number, target: number, m: number): boolean =>
  kaCount >= december * target ** (m / 12) * (1 - PACE_TOLERANCE);

/**
 * MoM, YoY and YTD multiples, the year's target and whether `ka(M) ≥ ka(Dec) × yearlyTarget^(m/12)`
 * (SPEC §1); target and pace are `null` when the previous December had no KA.
 */
export function growth({ month, kaCount, kaCountOf, rules }: GrowthInput): Growth {
  // Months before 1970 cannot exist, so their counts are unknown rather than an error.
  const countBefore = (n: number) =>
    monthsBetween(firstMonth, month) < n ? undefined : kaCountOf(addMonths(month, -n));
  const m = monthNumber(month);
  const december = countBefore(m); // December of the previous year is m months back
  const baseline = december === undefined || december === 0 ? null : december;
  return {
    momMultiple: multiple(kaCount, countBefore(1)),
    yoyMultiple: multiple(kaCount, countBefore(12)),
    ytdMultiple: multiple(kaCount, december),
    targetKa: baseline === null ? null : rules.yearlyTarget * baseline,
    onTrack: baseline === null ? null : reachedPace(kaCount, baseline, rules.yearlyTarget, m),
  };
}

/** An account's place in a month (SPEC §3 `GET /metrics/ka/{month}/accounts`), in list order. */
export const accountStatuses = ['new', 'reactivated', 'retained', 'churned', 'near'] as const;

export type AccountStatus = (typeof accountStatuses)[number];

export interface AccountOfMonth {
  readonly accountId: string;
  /** The admin-given name; `null` when the account has none. */
  readonly name: string | null;
  readonly productionNodes: number;
  readonly status: AccountStatus;
}

/**
 * An account-list row with SPEC §10's figures (SPEC §3 `GET /metrics/ka/{month}/accounts`). Each is
 * `null` only in a list stored before the figure was kept: recalculating the month fills it.
 */
export interface ListedAccount extends AccountOfMonth {
  /** Production nodes in M-1; 0 when the account ran none then. */
  readonly previousNodes: number | null;
  /** `new` in M with community activity before M (SPEC §10); `false` for every other status. */
  readonly communitySourced: boolean | null;
  /** How many champions the account has in M (SPEC §1), whatever its status. */
  readonly champions: number | null;
}

/**
 * The month's KAs, churned accounts and near-KAs, each once (SPEC §3): a churned account that is
 * also near-KA is `churned`. Ordered as `accountStatuses`, then by most production nodes.
 */
export function accountsOfMonth(
  month: KaMonth,
  byAccount: ReadonlyMap<string, number>,
  nameOf: (accountId: string) => string | undefined = () => undefined,
): AccountOfMonth[] {
  const statuses = new Map<string, AccountStatus>();
  for (const accountId of month.near) statuses.set(accountId, 'near');
  for (const status of ['new', 'reactivated', 'retained', 'churned'] as const) {
    for (const accountId of month.movements[status]) statuses.set(accountId, status);
  }
  const accounts = [...statuses].map(([accountId, status]) => ({
    accountId,
    name: nameOf(accountId) ?? null,
    productionNodes: byAccount.get(accountId) ?? 0,
    status,
  }));
  return accounts.sort(compareAccountsOfMonth);
}

/** The list order of SPEC §3's account list: by status as `accountStatuses`, then most nodes. */
export function compareAccountsOfMonth(
  a: Pick<AccountOfMonth, 'accountId' | 'status' | 'productionNodes'>,
  b: Pick<AccountOfMonth, 'accountId' | 'status' | 'productionNodes'>,
): number {
  return (
    accountStatuses.indexOf(a.status) - accountStatuses.indexOf(b.status) ||
    b.productionNodes - a.productionNodes ||
    compareText(a.accountId, b.accountId)
  );
}
