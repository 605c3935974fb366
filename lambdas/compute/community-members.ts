import { type Members, resolveMembers } from '../domain/identities.js';
import { allActivities, memberMerges } from '../store/community-store.js';

/**
 * The community's members as of now: resolved from every stored activity and admin merge, so a
 * merge — however it raced with deliveries — is simply part of the facts (SPEC §1).
 */
export async function loadMembers(): Promise<Members> {
  const [activities, merges] = await Promise.all([allActivities(), memberMerges()]);
  return resolveMembers(activities, merges);
}
