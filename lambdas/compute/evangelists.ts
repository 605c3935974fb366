import { type EligibilityRow, evangelistRows } from '../domain/eligibility.js';
import type { Month } from '../domain/month.js';
import { programs } from '../store/community-store.js';
import { getConfig } from '../store/config-store.js';
import { monthEvangelists } from '../store/evangelists-store.js';
import { loadAffiliationSources, staffAccountsOf } from './affiliation-sources.js';
import { loadMembers } from './community-members.js';

/**
 * The evangelists of `asOf`'s year as of `asOf` (SPEC §3 `GET /evangelists`), by
 * `memberId`: as the month's latest recalculation stored them — SPEC §3's recalculation
 * "recomputes KA metrics and eligibility", and a change of data shows when its months are
 * recalculated — so a request reads one month's list, not every activity. A month no recalculation
 * stored a list for (never computed, or computed by an older version) is computed from the stored
 * facts on request, as before, which resolves the whole community.
 * Without `includeStaff`, staff (at the end of `asOf`) are left out; with it they carry
 * `staff: true` and no tiers, and everyone else `staff: false`.
 */
export async function evangelistsAsOf(
  asOf: Month,
  includeStaff: boolean,
): Promise<EligibilityRow[]> {
  const rows = (await monthEvangelists(asOf)) ?? (await computedEvangelists(asOf));
  return includeStaff ? rows : rows.filter((row) => !row.staff).map(({ staff: _, ...row }) => row);
}

/** SPEC §3's evangelists resolved from every stored activity now, staff flagged. */
async function computedEvangelists(asOf: Month): Promise<EligibilityRow[]> {
  const config = await getConfig();
  const sources = await loadAffiliationSources(config);
  const [members, programsByYear] = await Promise.all([loadMembers(sources), programs()]);
  return evangelistRows(members.members, asOf, programsByYear, {
    sources,
    staffAccounts: staffAccountsOf(config, sources),
  });
}
