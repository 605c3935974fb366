import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../domain/errors.js';
import { type AuditEntry, ChangeConflict, type TransactItem, writeAudited } from './audit-store.js';
import { db, tableName } from './client.js';

type Item = Record<string, unknown>;
type Key = { pk: string; sk: string };

const attempts = 5;

/**
 * Replaces the item at `key` with `next(current)` (`null` deletes it) together with its audit entry
 * (SPEC §8), in one transaction conditional on the item being as read — a `revision` counter each
 * replacement bumps — so that two concurrent changes each get the `before` they really replaced.
 * Returns the item as it was. Throws `ConflictError` when others keep changing it. `related` adds
 * items to the same transaction (e.g. the uniqueness items of an account's domains).
 */
export async function replaceAudited(
  key: Key,
  next: (current: Item | undefined) => Item | null,
  audit: (current: Item | undefined) => AuditEntry,
  related: (current: Item | undefined) => readonly TransactItem[] = () => [],
): Promise<Item | undefined> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const { Item: current } = await db().send(
      new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }),
    );
    const replacement = next(current);
    try {
      await writeAudited(
        [...changeOf(key, current, replacement), ...related(current)],
        audit(current),
      );
      return current;
    } catch (error) {
      if (!(error instanceof ChangeConflict)) throw error;
    }
  }
  throw new ConflictError('This is being changed by others right now; retry');
}

function changeOf(key: Key, current: Item | undefined, replacement: Item | null): TransactItem[] {
  const revision = typeof current?.revision === 'number' ? current.revision : undefined;
  const asRead =
    current === undefined
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : revision === undefined
        ? { ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revision)' }
        : {
            ConditionExpression: 'revision = :revision',
            ExpressionAttributeValues: { ':revision': revision },
          };
  if (replacement !== null) {
    const item = { ...replacement, ...key, revision: (revision ?? 0) + 1 };
    return [{ Put: { TableName: tableName(), Item: item, ...asRead } }];
  }
  // Deleting what is not there changes nothing: the entry alone records the request.
  return current === undefined ? [] : [{ Delete: { TableName: tableName(), Key: key, ...asRead } }];
}
