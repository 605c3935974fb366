import { createHash, randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import type { Role } from '../domain/roles.js';
import { type AuditEntry, ChangeConflict, writeAudited } from './audit-store.js';
import { db, tableName } from './client.js';
import { keys } from './keys.js';

/** A personal token as listed (SPEC §8): never its value or its hash. */
export interface TokenInfo {
  readonly tokenId: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

/** Personal tokens start with this, so a leaked one is recognisable (and secret scanners can match it). */
export const tokenPrefix = 'fwt_';

/** SHA-256 of a token, hex: the only form in which a token is stored. */
export const tokenHash = (token: string): string =>
  createHash('sha256').update(token, 'utf8').digest('hex');

/** An id that sorts by creation: 9 base-36 digits of milliseconds, then randomness. */
const newTokenId = (now: number): string =>
  `tok_${now.toString(36).padStart(9, '0')}${randomBytes(6).toString('hex')}`;

/**
 * Creates a token (SPEC §8): 32 random bytes after `fwt_`, shown to the caller this once; only its
 * SHA-256 is stored. Its name is reserved in the same transaction as the token and the audit
 * entry, so a name used before — even by a revoked token — is a `ConflictError`.
 */
export async function createToken(
  request: { name: string; role: Role; expiresAt: string | null },
  audit: (created: TokenInfo) => AuditEntry,
): Promise<TokenInfo & { token: string }> {
  const now = Date.now();
  const token = `${tokenPrefix}${randomBytes(32).toString('base64url')}`;
  const info: TokenInfo = {
    tokenId: newTokenId(now),
    name: request.name,
    role: request.role,
    createdAt: new Date(now).toISOString(),
    expiresAt: request.expiresAt,
    lastUsedAt: null,
    revokedAt: null,
  };
  const hash = tokenHash(token);
  try {
    await writeAudited(
      [
        {
          Put: {
            TableName: tableName(),
            Item: { ...keys.tokenName(info.name), tokenId: info.tokenId },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: tableName(),
            Item: {
              ...keys.token(hash),
              ...keys.tokenById(info.tokenId),
              // Unset fields are left out, not stored as NULL: conditions test their absence.
              ...withoutNulls(info),
              tokenHash: hash,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
      audit(info),
    );
  } catch (error) {
    if (error instanceof ChangeConflict) {
      throw new ConflictError(
        `A token named ${JSON.stringify(info.name)} exists (or existed): pick another name`,
      );
    }
    throw error;
  }
  return { ...info, token };
}

/**
 * The token whose SHA-256 this is (a presented token's, or the one a console session names,
 * SPEC §12); `undefined` for a hash no token has. Read consistently: a revocation counts at once.
 */
export async function tokenByHash(hash: string): Promise<TokenInfo | undefined> {
  const { Item } = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.token(hash), ConsistentRead: true }),
  );
  return Item ? tokenOf(Item) : undefined;
}

/** `lastUsedAt` is written at most once a minute per token (SPEC §8), not on every request. */
const lastUsedResolutionMs = 60_000;

/** Records a use of the token (by its hash) when its `lastUsedAt` is older than a minute. */
export async function noteTokenUse(hash: string, used: TokenInfo, now = new Date()): Promise<void> {
  const cutoff = new Date(now.getTime() - lastUsedResolutionMs).toISOString();
  if (used.lastUsedAt !== null && used.lastUsedAt > cutoff) return;
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.token(hash),
        UpdateExpression: 'SET lastUsedAt = :now',
        // Concurrent requests at the minute's turn: one write wins, the others change nothing.
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :cutoff)',
        ExpressionAttributeValues: { ':now': now.toISOString(), ':cutoff': cutoff },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/** Every token, oldest first (ids order by creation), a page at a time. */
export async function listTokens(
  limit: number,
  after?: Record<string, unknown>,
): Promise<{ tokens: TokenInfo[]; next: Record<string, unknown> | null }> {
  const page = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.tokensPartition },
      Limit: limit,
      ...(after ? { ExclusiveStartKey: after } : {}),
    }),
  );
  return { tokens: (page.Items ?? []).map(tokenOf), next: page.LastEvaluatedKey ?? null };
}

/**
 * Revokes a token (SPEC §8): it answers 401 from then on. Revoking a revoked token changes
 * nothing and succeeds (its audit entry says so). An unknown id is a `NotFoundError`.
 */
export async function revokeToken(
  tokenId: string,
  audit: (before: TokenInfo, revokedAt: string) => AuditEntry,
): Promise<void> {
  const found = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk = :id',
      ExpressionAttributeValues: { ':pk': keys.tokensPartition, ':id': tokenId },
    }),
  );
  const item = found.Items?.[0];
  if (!item) throw new NotFoundError(`No token ${JSON.stringify(tokenId)}`);
  const before = tokenOf(item);
  const revokedAt = before.revokedAt ?? new Date().toISOString();
  await writeAudited(
    [
      {
        Update: {
          TableName: tableName(),
          Key: keys.token(String(item.tokenHash)),
          UpdateExpression: 'SET revokedAt = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': revokedAt },
        },
      },
    ],
    audit(before, revokedAt),
  );
}

const tokenOf = (item: Record<string, unknown>): TokenInfo => ({
  tokenId: String(item.tokenId),
  name: String(item.name),
  role: item.role as Role,
  createdAt: String(item.createdAt),
  expiresAt: (item.expiresAt as string | null | undefined) ?? null,
  lastUsedAt: (item.lastUsedAt as string | null | undefined) ?? null,
  revokedAt: (item.revokedAt as string | null | undefined) ?? null,
});

const withoutNulls = (value: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
