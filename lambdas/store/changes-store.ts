/**
 * What changed in months already mailed (SPEC §9): the results as mailed (the baseline each
 * change's `before` comes from) and the changes recorded by recalculations.
 */
import type { AccountValues, MonthChange, MonthResults } from '../domain/changes.js';
import type { Month } from '../domain/month.js';
import { batchGet, batchWrite, putRequest } from './batch.js';
import { readJsonChunks, writeJsonChunks } from './json-chunks.js';
import { keys, utcInstant } from './keys.js';
import { queryAll } from './query.js';

/** A month's results as mailed with the report sent at `sentAt`. */
export interface MailedResults extends MonthResults {
  readonly sentAt: string;
}

type MailedAccount = AccountValues & { readonly accountId: string };

/** The results of a month as last mailed; `undefined` when none were kept. */
export async function mailedResults(month: Month): Promise<MailedResults | undefined> {
  const [item] = await batchGet([keys.mailedRow(month)]);
  if (!item) return undefined;
  const accounts = await readJsonChunks<MailedAccount>(keys.mailedAccountsPartition(month));
  return {
    sentAt: item.sentAt as string,
    row: item.row as Record<string, unknown>,
    accounts: new Map(accounts.map(({ accountId, ...values }) => [accountId, values])),
  };
}

/** Keeps a month's results as mailed by the report sent at `sentAt` (a resend replaces them). */
export async function keepMailedResults(month: Month, mailed: MailedResults): Promise<void> {
  await writeJsonChunks<MailedAccount>(
    keys.mailedAccountsPartition(month),
    [...mailed.accounts].map(([accountId, values]) => ({ accountId, ...values })),
    (account) => account.accountId,
  );
  await batchWrite([
    putRequest({ ...keys.mailedRow(month), month, sentAt: mailed.sentAt, row: mailed.row }),
  ]);
}

/** A recorded change (SPEC §9 `GET /admin/changes`). */
export interface RecordedChange extends MonthChange {
  /** When the recalculation recorded it (ISO 8601). */
  readonly at: string;
  /** The recalculation job; `null` for the daily schedule's. */
  readonly jobId: string | null;
}

export async function recordChanges(changes: readonly RecordedChange[]): Promise<void> {
  await batchWrite(
    changes.map((change) =>
      putRequest({ ...keys.change(change.month, change.at, change.field), ...change }),
    ),
  );
}

const changeOf = (item: Record<string, unknown>): RecordedChange => ({
  month: item.month as Month,
  field: item.field as string,
  before: item.before ?? null,
  after: item.after ?? null,
  at: item.at as string,
  jobId: (item.jobId as string | null | undefined) ?? null,
});

const fields = ['month', 'field', 'before', 'after', 'at', 'jobId'];

/** The changes of one month, or of every month; unordered (the route orders them). */
export async function listChanges(month?: Month): Promise<RecordedChange[]> {
  const items =
    month === undefined
      ? await queryAll(keys.changesByTimePartition, { index: 'gsi1' })
      : await queryAll(keys.changesPartition(month), { projection: fields });
  return items.map(changeOf);
}

/** The changes recorded after the instant (ISO 8601), oldest first: the report's corrections. */
export async function changesSince(after: string): Promise<RecordedChange[]> {
  const items = await queryAll(keys.changesByTimePartition, {
    index: 'gsi1',
    // `$` sorts after the `#` that follows each instant: strictly after `after`.
    between: [`${utcInstant(after)}$`, '~'],
  });
  return items.map(changeOf);
}
