import type { NamedAccount } from '../domain/attribution.js';
import type { Members } from '../domain/identities.js';
import { memberSummary } from '../domain/member-evidence.js';
import { saveNamedAccounts } from '../store/cluster-store.js';
import { saveMemberIndex } from '../store/member-index-store.js';

/**
 * Saves what a recalculation resolved that the evidence routes (SPEC §7) read by key: the account
 * each cluster's snapshots last named, and the members with their identities and affiliations.
 * A few chunk writes per recalculation, so that a read of one account or member is a few units.
 */
export async function saveEvidenceIndexes(
  named: ReadonlyMap<string, NamedAccount>,
  members: Members,
  timeZone: string,
): Promise<void> {
  await Promise.all([
    saveNamedAccounts(named),
    saveMemberIndex(members.members.map((member) => memberSummary(member, timeZone))),
  ]);
}
