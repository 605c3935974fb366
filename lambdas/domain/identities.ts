import { createHash } from 'node:crypto';
import type { Activity, IdentityKey, IdentityKind, MemberMerge, MemberSplit } from './community.js';
import { Components } from './components.js';
import { ValidationError } from './errors.js';
import { sortableInstant } from './instant.js';
import { type IdentityGroup, splitComponents } from './split-components.js';

/**
 * An identity in its matching form (SPEC §1): emails trimmed and case-folded, handles case-folded
 * (and trimmed, with a leading `@` dropped: `@Ada` and `ada` are one GitHub user).
 */
export function normalizeIdentity(kind: IdentityKind, value: string): IdentityKey {
  // NFC first: `josé` typed as é or as e + U+0301 is one identity (SPEC §1).
  const folded = value.trim().toLowerCase().normalize('NFC');
  if (kind === 'email') return `email:${asciiDomain(folded)}`;
  return `${kind}:${folded.replace(/^@/, '')}`;
}

/**
 * The address with its domain in ASCII (punycode) form, so `bücher.example` and
 * `xn--bcher-kva.example` are one domain (SPEC §1). WHATWG URL parsing applies IDNA (UTS #46);
 * a domain it refuses is kept as written, still lower-cased.
 */
export function asciiDomain(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0) return address;
  const domain = address.slice(at + 1);
  if (/^[\x21-\x7e]*$/.test(domain)) return address;
  try {
    return `${address.slice(0, at + 1)}${new URL(`http://${domain}`).hostname}`;
  } catch {
    return address;
  }
}

/** A community member as derived from the stored facts (SPEC §1 "Members and identities"). */
export interface Member {
  /** `m_` and 16 hex digits of the SHA-256 of the member's smallest identity key. */
  readonly memberId: string;
  /** Every identity of the member, sorted. */
  readonly identities: readonly IdentityKey[];
  /** The `name` of the member's latest activity that carried one; `null` when none did. */
  readonly name: string | null;
  /** The affiliation (SPEC §1 "Affiliation"); `null` when no activity carried an account. */
  readonly accountId: string | null;
  /** The member's activities, oldest first (ties by `activityId`), each once. */
  readonly activities: readonly Activity[];
}

/** Every member of the community, and which member an identity belongs to. */
export interface Members {
  /** Ordered by `memberId`. */
  readonly members: readonly Member[];
  /** The member holding the identity; `undefined` when no member does (see `resolveMembers`). */
  memberOf(identity: IdentityKey): string | undefined;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The activities, one per `activityId`, with their instants and first identity's number. */
interface Facts {
  readonly unique: Activity[];
  readonly instants: string[];
  readonly firstKeys: number[];
}

/** Sortable at full precision (SPEC §2); a malformed one throws rather than order by chance. */
const instantOf = ({ occurredAt }: Activity): string => sortableInstant(occurredAt);

/**
 * Joins each activity's identities and keeps one record per `activityId`, in one pass over the
 * activities (they are scattered in memory; each pass costs cache misses). The store keeps one
 * record already; should a copy still come twice, the larger serialisation wins, in any order.
 */
function readFacts(activities: readonly Activity[], components: Components): Facts {
  const facts: Facts = { unique: [], instants: [], firstKeys: [] };
  const positions = new Map<string, number>();
  for (const activity of activities) {
    if (activity.identities.length === 0) {
      throw new ValidationError(`activity ${activity.activityId} carries no identity`);
    }
    const firstKey = components.join(activity.identities);
    let position = positions.get(activity.activityId);
    if (position === undefined) {
      position = facts.unique.length;
      positions.set(activity.activityId, position);
    } else if (JSON.stringify(activity) <= JSON.stringify(facts.unique[position])) {
      continue;
    }
    facts.unique[position] = activity;
    facts.instants[position] = instantOf(activity);
    facts.firstKeys[position] = firstKey;
  }
  return facts;
}

/** The field's value on the latest activity (by `occurredAt`, then `activityId`) carrying one. */
function latest(sorted: readonly Activity[], field: 'name' | 'accountId'): string | null {
  for (let i = sorted.length - 1; i >= 0; i--) {
    const value = sorted[i]?.[field];
    if (value !== undefined) return value;
  }
  return null;
}

/**
 * The member id: a hash of the smallest identity key, so it does not depend on input order and
 * does not spell out an email. It changes when a merge brings in a smaller key; 64 bits make a
 * collision among 10⁵ members a one-in-10⁹ event.
 */
export function memberIdOf(smallestKey: IdentityKey): string {
  return `m_${createHash('sha256').update(smallestKey).digest('hex').slice(0, 16)}`;
}

/** A component with activities: its identity keys, and its activities by position. */
type Component = IdentityGroup;

/**
 * Members are the connected components of identities (SPEC §1): identities arriving together in
 * one activity, or named together in one admin merge, belong to one member, whatever the order of
 * the facts. Identities known only from merges join components but make no member on their own.
 * Admin splits (SPEC §9) keep their sides apart: the components they touch are rebuilt by
 * `splitComponents`, the others stay as they are.
 */
export function resolveMembers(
  activities: readonly Activity[],
  merges: readonly MemberMerge[],
  splits: readonly MemberSplit[] = [],
): Members {
  const components = new Components();
  const { unique, instants, firstKeys } = readFacts(activities, components);
  for (const merge of merges) if (merge.identities.length > 0) components.join(merge.identities);
  // Indexed by root number: a dense array beats a Map for half a million lookups.
  const byRoot: (Component | undefined)[] = new Array(components.keys.length);
  firstKeys.forEach((key, position) => {
    const root = components.root(key);
    const component = byRoot[root] ?? { identities: [], positions: [] };
    byRoot[root] = component;
    component.positions.push(position);
  });
  components.keys.forEach((key, i) => {
    byRoot[components.root(i)]?.identities.push(key as IdentityKey);
  });
  const groups =
    splits.length === 0
      ? byRoot
      : regroupSplit(byRoot, components, splits, merges, unique, instants);
  return membersFrom(groups, unique, instants);
}

/** `byRoot` with the components any split names rebuilt with the splits in force. */
function regroupSplit(
  byRoot: (Component | undefined)[],
  components: Components,
  splits: readonly MemberSplit[],
  merges: readonly MemberMerge[],
  activities: readonly Activity[],
  instants: readonly string[],
): (Component | undefined)[] {
  const touched = new Set<number>();
  for (const split of splits) {
    for (const identity of [...split.identities, ...split.rest]) {
      const number = components.lookup(identity);
      if (number !== undefined) touched.add(components.root(number));
    }
  }
  const positions: number[] = [];
  const identities: IdentityKey[] = [];
  for (const root of touched) {
    positions.push(...(byRoot[root]?.positions ?? []));
    identities.push(...(byRoot[root]?.identities ?? []));
    byRoot[root] = undefined;
  }
  const inTouched = new Set<string>(identities);
  const rebuilt = splitComponents({
    activities,
    instants,
    positions,
    identities,
    merges: merges.filter((merge) => merge.identities.some((identity) => inTouched.has(identity))),
    splits,
  });
  return [...byRoot, ...rebuilt];
}

/** The member of one component, its activities oldest first (ties by `activityId`). */
function memberFrom(
  component: Component,
  unique: readonly Activity[],
  instants: readonly string[],
): Member {
  const idAt = (position: number) => unique[position]?.activityId ?? '';
  const identities = component.identities.sort(compareText);
  const activities = component.positions
    .sort(
      (a, b) => compareText(instants[a] ?? '', instants[b] ?? '') || compareText(idAt(a), idAt(b)),
    )
    .map((position) => unique[position] as Activity);
  const member: Member = {
    memberId: memberIdOf(identities[0] as IdentityKey),
    identities,
    name: latest(activities, 'name'),
    accountId: latest(activities, 'accountId'),
    activities,
  };
  return member;
}

function membersFrom(
  byRoot: readonly (Component | undefined)[],
  unique: readonly Activity[],
  instants: readonly string[],
): Members {
  const members: Member[] = [];
  const memberIds = new Map<string, string>();
  for (const component of byRoot) {
    if (component === undefined) continue;
    const member = memberFrom(component, unique, instants);
    members.push(member);
    for (const identity of member.identities) memberIds.set(identity, member.memberId);
  }
  members.sort((a, b) => compareText(a.memberId, b.memberId));
  return { members, memberOf: (identity) => memberIds.get(identity) };
}
