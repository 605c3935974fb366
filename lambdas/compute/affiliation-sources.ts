import type { AdminAffiliation, AffiliationSources } from '../domain/affiliation.js';
import type { Config } from '../domain/config.js';
import type { Member } from '../domain/identities.js';
import { type AccountRecord, accountDirectory } from '../store/accounts-store.js';
import { type AffiliationRecord, affiliationRecords } from '../store/corrections-store.js';

/**
 * What decides affiliations besides members' own activities (SPEC §1, §9), read from the store:
 * admin affiliation periods, account domains (never a personal-mail domain) and aliases.
 */
export async function loadAffiliationSources(config: Config): Promise<AffiliationSources> {
  const [directory, records] = await Promise.all([accountDirectory(), affiliationRecords()]);
  return sourcesOf(config, directory, records);
}

function sourcesOf(
  config: Config,
  directory: ReadonlyMap<string, AccountRecord>,
  records: readonly AffiliationRecord[],
): AffiliationSources {
  const aliasOf = new Map<string, string>();
  const domainOwner = new Map<string, string>();
  for (const account of directory.values()) {
    if (account.aliasOf !== null) aliasOf.set(account.accountId, account.aliasOf);
    for (const domain of account.domains) domainOwner.set(domain, account.accountId);
  }
  const personal = new Set(config.personalMailDomains);
  const byIdentity = new Map<string, AffiliationRecord[]>();
  for (const record of records) {
    for (const identity of record.identities) {
      byIdentity.set(identity, [...(byIdentity.get(identity) ?? []), record]);
    }
  }
  return {
    timeZone: config.timezone,
    periodsOf: (member: Member): readonly AdminAffiliation[] => {
      // Of two records that reach one member (set before a merge), the later one holds.
      let latest: AffiliationRecord | undefined;
      for (const identity of member.identities) {
        for (const record of byIdentity.get(identity) ?? []) {
          if (latest === undefined || record.updatedAt > latest.updatedAt) latest = record;
        }
      }
      return latest?.periods ?? [];
    },
    accountOfDomain: (domain) => (personal.has(domain) ? undefined : domainOwner.get(domain)),
    canonical: (accountId) => aliasOf.get(accountId) ?? accountId,
  };
}

/** The staff accounts of the configuration (SPEC §1 "Staff"), each resolved to its canonical id. */
export function staffAccountsOf(config: Config, sources: AffiliationSources): Set<string> {
  return new Set(config.staffAccounts.map((id) => sources.canonical(id)));
}
