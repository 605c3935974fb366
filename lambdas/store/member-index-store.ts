import type { IdentityKey } from '../domain/community.js';
import type { MemberSummary } from '../domain/member-evidence.js';
import { chunkLookup, readJsonChunks, writeJsonChunks } from './json-chunks.js';
import { keys } from './keys.js';

type IdentityEntry = [identity: IdentityKey, memberId: string];

/** An account's members are keyed `<accountId> <memberId>`: a space sorts before any id. */
const byAccount = (m: MemberSummary) => `${m.accountId} ${m.memberId}`;
const byId = (m: MemberSummary) => m.memberId;

/**
 * Replaces the member indexes with the members a recalculation just resolved (SPEC §1 "Members and
 * identities"): three sorted indexes — by member id, by identity, by account — so that the evidence
 * routes (SPEC §7) read one member, one identity or one account's members by key, a chunk or two,
 * instead of resolving every activity again.
 */
export async function saveMemberIndex(members: readonly MemberSummary[]): Promise<void> {
  const affiliated = members.filter((m) => m.accountId !== null);
  const identities: IdentityEntry[] = members.flatMap((m) =>
    m.identities.map((identity): IdentityEntry => [identity, m.memberId]),
  );
  await Promise.all([
    writeJsonChunks(keys.memberIndexPartition, members, byId),
    writeJsonChunks(keys.identityIndexPartition, identities, ([identity]) => identity),
    writeJsonChunks(keys.accountMembersPartition, affiliated, byAccount),
  ]);
}

/** Every indexed member, by `memberId`. */
export async function indexedMembers(): Promise<MemberSummary[]> {
  return readJsonChunks<MemberSummary>(keys.memberIndexPartition);
}

/** One indexed member; `undefined` when the latest recalculation knew no such member. */
export async function indexedMember(memberId: string): Promise<MemberSummary | undefined> {
  const entries = await readJsonChunks<MemberSummary>(keys.memberIndexPartition, [
    memberId,
    memberId,
  ]);
  return entries.find((m) => m.memberId === memberId);
}

/** The member holding an identity; `undefined` when none did at the latest recalculation. */
export async function memberIdOfIdentity(identity: IdentityKey): Promise<string | undefined> {
  const entries = await readJsonChunks<IdentityEntry>(keys.identityIndexPartition, [
    identity,
    identity,
  ]);
  return entries.find(([key]) => key === identity)?.[1];
}

/** The members currently affiliated with an account, by `memberId`. */
export async function accountMembers(accountId: string): Promise<MemberSummary[]> {
  const entries = await readJsonChunks<MemberSummary>(keys.accountMembersPartition, [
    `${accountId} `,
    `${accountId}!`,
  ]);
  return entries.filter((m) => m.accountId === accountId);
}

/** Every affiliated member (for the accounts list's champions and affiliated accounts). */
export async function affiliatedMembers(): Promise<MemberSummary[]> {
  return readJsonChunks<MemberSummary>(keys.accountMembersPartition);
}

/**
 * A lookup of members by identity for many identities at once (e.g. a page of the review queue):
 * each chunk of the identity and member indexes is read at most once.
 */
export function memberLookup(): (identity: IdentityKey) => Promise<MemberSummary | undefined> {
  const memberIdOf = chunkLookup<IdentityEntry>(keys.identityIndexPartition, ([key]) => key);
  const memberOf = chunkLookup<MemberSummary>(keys.memberIndexPartition, byId);
  return async (identity) => {
    const entry = await memberIdOf(identity);
    return entry === undefined ? undefined : memberOf(entry[1]);
  };
}
