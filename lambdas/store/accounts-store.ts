import { GetCommand } from '@aws-sdk/lib-dynamodb';
/**
 * Accounts as admins describe them (SPEC §3 `PUT /admin/accounts`, §9 aliases): names, email
 * domains and aliases, in the `ACCOUNT` partition, plus one item per held domain so that two
 * accounts can never hold one domain.
 */
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { type AuditEntry, ChangeConflict, type TransactItem, writeAudited } from './audit-store.js';
import { batchGet } from './batch.js';
import { db, tableName } from './client.js';
import { keys } from './keys.js';
import { touchAllMonths } from './months-store.js';
import { queryAll } from './query.js';
import { replaceAudited } from './replace-audited.js';

export interface AccountRecord {
  readonly accountId: string;
  readonly name: string | null;
  /** Email domains (ASCII, lower case) whose people work there (SPEC §1). */
  readonly domains: readonly string[];
  /** The canonical account this one is an alias of (SPEC §9); `null` for a canonical account. */
  readonly aliasOf: string | null;
}

const recordOf = (item: Record<string, unknown>): AccountRecord => ({
  accountId: item.sk as string,
  name: (item.name as string | undefined) ?? null,
  domains: (item.domains as string[] | undefined) ?? [],
  aliasOf: (item.aliasOf as string | undefined) ?? null,
});

/** Every account an admin named, gave domains or made an alias, by id: one query. */
export async function accountDirectory(): Promise<Map<string, AccountRecord>> {
  const items = await queryAll(keys.accountsPartition, {
    projection: ['sk', 'name', 'domains', 'aliasOf'],
  });
  return new Map(items.map((item) => [item.sk as string, recordOf(item)]));
}

/** One account's record by key, or `undefined` when no admin named it or made it an alias. */
export async function accountRecord(accountId: string): Promise<AccountRecord | undefined> {
  const result = await db().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.account(accountId),
      ProjectionExpression: 'sk, #name, domains, aliasOf',
      ExpressionAttributeNames: { '#name': 'name' },
    }),
  );
  return result.Item ? recordOf(result.Item) : undefined;
}

/** The aliases of `accountId` (SPEC §9), sorted, from `gsi1`: never the whole directory. */
export async function aliasesOf(accountId: string): Promise<string[]> {
  const items = await queryAll(keys.aliasesByAccountPartition(accountId), {
    index: 'gsi1',
    projection: ['sk'],
  });
  return items.map((item) => item.sk as string).sort();
}

/** Account names by id, for every account an admin has named. */
export async function accountNames(): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const account of (await accountDirectory()).values()) {
    if (account.name !== null) names.set(account.accountId, account.name);
  }
  return names;
}

type AccountFields = { readonly name: string | null; readonly domains: readonly string[] };

/**
 * Sets an account's display name and, when given, its email domains (creating the account when it
 * is new), with its audit entry; `audit` receives what it had, `null` for a new account. A domain
 * another account holds is a `ConflictError` naming it; the domains' own items keep that true
 * under concurrent writes too. A change of domains marks every month (affiliations may change).
 */
export async function putAccount(
  accountId: string,
  update: { readonly name: string; readonly domains?: readonly string[] | undefined },
  audit: (before: AccountFields | null) => AuditEntry,
): Promise<void> {
  const { domains } = update;
  if (domains !== undefined) {
    const holders = await batchGet(domains.map((domain) => keys.accountDomain(domain)));
    const taken = holders.find((item) => item.accountId !== accountId);
    if (taken) {
      throw new ConflictError(
        `domain ${String(taken.domain)} belongs to account ${String(taken.accountId)}; remove it there first`,
      );
    }
  }
  const domainsOf = (item: Record<string, unknown> | undefined): string[] =>
    (item?.domains as string[] | undefined) ?? [];
  const before = await replaceAudited(
    keys.account(accountId),
    (current) => ({
      ...current,
      accountId,
      name: update.name,
      ...(domains === undefined ? {} : { domains: [...domains] }),
      updatedAt: new Date().toISOString(),
    }),
    (current) =>
      audit(
        current
          ? { name: (current.name as string | undefined) ?? null, domains: domainsOf(current) }
          : null,
      ),
    (current) =>
      domains === undefined ? [] : domainChanges(accountId, domainsOf(current), domains),
  );
  const changed = domains !== undefined && domainsOf(before).join() !== [...domains].join();
  if (changed) await touchAllMonths();
}

/** Claims the added domains for the account and releases the removed ones, conditionally. */
function domainChanges(
  accountId: string,
  before: readonly string[],
  after: readonly string[],
): TransactItem[] {
  const mine = {
    ConditionExpression: 'attribute_not_exists(pk) OR accountId = :account',
    ExpressionAttributeValues: { ':account': accountId },
  };
  const added = after.filter((domain) => !before.includes(domain));
  const removed = before.filter((domain) => !after.includes(domain));
  return [
    ...added.map((domain) => ({
      Put: {
        TableName: tableName(),
        Item: { ...keys.accountDomain(domain), domain, accountId },
        ...mine,
      },
    })),
    ...removed.map((domain) => ({
      Delete: { TableName: tableName(), Key: keys.accountDomain(domain), ...mine },
    })),
  ];
}

/** An alias change as one conditional update; the revision moves as `replaceAudited`'s does. */
function aliasUpdate(
  accountId: string,
  aliasOf: string | null,
  expected: string | null,
): TransactItem {
  const place = aliasOf === null ? undefined : keys.aliasByAccount(aliasOf, accountId);
  return {
    Update: {
      TableName: tableName(),
      Key: keys.account(accountId),
      // The alias's place on gsi1 (`keys.aliasByAccount`) moves with it.
      UpdateExpression:
        aliasOf === null
          ? 'SET revision = if_not_exists(revision, :zero) + :one REMOVE aliasOf, gsi1pk, gsi1sk'
          : 'SET aliasOf = :into, accountId = :id, revision = if_not_exists(revision, :zero) + :one, gsi1pk = :gpk, gsi1sk = :gsk',
      ConditionExpression:
        expected === null ? 'attribute_not_exists(aliasOf)' : 'aliasOf = :expected',
      ExpressionAttributeValues: {
        ':zero': 0,
        ':one': 1,
        ...(place
          ? { ':into': aliasOf, ':id': accountId, ':gpk': place.gsi1pk, ':gsk': place.gsi1sk }
          : {}),
        ...(expected === null ? {} : { ':expected': expected }),
      },
    },
  };
}

/**
 * Makes each of `accounts` an alias of `into` (SPEC §9), with one audit entry (`audit` receives
 * the aliases of `into` before and after); the aliases an account already had move to `into` with
 * it, so there are never chains. `into` being an alias is a `ValidationError`, an account already
 * an alias of another a `ConflictError`. Returns the aliases of `into` afterwards. Every month is
 * marked for recalculation.
 */
export async function mergeAccounts(
  into: string,
  accounts: readonly string[],
  audit: (before: readonly string[], after: readonly string[]) => AuditEntry,
): Promise<string[]> {
  const directory = await accountDirectory();
  const target = directory.get(into)?.aliasOf;
  if (target) {
    throw new ValidationError(`into: ${into} is an alias of ${target}; merge into ${target}`);
  }
  const aliasesOf = (id: string) =>
    [...directory.values()].filter((a) => a.aliasOf === id).map((a) => a.accountId);
  const before = aliasesOf(into).sort();
  const after = new Set(before);
  const changes: TransactItem[] = [];
  for (const accountId of accounts) {
    const current = directory.get(accountId)?.aliasOf ?? null;
    if (current === into) continue;
    if (current !== null) {
      throw new ConflictError(`${accountId} is already an alias of ${current}; undo that first`);
    }
    changes.push(aliasUpdate(accountId, into, null));
    after.add(accountId);
    for (const alias of aliasesOf(accountId)) {
      changes.push(aliasUpdate(alias, into, accountId));
      after.add(alias);
    }
  }
  changes.push({
    ConditionCheck: {
      TableName: tableName(),
      Key: keys.account(into),
      ConditionExpression: 'attribute_not_exists(aliasOf)',
    },
  });
  const aliases = [...after].sort();
  try {
    await writeAudited(changes, audit(before, aliases));
  } catch (error) {
    if (!(error instanceof ChangeConflict)) throw error;
    throw new ConflictError('These accounts are being changed by others right now; retry');
  }
  await touchAllMonths();
  return aliases;
}

/**
 * Undoes one alias (SPEC §9): from the next recalculation `alias` is an account of its own again.
 * `NotFoundError` when it is not an alias of `accountId`. Every month is marked for recalculation.
 */
export async function removeAlias(
  accountId: string,
  alias: string,
  audit: AuditEntry,
): Promise<void> {
  try {
    await writeAudited([aliasUpdate(alias, null, accountId)], audit);
  } catch (error) {
    if (!(error instanceof ChangeConflict)) throw error;
    throw new NotFoundError(`${alias} is not an alias of ${accountId}`);
  }
  await touchAllMonths();
}
