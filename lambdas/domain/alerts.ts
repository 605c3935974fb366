/**
 * Champion-loss alerts (SPEC §10): a key account whose community champions of last month are all
 * gone this month — the flywheel's early warning that an account lost its voice in the community.
 */
import {
  type AffiliationSources,
  affiliationAt,
  endOfMonthInstant,
  isStaffAccount,
} from './affiliation.js';
import type { Member } from './identities.js';
import type { Month } from './month.js';

/** Why a champion of M-1 is none in M, in order of precedence (SPEC §10). */
export const lossReasons = ['staff', 'left', 'inactive'] as const;
export type LossReason = (typeof lossReasons)[number];

export interface LostChampion {
  readonly memberId: string;
  readonly name: string | null;
  readonly reason: LossReason;
}

/** One alert of `GET /alerts?month=` (SPEC §10); `champion-lost` is the only kind for now. */
export interface ChampionLossAlert {
  readonly kind: 'champion-lost';
  readonly accountId: string;
  readonly name: string | null;
  readonly members: readonly LostChampion[];
}

export interface ChampionLossInput {
  readonly month: Month;
  /** The KAs of M. */
  readonly ka: Iterable<string>;
  /** Each account's champions in M-1 (`championsByAccount`); `undefined` when M-1 was never computed. */
  readonly previousChampions: ReadonlyMap<string, readonly Member[]> | undefined;
  /** Each account's champions in M. */
  readonly champions: ReadonlyMap<string, readonly Member[]>;
  readonly sources: AffiliationSources;
  readonly staffAccounts: ReadonlySet<string>;
  readonly nameOf?: (accountId: string) => string | undefined;
}

/**
 * The alerts of month M (SPEC §10): each account KA in M that had a champion in M-1 (KA then or
 * not) and has none in M, with every champion it lost and why. None when M-1 was never computed.
 * Ordered by account id; an alert's members by member id.
 */
export function championLossAlerts(input: ChampionLossInput): ChampionLossAlert[] {
  const { previousChampions, champions, month } = input;
  if (previousChampions === undefined) return [];
  const alerts: ChampionLossAlert[] = [];
  for (const accountId of input.ka) {
    const lost = previousChampions.get(accountId);
    if (!lost || lost.length === 0 || champions.has(accountId)) continue;
    alerts.push({
      kind: 'champion-lost',
      accountId,
      name: input.nameOf?.(accountId) ?? null,
      members: lost
        .map((member) => ({
          memberId: member.memberId,
          name: member.name,
          reason: lossReason(member, accountId, month, input.sources, input.staffAccounts),
        }))
        .sort((a, b) => (a.memberId < b.memberId ? -1 : 1)),
    });
  }
  return alerts.sort((a, b) => (a.accountId < b.accountId ? -1 : 1));
}

/**
 * Why a champion of the account in M-1 is not one in M (SPEC §10): `staff` when affiliated with a
 * staff account at the end of M, else `left` when no longer affiliated with the account, else
 * `inactive` (no qualifying activity in the 12 months ending with M).
 */
export function lossReason(
  member: Member,
  accountId: string,
  month: Month,
  sources: AffiliationSources,
  staffAccounts: ReadonlySet<string>,
): LossReason {
  const now = affiliationAt(member, endOfMonthInstant(month, sources.timeZone), sources);
  if (isStaffAccount(now?.accountId, staffAccounts)) return 'staff';
  if (now?.accountId !== accountId) return 'left';
  return 'inactive';
}
