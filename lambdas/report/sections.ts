/**
 * The report's lists — accounts, tier members, talks and content — as display lines: names with
 * their fallbacks, sorted, and cut to what an email can show (the CSV attachment has every account).
 */
import type { AccountOfMonth } from '../domain/ka.js';
import { dateLabel, formatCount } from './format.js';
import type { ReportContent, ReportTier, TierMember } from './model.js';

/** Lines beyond this are summarised as "and N more": a mail is read, not searched. */
export const LIST_LIMIT = 15;

/** The first `LIST_LIMIT` items of a list, and how many were left out. */
export interface Listing<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly hidden: number;
}

export function listing<T>(all: readonly T[], limit = LIST_LIMIT): Listing<T> {
  const items = all.slice(0, limit);
  return { items, total: all.length, hidden: all.length - items.length };
}

/** An account as a line: its name, or its id when it has none. */
export interface AccountLine {
  readonly accountId: string;
  readonly name: string;
  readonly productionNodes: number;
  readonly nodesText: string;
}

const byName = (a: { name: string }, b: { name: string }): number =>
  a.name.localeCompare(b.name, 'en');

/** Accounts with the most production nodes first (the biggest movement matters most). */
export function accountLines(accounts: readonly AccountOfMonth[]): Listing<AccountLine> {
  const lines = accounts
    .map((account) => ({
      accountId: account.accountId,
      name: account.name?.trim() || account.accountId,
      productionNodes: account.productionNodes,
      nodesText: formatCount(account.productionNodes),
    }))
    .sort((a, b) => b.productionNodes - a.productionNodes || byName(a, b));
  return listing(lines);
}

/** A member as a line: name (or id), the account they work for (name or id), their count. */
export interface MemberLine {
  readonly memberId: string;
  readonly name: string;
  readonly account: string | null;
  readonly count: number;
  /** `4 this year` once the tier is reached, `2 of 3` while on the way. */
  readonly progressText: string;
}

export interface TierSection {
  readonly id: string;
  readonly name: string;
  readonly minCount: number;
  readonly newlyReached: Listing<MemberLine>;
  readonly oneStepAway: Listing<MemberLine>;
}

function memberLines(
  members: readonly TierMember[],
  minCount: number,
  accountNames: ReadonlyMap<string, string>,
): Listing<MemberLine> {
  const lines = members
    .map((member) => ({
      memberId: member.memberId,
      name: member.name?.trim() || member.memberId,
      account:
        member.accountId === null ? null : (accountNames.get(member.accountId) ?? member.accountId),
      count: member.count,
      progressText:
        member.count >= minCount ? `${member.count} this year` : `${member.count} of ${minCount}`,
    }))
    .sort((a, b) => b.count - a.count || byName(a, b));
  return listing(lines);
}

/** A tier's newly reached and one-step-away members, most active first. */
export function tierSection(tier: ReportTier, accounts: readonly AccountOfMonth[]): TierSection {
  const names = new Map<string, string>();
  for (const account of accounts) if (account.name) names.set(account.accountId, account.name);
  return {
    id: tier.id,
    name: tier.name,
    minCount: tier.minCount,
    newlyReached: memberLines(tier.newlyReached, tier.minCount, names),
    oneStepAway: memberLines(tier.oneStepAway, tier.minCount, names),
  };
}

/** A talk or content piece as a line. */
export interface ContentLine {
  /** `Talk`, `Article`, `Case study`, … */
  readonly kind: string;
  readonly title: string;
  readonly url: string | null;
  /** `Ada Lovelace and Grace Hopper`, or `—`. */
  readonly authors: string;
  /** `12 Mar 2026`. */
  readonly date: string;
}

export interface ContentSection {
  readonly talks: Listing<ContentLine>;
  readonly recognised: Listing<ContentLine>;
}

const kindOf = (type: string): string => {
  const words = type.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** `A`, `A and B`, `A, B and C`. */
export function joinNames(names: readonly string[]): string {
  const clean = names.map((name) => name.trim()).filter((name) => name !== '');
  if (clean.length === 0) return '—';
  const last = clean.at(-1) ?? '';
  return clean.length === 1 ? last : `${clean.slice(0, -1).join(', ')} and ${last}`;
}

/** Only http(s) links reach the mail: a `javascript:` URL in community data must not be a link. */
const safeUrl = (url: string | null): string | null =>
  url !== null && /^https?:\/\//i.test(url.trim()) ? url.trim() : null;

function contentLine(item: ReportContent): ContentLine {
  const kind = kindOf(item.type);
  return {
    kind,
    title: item.title?.trim() || `Untitled ${kind.toLowerCase()}`,
    url: safeUrl(item.url),
    authors: joinNames(item.authors),
    date: dateLabel(item.occurredAt),
  };
}

/** M's talks and recognised content, each oldest first. */
export function contentSection(content: readonly ReportContent[]): ContentSection {
  const sorted = [...content].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
  return {
    talks: listing(sorted.filter((item) => item.type === 'talk').map(contentLine)),
    recognised: listing(sorted.filter((item) => item.type !== 'talk').map(contentLine)),
  };
}
