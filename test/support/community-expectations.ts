/**
 * The oracle for the community side (SPEC §1–§3): members, affiliation, qualifying activities,
 * programs, `/evangelists` rows and champion coverage, computed here from what was sent — never by
 * calling `lambdas/` — so that comparing the two checks the product against the SPEC. Written to
 * be obviously right, not fast: plain loops, everything recomputed on every call.
 */
import { addMonths, monthInZone, zonedInstant } from './ka-expectations.js';

export const ACTIVITY_TYPES = [
  'talk',
  'article',
  'case-study',
  'video',
  'course',
  'answer',
  'event-hosted',
  'meetup-attended',
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];
export const CONTENT_TYPES: readonly ActivityType[] = ['article', 'case-study', 'video', 'course'];

export const IDENTITY_KINDS = ['email', 'github', 'forum'] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];
/** Identities as a sender or an admin writes them, e.g. `{ email: '  Ada@Example.COM ' }`. */
export type Identities = Partial<Record<IdentityKind, string>>;

export type ReviewStatus = 'submitted' | 'recognized' | 'rejected';

/** One item of `POST /webhooks/community` (SPEC §2). */
export interface CommunityActivity {
  readonly activityId: string;
  readonly type: ActivityType;
  readonly member: Identities & { readonly name?: string; readonly accountId?: string };
  readonly occurredAt: string;
  readonly status?: ReviewStatus;
  readonly title?: string;
}

/** `PATCH /admin/activities/{activityId}` (SPEC §3). */
export interface Review {
  readonly activityId: string;
  readonly status: ReviewStatus;
}

export interface Tier {
  readonly id: string;
  readonly name: string;
  readonly minCount: number;
  readonly counts: readonly string[];
}

/** SPEC §1's program for a year without one of its own, and none before it. */
export const DEFAULT_TIERS: readonly Tier[] = [
  {
    id: 'mve',
    name: 'Most Valuable Evangelist',
    minCount: 3,
    counts: ['talk', 'recognized-content'],
  },
  { id: 'outstanding', name: 'Outstanding Community Evangelist', minCount: 10, counts: ['talk'] },
];

/** Everything the community side depends on. */
export interface CommunityFacts {
  readonly timezone: string;
  /**
   * Every webhook item sent, copies included, in the order they arrived. Copies of one activity
   * differ at most in status and title (the first delivery's identities, time and type stand).
   */
  readonly deliveries: readonly CommunityActivity[];
  /** `POST /admin/members/merge` bodies' identities, sent after the deliveries. */
  readonly merges: readonly (readonly Identities[])[];
  /** Admin reviews, in the order they were made, after the deliveries. */
  readonly reviews: readonly Review[];
  /** `PUT /admin/programs/{year}`. */
  readonly programs: ReadonlyMap<number, readonly Tier[]>;
}

/** SPEC §1: `kind:value`, emails trimmed and lowercased, handles also without a leading `@`. */
export function identityKey(kind: IdentityKind, value: string): string {
  const folded = value.trim().toLowerCase();
  return `${kind}:${kind === 'email' ? folded : folded.replace(/^@/, '')}`;
}

export const identityKeysOf = (identities: Identities): string[] =>
  IDENTITY_KINDS.flatMap((kind) => {
    const value = identities[kind];
    return value === undefined ? [] : [identityKey(kind, value)];
  });

export interface FinalActivity {
  readonly activityId: string;
  readonly type: ActivityType;
  readonly occurredAt: string;
  readonly identities: readonly string[];
  readonly name?: string;
  readonly accountId?: string;
  status: ReviewStatus | 'delivered';
}

const isContent = (type: ActivityType) => CONTENT_TYPES.includes(type);

/**
 * Each activity once, with its status after every delivery and review (SPEC §2, §3). Other types
 * than content keep their first delivery's status: `rejected`, or `delivered` (SPEC leaves a
 * talk re-sent with another status open; the scenario never does that).
 */
export function finalActivities(facts: CommunityFacts): Map<string, FinalActivity> {
  const byId = new Map<string, FinalActivity>();
  for (const item of facts.deliveries) {
    const seen = byId.get(item.activityId);
    if (seen === undefined) {
      const { name, accountId } = item.member;
      byId.set(item.activityId, {
        activityId: item.activityId,
        type: item.type,
        occurredAt: item.occurredAt,
        identities: identityKeysOf(item.member),
        ...(name === undefined ? {} : { name }),
        ...(accountId === undefined ? {} : { accountId }),
        status: isContent(item.type)
          ? (item.status ?? 'submitted')
          : item.status === 'rejected'
            ? 'rejected'
            : 'delivered',
      });
    } else if (
      seen.status === 'submitted' &&
      (item.status === 'recognized' || item.status === 'rejected')
    ) {
      seen.status = item.status; // forward only: a stale `submitted` never undoes a review
    }
  }
  for (const review of facts.reviews) {
    const activity = byId.get(review.activityId);
    if (activity === undefined) throw new Error(`review of unknown ${review.activityId}`);
    activity.status = review.status;
  }
  return byId;
}

/** SPEC §1: what a counting activity counts as; `null` when it does not count at all. */
export function countedKind(activity: Pick<FinalActivity, 'type' | 'status'>): string | null {
  if (activity.status === 'rejected') return null;
  if (isContent(activity.type))
    return activity.status === 'recognized' ? 'recognized-content' : null;
  return activity.type;
}

export interface ExpectedMember {
  /** Sorted identity keys. */
  readonly identities: readonly string[];
  readonly name: string | null;
  readonly accountId: string | null;
  readonly activities: readonly FinalActivity[];
}

/** The value of `field` on the member's latest activity (by occurredAt) that carried one. */
function latest(activities: readonly FinalActivity[], field: 'name' | 'accountId') {
  let best: FinalActivity | undefined;
  for (const activity of activities) {
    if (activity[field] === undefined) continue;
    const [at, bestAt] = [Date.parse(activity.occurredAt), Date.parse(best?.occurredAt ?? '')];
    if (best !== undefined && at === bestAt && activity[field] !== best[field]) {
      throw new Error(`ambiguous ${field}: two activities at ${activity.occurredAt}`);
    }
    if (best === undefined || at > bestAt) best = activity;
  }
  return best?.[field] ?? null;
}

/** SPEC §1: members are the connected components of identities over activities and merges. */
export function expectedMembers(facts: CommunityFacts): ExpectedMember[] {
  const activities = [...finalActivities(facts).values()];
  const parent = new Map<string, string>();
  const find = (key: string): string => {
    let root = key;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root) ?? root;
    return root;
  };
  const join = (keys: readonly string[]) => {
    for (const key of keys) if (!parent.has(key)) parent.set(key, key);
    for (const key of keys.slice(1)) parent.set(find(key), find(keys[0] ?? key));
  };
  for (const activity of activities) join(activity.identities);
  for (const merge of facts.merges) join(merge.flatMap(identityKeysOf));
  const byRoot = new Map<string, FinalActivity[]>();
  for (const activity of activities) {
    const root = find(activity.identities[0] ?? '');
    byRoot.set(root, [...(byRoot.get(root) ?? []), activity]);
  }
  return [...byRoot].map(([root, own]) => ({
    identities: [...parent.keys()].filter((key) => find(key) === root).sort(),
    name: latest(own, 'name'),
    accountId: latest(own, 'accountId'),
    activities: own,
  }));
}

/** SPEC §1, §3 `GET /admin/programs/{year}`: the year's own, else the nearest earlier year's. */
export function programFor(year: number, programs: ReadonlyMap<number, readonly Tier[]>) {
  const earlier = [...programs.keys()].filter((y) => y <= year).sort((a, b) => b - a);
  const from = earlier[0];
  const tiers = from === undefined ? undefined : programs.get(from);
  return tiers === undefined ? { year, tiers: DEFAULT_TIERS, from: null } : { year, tiers, from };
}

export interface EvangelistRow {
  readonly identities: readonly string[];
  readonly name: string | null;
  readonly accountId: string | null;
  readonly counts: Readonly<Record<string, number>>;
  readonly tiers: readonly string[];
  readonly progress: readonly { tier: string; count: number; minCount: number }[];
}

/** SPEC §3 `GET /evangelists?year=&asOf=`: members with a qualifying activity, Jan to asOf. */
export function expectedEvangelists(
  facts: CommunityFacts,
  year: number,
  asOf: string,
): EvangelistRow[] {
  const { tiers } = programFor(year, facts.programs);
  const rows: EvangelistRow[] = [];
  for (const member of expectedMembers(facts)) {
    const tally: Record<string, number> = {};
    for (const activity of member.activities) {
      const kind = countedKind(activity);
      const month = monthInZone(activity.occurredAt, facts.timezone);
      if (kind !== null && month >= `${year}-01` && month <= asOf) {
        tally[kind] = (tally[kind] ?? 0) + 1;
      }
    }
    if (Object.keys(tally).length === 0) continue;
    const counts: Record<string, number> = { ...tally };
    for (const tier of tiers) for (const kind of tier.counts) counts[kind] = tally[kind] ?? 0;
    const progress = tiers.map((tier) => ({
      tier: tier.id,
      count: tier.counts.reduce((sum, kind) => sum + (counts[kind] ?? 0), 0),
      minCount: tier.minCount,
    }));
    const reached = progress.filter((p) => p.count >= p.minCount).map((p) => p.tier);
    const { identities, name } = member;
    // SPEC §3: the affiliation at the end of `asOf`.
    const accountId = affiliationAtEndOf(member, asOf, facts.timezone);
    rows.push({ identities, name, accountId, counts, tiers: reached, progress });
  }
  return rows;
}

/** SPEC §1: activities are ordered by `occurredAt`, then `activityId`. */
const inActivityOrder = (activities: readonly FinalActivity[]) =>
  [...activities].sort(
    (a, b) =>
      Date.parse(a.occurredAt) - Date.parse(b.occurredAt) ||
      (a.activityId < b.activityId ? -1 : a.activityId > b.activityId ? 1 : 0),
  );

/**
 * SPEC §1 "Affiliation at an instant", as far as the scenarios use it (no admin periods, no account
 * domains): the accountId of the member's latest activity at or before `t` that carried one, else
 * of their earliest that carried one, else none. `before` makes `t` itself excluded (a month's end
 * is the instant before the next month begins).
 */
export function affiliationAt(member: ExpectedMember, t: number, before = false): string | null {
  const carrying = inActivityOrder(member.activities).filter((a) => a.accountId !== undefined);
  const upTo = carrying.filter((a) =>
    before ? Date.parse(a.occurredAt) < t : Date.parse(a.occurredAt) <= t,
  );
  return (upTo.at(-1) ?? carrying[0])?.accountId ?? null;
}

/** The affiliation at the end of `month` in the zone: everything before the next month begins. */
export const affiliationAtEndOf = (member: ExpectedMember, month: string, timezone: string) =>
  affiliationAt(member, zonedInstant(timezone, addMonths(month, 1), 1), true);

/** SPEC §1: a qualifying activity (any type) in the 12 months M-11..M, in the zone. */
export const activeIn = (member: ExpectedMember, month: string, timezone: string) =>
  member.activities.some((activity) => {
    const at = monthInZone(activity.occurredAt, timezone);
    return countedKind(activity) !== null && at >= addMonths(month, -11) && at <= month;
  });

/**
 * SPEC §1 "Champion": the members who are champions of `accountId` in `month` — affiliated with it
 * at the end of the month, not staff (not affiliated with a staff account then), and active in the
 * 12 months ending with it.
 */
export function championsOf(
  members: readonly ExpectedMember[],
  accountId: string,
  month: string,
  timezone: string,
  staffAccounts: readonly string[] = [],
): ExpectedMember[] {
  if (staffAccounts.includes(accountId)) return [];
  return members.filter(
    (member) =>
      affiliationAtEndOf(member, month, timezone) === accountId &&
      activeIn(member, month, timezone),
  );
}

/**
 * SPEC §1 champion coverage of each month: the share of the month's KAs with at least one
 * champion (affiliated at the end of the month, active in M-11..M); `null` when it has no KA.
 */
export function expectedChampionCoverage(
  facts: CommunityFacts,
  kaByMonth: ReadonlyMap<string, ReadonlySet<string>>,
  months: readonly string[],
): Map<string, number | null> {
  const members = expectedMembers(facts);
  const coverage = new Map<string, number | null>();
  for (const month of months) {
    const kas = [...(kaByMonth.get(month) ?? [])];
    const champion = (accountId: string) =>
      championsOf(members, accountId, month, facts.timezone).length > 0;
    coverage.set(
      month,
      kas.length === 0 ? null : kas.filter((accountId) => champion(accountId)).length / kas.length,
    );
  }
  return coverage;
}
