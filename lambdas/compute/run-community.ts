import { createHash } from 'node:crypto';
import pMap from 'p-map';
import {
  type AffiliationSources,
  affiliationAt,
  affiliationInstant,
} from '../domain/affiliation.js';
import type { MemberMerge, MemberSplit } from '../domain/community.js';
import { firstCommunityInstants, mayGiveFirstInstant } from '../domain/community-sourced.js';
import { type Member, resolveMembers } from '../domain/identities.js';
import { memberFromSummary } from '../domain/member-evidence.js';
import { type MemberRecord, memberOfRecord, memberRecord } from '../domain/member-record.js';
import { addMonths, monthStartInstant } from '../domain/month.js';
import {
  activitiesByIds,
  activitiesChangedBetween,
  activitiesToResolve,
  memberMerges,
} from '../store/community-store.js';
import { memberSplits } from '../store/corrections-store.js';
import type { JsonChunks } from '../store/json-chunks.js';
import {
  type MemberIndexMeta,
  memberIndexMeta,
  readMemberIndex,
  saveMemberIndex,
} from '../store/member-index-store.js';
import type { MonthState } from '../store/months-store.js';
import { factsNaming } from './connected-members.js';

/**
 * Changes when `MemberRecord`'s fields or their meaning change, or how changes are found: an older
 * index is rebuilt (format 3: months stamp `activitiesChangedAt`, which older months lack). Records
 * depend on the zone alone (their months), so the zone and this make the index's fingerprint.
 */
const recordFormat = 3;

/**
 * How long before the index's read changes are read again (ms): an activity is stamped
 * `receivedAt` when its delivery starts, may be written seconds later (retries, a large batch)
 * and reach the time index (eventually consistent) later still, after a run read it. Five minutes
 * by default; `FLYWHEEL_CHANGES_OVERLAP_MS` sets it (tests set 0 to see a run after no change).
 */
const overlapMs = () => Number(process.env.FLYWHEEL_CHANGES_OVERLAP_MS ?? 300_000);

/** The community as a recalculation run reads it (SPEC §1, §10). */
export interface RunCommunity {
  /** Every member as the month figures read them (`memberOfRecord`), affiliated as of now. */
  readonly members: readonly Member[];
  /**
   * The named accounts' first community instants (SPEC §10 community-sourced), for those that
   * have one: read from the activities of the members that may be affiliated with one of them
   * (`mayGiveFirstInstant`), each account once a run. `firstCommunityInstants` over every member
   * would give them the same.
   */
  firstCommunityInstants(accountIds: Iterable<string>): Promise<ReadonlyMap<string, string>>;
  /** When its activities were read (ms since the epoch): later changes are not in it. */
  readonly asOf: number;
}

export interface RunCommunityInput {
  readonly sources: AffiliationSources;
  readonly staffAccounts: ReadonlySet<string>;
  /** Every month with data (`listMonths`): whose activities changed since the index was built. */
  readonly states: readonly MonthState[];
}

/**
 * The community for a recalculation run, and the member index saved with it. When the index was
 * built in the same zone and record format (its fingerprint), only the members whose activities
 * arrived or changed since it was built — read from the months whose activities changed since
 * (`activitiesChangedAt`) — and those an admin
 * merge or split made since names are resolved again, from their own activities (the index lists
 * them) and the changed ones; the others are read from their records. Otherwise (the first run, a
 * change of zone) every activity is read and resolved. Every record's affiliation is then brought
 * up to date from the sources as they are now: a change of staff, domains, aliases or affiliation
 * periods needs no activity read again. Either way the
 * members are exactly what resolving every stored fact gives (`test/domain/member-record.test.ts`,
 * `test/handlers/run-community.test.ts`).
 */
export async function communityOfRun(input: RunCommunityInput): Promise<RunCommunity> {
  const asOf = Date.now();
  const [meta, merges, splits] = await Promise.all([
    memberIndexMeta(),
    memberMerges(),
    memberSplits(),
  ]);
  const { sources } = input;
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([recordFormat, sources.timeZone]))
    .digest('hex');
  const { records, stored } =
    meta?.fingerprint === fingerprint
      ? await recordsWithChanges(meta, { ...input, merges, splits })
      : { records: await everyRecord(merges, splits, sources.timeZone), stored: undefined };
  // Each record with its current affiliation (an admin period may have ended since it was made),
  // from the stand-in the month figures read anyway.
  const now = affiliationInstant(new Date(asOf).toISOString(), sources.timeZone);
  const members: Member[] = [];
  const current = records.map((record) => {
    const member = memberOfRecord(record, sources.timeZone);
    const accountId = affiliationAt(member, now, sources)?.accountId ?? null;
    members.push({ ...member, accountId });
    return accountId === record.accountId ? record : { ...record, accountId };
  });
  await saveMemberIndex(current, { fingerprint, asOf }, meta?.version, stored);
  const known = new Map<string, string | null>();
  return {
    members,
    async firstCommunityInstants(accountIds) {
      const asked = [...new Set(accountIds)];
      const wanted = new Set(asked.filter((accountId) => !known.has(accountId)));
      if (wanted.size > 0) {
        const first = await firstInstantsOf(wanted, current, members, input);
        for (const accountId of wanted) known.set(accountId, first.get(accountId) ?? null);
      }
      return new Map(
        asked.flatMap((accountId) => {
          const instant = known.get(accountId);
          return instant ? [[accountId, instant] as const] : [];
        }),
      );
    },
    asOf,
  };
}

/**
 * `firstCommunityInstants` of the wanted accounts, from the activities of the members that may
 * be affiliated with one of them (`members[i]` stands in for `records[i]`).
 */
async function firstInstantsOf(
  wanted: ReadonlySet<string>,
  records: readonly MemberRecord[],
  members: readonly Member[],
  { sources, staffAccounts }: RunCommunityInput,
): Promise<Map<string, string>> {
  const candidates = records.filter((_, i) =>
    mayGiveFirstInstant(members[i] as Member, wanted, sources),
  );
  const activities = await activitiesByIds(candidates.flatMap((record) => record.activityIds));
  const byId = new Map(activities.map((activity) => [activity.activityId, activity]));
  const first = firstCommunityInstants(
    candidates.map((record) => memberFromSummary(record, byId)),
    sources,
    staffAccounts,
  );
  return new Map([...first].filter(([accountId]) => wanted.has(accountId)));
}

/** Every member's record, resolved from every stored activity (no index to start from). */
async function everyRecord(
  merges: readonly MemberMerge[],
  splits: readonly MemberSplit[],
  timeZone: string,
): Promise<MemberRecord[]> {
  const { members } = resolveMembers(await activitiesToResolve(), merges, splits);
  return members.map((member) => memberRecord(member, timeZone));
}

interface ChangesInput extends RunCommunityInput {
  readonly merges: readonly MemberMerge[];
  readonly splits: readonly MemberSplit[];
}

/**
 * The index's records with the members that changed since `meta.asOf` resolved again: those a
 * changed activity, or an admin merge or split made since, names. Their activities then (the
 * records' `activityIds`) and the changed activities make their components whole: a component
 * only grows by activities and merges, and an activity or a merge that joins two members names an
 * identity of each; a split divides only the component it names (`resolveMembers` applies it).
 */
async function recordsWithChanges(
  meta: MemberIndexMeta,
  input: ChangesInput,
): Promise<{ records: MemberRecord[]; stored: JsonChunks<MemberRecord> }> {
  const { sources } = input;
  const since = meta.asOf - overlapMs();
  // Months whose activities changed; a correction touches every month, but changes no activity.
  const months = input.states
    .filter((state) => (state.activitiesChangedAt ?? 0) >= since)
    .map((state) => state.month);
  const start = (month: (typeof months)[number]) =>
    monthStartInstant(month, sources.timeZone).toISOString();
  const sinceText = new Date(since).toISOString();
  const [lists, stored] = await Promise.all([
    pMap(
      months,
      (month) => activitiesChangedBetween(start(month), start(addMonths(month, 1)), sinceText),
      { concurrency: 4 },
    ),
    readMemberIndex(),
  ]);
  const old = stored.entries;
  const changed = lists.flat();
  const byIdentity = new Map(old.flatMap((r) => r.identities.map((i) => [i, r] as const)));
  // Merges and splits are stamped when made; those before the index are in its records.
  const named = [
    ...changed.flatMap((activity) => activity.identities),
    ...input.merges
      .filter((merge) => merge.mergedAt !== undefined && Date.parse(merge.mergedAt) >= since)
      .flatMap((merge) => merge.identities),
    ...input.splits
      .filter((split) => Date.parse(split.splitAt) >= since)
      .flatMap((split) => [...split.identities, ...split.rest]),
  ];
  const touched = new Set(named.flatMap((identity) => byIdentity.get(identity) ?? []));
  const changedIds = new Set(changed.map((activity) => activity.activityId));
  const earlier = await activitiesByIds(
    [...touched].flatMap((r) => r.activityIds).filter((id) => !changedIds.has(id)),
  );
  const activities = [...changed, ...earlier];
  const own = factsNaming(
    new Set(activities.flatMap((activity) => activity.identities)),
    input.merges,
    input.splits,
  );
  const resolved = resolveMembers(activities, own.merges, own.splits);
  const records = [
    ...old.filter((record) => !touched.has(record)),
    ...resolved.members.map((member) => memberRecord(member, sources.timeZone)),
  ].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  return { records, stored };
}
