/**
 * Why a member is who they are (SPEC §7 `GET /members/{member}`): which fact joined each identity
 * to the member, where their affiliation came from, and the tiers they reached each year. Pure
 * functions over a member derived by `resolveMembers`.
 */

import { type AffiliationSources, affiliationAt } from './affiliation.js';
import {
  type Activity,
  type IdentityKey,
  type IdentityKind,
  identityKinds,
  type MemberMerge,
  type Tier,
} from './community.js';
import { countedKindOf, eligibility, programFor } from './eligibility.js';
import { ValidationError } from './errors.js';
import { type Member, type Members, normalizeIdentity } from './identities.js';
import { compareMonths, type Month, monthOf, parseMonth, yearOfInstant } from './month.js';

/** A fact that put identities in one member: an activity that carried them, or an admin merge. */
export interface MemberLink {
  readonly identities: readonly IdentityKey[];
  readonly cause: 'activity' | 'admin-merge';
  readonly activityId?: string;
  /** The activity's `occurredAt`, or when the admin merged; `null` for a merge of unknown time. */
  readonly at: string | null;
}

/**
 * The links of a member (SPEC §1 "Members and identities"): every activity that arrived with two or
 * more identities (the first such activity for each set of identities, in activity order) and every
 * admin merge that named one of the member's identities. An identity no link names came alone.
 */
export function memberLinks(member: Member, merges: readonly MemberMerge[]): MemberLink[] {
  const seen = new Set<string>();
  const links: MemberLink[] = [];
  for (const activity of member.activities) {
    const set = [...activity.identities].sort();
    if (set.length < 2 || seen.has(set.join('\n'))) continue;
    seen.add(set.join('\n'));
    links.push({
      identities: set,
      cause: 'activity',
      activityId: activity.activityId,
      at: activity.occurredAt,
    });
  }
  const own = new Set<string>(member.identities);
  for (const merge of merges) {
    if (!merge.identities.some((identity) => own.has(identity))) continue;
    links.push({
      identities: [...merge.identities].sort(),
      cause: 'admin-merge',
      at: merge.mergedAt ?? null,
    });
  }
  return links;
}

/** A period of one affiliation and where it came from (SPEC §7; only `activity` exists today). */
export interface AffiliationPeriod {
  readonly accountId: string;
  /** The instant the period begins; `null` when it extends back to the beginning. */
  readonly from: string | null;
  /** The instant the next period begins (exclusive); `null` when it lasts until now. */
  readonly to: string | null;
  readonly source: 'admin' | 'activity' | 'domain';
}

/**
 * The member's affiliations over time as their activities state them (SPEC §1 "Affiliation"): the
 * latest stated account at or before an instant, the first one extending back. Consecutive
 * activities naming the same account form one period.
 */
export function activityAffiliations(member: Member): AffiliationPeriod[] {
  const periods: { accountId: string; from: string | null }[] = [];
  for (const activity of member.activities) {
    if (activity.accountId === undefined) continue;
    if (periods.at(-1)?.accountId === activity.accountId) continue;
    periods.push({
      accountId: activity.accountId,
      from: periods.length === 0 ? null : activity.occurredAt,
    });
  }
  return periods.map((period, i) => ({
    ...period,
    to: periods[i + 1]?.from ?? null,
    source: 'activity',
  }));
}

/**
 * Every source of the member's affiliation (SPEC §7 `affiliations`), in the order they take
 * precedence (SPEC §1): the admin's periods (dates in the reporting zone, `to` inclusive), then
 * the periods their activities state (instants, `to` exclusive), then the account holding one of
 * their email domains. Account ids are canonical (aliases resolved).
 */
export function memberAffiliations(
  member: Member,
  sources: AffiliationSources,
): AffiliationPeriod[] {
  const admin = sources.periodsOf(member).map(
    (period): AffiliationPeriod => ({
      accountId: sources.canonical(period.accountId),
      from: period.from,
      to: period.to,
      source: 'admin',
    }),
  );
  const stated = activityAffiliations(member).map((period) => ({
    ...period,
    accountId: sources.canonical(period.accountId),
  }));
  const byDomain = affiliationAt(
    member,
    { bound: '', inclusive: false, date: '' },
    {
      ...sources,
      periodsOf: () => [],
    },
  );
  const domain: AffiliationPeriod[] =
    byDomain?.source === 'domain'
      ? [{ accountId: byDomain.accountId, from: null, to: null, source: 'domain' }]
      : [];
  return [...admin, ...stated, ...domain];
}

export interface MemberTiersInput {
  readonly member: Member;
  readonly programs: ReadonlyMap<number, readonly Tier[]>;
  /** The current month: a year not over yet counts up to it. */
  readonly current: Month;
  readonly timeZone: string;
}

/**
 * The tiers the member reached in each year they had an activity (SPEC §1 "Evangelist program"),
 * as `{ "2026": ["mve"] }`: the whole year once it is over, up to the current month otherwise.
 */
export function memberTiers(input: MemberTiersInput): Record<string, string[]> {
  const years = new Set(
    input.member.activities.map((a: Activity) => yearOfInstant(a.occurredAt, input.timeZone)),
  );
  const tiers: Record<string, string[]> = {};
  for (const year of [...years].sort()) {
    const december = parseMonth(`${year}-12`);
    const asOf = compareMonths(input.current, december) < 0 ? input.current : december;
    const [row] = eligibility({
      members: [input.member],
      program: programFor(year, input.programs),
      year,
      asOf,
      timeZone: input.timeZone,
    });
    tiers[String(year)] = row ? [...row.tiers] : [];
  }
  return tiers;
}

/** How a route names a member (SPEC §7 `{member}`): its id, or any of its identities. */
export type MemberRef = { readonly memberId: string } | { readonly identity: IdentityKey };

/**
 * Reads `m_<16 hex>` as a member id and `kind:value` as an identity in matching form (SPEC §1),
 * e.g. `email:Ada@Example.com` or `github:@ada`.
 * @throws ValidationError for anything else, naming the accepted forms.
 */
export function parseMemberRef(text: string): MemberRef {
  if (/^m_[0-9a-f]{16}$/.test(text)) return { memberId: text };
  const colon = text.indexOf(':');
  const kind = text.slice(0, colon);
  const value = text.slice(colon + 1);
  if (colon < 0 || !isIdentityKind(kind) || value.trim() === '') {
    throw new ValidationError(
      `member must be a member id (m_ and 16 hex digits) or an identity such as email:ada@example.com, github:ada or forum:ada; got ${JSON.stringify(text)}`,
    );
  }
  return { identity: normalizeIdentity(kind, value) };
}

const isIdentityKind = (kind: string): kind is IdentityKind =>
  (identityKinds as readonly string[]).includes(kind);

/** The member a reference names; `undefined` when no member has that id or identity. */
export function findMember(members: Members, ref: MemberRef): Member | undefined {
  const memberId = 'memberId' in ref ? ref.memberId : members.memberOf(ref.identity);
  return memberId === undefined
    ? undefined
    : members.members.find((member) => member.memberId === memberId);
}

/**
 * What the evidence routes need of a member without its activities' contents (SPEC §7): kept by
 * the recalculation as an index, so that one member or one account's members are read by key.
 */
export interface MemberSummary {
  readonly memberId: string;
  readonly name: string | null;
  readonly accountId: string | null;
  readonly identities: readonly IdentityKey[];
  /** The member's activities, oldest first (the order of `Member.activities`). */
  readonly activityIds: readonly string[];
  readonly lastActivityAt: string | null;
  /** The months (in the zone) of the member's qualifying activities (SPEC §1), sorted. */
  readonly qualifyingMonths: readonly Month[];
}

/** A member's summary (see `MemberSummary`), months in the reporting zone. */
export function memberSummary(member: Member, timeZone: string): MemberSummary {
  const qualifying = member.activities
    .filter((activity) => countedKindOf(activity) !== null)
    .map((activity) => monthOf(activity.occurredAt, timeZone));
  return {
    memberId: member.memberId,
    name: member.name,
    accountId: member.accountId,
    identities: member.identities,
    activityIds: member.activities.map((activity) => activity.activityId),
    lastActivityAt: member.activities.at(-1)?.occurredAt ?? null,
    qualifyingMonths: [...new Set(qualifying)].sort(compareMonths),
  };
}

/**
 * The member again from its summary and its activities as stored (any order, missing skipped;
 * or by id, when they are many members' activities).
 */
export function memberFromSummary(
  summary: MemberSummary,
  activities: readonly Activity[] | ReadonlyMap<string, Activity>,
): Member {
  const byId =
    activities instanceof Map
      ? activities
      : new Map(
          (activities as readonly Activity[]).map((activity) => [activity.activityId, activity]),
        );
  return {
    memberId: summary.memberId,
    identities: summary.identities,
    name: summary.name,
    accountId: summary.accountId,
    activities: summary.activityIds.flatMap((id) => {
      const activity = byId.get(id);
      return activity ? [activity] : [];
    }),
  };
}
