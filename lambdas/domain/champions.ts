/**
 * The flywheel between talent and key accounts (SPEC §1 "Champion coverage"): accounts with an
 * active community champion inside, and the share of key accounts that have one.
 */
import { qualifyingKindIn } from './eligibility.js';
import type { Member } from './identities.js';
import { addMonths, compareMonths, type Month } from './month.js';

export interface ChampionAccountsInput {
  readonly members: Iterable<Member>;
  readonly month: Month;
  readonly timeZone: string;
}

/**
 * Accounts with at least one affiliated member (SPEC §1 "Affiliation") who has a qualifying
 * activity of any type (not rejected; content only once recognised) in the 12 months ending with
 * `month`, M-11 to M in the zone (SPEC §1 "Champion coverage").
 */
export function championAccounts({ members, month, timeZone }: ChampionAccountsInput): Set<string> {
  const champions = new Set<string>();
  for (const member of members) {
    if (member.accountId === null || champions.has(member.accountId)) continue;
    if (isChampion(member, month, timeZone)) champions.add(member.accountId);
  }
  return champions;
}

/**
 * Whether an affiliated member is a champion of their account in `month` (SPEC §1 "Champion"): a
 * qualifying activity of any type in the 12 months ending with `month`, M-11 to M in the zone.
 */
export function isChampion(member: Member, month: Month, timeZone: string): boolean {
  if (member.accountId === null) return false;
  const window = championWindow(month);
  return member.activities.some((a) => qualifyingKindIn(a, window, timeZone) !== null);
}

/** The 12 months ending with `month` in which a champion's qualifying activity falls (SPEC §1). */
const championWindow = (month: Month) => ({ from: addMonths(month, -11), to: month });

/**
 * `isChampion` for an affiliated member known by the months of their qualifying activities (as
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
  champions: ReadonlySet<string>,
): number | null {
  if (ka.size === 0) return null;
  let covered = 0;
  for (const accountId of ka) if (champions.has(accountId)) covered++;
  return covered / ka.size;
}
