/**
 * The flywheel between talent and key accounts (SPEC §1 "Champion", "Champion coverage"): accounts
 * with an active community champion inside, and the share of key accounts that have one.
 */
import {
  type AffiliationSources,
  affiliationAt,
  endOfMonthInstant,
  isStaffAccount,
} from './affiliation.js';
import { qualifyingKindIn } from './eligibility.js';
import type { Member } from './identities.js';
import { addMonths, compareMonths, type Month } from './month.js';

export interface ChampionsInput {
  readonly members: Iterable<Member>;
  readonly month: Month;
  /** What decides affiliations (SPEC §1, §9); its `timeZone` draws the months. */
  readonly sources: AffiliationSources;
  /** The configuration's staff accounts, canonical ids (`staffAccountsOf`). */
  readonly staffAccounts: ReadonlySet<string>;
}

/**
 * Each account's champions in `month` (SPEC §1 "Champion"): the non-staff members affiliated with
 * it at the end of the month who had a qualifying activity of any type (not rejected; content only
 * once recognised) in the 12 months ending with it, M-11 to M in the zone. Members in `members`
 * order; accounts without a champion are absent.
 */
export function championsByAccount(input: ChampionsInput): Map<string, Member[]> {
  const { month, sources, staffAccounts } = input;
  const end = endOfMonthInstant(month, sources.timeZone);
  const champions = new Map<string, Member[]>();
  for (const member of input.members) {
    // The window first: it is cheaper than the affiliation, and most members are not active.
    if (!isActiveIn(member, month, sources.timeZone)) continue;
    const accountId = affiliationAt(member, end, sources)?.accountId;
    if (accountId === undefined || isStaffAccount(accountId, staffAccounts)) continue;
    const list = champions.get(accountId) ?? [];
    list.push(member);
    champions.set(accountId, list);
  }
  return champions;
}

/** The accounts with at least one champion in the month (SPEC §1 "Champion coverage"). */
export function championAccounts(input: ChampionsInput): Set<string> {
  return new Set(championsByAccount(input).keys());
}

/**
 * Whether the member had a qualifying activity in the 12 months ending with `month`, M-11 to M in
 * the zone: the activity half of being a champion (SPEC §1), whatever their affiliation.
 */
export function isActiveIn(member: Member, month: Month, timeZone: string): boolean {
  const window = championWindow(month);
  return member.activities.some((a) => qualifyingKindIn(a, window, timeZone) !== null);
}

/** The 12 months ending with `month` in which a champion's qualifying activity falls (SPEC §1). */
const championWindow = (month: Month) => ({ from: addMonths(month, -11), to: month });

/**
 * `isActiveIn` for an affiliated member known by the months of their qualifying activities (as
 * the member index keeps them): one of those months falls in the 12 months ending with `month`.
 */
export function isChampionByMonths(qualifyingMonths: readonly Month[], month: Month): boolean {
  const { from, to } = championWindow(month);
  return qualifyingMonths.some((m) => compareMonths(from, m) <= 0 && compareMonths(m, to) <= 0);
}

/**
 * The share (0–1) of key accounts that are champion accounts (SPEC §1 "Champion coverage"):
 * `null` when there is no key account, 0 when there are key accounts but no champion among them.
 */
export function championCoverage(
  ka: ReadonlySet<string>,
  champions: ReadonlySet<string> | ReadonlyMap<string, unknown>,
): number | null {
  if (ka.size === 0) return null;
  let covered = 0;
  for (const accountId of ka) if (champions.has(accountId)) covered++;
  return covered / ka.size;
}
