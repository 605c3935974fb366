import { type AffiliationSources, activitiesOnly } from '../domain/affiliation.js';
import type { Config } from '../domain/config.js';

/**
 * What decides affiliations besides members' own activities (SPEC §1, §9): admin periods, account
 * domains and aliases, read from the store. Until those corrections are stored, activities alone
 * decide.
 */
export async function loadAffiliationSources(config: Config): Promise<AffiliationSources> {
  return activitiesOnly(config.timezone);
}

/** The staff accounts of the configuration (SPEC §1 "Staff"), each resolved to its canonical id. */
export function staffAccountsOf(config: Config, sources: AffiliationSources): Set<string> {
  return new Set(config.staffAccounts.map((id) => sources.canonical(id)));
}
