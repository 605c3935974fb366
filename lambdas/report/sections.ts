/**
 * The report's lists — accounts, tier members, talks and content — as display lines: names with
 * their fallbacks, sorted, and cut to what an email can show (the CSV attachment has every account).
 */

import { compareInstants } from '../domain/instant.js';
import type { AccountOfMonth } from '../domain/ka.js';
import { dateLabel, formatCount } from './format.js';
import type { ReportContent, ReportTier, TierMember } from './model.js';

/** Lines beyond this are summarised as "and N more": a mail is read, not searched. */
export const LIST_LIMIT = 15;

/**
 * Tier lines in the whole mail at `LIST_LIMIT`: a program may have many tiers, and the HTML part
 * must stay under 80 KB at any scale (SPEC §5). Each tier list gets its share, at least 2.
 */
export const TIER_LINES = 40;

/** Longest display texts, in characters; the CSV attachment and the API keep them whole. */
const maxNameChars = 60;
const maxTitleChars = 120;
/** A longer link is shown as text without it: a 2,000-character URL would be 2 KB a line. */
const maxUrlChars = 300;
/** Authors named on a content line; the rest are counted. */
const maxAuthors = 3;

/** The text cut to `max` characters (code points, never half a surrogate pair), with `…`. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

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
export function accountLines(
  accounts: readonly AccountOfMonth[],
  limit = LIST_LIMIT,
): Listing<AccountLine> {
  const lines = accounts
    .map((account) => ({
      accountId: account.accountId,
      name: clip(account.name?.trim() || account.accountId, maxNameChars),
      productionNodes: account.productionNodes,
      nodesText: formatCount(account.productionNodes),
    }))
    .sort((a, b) => b.productionNodes - a.productionNodes || byName(a, b));
  return listing(lines, limit);
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
  limit: number,
): Listing<MemberLine> {
  const lines = members
    .map((member) => ({
      memberId: member.memberId,
      name: clip(member.name?.trim() || member.memberId, maxNameChars),
      account:
        member.accountId === null
          ? null
          : clip(accountNames.get(member.accountId) ?? member.accountId, maxNameChars),
      count: member.count,
      progressText:
        member.count >= minCount ? `${member.count} this year` : `${member.count} of ${minCount}`,
    }))
    .sort((a, b) => b.count - a.count || byName(a, b));
  return listing(lines, limit);
}

/**
 * A tier's newly reached and one-step-away members, most active first; `tiers` is how many tiers
 * the mail shows, which sets each list's share of the tier lines allowed at `listLimit`.
 */
export function tierSection(
  tier: ReportTier,
  accounts: readonly AccountOfMonth[],
  tiers = 1,
  listLimit = LIST_LIMIT,
): TierSection {
  const names = new Map<string, string>();
  for (const account of accounts) if (account.name) names.set(account.accountId, account.name);
  const share = Math.floor((TIER_LINES * listLimit) / LIST_LIMIT / (2 * tiers));
  const limit = Math.min(listLimit, Math.max(2, share));
  return {
    id: tier.id,
    name: clip(tier.name, maxNameChars),
    minCount: tier.minCount,
    newlyReached: memberLines(tier.newlyReached, tier.minCount, names, limit),
    oneStepAway: memberLines(tier.oneStepAway, tier.minCount, names, limit),
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

/** `A`, `A and B`, `A, B and C`; beyond three names, `A, B, C and 4 others`. */
export function joinNames(names: readonly string[]): string {
  const clean = names.map((name) => name.trim()).filter((name) => name !== '');
  if (clean.length === 0) return '—';
  const shown = clean.slice(0, maxAuthors).map((name) => clip(name, maxNameChars));
  const others = clean.length - shown.length;
  if (others > 0) return `${shown.join(', ')} and ${others} other${others > 1 ? 's' : ''}`;
  const last = shown.at(-1) ?? '';
  return shown.length === 1 ? last : `${shown.slice(0, -1).join(', ')} and ${last}`;
}

/**
 * Only http(s) links reach the mail: a `javascript:` URL in community data must not be a link; an
 * overlong one is left out rather than cut (a cut link leads nowhere).
 */
const safeUrl = (url: string | null): string | null => {
  const trimmed = url?.trim() ?? '';
  return /^https?:\/\//i.test(trimmed) && trimmed.length <= maxUrlChars ? trimmed : null;
};

function contentLine(item: ReportContent): ContentLine {
  const kind = kindOf(item.type);
  return {
    kind,
    title: clip(item.title?.trim() || `Untitled ${kind.toLowerCase()}`, maxTitleChars),
    url: safeUrl(item.url),
    authors: joinNames(item.authors),
    date: dateLabel(item.occurredAt),
  };
}

/** M's talks and recognised content, each oldest first. */
export function contentSection(
  content: readonly ReportContent[],
  limit = LIST_LIMIT,
): ContentSection {
  const sorted = [...content].sort((a, b) => compareInstants(a.occurredAt, b.occurredAt));
  return {
    talks: listing(sorted.filter((item) => item.type === 'talk').map(contentLine), limit),
    recognised: listing(sorted.filter((item) => item.type !== 'talk').map(contentLine), limit),
  };
}
