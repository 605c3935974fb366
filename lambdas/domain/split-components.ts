/**
 * Members with admin splits applied (SPEC §9 `POST /admin/members/split`): the components of
 * identities again, but built one fact at a time in a fixed order, refusing every join that would
 * put the two sides of a split back together.
 */
import type { Activity, IdentityKey, MemberMerge, MemberSplit } from './community.js';
import { Components } from './components.js';

/** Identities and the activities (by position) of one member. */
export interface IdentityGroup {
  readonly identities: IdentityKey[];
  readonly positions: number[];
}

/** What `splitComponents` regroups: the part of the community the splits touch. */
export interface SplitInput {
  /** Every activity once, by position. */
  readonly activities: readonly Activity[];
  /** Each activity's `sortableInstant`, by position. */
  readonly instants: readonly string[];
  /** The positions of the activities to regroup. */
  readonly positions: readonly number[];
  /** Every identity to regroup (those of the activities and of the merges among them). */
  readonly identities: readonly IdentityKey[];
  readonly merges: readonly MemberMerge[];
  readonly splits: readonly MemberSplit[];
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Which side an activity counts for when it spans a split: its email's, else github's, else forum's. */
const anchorRank = (identity: IdentityKey): number =>
  identity.startsWith('email:') ? 0 : identity.startsWith('github:') ? 1 : 2;

const byAnchorRank = (identities: readonly IdentityKey[]): IdentityKey[] =>
  [...identities].sort((a, b) => anchorRank(a) - anchorRank(b) || compareText(a, b));

/** Split index → side (`true`: the named identities), for each component's root. */
type Sides = Map<number, boolean>;

/** Components that refuse to unite the two sides of any split they were given. */
class SplitAware {
  readonly components = new Components();
  readonly #sides = new Map<number, Sides>();

  constructor(splits: readonly MemberSplit[]) {
    splits.forEach((split, index) => {
      for (const identity of split.identities) this.#mark(identity, index, true);
      for (const identity of split.rest) this.#mark(identity, index, false);
    });
  }

  #mark(identity: IdentityKey, index: number, side: boolean): void {
    const root = this.components.root(this.components.number(identity));
    const sides = this.#sides.get(root) ?? new Map<number, boolean>();
    sides.set(index, side);
    this.#sides.set(root, sides);
  }

  /** The sides of the component holding the identity, if it holds any split's identities. */
  sidesOf(identity: IdentityKey): Sides | undefined {
    return this.#sides.get(this.components.root(this.components.number(identity)));
  }

  /** Unites the components of `a` and `b` unless that would join two sides of one split. */
  tryJoin(a: IdentityKey, b: IdentityKey): void {
    const rootA = this.components.root(this.components.number(a));
    const rootB = this.components.root(this.components.number(b));
    if (rootA === rootB) return;
    const sidesA = this.#sides.get(rootA);
    const sidesB = this.#sides.get(rootB);
    if (sidesA && sidesB) {
      for (const [index, side] of sidesA) {
        const other = sidesB.get(index);
        if (other !== undefined && other !== side) return;
      }
    }
    const root = this.components.unite(rootA, rootB);
    const merged = new Map([...(sidesA ?? []), ...(sidesB ?? [])]);
    this.#sides.delete(rootA);
    this.#sides.delete(rootB);
    if (merged.size > 0) this.#sides.set(root, merged);
  }
}

/**
 * Builds the components with the given splits in force: activities in their order (SPEC §1:
 * `occurredAt`, then `activityId`), each joining its other identities to its anchor (email, else
 * github, else forum) where no split forbids it, then admin merges in the order they were made.
 * So an activity spanning a split counts for its anchor's side, and an identity two such
 * activities bring joins the side of the first.
 */
function build(input: SplitInput, splits: readonly MemberSplit[]) {
  const aware = new SplitAware(splits);
  for (const identity of input.identities) aware.components.number(identity);
  const order = [...input.positions].sort(
    (a, b) =>
      compareText(input.instants[a] ?? '', input.instants[b] ?? '') ||
      compareText(input.activities[a]?.activityId ?? '', input.activities[b]?.activityId ?? ''),
  );
  const anchors = new Map<number, IdentityKey>();
  for (const position of order) {
    const identities = byAnchorRank((input.activities[position] as Activity).identities);
    // The side holding its email, else its github, else its forum identity (SPEC §9).
    const anchor =
      identities.find((i) => aware.sidesOf(i) !== undefined) ?? (identities[0] as IdentityKey);
    anchors.set(position, anchor);
    for (const identity of identities) if (identity !== anchor) aware.tryJoin(anchor, identity);
  }
  for (const merge of mergesInOrder(input.merges)) {
    const [first, ...others] = merge.identities;
    if (first !== undefined) for (const identity of others) aware.tryJoin(first, identity);
  }
  return { aware, anchors };
}

const mergesInOrder = (merges: readonly MemberMerge[]): MemberMerge[] =>
  [...merges].sort(
    (a, b) =>
      compareText(a.mergedAt ?? '', b.mergedAt ?? '') ||
      compareText(a.identities.join('\n'), b.identities.join('\n')),
  );

/**
 * Whether an admin merge made after the split names an identity on each of its sides (SPEC §9:
 * a later merge of the two sides lifts the split), the sides as they stand with it in force.
 */
function isLifted(
  split: MemberSplit,
  index: number,
  merges: readonly MemberMerge[],
  aware: SplitAware,
): boolean {
  return merges.some((merge) => {
    if ((merge.mergedAt ?? '') <= split.splitAt) return false;
    const sides = new Set(merge.identities.map((identity) => aware.sidesOf(identity)?.get(index)));
    return sides.has(true) && sides.has(false);
  });
}

/**
 * The members of the identities and activities given, with every split in force that no later
 * merge lifted (SPEC §9). Depends only on the facts, never on their order: activities are taken
 * in their order, merges and splits in the order they were made. A split lifted by a merge is
 * dropped and the rest rebuilt, until every split left stands.
 */
export function splitComponents(input: SplitInput): IdentityGroup[] {
  let splits = [...input.splits].sort((a, b) => compareText(a.splitAt, b.splitAt));
  for (;;) {
    const { aware, anchors } = build(input, splits);
    const standing = splits.filter((split, i) => !isLifted(split, i, input.merges, aware));
    if (standing.length === splits.length) return groupsOf(aware.components, anchors);
    splits = standing;
  }
}

function groupsOf(
  components: Components,
  anchors: ReadonlyMap<number, IdentityKey>,
): IdentityGroup[] {
  const byRoot = new Map<number, IdentityGroup>();
  for (const [position, anchor] of anchors) {
    const root = components.root(components.number(anchor));
    const group = byRoot.get(root) ?? { identities: [], positions: [] };
    byRoot.set(root, group);
    group.positions.push(position);
  }
  components.keys.forEach((key, i) => {
    byRoot.get(components.root(i))?.identities.push(key as IdentityKey);
  });
  return [...byRoot.values()];
}
