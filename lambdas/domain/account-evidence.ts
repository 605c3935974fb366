/**
 * What an account's numbers are made of (SPEC §7 accounts): its status in each computed month,
 * derived from its own production nodes by the same KA rules the recalculation applies.
 */
import { type AccountStatus, accountsOfMonth, type KaRules, kaHistory } from './ka.js';
import { compareMonths, type Month } from './month.js';

/** `other` is every account of a month that is neither KA, churned nor near-KA (SPEC §7). */
export type EvidenceStatus = AccountStatus | 'other';

export interface AccountMonth {
  readonly month: Month;
  readonly productionNodes: number;
  readonly status: EvidenceStatus;
}

export interface AccountMonthsInput {
  readonly accountId: string;
  /** The computed months, in any order. */
  readonly months: readonly Month[];
  /** The account's production nodes in a month (0 when none). */
  readonly nodesOf: (month: Month) => number;
  readonly rules: KaRules;
}

/**
 * The account's production nodes and status in every computed month, oldest first (SPEC §7
 * `GET /accounts/{accountId}` months), by running the KA history (SPEC §1 "Movements") over the
 * account alone: its status never depends on other accounts. Months between computed months count
 * as months without nodes, as the recalculation treats a gap.
 */
export function accountMonths(input: AccountMonthsInput): AccountMonth[] {
  const months = [...input.months].sort(compareMonths);
  const first = months[0];
  const last = months.at(-1);
  if (first === undefined || last === undefined) return [];
  const wanted = new Set(months);
  const history = kaHistory({
    from: first,
    to: last,
    byAccountOf: (month) =>
      wanted.has(month) ? new Map([[input.accountId, input.nodesOf(month)]]) : new Map(),
    previousKa: new Set(),
    everKaBefore: new Set(),
    rules: input.rules,
  });
  return history
    .filter((result) => wanted.has(result.month))
    .map((result) => {
      const productionNodes = input.nodesOf(result.month);
      const byAccount = new Map([[input.accountId, productionNodes]]);
      const [listed] = accountsOfMonth(result, byAccount);
      return { month: result.month, productionNodes, status: listed?.status ?? 'other' };
    });
}
