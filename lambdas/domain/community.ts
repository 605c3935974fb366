/**
 * The community's words (SPEC §1, §2): activities, their kinds and statuses, identities and
 * evangelist programs. Plain data shared by ingestion, the store and the eligibility rules.
 */

export const activityTypes = [
  'talk',
  'article',
  'case-study',
  'video',
  'course',
  'answer',
  'event-hosted',
  'meetup-attended',
  // What the sources of SPEC §11 bring in: merged pull requests, opened issues, forum posts.
  'code-contribution',
  'issue',
  'forum-post',
] as const;
export type ActivityType = (typeof activityTypes)[number];

/** Content counts only once the content committee recognised it (SPEC §1). */
export const contentTypes = ['article', 'case-study', 'video', 'course'] as const;
export type ContentType = (typeof contentTypes)[number];

export const isContent = (type: ActivityType): type is ContentType =>
  (contentTypes as readonly string[]).includes(type);

/** `submitted`/`recognized`/`rejected` for content; `delivered` is the default of other types. */
export const activityStatuses = ['submitted', 'recognized', 'rejected', 'delivered'] as const;
export type ActivityStatus = (typeof activityStatuses)[number];

/** Identities that match members; `name` is display only and never matches (SPEC §1). */
export const identityKinds = ['email', 'github', 'forum'] as const;
export type IdentityKind = (typeof identityKinds)[number];

/** A normalised identity written `kind:value`, e.g. `email:ada@example.com`, `github:ada`. */
export type IdentityKey = `${IdentityKind}:${string}`;

/** A community activity as stored: the fact every community metric is computed from. */
export interface Activity {
  readonly activityId: string;
  readonly type: ActivityType;
  /** ISO 8601 with a zone offset. */
  readonly occurredAt: string;
  readonly status: ActivityStatus;
  /** The normalised identities the activity arrived with: they belong to one member. */
  readonly identities: readonly IdentityKey[];
  readonly name?: string;
  /** The member's affiliation as this activity stated it. */
  readonly accountId?: string;
  readonly title?: string;
  readonly url?: string;
}

/** An admin's explicit merge: the members holding these identities are one (SPEC §3). */
export interface MemberMerge {
  readonly identities: readonly IdentityKey[];
  /** When the admin merged them (SPEC §7 member links); absent on merges read without it. */
  readonly mergedAt?: string;
}

/**
 * An admin's split (SPEC §9): the named identities left their member and formed one of their own.
 * A stored fact that keeps the two sides apart from then on, whatever activities arrive, until a
 * later admin merge names both sides.
 */
export interface MemberSplit {
  /** The named identities: the side that left. */
  readonly identities: readonly IdentityKey[];
  /** The member's other identities when it was split: the side that stayed. */
  readonly rest: readonly IdentityKey[];
  /** When the admin split them (ISO 8601). */
  readonly splitAt: string;
}

/** What counts towards a tier: talks, recognised content, or any other activity type by name. */
export type CountedKind =
  | 'talk'
  | 'recognized-content'
  | Exclude<ActivityType, 'talk' | ContentType>;

/**
 * Every valid `CountedKind`, in the order counts are reported: talks, recognised content, then the
 * other types. A tuple, so schemas can enumerate it (`z.enum(countedKinds)`).
 */
export const countedKinds = [
  'talk',
  'recognized-content',
  'answer',
  'event-hosted',
  'meetup-attended',
  'code-contribution',
  'issue',
  'forum-post',
] as const satisfies readonly CountedKind[];

export const isCountedKind = (kind: string): kind is CountedKind =>
  (countedKinds as readonly string[]).includes(kind);

export interface Tier {
  readonly id: string;
  readonly name: string;
  readonly minCount: number;
  readonly counts: readonly CountedKind[];
}

/** The program in force for a year; `from` is the year whose program it is, `null` the default. */
export interface Program {
  readonly year: number;
  readonly tiers: readonly Tier[];
  readonly from: number | null;
}

export const defaultTiers: readonly Tier[] = Object.freeze([
  {
    id: 'mve',
    name: 'Most Valuable Evangelist',
    minCount: 3,
    counts: ['talk', 'recognized-content'],
  },
  { id: 'outstanding', name: 'Outstanding Community Evangelist', minCount: 10, counts: ['talk'] },
]);
