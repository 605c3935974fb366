/**
 * KA cohorts (SPEC §10): accounts grouped by the year they first became key accounts, and how the
 * production nodes of each group kept (GRR) and grew (NRR) against what they ran when they joined.
 */
import { compareMonths, type Month, yearOf } from './month.js';

/** What cohorts read of one computed month: its KAs and every account's production nodes. */
export interface CohortMonthInput {
  readonly month: Month;
  readonly ka: ReadonlySet<string>;
  /** Production nodes per account in the month; an account absent ran none. */
  readonly nodes: ReadonlyMap<string, number>;
}

/** One computed month of a cohort's curve (SPEC §10 `GET /metrics/cohorts`). */
export interface CohortMonth {
  readonly month: Month;
  /** Cohort accounts whose first KA month is at or before this month. */
  readonly accounts: number;
  /** How many of them are KA in this month. */
  readonly kaAccounts: number;
  /** Σ of their production nodes in their first KA month. */
  readonly baseNodes: number;
  /** Σ of their production nodes in this month. */
  readonly nodes: number;
  /** nodes / baseNodes; `null` when baseNodes is 0. */
  readonly nrr: number | null;
  /** Σ min(nodes now, nodes in the first KA month) / baseNodes; `null` when baseNodes is 0. */
  readonly grr: number | null;
}

export interface Cohort {
  /** The year of the accounts' first KA month, e.g. `"2025"`. */
  readonly cohort: string;
  /** The cohort's accounts and base nodes as of `asOf`. */
  readonly accounts: number;
  readonly baseNodes: number;
  readonly months: readonly CohortMonth[];
}

interface Joined {
  readonly accountId: string;
  readonly month: Month;
  readonly baseNodes: number;
}

const share = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/**
 * The cohorts as of `asOf` from the computed months up to it (any order; later ones are ignored):
 * an account joins the cohort of its first KA month's year in that month, and each cohort has one
 * entry per computed month from its earliest first KA month to `asOf` (SPEC §10). Oldest cohort
 * first.
 */
export function cohorts(computed: readonly CohortMonthInput[], asOf: Month): Cohort[] {
  const months = computed
    .filter((m) => compareMonths(m.month, asOf) <= 0)
    .sort((a, b) => compareMonths(a.month, b.month));
  const joined = new Map<string, Joined>();
  for (const { month, ka, nodes } of months) {
    for (const accountId of ka) {
      if (!joined.has(accountId)) {
        joined.set(accountId, { accountId, month, baseNodes: nodes.get(accountId) ?? 0 });
      }
    }
  }
  const byYear = new Map<number, Joined[]>();
  for (const account of joined.values()) {
    const year = yearOf(account.month);
    const list = byYear.get(year) ?? [];
    list.push(account);
    byYear.set(year, list);
  }
  return [...byYear.entries()]
    .sort(([a], [b]) => a - b)
    .map(([year, accounts]) => {
      const curve = cohortCurve(accounts, months);
      const last = curve.at(-1);
      return {
        cohort: String(year),
        accounts: last?.accounts ?? 0,
        baseNodes: last?.baseNodes ?? 0,
        months: curve,
      };
    });
}

function cohortCurve(accounts: readonly Joined[], months: readonly CohortMonthInput[]) {
  const start = accounts.map((a) => a.month).sort(compareMonths)[0];
  const curve: CohortMonth[] = [];
  for (const { month, ka, nodes } of months) {
    if (start === undefined || compareMonths(month, start) < 0) continue;
    let [count, kaAccounts, baseNodes, now, kept] = [0, 0, 0, 0, 0];
    for (const account of accounts) {
      if (compareMonths(account.month, month) > 0) continue;
      const current = nodes.get(account.accountId) ?? 0;
      count++;
      if (ka.has(account.accountId)) kaAccounts++;
      baseNodes += account.baseNodes;
      now += current;
      kept += Math.min(current, account.baseNodes);
    }
    curve.push({
      month,
      accounts: count,
      kaAccounts,
      baseNodes,
      nodes: now,
      nrr: share(now, baseNodes),
      grr: share(kept, baseNodes),
    });
  }
  return curve;
}
