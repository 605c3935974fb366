import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { EligibilityRow } from '../domain/eligibility.js';
import type { Month } from '../domain/month.js';
import { db, tableName } from './client.js';
import { readJsonChunks, writeJsonChunks } from './json-chunks.js';
import { keys } from './keys.js';

/**
 * Replaces the evangelists as of `month` (SPEC §3 `GET /evangelists`: every member with a
 * qualifying activity in the month's year up to it, staff included with `staff` set), in JSON
 * chunks by member id. Called before the month's row is written: the row's `evangelists` count is
 * what tells a reader that the list is there (`monthEvangelists`).
 */
export async function saveMonthEvangelists(
  month: Month,
  rows: readonly EligibilityRow[],
): Promise<void> {
  await writeJsonChunks(keys.evangelistsPartition(month), rows, (row) => row.memberId);
}

/**
 * The evangelists as of `month` as its latest recalculation stored them, by `memberId`, staff
 * flagged; `undefined` when the month was never computed, or computed before lists were kept (its
 * row has no `evangelists` count). Costs the row's item and the list's chunks (16 KB each).
 */
export async function monthEvangelists(month: Month): Promise<EligibilityRow[] | undefined> {
  const { Item } = await db().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.kaMonth(month),
      ProjectionExpression: 'evangelists',
    }),
  );
  if (typeof Item?.evangelists !== 'number') return undefined;
  if (Item.evangelists === 0) return [];
  return readJsonChunks<EligibilityRow>(keys.evangelistsPartition(month));
}
