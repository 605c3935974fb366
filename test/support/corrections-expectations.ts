/**
 * The oracle for corrections (SPEC §1 affiliation at an instant, staff, champions; §9 splits,
 * affiliation periods, domains, aliases): computed from what was sent and what admins did, never
 * by calling `lambdas/`. Written to be obviously right, not fast.
 */
import {
  type CommunityFacts,
  countedKind,
  type FinalActivity,
  finalActivities,
  type Identities,
  identityKeysOf,
  programFor,
} from './community-expectations.js';
import { addMonths, monthInZone } from './ka-expectations.js';

/** What an admin corrected, in the order done (each with the instant it was done). */
export interface Corrections {
  /** `POST /admin/members/merge`, with when. */
  readonly merges: readonly { readonly identities: readonly Identities[]; readonly at: number }[];
  /** `POST /admin/members/split`: the named identities and the member's others then. */
  readonly splits: readonly {
    readonly named: readonly string[];
    readonly rest: readonly string[];
    readonly at: number;
  }[];
  /** `PUT /admin/members/{member}/affiliations`, by one identity of the member. */
  readonly periods: ReadonlyMap<
    string,
    readonly { accountId: string; from: string | null; to: string | null }[]
  >;
  /** `PUT /admin/accounts/{id}` domains, by account. */
  readonly domains: ReadonlyMap<string, readonly string[]>;
  /** `POST /admin/accounts/merge`: alias → canonical. */
  readonly aliases: ReadonlyMap<string, string>;
  readonly staffAccounts: readonly string[];
  readonly personalMailDomains: readonly string[];
}

export interface OracleMember {
  readonly identities: string[];
  readonly activities: FinalActivity[];
}

const at = (activity: FinalActivity) => Date.parse(activity.occurredAt);
const inOrder = (a: FinalActivity, b: FinalActivity) =>
  at(a) - at(b) || (a.activityId < b.activityId ? -1 : 1);

/**
 * SPEC §1 and §9: members from activities and merges, with splits that no later merge lifts. An
 * activity joins its identities into the member of its email (else github, else forum) unless
 * that would put two sides of a standing split together; identities are checked pair by pair.
 */
export function oracleMembers(facts: CommunityFacts, corrections: Corrections): OracleMember[] {
  const activities = [...finalActivities(facts).values()].sort(inOrder);
  const standing = corrections.splits.filter(
    (split) =>
      !corrections.merges.some((merge) => {
        if (merge.at <= split.at) return false;
        const keys = merge.identities.flatMap(identityKeysOf);
        return (
          keys.some((k) => split.named.includes(k)) && keys.some((k) => split.rest.includes(k))
        );
      }),
  );
  const groups: { identities: Set<string>; activities: FinalActivity[] }[] = [];
  const groupOf = (key: string) => groups.find((g) => g.identities.has(key));
  const ensure = (key: string) => {
    let group = groupOf(key);
    if (!group) {
      group = { identities: new Set([key]), activities: [] };
      groups.push(group);
    }
    return group;
  };
  const forbidden = (a: Set<string>, b: Set<string>) =>
    standing.some(
      (split) =>
        ([...a].some((k) => split.named.includes(k)) &&
          [...b].some((k) => split.rest.includes(k))) ||
        ([...a].some((k) => split.rest.includes(k)) && [...b].some((k) => split.named.includes(k))),
    );
  const unite = (keyA: string, keyB: string) => {
    const a = ensure(keyA);
    const b = ensure(keyB);
    if (a === b || forbidden(a.identities, b.identities)) return;
    for (const key of b.identities) a.identities.add(key);
    a.activities.push(...b.activities);
    groups.splice(groups.indexOf(b), 1);
  };
  const rank = (key: string) => (key.startsWith('email:') ? 0 : key.startsWith('github:') ? 1 : 2);
  const sidesTouch = (key: string) => {
    const group = groupOf(key);
    return (
      group !== undefined &&
      standing.some((s) =>
        [...group.identities].some((k) => s.named.includes(k) || s.rest.includes(k)),
      )
    );
  };
  const anchors = new Map<FinalActivity, string>();
  for (const activity of activities) {
    const keys = [...activity.identities].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
    const anchor = keys.find(sidesTouch) ?? (keys[0] as string);
    ensure(anchor);
    for (const key of keys) if (key !== anchor) unite(anchor, key);
    anchors.set(activity, anchor);
  }
  for (const merge of [...corrections.merges].sort((a, b) => a.at - b.at)) {
    const keys = merge.identities.flatMap(identityKeysOf).sort();
    for (const key of keys.slice(1)) unite(keys[0] as string, key);
  }
  for (const [activity, anchor] of anchors) groupOf(anchor)?.activities.push(activity);
  return groups
    .filter((g) => g.activities.length > 0)
    .map((g) => ({ identities: [...g.identities].sort(), activities: g.activities.sort(inOrder) }));
}

/** The date, `YYYY-MM-DD`, of an epoch in UTC (the scenarios run in UTC). */
const dateOf = (epoch: number) => new Date(epoch).toISOString().slice(0, 10);

/**
 * SPEC §1 "Affiliation at an instant": the admin period covering it, else the latest activity at
 * or before it that carried an account, else the earliest that did, else an email domain's
 * account (not a personal-mail domain), else none; aliases resolved.
 */
export function oracleAffiliation(
  member: OracleMember,
  instant: number,
  corrections: Corrections,
): string | null {
  const canonical = (id: string) => corrections.aliases.get(id) ?? id;
  for (const [identity, periods] of corrections.periods) {
    if (!member.identities.includes(identity)) continue;
    const date = dateOf(instant);
    const period = periods.find((p) => (p.from ?? '') <= date && date <= (p.to ?? '9999'));
    if (period) return canonical(period.accountId);
  }
  const carrying = member.activities.filter((a) => a.accountId !== undefined);
  const before = carrying.filter((a) => at(a) <= instant);
  const stated = before.at(-1) ?? carrying[0];
  if (stated?.accountId) return canonical(stated.accountId);
  for (const identity of member.identities) {
    if (!identity.startsWith('email:')) continue;
    const domain = identity.slice(identity.indexOf('@') + 1);
    if (corrections.personalMailDomains.includes(domain)) continue;
    for (const [accountId, domains] of corrections.domains) {
      if (domains.includes(domain)) return canonical(accountId);
    }
  }
  return null;
}

/** The last millisecond of `month` (UTC). */
export const endOfMonth = (month: string) => Date.parse(`${addMonths(month, 1)}-01T00:00:00Z`) - 1;

const isStaff = (accountId: string | null, corrections: Corrections) =>
  accountId !== null &&
  corrections.staffAccounts.map((id) => corrections.aliases.get(id) ?? id).includes(accountId);

/** SPEC §1 champion coverage of `month` for its KAs, with affiliation at the end of the month. */
export function oracleChampionCoverage(
  members: readonly OracleMember[],
  kas: readonly string[],
  month: string,
  corrections: Corrections,
): number | null {
  if (kas.length === 0) return null;
  const champions = new Set<string>();
  for (const member of members) {
    const accountId = oracleAffiliation(member, endOfMonth(month), corrections);
    if (accountId === null || isStaff(accountId, corrections)) continue;
    const active = member.activities.some((a) => {
      const m = monthInZone(a.occurredAt, 'UTC');
      return countedKind(a) !== null && m >= addMonths(month, -11) && m <= month;
    });
    if (active) champions.add(accountId);
  }
  return kas.filter((k) => champions.has(k)).length / kas.length;
}

export interface OracleEvangelist {
  readonly identities: readonly string[];
  readonly accountId: string | null;
  readonly tiers: readonly string[];
  readonly staff: boolean;
}

/** SPEC §3 `GET /evangelists?includeStaff=true`: staff listed with no tiers. */
export function oracleEvangelists(
  facts: CommunityFacts,
  members: readonly OracleMember[],
  year: number,
  asOf: string,
  corrections: Corrections,
): OracleEvangelist[] {
  const { tiers } = programFor(year, facts.programs);
  return members.flatMap((member) => {
    const tally: Record<string, number> = {};
    for (const activity of member.activities) {
      const kind = countedKind(activity);
      const month = monthInZone(activity.occurredAt, 'UTC');
      if (kind !== null && month >= `${year}-01` && month <= asOf) {
        tally[kind] = (tally[kind] ?? 0) + 1;
      }
    }
    if (Object.keys(tally).length === 0) return [];
    const accountId = oracleAffiliation(member, endOfMonth(asOf), corrections);
    const staff = isStaff(accountId, corrections);
    const reached = tiers
      .filter((t) => t.counts.reduce((sum, kind) => sum + (tally[kind] ?? 0), 0) >= t.minCount)
      .map((t) => t.id);
    return [{ identities: member.identities, accountId, tiers: staff ? [] : reached, staff }];
  });
}
