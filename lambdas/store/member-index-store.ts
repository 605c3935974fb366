import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { IdentityKey } from '../domain/community.js';
import type { MemberSummary } from '../domain/member-evidence.js';
import type { MemberRecord } from '../domain/member-record.js';
import { db, tableName } from './client.js';
import {
  chunkLookup,
  type JsonChunks,
  readAllJsonChunks,
  readJsonChunks,
  writeJsonChunks,
} from './json-chunks.js';
import { keys } from './keys.js';

type IdentityEntry = [identity: IdentityKey, memberId: string];

/** An account's members are keyed `<accountId> <memberId>`: a space sorts before any id. */
const byAccount = (m: MemberSummary) => `${m.accountId} ${m.memberId}`;
const byId = (m: MemberSummary) => m.memberId;

/** What the member index was built from, and when (`memberIndexMeta`). */
export interface MemberIndexMeta {
  /** A digest of what members' records depend on besides their activities. */
  readonly fingerprint: string;
  /** When its activities were read (ms since the epoch): later changes are not in it. */
  readonly asOf: number;
  /** Changes at every save: a save that finds another's is a concurrent one. */
  readonly version: string;
}

/** The summary an account's or identity's reader needs, without the record's fields. */
const summaryOf = ({ statements: _s, qualifying: _q, ...summary }: MemberRecord): MemberSummary =>
  summary;

/**
 * Replaces the member indexes with every member's record (SPEC §1 "Members and identities"):
 * three sorted indexes — records by member id, member ids by identity, summaries by account — so
 * that the evidence routes (SPEC §7) read one member, one identity or one account's members by
 * key, a chunk or two, and the next recalculation reads the records instead of every activity.
 * Given the index as `readMemberIndex` read it, only what changed is read again and written: the
 * identity and account indexes not at all when no member's identities or affiliated summary
 * changed. Then records `meta` as the index's, if no other save happened since `readVersion` was
 * read (`undefined`: none had); otherwise two saves raced and the index may hold a mix, so the
 * meta is removed and the next recalculation rebuilds it from every activity.
 */
export async function saveMemberIndex(
  records: readonly MemberRecord[],
  meta: Omit<MemberIndexMeta, 'version'>,
  readVersion: string | undefined,
  stored?: JsonChunks<MemberRecord>,
): Promise<void> {
  const affiliated = affiliatedOf(records);
  const identities = identitiesOf(records);
  const same = <T>(list: (records: readonly MemberRecord[]) => T[], now: T[]) =>
    stored !== undefined && JSON.stringify(list(stored.entries)) === JSON.stringify(now);
  await Promise.all([
    writeJsonChunks(keys.memberIndexPartition, records, byId, stored),
    same(identitiesOf, identities)
      ? undefined
      : writeJsonChunks(keys.identityIndexPartition, identities, ([identity]) => identity),
    same(affiliatedOf, affiliated)
      ? undefined
      : writeJsonChunks(keys.accountMembersPartition, affiliated, byAccount),
  ]);
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.memberIndexMeta(), ...meta, version: randomUUID() },
        ConditionExpression:
          readVersion === undefined ? 'attribute_not_exists(pk)' : 'version = :read',
        ...(readVersion === undefined
          ? {}
          : { ExpressionAttributeValues: { ':read': readVersion } }),
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    await db().send(new DeleteCommand({ TableName: tableName(), Key: keys.memberIndexMeta() }));
  }
}

/** What the member index was built from; `undefined` when it must be built from every activity. */
export async function memberIndexMeta(): Promise<MemberIndexMeta | undefined> {
  const { Item } = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.memberIndexMeta(), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  return { fingerprint: Item.fingerprint, asOf: Item.asOf, version: Item.version };
}

/** Every member's record, by `memberId` (read with a `memberIndexMeta` that holds). */
export async function indexedRecords(): Promise<MemberRecord[]> {
  return readJsonChunks<MemberRecord>(keys.memberIndexPartition);
}

/** Every member's record, by `memberId`, with the chunks they came from (for `saveMemberIndex`). */
export async function readMemberIndex(): Promise<JsonChunks<MemberRecord>> {
  return readAllJsonChunks<MemberRecord>(keys.memberIndexPartition);
}

/** The affiliated members' summaries (the account index's entries), by `memberId`. */
const affiliatedOf = (records: readonly MemberRecord[]) =>
  records.filter((m) => m.accountId !== null).map(summaryOf);

/** `[identity, memberId]` of every member's identities (the identity index's entries). */
const identitiesOf = (records: readonly MemberRecord[]): IdentityEntry[] =>
  records.flatMap((m) => m.identities.map((identity): IdentityEntry => [identity, m.memberId]));

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
