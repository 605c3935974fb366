import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { parseMonth } from '../domain/month.js';
import type { Role } from '../domain/roles.js';
import { db, tableName } from './client.js';
import { keys } from './keys.js';
import { type MonthPosition, pageOfMonths } from './month-pages.js';

/** One change made through the API, as `GET /admin/audit` lists it (SPEC §8). */
export interface AuditEntry {
  /** ISO 8601 instant of the change. */
  readonly at: string;
  /** The token's name; `bootstrap` for `FLYWHEEL_ADMIN_TOKEN`. */
  readonly actor: string;
  readonly role: Role;
  readonly method: string;
  /** The request path as received. */
  readonly path: string;
  /** What changed, `kind:id` (`account:acme`, `config`, `token:tok_…`). */
  readonly target: string;
  /** The fields the change touched, before and after; `null` before a creation. Never a secret. */
  readonly before: Record<string, unknown> | null;
  readonly after: Record<string, unknown> | null;
}

/** One item of a DynamoDB transaction, as `TransactWriteCommand` takes it. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** SPEC §8 keeps entries at least 400 days; DynamoDB's TTL removes them a day after that. */
const retentionSeconds = 401 * 24 * 3600;

/**
 * A conditional part of an audited write failed: what was read changed meanwhile (the caller
 * re-reads and retries) or what must not exist exists (the caller answers 409).
 */
export class ChangeConflict extends Error {
  /** Index of each transaction item whose condition failed. */
  constructor(readonly failedItems: readonly number[]) {
    super(`conditions failed on items ${failedItems.join(', ')}`);
    this.name = 'ChangeConflict';
  }
}

/**
 * Writes a change and its audit entry in one transaction (SPEC §8): neither a change without its
 * entry nor an entry without its change can happen. Throws `ChangeConflict` when a condition of
 * `changes` failed; DynamoDB's other failures pass through (the HTTP shell maps throttling to 503).
 */
export async function writeAudited(
  changes: readonly TransactItem[],
  entry: AuditEntry,
): Promise<void> {
  const expiresAt = Math.floor(Date.parse(entry.at) / 1000) + retentionSeconds;
  const auditPut: TransactItem = {
    Put: {
      TableName: tableName(),
      Item: { ...keys.auditEntry(entry.at, randomUUID()), ...entry, expiresAt },
    },
  };
  try {
    await db().send(new TransactWriteCommand({ TransactItems: [...changes, auditPut] }));
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const failed = (error.CancellationReasons ?? []).flatMap((reason, i) =>
      reason.Code === 'ConditionalCheckFailed' ? [i] : [],
    );
    if (failed.length === 0) throw error;
    throw new ChangeConflict(failed);
  }
}

export interface AuditQuery {
  /** Inclusive ISO 8601 instants. */
  readonly from: string;
  readonly to: string;
  readonly actor?: string;
  readonly limit: number;
  readonly after?: AuditPosition;
}

/** Where a page stopped: the UTC month being read and DynamoDB's position in it. */
export type AuditPosition = MonthPosition;

/** Entries between `from` and `to`, newest first, a page at a time (SPEC §8). */
export async function listAudit(
  query: AuditQuery,
): Promise<{ entries: AuditEntry[]; next: AuditPosition | null }> {
  // Partitions are UTC months (`keys.auditEntry`): the instants' first seven characters.
  const range = { from: parseMonth(query.from.slice(0, 7)), to: parseMonth(query.to.slice(0, 7)) };
  const page = await pageOfMonths(
    range,
    query.limit,
    query.after,
    (month) => ({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ...(query.actor ? { FilterExpression: 'actor = :actor' } : {}),
      ExpressionAttributeValues: {
        ':pk': keys.auditPartition(month),
        ':from': keys.auditEntry(query.from, '').sk,
        // `~` sorts after the `#<id>` that follows an instant: `to` is inclusive.
        ':to': `${keys.auditEntry(query.to, '').sk}~`,
        ...(query.actor ? { ':actor': query.actor } : {}),
      },
      ScanIndexForward: false,
    }),
    entryOf,
  );
  return { entries: page.items, next: page.next };
}

const entryOf = (item: Record<string, unknown>): AuditEntry => ({
  at: String(item.at),
  actor: String(item.actor),
  role: item.role as Role,
  method: String(item.method),
  path: String(item.path),
  target: String(item.target),
  before: (item.before as Record<string, unknown> | null | undefined) ?? null,
  after: (item.after as Record<string, unknown> | null | undefined) ?? null,
});
