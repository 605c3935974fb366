import pMap from 'p-map';
import type { CohortMonthInput } from '../domain/cohorts.js';
import type { Month } from '../domain/month.js';
import { kaOfAccounts, monthListAndNodes } from '../store/ka-store.js';

/**
 * What cohorts as of a month read (SPEC §10): each computed month up to it, its KAs and every
 * account's production nodes — reads proportional to the history asked about, nothing else.
 */
export async function cohortMonths(months: readonly Month[]): Promise<CohortMonthInput[]> {
  return pMap(
    months,
    async (month) => {
      const { accounts, nodes } = await monthListAndNodes(month);
      return { month, ka: kaOfAccounts(accounts), nodes };
    },
    { concurrency: 4 },
  );
}
