/**
 * What changed in a month already mailed (SPEC §9 "What changed"): the fields of its
 * `GET /metrics/ka` row and the accounts of its list whose values a recalculation changed.
 */
import type { Month } from './month.js';

/** An account of a month's list as the change record shows it. */
export interface AccountValues {
  readonly status: string;
  readonly productionNodes: number;
}

/** A month's results as compared: its row and its account list by account id. */
export interface MonthResults {
  readonly row: Readonly<Record<string, unknown>>;
  readonly accounts: ReadonlyMap<string, AccountValues>;
}

/** One change (SPEC §9): `field` is a row field or `account:<id>`. */
export interface MonthChange {
  readonly month: Month;
  readonly field: string;
  /** The value as last mailed; `null` when the field or account was not in the mailed month. */
  readonly before: unknown;
  readonly after: unknown;
}

/** Row fields that change with every computation and say nothing about the month. */
const ignored = new Set(['month', 'computedAt']);

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The changes a recalculation made to a mailed month (SPEC §9): each row field (but `computedAt`)
 * the previous computation had, and each account (`status`, `productionNodes`), whose value
 * differs between the `previous` computation and the `next`, with `before` taken from what was mailed (`mailed`) and `after`
 * from `next` (`null` for an account leaving the list, or a field missing). Row fields first in
 * `next`'s order, then accounts by id.
 */
export function monthChanges(
  month: Month,
  previous: MonthResults,
  next: MonthResults,
  mailed: MonthResults,
): MonthChange[] {
  const changes: MonthChange[] = [];
  const fields = new Set([...Object.keys(next.row), ...Object.keys(previous.row)]);
  for (const field of fields) {
    // A field the previous computation did not have yet (added by an upgrade) is not a change.
    if (ignored.has(field) || !(field in previous.row)) continue;
    if (same(previous.row[field], next.row[field])) continue;
    changes.push({
      month,
      field,
      before: mailed.row[field] ?? null,
      after: next.row[field] ?? null,
    });
  }
  const accounts = [...new Set([...previous.accounts.keys(), ...next.accounts.keys()])].sort();
  for (const accountId of accounts) {
    const after = next.accounts.get(accountId) ?? null;
    if (same(previous.accounts.get(accountId) ?? null, after)) continue;
    changes.push({
      month,
      field: `account:${accountId}`,
      before: mailed.accounts.get(accountId) ?? null,
      after,
    });
  }
  return changes;
}

/** The account values of a month's list, by account id. */
export function accountValuesOf(
  accounts: readonly { accountId: string; status: string; productionNodes: number }[],
): Map<string, AccountValues> {
  return new Map(
    accounts.map((a) => [a.accountId, { status: a.status, productionNodes: a.productionNodes }]),
  );
}
