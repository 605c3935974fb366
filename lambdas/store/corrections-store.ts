/**
 * Corrections of members kept as facts (SPEC §9): admin splits and admin affiliation periods.
 * Members and affiliations are derived from them at computation time; each write marks every
 * month for recalculation.
 */
import type { AdminAffiliation } from '../domain/affiliation.js';
import type { IdentityKey, MemberSplit } from '../domain/community.js';
import { type AuditEntry, writeAudited } from './audit-store.js';
import { tableName } from './client.js';
import { keys } from './keys.js';
import { touchAllMonths } from './months-store.js';
import { queryAll } from './query.js';
import { replaceAudited } from './replace-audited.js';

/** Records a split with its audit entry (SPEC §8) and marks every month. */
export async function recordSplit(split: MemberSplit, audit: AuditEntry): Promise<void> {
  await writeAudited(
    [
      {
        Put: {
          TableName: tableName(),
          Item: { ...keys.split(split.splitAt, split.identities), ...split },
        },
      },
    ],
    audit,
  );
  await touchAllMonths();
}

/** Every split, oldest first. */
export async function memberSplits(): Promise<MemberSplit[]> {
  const items = await queryAll(keys.splitsPartition, {
    projection: ['identities', 'rest', 'splitAt'],
  });
  return items.map((item) => ({
    identities: item.identities as IdentityKey[],
    rest: item.rest as IdentityKey[],
    splitAt: item.splitAt as string,
  }));
}

/** A member's admin affiliation periods as set, with the identities the member had then. */
export interface AffiliationRecord {
  readonly identities: readonly IdentityKey[];
  readonly periods: readonly AdminAffiliation[];
  /** ISO 8601; of two records that reach one member (after a merge), the later one holds. */
  readonly updatedAt: string;
}

/**
 * Sets (or with no periods removes) the admin affiliation periods of the member whose smallest
 * identity is `identities[0]`, with its audit entry; `audit` receives the periods it replaced.
 */
export async function putAffiliations(
  identities: readonly IdentityKey[],
  periods: readonly AdminAffiliation[],
  audit: (before: readonly AdminAffiliation[]) => AuditEntry,
): Promise<void> {
  const [anchor] = identities;
  if (anchor === undefined) throw new Error('a member has at least one identity');
  await replaceAudited(
    keys.affiliations(anchor),
    () =>
      periods.length === 0 ? null : { identities, periods, updatedAt: new Date().toISOString() },
    (current) => audit((current?.periods as AdminAffiliation[] | undefined) ?? []),
  );
  await touchAllMonths();
}

/** Every member's admin affiliation periods. */
export async function affiliationRecords(): Promise<AffiliationRecord[]> {
  const items = await queryAll(keys.affiliationsPartition, {
    projection: ['identities', 'periods', 'updatedAt'],
  });
  return items.map((item) => ({
    identities: item.identities as IdentityKey[],
    periods: item.periods as AdminAffiliation[],
    updatedAt: item.updatedAt as string,
  }));
}
