/**
 * Who a member worked for at an instant (SPEC §1 "Affiliation at an instant", §9): the admin's
 * periods first, then the accounts their activities stated, then their email domains. Pure: the
 * sources of affiliation other than the member's own activities come in as `AffiliationSources`.
 */
import type { Activity } from './community.js';
import type { Member } from './identities.js';
import { sortableInstant } from './instant.js';
import { addMonths, lastDateOf, localDateOf, type Month, monthStartInstant } from './month.js';

/** An admin's affiliation period (SPEC §9): dates in the reporting zone, `to` inclusive, `null` open. */
export interface AdminAffiliation {
  readonly accountId: string;
  /** `YYYY-MM-DD`, or `null` when it extends back to the beginning. */
  readonly from: string | null;
  /** `YYYY-MM-DD` inclusive, or `null` when it lasts until now. */
  readonly to: string | null;
}

/** Where an affiliation came from (SPEC §7 `GET /members/{member}` `affiliations[].source`). */
export type AffiliationSource = 'admin' | 'activity' | 'domain';

export interface Affiliation {
  readonly accountId: string;
  readonly source: AffiliationSource;
}

/** What, besides a member's activities, decides their affiliation. */
export interface AffiliationSources {
  /** The reporting zone, in which admin periods' dates are read. */
  readonly timeZone: string;
  /** The admin's periods for the member (SPEC §9); none when the admin set none. */
  periodsOf(member: Member): readonly AdminAffiliation[];
  /**
   * The account whose `domains` hold this email domain (ASCII, lower case), `undefined` when none
   * does or it is a personal-mail domain (SPEC §1).
   */
  accountOfDomain(domain: string): string | undefined;
  /** The canonical account of an account id: itself, or the account it is an alias of (SPEC §9). */
  canonical(accountId: string): string;
}

/** Sources with no admin periods, no account domains and no aliases: activities alone decide. */
export const activitiesOnly = (timeZone: string): AffiliationSources => ({
  timeZone,
  periodsOf: () => [],
  accountOfDomain: () => undefined,
  canonical: (accountId) => accountId,
});

/**
 * A point in time for `affiliationAt`: the activities that count are those up to `bound` (by their
 * full-precision instant, `sortableInstant` form), and an admin period counts when it covers `date`.
 */
export interface AffiliationInstant {
  readonly bound: string;
  /** Whether an activity exactly at `bound` counts (an instant) or not (the next month's start). */
  readonly inclusive: boolean;
  /** The instant's date in the reporting zone, `YYYY-MM-DD`. */
  readonly date: string;
}

/** The instant `at` (ISO 8601 with a zone offset) as `affiliationAt` reads it. */
export function affiliationInstant(at: string, timeZone: string): AffiliationInstant {
  return { bound: sortableInstant(at), inclusive: true, date: localDateOf(at, timeZone) };
}

/**
 * The end of month `m` in the zone (SPEC §1 "Champion": affiliated at the end of M): every activity
 * before the next month's first instant counts, and the date is M's last day.
 */
export function endOfMonthInstant(m: Month, timeZone: string): AffiliationInstant {
  const next = monthStartInstant(addMonths(m, 1), timeZone).toISOString();
  return { bound: sortableInstant(next), inclusive: false, date: lastDateOf(m) };
}

const covers = (period: AdminAffiliation, date: string): boolean =>
  (period.from === null || period.from <= date) && (period.to === null || date <= period.to);

const stated = (activity: Activity): string | undefined => activity.accountId;

/**
 * The member's affiliation at the instant (SPEC §1), in this order: the admin period covering it;
 * the account stated by their latest activity at or before it; the account stated by their earliest
 * activity (the first known employer extends back); the account holding one of their email domains
 * (the smallest such identity decides); else `null`. Every account id is resolved to its canonical
 * account. `member.activities` must be in activity order (as `resolveMembers` gives them).
 */
export function affiliationAt(
  member: Member,
  at: AffiliationInstant,
  sources: AffiliationSources,
): Affiliation | null {
  const period = sources.periodsOf(member).find((p) => covers(p, at.date));
  if (period) return { accountId: sources.canonical(period.accountId), source: 'admin' };
  const fromActivity = statedAt(member.activities, at);
  if (fromActivity !== undefined) {
    return { accountId: sources.canonical(fromActivity), source: 'activity' };
  }
  for (const identity of member.identities) {
    if (!identity.startsWith('email:')) continue;
    const account = sources.accountOfDomain(identity.slice(identity.lastIndexOf('@') + 1));
    if (account !== undefined) return { accountId: sources.canonical(account), source: 'domain' };
  }
  return null;
}

/**
 * Every account `affiliationAt` can answer for the member at some instant under these sources,
 * canonical: those of its admin periods, of its activities' statements and of its email domains.
 * A superset (which one holds at an instant is `affiliationAt`'s to say), so that a figure about
 * a few accounts reads only the members that may count for them (SPEC §10 community-sourced).
 */
export function possibleAffiliations(member: Member, sources: AffiliationSources): Set<string> {
  const accounts = new Set<string>();
  for (const period of sources.periodsOf(member)) accounts.add(period.accountId);
  for (const activity of member.activities) {
    const account = stated(activity);
    if (account !== undefined) accounts.add(account);
  }
  for (const identity of member.identities) {
    if (!identity.startsWith('email:')) continue;
    const account = sources.accountOfDomain(identity.slice(identity.lastIndexOf('@') + 1));
    if (account !== undefined) accounts.add(account);
  }
  return new Set([...accounts].map((accountId) => sources.canonical(accountId)));
}

/** The account of the latest activity at or before the instant that stated one, else the first. */
function statedAt(activities: readonly Activity[], at: AffiliationInstant): string | undefined {
  let first: string | undefined;
  let latest: string | undefined;
  for (const activity of activities) {
    const account = stated(activity);
    if (account === undefined) continue;
    first ??= account;
    const instant = sortableInstant(activity.occurredAt);
    if (instant > at.bound || (instant === at.bound && !at.inclusive)) break;
    latest = account;
  }
  return latest ?? first;
}

/** Whether the account is one of the company's own (SPEC §1 "Staff"), aliases resolved. */
export function isStaffAccount(
  accountId: string | null | undefined,
  staffAccounts: ReadonlySet<string>,
): boolean {
  return accountId !== null && accountId !== undefined && staffAccounts.has(accountId);
}
