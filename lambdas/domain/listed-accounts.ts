/**
 * A month's account list with SPEC §10's figures: what each listed account ran in M-1, how many
 * champions it has, and whether the community brought it in.
 */
import { isCommunitySourced } from './community-sourced.js';
import type { AccountOfMonth, ListedAccount } from './ka.js';

export interface ListFigures {
  /** Production nodes per account in M-1 (`accountNodes(...).byAccount`). */
  readonly previousNodes: ReadonlyMap<string, number>;
  /** Each account's champions in M (`championsByAccount`). */
  readonly champions: ReadonlyMap<string, readonly unknown[]>;
  /** Each account's first community instant (`firstCommunityInstants`). */
  readonly firstCommunityInstants: ReadonlyMap<string, string>;
  /** M's first instant in the reporting zone, ISO 8601. */
  readonly monthStart: string;
}

/** A listed account as a recalculation computes it: every figure known. */
export interface ComputedAccount extends ListedAccount {
  readonly previousNodes: number;
  readonly communitySourced: boolean;
  readonly champions: number;
}

/**
 * The list's rows with `previousNodes` (0 when none in M-1), `communitySourced` and `champions`
 * (SPEC §3, §10), in the list's order.
 */
export function listedAccounts(
  accounts: readonly AccountOfMonth[],
  figures: ListFigures,
): ComputedAccount[] {
  return accounts.map((account) => ({
    ...account,
    previousNodes: figures.previousNodes.get(account.accountId) ?? 0,
    communitySourced: isCommunitySourced(
      account.accountId,
      account.status,
      figures.monthStart,
      figures.firstCommunityInstants,
    ),
    champions: figures.champions.get(account.accountId)?.length ?? 0,
  }));
}
