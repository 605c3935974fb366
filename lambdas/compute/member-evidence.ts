import { activitiesOnly, isStaffAccount } from '../domain/affiliation.js';
import type { Activity, ActivityStatus, ActivityType, IdentityKey } from '../domain/community.js';
import { NotFoundError } from '../domain/errors.js';
import { memberIdOf } from '../domain/identities.js';
import {
  type MemberRef,
  memberAffiliations,
  memberFromSummary,
  memberLinks,
  memberTiers,
} from '../domain/member-evidence.js';
import {
  addMonths,
  compareMonths,
  type Month,
  monthOf,
  monthStartInstant,
} from '../domain/month.js';
import {
  type ActivityPlace,
  type ActivityRecord,
  activitiesByIds,
  activityPage,
  activityRecordsByIds,
  memberMerges,
  programs,
  reviewQueue,
} from '../store/community-store.js';
import { getConfig } from '../store/config-store.js';
import { memberSplits } from '../store/corrections-store.js';
import {
  indexedMember,
  indexedMembers,
  memberIdOfIdentity,
  memberLookup,
} from '../store/member-index-store.js';
import { loadAffiliationSources, staffAccountsOf } from './affiliation-sources.js';
import { findConnectedMember } from './connected-members.js';

export interface MemberFilters {
  /** Case-insensitive substring of the name or of any identity. */
  readonly q?: string | undefined;
  /** The current affiliation. */
  readonly accountId?: string | undefined;
}

/**
 * The members of SPEC §7 `GET /members` as the latest recalculation resolved them, filtered;
 * unordered (the route orders and pages).
 */
export async function memberRows(filters: MemberFilters) {
  const config = await getConfig();
  const [members, sources] = await Promise.all([indexedMembers(), loadAffiliationSources(config)]);
  const staffAccounts = staffAccountsOf(config, sources);
  const q = filters.q?.toLowerCase();
  return members
    .filter((m) => filters.accountId === undefined || m.accountId === filters.accountId)
    .filter(
      (m) =>
        q === undefined ||
        (m.name ?? '').toLowerCase().includes(q) ||
        m.identities.some((identity) => identity.includes(q)),
    )
    .map((m) => ({
      memberId: m.memberId,
      name: m.name,
      identities: [...m.identities],
      accountId: m.accountId,
      activities: m.activityIds.length,
      lastActivityAt: m.lastActivityAt,
      staff: isStaffAccount(m.accountId, staffAccounts),
    }));
}

/**
 * One member's evidence (SPEC §7 `GET /members/{member}`): identities and why each belongs
 * (`links`), affiliations and where they came from, activities oldest first, tiers per year.
 * The member is as the latest recalculation resolved it (the member index), read by key with its
 * activities as they are stored now; one it did not know is resolved from the stored facts
 * (`findConnectedMember`).
 * `splits` are the admin splits (SPEC §9) that named one of its identities on either side.
 * @throws NotFoundError when no member has that id or identity.
 */
export async function memberEvidence(ref: MemberRef) {
  const memberId = 'memberId' in ref ? ref.memberId : await memberIdOfIdentity(ref.identity);
  const summary = memberId === undefined ? undefined : await indexedMember(memberId);
  const config = await getConfig();
  const [merges, splits, programsByYear, sources] = await Promise.all([
    memberMerges(),
    memberSplits(),
    programs(),
    loadAffiliationSources(config),
  ]);
  // A member the latest recalculation did not know yet (new since, or changed by a merge or
  // split since) is resolved from the stored facts as they are now: never a false 404.
  const member = summary
    ? memberFromSummary(summary, await activitiesByIds(summary.activityIds))
    : await findConnectedMember(ref, sources);
  if (!member) throw new NotFoundError('No member has that id or identity');
  const own = new Set<string>(member.identities);
  return {
    memberId: member.memberId,
    name: member.name,
    identities: [...member.identities],
    accountId: member.accountId,
    staff: isStaffAccount(member.accountId, staffAccountsOf(config, sources)),
    affiliations: memberAffiliations(member, sources),
    activities: member.activities.map((a) => ({
      activityId: a.activityId,
      type: a.type,
      status: a.status,
      occurredAt: a.occurredAt,
      title: a.title ?? null,
      url: a.url ?? null,
      accountId: a.accountId ?? null,
    })),
    links: memberLinks(member, merges),
    splits: splits
      .filter((split) => [...split.identities, ...split.rest].some((i) => own.has(i)))
      .map((split) => ({ identities: [...split.identities], at: split.splitAt })),
    tiers: memberTiers({
      member,
      programs: programsByYear,
      current: monthOf(new Date(), config.timezone),
      timeZone: config.timezone,
    }),
  };
}

export interface ActivityFilters {
  readonly status?: readonly ActivityStatus[] | undefined;
  readonly type?: readonly ActivityType[] | undefined;
  /** Months in the reporting zone, both included. */
  readonly from?: Month | undefined;
  readonly to?: Month | undefined;
  readonly member?: MemberRef | undefined;
}

/** Whether an instant (ISO 8601) falls in the `from`–`to` months of `GET /activities`, in the zone. */
const inMonthsOf =
  (filters: ActivityFilters, timeZone: string) =>
  (occurredAt: string): boolean => {
    const month = monthOf(occurredAt, timeZone);
    return (
      (filters.from === undefined || compareMonths(filters.from, month) <= 0) &&
      (filters.to === undefined || compareMonths(month, filters.to) <= 0)
    );
  };

/** Whether an activity passes the status and type filters of `GET /activities`. */
const passes =
  (filters: ActivityFilters) =>
  (a: Activity): boolean =>
    (!filters.status || filters.status.includes(a.status)) &&
    (!filters.type || filters.type.includes(a.type));

/**
 * One page of SPEC §7 `GET /activities` without a member filter, oldest first, read from the time
 * index after `after` (`activityPage`: its cost is the page's, not the history's), each row with
 * its member from the member index (`withMembers`).
 * @returns the rows and the place the next page starts after (`null` at the end).
 */
export async function activityPageRows(
  filters: ActivityFilters,
  page: { readonly limit: number; readonly after: ActivityPlace | undefined },
) {
  const config = await getConfig();
  const start = (month: Month) => monthStartInstant(month, config.timezone).toISOString();
  const { records, next } = await activityPage({
    from: filters.from && start(filters.from),
    to: filters.to && start(addMonths(filters.to, 1)),
    after: page.after,
    keep: passes(filters),
    limit: page.limit,
    // Enough for a filter that keeps one activity in ten to fill a page in one request.
    budget: Math.max(10 * page.limit, 2000),
  });
  return { rows: await withMembers(records), next };
}

/**
 * The activities of SPEC §7 `GET /activities?member=`, filtered, each with the member as the
 * stored facts make it now (`findConnectedMember`); unordered (the route orders oldest first and
 * pages). A member reference no member has matches nothing. Reads the member's own activities.
 */
export async function memberActivityRows(ref: MemberRef, filters: ActivityFilters) {
  const config = await getConfig();
  // The rows name each activity's own account: the member's affiliation, and so the account
  // directory it is read from, is not needed to find the member and its activities.
  const member = await findConnectedMember(ref, activitiesOnly(config.timezone));
  if (!member) return [];
  const inMonths = inMonthsOf(filters, config.timezone);
  const kept = passes(filters);
  const records = await activityRecordsByIds(member.activities.map((a) => a.activityId));
  return records
    .filter(({ activity: a }) => kept(a) && inMonths(a.occurredAt))
    .map(({ activity: a, receivedAt }) =>
      activityRow(a, receivedAt, { memberId: member.memberId, name: member.name }),
    );
}

/** One row of SPEC §7 `GET /activities`. */
const activityRow = (
  a: Activity,
  receivedAt: string | undefined,
  member: { memberId: string | null; name: string | null },
) => ({
  activityId: a.activityId,
  type: a.type,
  status: a.status,
  occurredAt: a.occurredAt,
  receivedAt: receivedAt ?? null,
  title: a.title ?? null,
  url: a.url ?? null,
  member,
  accountId: a.accountId ?? null,
});

/** Whether `GET /activities` asks for the review queue alone, which has its own index. */
export const isReviewQueue = (filters: ActivityFilters): boolean =>
  filters.status?.length === 1 && filters.status[0] === 'submitted' && filters.member === undefined;

/**
 * The review queue (SPEC §7 `GET /activities?status=submitted`), read from its own index and
 * filtered; unordered. Complete a page's rows with `withMembers`.
 */
export async function reviewQueueRows(filters: ActivityFilters) {
  const [queue, config] = await Promise.all([reviewQueue(), getConfig()]);
  const inMonths = inMonthsOf(filters, config.timezone);
  const kept = passes({ type: filters.type });
  return queue.filter(({ activity: a }) => kept(a) && inMonths(a.occurredAt));
}

/**
 * Activity rows of `GET /activities` with their members, looked up in the member index (as of the
 * latest recalculation) by each activity's smallest identity: a few read units per row. An
 * activity whose identities no recalculation has seen yet is a member of its own, with the id the
 * next recalculation gives it unless it joins an existing member.
 */
export async function withMembers(records: readonly ActivityRecord[]) {
  const lookup = memberLookup();
  const rows = [];
  // One at a time: each index chunk read serves the rows after it.
  for (const { activity: a, receivedAt } of records) {
    const identity = [...a.identities].sort()[0] as IdentityKey;
    const member = await lookup(identity);
    rows.push(
      activityRow(a, receivedAt, {
        memberId: member?.memberId ?? memberIdOf(identity),
        name: member?.name ?? a.name ?? null,
      }),
    );
  }
  return rows;
}
