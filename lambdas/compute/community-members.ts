import {
  type AffiliationSources,
  affiliationAt,
  affiliationInstant,
} from '../domain/affiliation.js';
import { type Member, type Members, resolveMembers } from '../domain/identities.js';
import { allActivities, memberMerges } from '../store/community-store.js';
import { getConfig } from '../store/config-store.js';
import { memberSplits } from '../store/corrections-store.js';
import { loadAffiliationSources } from './affiliation-sources.js';

/**
 * The community's members as of now: resolved from every stored activity, admin merge and split,
 * so a merge or split — however it raced with deliveries — is simply part of the facts (SPEC §1,
 * §9). Each member's `accountId` is their current affiliation (SPEC §1: admin periods, then
 * activities, then email domains, aliases resolved).
 */
export async function loadMembers(sources?: AffiliationSources): Promise<Members> {
  const [activities, merges, splits, resolvedSources] = await Promise.all([
    allActivities(),
    memberMerges(),
    memberSplits(),
    sources ?? getConfig().then(loadAffiliationSources),
  ]);
  return withCurrentAffiliations(resolveMembers(activities, merges, splits), resolvedSources);
}

/** The members with `accountId` set to their affiliation at this instant (SPEC §1 "current"). */
export function withCurrentAffiliations(members: Members, sources: AffiliationSources): Members {
  const now = affiliationInstant(new Date().toISOString(), sources.timeZone);
  const affiliated = members.members.map(
    (member): Member => ({
      ...member,
      accountId: affiliationAt(member, now, sources)?.accountId ?? null,
    }),
  );
  return { members: affiliated, memberOf: members.memberOf };
}
