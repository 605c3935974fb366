/**
 * A member as the recalculation keeps it between runs (SPEC §1, §10): what the community figures
 * of any month read of a member — where they stated they worked and when, and how many qualifying
 * activities of each kind fell in each month — without their activities, so that a run
 * re-resolves only the members whose activities changed and reads the others from the member
 * index. Nothing in it depends on affiliation sources or staff, only on the zone: a correction of
 * those is applied to the records, not by resolving every activity again.
 */
import type { Activity, CountedKind } from './community.js';
import { countedKindOf } from './eligibility.js';
import type { Member } from './identities.js';
import { type MemberSummary, memberSummary } from './member-evidence.js';
import { compareMonths, type Month, monthOf, monthStartInstant } from './month.js';

/** A `MemberSummary` with what the community figures need of the member's activities. */
export interface MemberRecord extends MemberSummary {
  /**
   * The accounts the member's activities stated, in activity order, each where it differs from
   * the one before (`[occurredAt, accountId]`, ids as stated): affiliation at an instant takes
   * the latest statement at or before it, else the first (SPEC §1), which these decide alone.
   */
  readonly statements: readonly (readonly [occurredAt: string, accountId: string])[];
  /** Qualifying activities (SPEC §1) per month in the zone and kind, by month then kind. */
  readonly qualifying: readonly (readonly [month: Month, kind: CountedKind, count: number])[];
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The record of a member resolved from its activities (`resolveMembers`, current affiliation set),
 * months in `timeZone` (IANA).
 */
export function memberRecord(member: Member, timeZone: string): MemberRecord {
  const statements: [string, string][] = [];
  const counts = new Map<string, number>();
  for (const activity of member.activities) {
    const stated = activity.accountId;
    if (stated !== undefined && statements.at(-1)?.[1] !== stated) {
      statements.push([activity.occurredAt, stated]);
    }
    const kind = countedKindOf(activity);
    if (kind === null) continue;
    const key = `${monthOf(activity.occurredAt, timeZone)} ${kind}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const qualifying = [...counts]
    .map(([key, count]) => {
      const [month, kind] = key.split(' ') as [Month, CountedKind];
      return [month, kind, count] as const;
    })
    .sort((a, b) => compareMonths(a[0], b[0]) || compareText(a[1], b[1]));
  return { ...memberSummary(member, timeZone), statements, qualifying };
}

/** A stand-in activity per kind and month: one object, referenced once per activity counted. */
function countedActivity(month: Month, kind: CountedKind, timeZone: string): Activity {
  const content = kind === 'recognized-content';
  return {
    activityId: '',
    type: content ? 'article' : kind,
    status: content ? 'recognized' : 'delivered',
    occurredAt: monthStartInstant(month, timeZone).toISOString(),
    identities: [],
  };
}

/**
 * A member that the community figures (`championsByAccount`, `eligibility`, `lossReason`,
 * `affiliationAt`) read exactly as they read the member the record was made from: its statements
 * as activities that state an account and never qualify, then, per month and kind, one stand-in
 * qualifying activity referenced `count` times (8 bytes each). Not for what reads activities'
 * ids, titles or exact instants (evidence, `firstCommunityInstants`: read its activities).
 */
export function memberOfRecord(record: MemberRecord, timeZone: string): Member {
  const stated = record.statements.map(
    ([occurredAt, accountId]): Activity => ({
      activityId: '',
      type: 'talk',
      status: 'rejected',
      occurredAt,
      identities: [],
      accountId,
    }),
  );
  const counted = record.qualifying.flatMap(([month, kind, count]) =>
    new Array<Activity>(count).fill(countedActivity(month, kind, timeZone)),
  );
  return {
    memberId: record.memberId,
    identities: record.identities,
    name: record.name,
    accountId: record.accountId,
    activities: [...stated, ...counted],
  };
}
