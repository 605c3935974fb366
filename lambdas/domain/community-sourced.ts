/**
 * The flywheel measured (SPEC §10 "community-sourced"): a new key account whose people were in the
 * community before it became one — the community brought the customer, not the other way round.
 */
import {
  type AffiliationSources,
  affiliationAt,
  affiliationInstant,
  isStaffAccount,
  possibleAffiliations,
} from './affiliation.js';
import { countedKindOf } from './eligibility.js';
import type { Member } from './identities.js';
import { sortableInstant } from './instant.js';
import type { AccountStatus } from './ka.js';

/**
 * Each account's first community instant: the earliest qualifying activity (of any type, any year)
 * of a member affiliated with it at that activity's instant (SPEC §1 affiliation at an instant) and
 * not staff then, as a `sortableInstant`. Accounts no such activity names are absent.
 */
export function firstCommunityInstants(
  members: Iterable<Member>,
  sources: AffiliationSources,
  staffAccounts: ReadonlySet<string>,
): Map<string, string> {
  const first = new Map<string, string>();
  for (const member of members) {
    for (const activity of member.activities) {
      if (countedKindOf(activity) === null) continue;
      const at = affiliationInstant(activity.occurredAt, sources.timeZone);
      const accountId = affiliationAt(member, at, sources)?.accountId;
      if (accountId === undefined || isStaffAccount(accountId, staffAccounts)) continue;
      const seen = first.get(accountId);
      if (seen === undefined || at.bound < seen) first.set(accountId, at.bound);
    }
  }
  return first;
}

/**
 * Whether the member may give one of these accounts its first community instant: whether it may be
 * affiliated with one of them at some instant (`possibleAffiliations`). `firstCommunityInstants`
 * over the members for which this holds gives those accounts exactly what it gives over every
 * member (`test/domain/member-record.test.ts`).
 */
export function mayGiveFirstInstant(
  member: Member,
  accountIds: ReadonlySet<string>,
  sources: AffiliationSources,
): boolean {
  for (const accountId of possibleAffiliations(member, sources)) {
    if (accountIds.has(accountId)) return true;
  }
  return false;
}

/**
 * Whether an account of month M's list is community-sourced (SPEC §10): it is `new` in M and its
 * first community instant lies before M's first instant (`monthStart`, ISO 8601). `false` for any
 * other status, whatever the community did.
 */
export function isCommunitySourced(
  accountId: string,
  status: AccountStatus,
  monthStart: string,
  firstInstants: ReadonlyMap<string, string>,
): boolean {
  if (status !== 'new') return false;
  const first = firstInstants.get(accountId);
  return first !== undefined && first < sortableInstant(monthStart);
}
