import { accountValuesOf, monthChanges } from '../domain/changes.js';
import type { AccountOfMonth } from '../domain/ka.js';
import type { KaMonthRow } from '../domain/ka-month-row.js';
import type { Month } from '../domain/month.js';
import { keepMailedResults, mailedResults, recordChanges } from '../store/changes-store.js';
import { kaAccounts } from '../store/ka-store.js';

export interface MailedMonthRecalculation {
  readonly month: Month;
  /** When the month's report was last mailed (ISO 8601). */
  readonly sentAt: string;
  /** The month's row as computed before this recalculation. */
  readonly previousRow: KaMonthRow;
  readonly row: KaMonthRow;
  readonly accounts: readonly AccountOfMonth[];
  readonly jobId: string | null;
}

/**
 * Records what a recalculation changed in a month already mailed (SPEC §9 "What changed"); call it
 * before the new results are saved. The first recalculation after a mailing keeps the previous
 * results as those mailed (the report was rendered from them), so `before` is always the value
 * as last mailed, and a forced resend starts a new baseline.
 */
export async function recordMailedMonthChanges(input: MailedMonthRecalculation): Promise<number> {
  const { month, sentAt } = input;
  const previous = {
    row: input.previousRow as unknown as Record<string, unknown>,
    accounts: accountValuesOf(await kaAccounts(month)),
  };
  let mailed = await mailedResults(month);
  if (mailed?.sentAt !== sentAt) {
    mailed = { sentAt, ...previous };
    await keepMailedResults(month, mailed);
  }
  const next = {
    row: input.row as unknown as Record<string, unknown>,
    accounts: accountValuesOf(input.accounts),
  };
  const at = new Date().toISOString();
  const changes = monthChanges(month, previous, next, mailed);
  await recordChanges(changes.map((change) => ({ ...change, at, jobId: input.jobId })));
  return changes.length;
}
