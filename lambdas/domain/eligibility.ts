/**
 * The evangelist program (SPEC §1): which activities qualify, the program in force for a year, and
 * who reaches which tier as of a month. Pure functions over members derived by `resolveMembers`.
 */

import {
  type AffiliationSources,
  affiliationAt,
  endOfMonthInstant,
  isStaffAccount,
} from './affiliation.js';
import type { Activity, CountedKind, IdentityKey, Program, Tier } from './community.js';
import { contentTypes, countedKinds, defaultTiers, isContent, isCountedKind } from './community.js';
import { ValidationError } from './errors.js';
import type { Member } from './identities.js';
import { compareMonths, type Month, monthOf, parseMonth, yearOf, yearOfInstant } from './month.js';

export { countedKinds, isCountedKind } from './community.js';

/**
 * The kind an activity counts as, wherever it falls in time (SPEC §1 "Qualifying activity"):
 * nothing when rejected; content only once recognised, as `recognized-content`; talks and every
 * other type by their type name; `null` when it does not count.
 */
export function countedKindOf(activity: Pick<Activity, 'type' | 'status'>): CountedKind | null {
  if (activity.status === 'rejected') return null;
  if (isContent(activity.type)) {
    return activity.status === 'recognized' ? 'recognized-content' : null;
  }
  return activity.type;
}

/** Whether the activity qualifies for year Y: it counts, and falls in Y in the zone (SPEC §1). */
export function qualifies(activity: Activity, year: number, timeZone: string): boolean {
  return countedKindOf(activity) !== null && yearOfInstant(activity.occurredAt, timeZone) === year;
}

/** Reporting months from `from` to `to`, both included. */
export interface MonthWindow {
  readonly from: Month;
  readonly to: Month;
}

/** The kind a qualifying activity counts as when it falls in the window's months; else `null`. */
export function qualifyingKindIn(
  activity: Activity,
  window: MonthWindow,
  timeZone: string,
): CountedKind | null {
  const kind = countedKindOf(activity);
  if (kind === null) return null;
  const month = monthOf(activity.occurredAt, timeZone);
  const inside = compareMonths(window.from, month) <= 0 && compareMonths(month, window.to) <= 0;
  return inside ? kind : null;
}

/**
 * The program in force for a year (SPEC §1, §3 `GET /admin/programs/{year}`): its own, else
 * the nearest earlier year's, else the default with `from: null`.
 */
export function programFor(year: number, programs: ReadonlyMap<number, readonly Tier[]>): Program {
  let from: number | null = null;
  for (const candidate of programs.keys()) {
    if (candidate <= year && (from === null || candidate > from)) from = candidate;
  }
  const tiers = from === null ? undefined : programs.get(from);
  return tiers === undefined ? { year, tiers: defaultTiers, from: null } : { year, tiers, from };
}

/** A tier as an admin sends it, before its counted kinds are known to be valid. */
export interface TierInput {
  readonly id: string;
  readonly name: string;
  readonly minCount: number;
  readonly counts: readonly string[];
}

const kindList = countedKinds.join(', ');

function countsProblems(counts: readonly string[], at: string): string[] {
  if (counts.length === 0) return [`${at}.counts must list at least one of ${kindList}`];
  const problems: string[] = [];
  counts.forEach((kind, i) => {
    if (counts.indexOf(kind) !== i) problems.push(`${at}.counts lists "${kind}" twice`);
    else if (!isCountedKind(kind)) {
      const hint = isContentName(kind)
        ? 'content counts as "recognized-content"'
        : `use ${kindList}`;
      problems.push(`${at}.counts has unknown kind "${kind}": ${hint}`);
    }
  });
  return problems;
}

const isContentName = (kind: string): boolean => (contentTypes as readonly string[]).includes(kind);

/**
 * What is wrong with a program's tiers, one message per problem, none when valid (SPEC §1, §3
 * `PUT /admin/programs/{year}`): at least one tier, unique non-empty ids, names, an integer
 * `minCount` ≥ 1, and `counts` listing known kinds, each once.
 */
export function validateTiers(tiers: readonly TierInput[]): string[] {
  if (tiers.length === 0) return ['tiers must list at least one tier'];
  const problems: string[] = [];
  const firstWithId = new Map<string, number>();
  tiers.forEach((tier, i) => {
    const at = `tiers[${i}]`;
    const earlier = firstWithId.get(tier.id);
    if (tier.id.trim() === '') problems.push(`${at}.id must not be empty`);
    else if (earlier !== undefined) problems.push(`${at}.id "${tier.id}" is tiers[${earlier}]'s`);
    else firstWithId.set(tier.id, i);
    if (tier.name.trim() === '') problems.push(`${at}.name must not be empty`);
    if (!Number.isSafeInteger(tier.minCount) || tier.minCount < 1) {
      problems.push(`${at}.minCount must be an integer >= 1, got ${tier.minCount}`);
    }
    problems.push(...countsProblems(tier.counts, at));
  });
  return problems;
}

/** The tiers, typed, when `validateTiers` finds nothing; else a `ValidationError` listing all. */
export function parseTiers(tiers: readonly TierInput[]): Tier[] {
  const problems = validateTiers(tiers);
  if (problems.length > 0) throw new ValidationError(problems.join('; '));
  return tiers.map((tier) => ({ ...tier, counts: tier.counts.filter(isCountedKind) }));
}

/** A member's count towards a tier against the tier's threshold (SPEC §3 `GET /evangelists`). */
export interface TierProgress {
  readonly tier: string;
  readonly count: number;
  readonly minCount: number;
}

/** One member of SPEC §3 `GET /evangelists`. */
export interface EligibilityRow {
  readonly memberId: string;
  readonly name: string | null;
  readonly identities: readonly IdentityKey[];
  readonly accountId: string | null;
  /**
   * Each kind a tier of the program counts (0 when none occurred) and any other kind that
   * occurred, in `countedKinds` order, so a client always finds the kinds its tiers name.
   */
  readonly counts: Readonly<Partial<Record<CountedKind, number>>>;
  /** The ids of the tiers reached, in program order; none for staff. */
  readonly tiers: readonly string[];
  /** Present when staff are listed (`includeStaff`): whether the member is staff (SPEC §1). */
  readonly staff?: boolean;
  /** One entry per tier of the program, in program order. */
  readonly progress: readonly TierProgress[];
}

export interface EligibilityInput {
  readonly members: Iterable<Member>;
  readonly program: Program;
  readonly year: number;
  readonly asOf: Month;
  readonly timeZone: string;
  /**
   * Affiliations at the end of `asOf` and staff (SPEC §1, §3 `/evangelists`): each row's
   * `accountId` is the member's affiliation then, and staff are left out — or, with
   * `includeStaff`, listed with `staff: true` and no tiers. Without it, rows carry the member's
   * `accountId` and nobody is staff.
   */
  readonly affiliation?: {
    readonly sources: AffiliationSources;
    readonly staffAccounts: ReadonlySet<string>;
    readonly includeStaff?: boolean;
  };
}

const tierCount = (counts: EligibilityRow['counts'], tier: Tier): number =>
  tier.counts.reduce((sum, kind) => sum + (counts[kind] ?? 0), 0);

function countsOf(
  tally: ReadonlyMap<CountedKind, number>,
  program: Program,
): EligibilityRow['counts'] {
  const shown = new Set<CountedKind>(tally.keys());
  for (const tier of program.tiers) for (const kind of tier.counts) shown.add(kind);
  const counts: Partial<Record<CountedKind, number>> = {};
  for (const kind of countedKinds) if (shown.has(kind)) counts[kind] = tally.get(kind) ?? 0;
  return counts;
}

function rowOf(
  member: Member,
  program: Program,
  window: MonthWindow,
  timeZone: string,
): EligibilityRow | null {
  const tally = new Map<CountedKind, number>();
  for (const activity of member.activities) {
    const kind = qualifyingKindIn(activity, window, timeZone);
    if (kind !== null) tally.set(kind, (tally.get(kind) ?? 0) + 1);
  }
  if (tally.size === 0) return null;
  const counts = countsOf(tally, program);
  const progress = program.tiers.map((tier) => ({
    tier: tier.id,
    count: tierCount(counts, tier),
    minCount: tier.minCount,
  }));
  const tiers = progress.filter((p) => p.count >= p.minCount).map((p) => p.tier);
  const { memberId, name, identities, accountId } = member;
  return { memberId, name, identities, accountId, counts, tiers, progress };
}

/**
 * Every member with a qualifying activity in `year` from January to the end of `asOf` in the zone,
 * with counts and tiers reached (SPEC §1 "Evangelist program", §3 `GET /evangelists`). An `asOf`
 * after the year counts the whole year; one before it counts nothing. Ordered by `memberId`.
 */
export function eligibility(input: EligibilityInput): EligibilityRow[] {
  const from = parseMonth(`${input.year}-01`);
  const december = parseMonth(`${input.year}-12`);
  // An asOf before the year makes `to` precede `from`: an empty window, so no member.
  const to = compareMonths(input.asOf, december) < 0 ? input.asOf : december;
  const rows: EligibilityRow[] = [];
  const { affiliation } = input;
  const end = affiliation && endOfMonthInstant(input.asOf, input.timeZone);
  for (const member of input.members) {
    let row = rowOf(member, input.program, { from, to }, input.timeZone);
    if (row === null || affiliation === undefined || end === undefined) {
      if (row !== null) rows.push(row);
      continue;
    }
    const accountId = affiliationAt(member, end, affiliation.sources)?.accountId ?? null;
    const staff = isStaffAccount(accountId, affiliation.staffAccounts);
    if (staff && !affiliation.includeStaff) continue;
    row = { ...row, accountId, ...(staff ? { tiers: [] } : {}) };
    rows.push(affiliation.includeStaff ? { ...row, staff } : row);
  }
  return rows.sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
}

/**
 * The evangelists of `asOf`'s year as of `asOf` (SPEC §3 `GET /evangelists`) with staff listed and
 * flagged (`includeStaff`), under the program in force that year: what a computed month keeps,
 * from which either view of the route is a filter.
 */
export function evangelistRows(
  members: Iterable<Member>,
  asOf: Month,
  programs: ReadonlyMap<number, readonly Tier[]>,
  affiliation: {
    readonly sources: AffiliationSources;
    readonly staffAccounts: ReadonlySet<string>;
  },
): EligibilityRow[] {
  const year = yearOf(asOf);
  return eligibility({
    members,
    program: programFor(year, programs),
    year,
    asOf,
    timeZone: affiliation.sources.timeZone,
    affiliation: { ...affiliation, includeStaff: true },
  });
}

/**
 * Per tier, in program order, the members who reach it as of M but did not as of M-1 (SPEC §5).
 * Both lists come from the same members; for January pass `eligibility` as of December of the year
 * before with M's year, which is empty, so everyone reaching a tier in January is new.
 */
export function newlyReached(
  current: readonly EligibilityRow[],
  previous: readonly EligibilityRow[],
): Map<string, EligibilityRow[]> {
  const reachedBefore = new Map(previous.map((row) => [row.memberId, new Set(row.tiers)]));
  const reached = new Map<string, EligibilityRow[]>();
  for (const row of current) {
    for (const { tier, count, minCount } of row.progress) {
      const members = reached.get(tier) ?? [];
      reached.set(tier, members);
      if (count >= minCount && !reachedBefore.get(row.memberId)?.has(tier)) members.push(row);
    }
  }
  return reached;
}

/**
 * Per tier of the program, in its order, the members one qualifying activity short of it: a count
 * of exactly `minCount - 1` (SPEC §5). Members who reached it already are not one step away, and
 * members with no qualifying activity in the year are not listed, even for a `minCount` of 1.
 */
export function oneStepAway(
  rows: readonly EligibilityRow[],
  program: Program,
): Map<string, EligibilityRow[]> {
  return new Map(
    program.tiers.map((tier) => [
      tier.id,
      rows.filter((row) => tierCount(row.counts, tier) === tier.minCount - 1),
    ]),
  );
}
