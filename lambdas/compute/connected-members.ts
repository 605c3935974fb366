import pMap from 'p-map';
import type { AffiliationSources } from '../domain/affiliation.js';
import type { Activity, IdentityKey, MemberMerge, MemberSplit } from '../domain/community.js';
import { type Member, type Members, resolveMembers } from '../domain/identities.js';
import { findMember, type MemberRef } from '../domain/member-evidence.js';
import { activitiesByIds, activityIdsOfIdentity, memberMerges } from '../store/community-store.js';
import { getConfig } from '../store/config-store.js';
import { memberSplits } from '../store/corrections-store.js';
import { indexedMember } from '../store/member-index-store.js';
import { loadAffiliationSources } from './affiliation-sources.js';
import { loadMembers, withCurrentAffiliations } from './community-members.js';

/** What following identities reads: an identity's activities, and activities by id. */
export interface IdentityLinks {
  /** The ids of the activities that arrived with the identity. */
  activityIdsOf(identity: IdentityKey): Promise<readonly string[]>;
  /** The stored activities of these ids (ids without one are left out). */
  activitiesByIds(activityIds: readonly string[]): Promise<Activity[]>;
}

/** The activities and identities reachable from some identities (`connectedActivities`). */
export interface Connected {
  readonly activities: readonly Activity[];
  /** Every identity reached: the start, their activities' and the merges' identities. */
  readonly identities: ReadonlySet<IdentityKey>;
}

/** Identity lookups in flight per step: the reads are single small queries. */
const concurrency = 8;

/**
 * Every activity connected to `start` through shared identities and admin merges (SPEC §1: a
 * member is a connected component of identities), breadth first: each step reads the activities
 * of the identities it reached, then follows their identities and the merges naming them. Reads
 * grow with the components reached, not with the community: one query per identity and one
 * batched get per activity.
 * @param start identities in matching form (`normalizeIdentity`)
 * @param merges every admin merge (they are few; each one naming a reached identity is followed)
 */
export async function connectedActivities(
  start: readonly IdentityKey[],
  merges: readonly MemberMerge[],
  links: IdentityLinks,
): Promise<Connected> {
  const mergesOf = new Map<IdentityKey, MemberMerge[]>();
  for (const merge of merges) {
    for (const identity of merge.identities) {
      mergesOf.set(identity, [...(mergesOf.get(identity) ?? []), merge]);
    }
  }
  const identities = new Set<IdentityKey>(start);
  const activityIds = new Set<string>();
  const activities: Activity[] = [];
  let frontier = [...identities];
  while (frontier.length > 0) {
    const next: IdentityKey[] = [];
    const reach = (identity: IdentityKey) => {
      if (identities.has(identity)) return;
      identities.add(identity);
      next.push(identity);
    };
    const lists = await pMap(frontier, (identity) => links.activityIdsOf(identity), {
      concurrency,
    });
    const fresh = [...new Set(lists.flat())].filter((id) => !activityIds.has(id));
    for (const id of fresh) activityIds.add(id);
    for (const activity of await links.activitiesByIds(fresh)) {
      activities.push(activity);
      for (const identity of activity.identities) reach(identity);
    }
    for (const identity of frontier) {
      for (const merge of mergesOf.get(identity) ?? []) merge.identities.forEach(reach);
    }
    frontier = next;
  }
  return { activities, identities };
}

/**
 * The members holding `identities`, and every member connected to them, resolved exactly as
 * `resolveMembers` over every stored fact would resolve them (SPEC §1, §9) but from their own
 * activities only, found by following identities (`connectedActivities`): a component is whole
 * once every identity in it was followed, and the admin merges and splits that name none of its
 * identities cannot change it. Affiliations are current, as `loadMembers` gives them. Identities
 * no activity arrived with hold no member (`memberOf` answers `undefined`).
 */
export async function connectedMembers(
  identities: readonly IdentityKey[],
  sources?: AffiliationSources,
): Promise<Members> {
  const [merges, splits, resolvedSources] = await Promise.all([
    memberMerges(),
    memberSplits(),
    sources ?? getConfig().then(loadAffiliationSources),
  ]);
  const connected = await connectedActivities(identities, merges, {
    activityIdsOf: activityIdsOfIdentity,
    activitiesByIds,
  });
  const { merges: ownMerges, splits: ownSplits } = factsNaming(
    connected.identities,
    merges,
    splits,
  );
  return withCurrentAffiliations(
    resolveMembers(connected.activities, ownMerges, ownSplits),
    resolvedSources,
  );
}

/**
 * The member a SPEC §7 `{member}` names as the stored facts make it now, current affiliation set:
 * an identity's member is resolved from its own activities (`connectedMembers`); a member id from
 * the identities the member index (the latest recalculation) lists for it. A member id the index
 * does not know — a member new since the latest recalculation, named by id — is looked for among
 * all members, resolved from every stored fact: exact, but it reads every activity.
 * @returns `undefined` when no member has that id or identity now.
 */
export async function findConnectedMember(
  ref: MemberRef,
  sources?: AffiliationSources,
): Promise<Member | undefined> {
  const identities =
    'identity' in ref ? [ref.identity] : (await indexedMember(ref.memberId))?.identities;
  const members =
    identities === undefined
      ? await loadMembers(sources)
      : await connectedMembers(identities, sources);
  return findMember(members, ref);
}

/** The merges and splits that name one of the identities (either side, for a split). */
export function factsNaming(
  identities: ReadonlySet<IdentityKey>,
  merges: readonly MemberMerge[],
  splits: readonly MemberSplit[],
): { merges: MemberMerge[]; splits: MemberSplit[] } {
  const names = (list: readonly IdentityKey[]) => list.some((identity) => identities.has(identity));
  return {
    merges: merges.filter((merge) => names(merge.identities)),
    splits: splits.filter((split) => names(split.identities) || names(split.rest)),
  };
}
