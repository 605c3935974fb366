import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  Activity,
  IdentityKey,
  MemberMerge,
  MemberSplit,
} from '../../lambdas/domain/community.js';
import { type Members, resolveMembers } from '../../lambdas/domain/identities.js';

// SPEC §9 `POST /admin/members/split`: the split is a stored fact; members are derived from all
// facts with the splits applied; a later admin merge of the two sides lifts it.

const ada = 'email:ada@example.com' as const;
const adaGithub = 'github:ada' as const;
const bob = 'email:bob@example.com' as const;
const bobGithub = 'github:bob' as const;
const bobForum = 'forum:bob' as const;

const activity = (
  activityId: string,
  identities: IdentityKey[],
  occurredAt = '2026-03-10T00:00:00Z',
): Activity => ({
  activityId,
  type: 'talk',
  occurredAt,
  status: 'delivered',
  identities,
});
const merge = (mergedAt: string, ...identities: IdentityKey[]): MemberMerge => ({
  identities: [...identities].sort(),
  mergedAt,
});
const split = (splitAt: string, identities: IdentityKey[], rest: IdentityKey[]): MemberSplit => ({
  identities,
  rest,
  splitAt,
});
const groups = (members: Members) =>
  members.members.map((m) => ({
    identities: m.identities,
    activities: m.activities.map((a) => a.activityId),
  }));

describe('splits', () => {
  it('undoes a wrong admin merge: the two members are as before it', () => {
    const facts = [activity('a1', [ada, adaGithub]), activity('b1', [bob, bobGithub])];
    const before = resolveMembers(facts, []);
    const wrong = merge('2026-04-01T00:00:00Z', ada, bobGithub);
    expect(resolveMembers(facts, [wrong]).members).toHaveLength(1);
    const undone = resolveMembers(
      facts,
      [wrong],
      [split('2026-04-02T00:00:00Z', [bob, bobGithub], [ada, adaGithub])],
    );
    expect(groups(undone)).toEqual(groups(before));
    expect(undone.memberOf(bob)).toBe(before.memberOf(bob));
  });

  it('keeps the sides apart from activities that arrive later and carry both', () => {
    const facts = [
      activity('a1', [ada]),
      activity('b1', [bobGithub]),
      // The activity that caused the wrong merge, and one arriving after the split.
      activity('x1', [ada, bobGithub], '2026-03-11T00:00:00Z'),
      activity('x2', [bobGithub, ada], '2026-05-01T00:00:00Z'),
    ];
    const members = resolveMembers(facts, [], [split('2026-04-01T00:00:00Z', [bobGithub], [ada])]);
    expect(members.members).toHaveLength(2);
    // Both spanning activities count for the side holding their email (SPEC §9).
    const adaSide = members.members.find((m) => m.identities.includes(ada));
    expect(adaSide?.activities.map((a) => a.activityId)).toEqual(['a1', 'x1', 'x2']);
  });

  it('counts a spanning activity for its github side when its email belongs to neither side', () => {
    const facts = [
      activity('a1', [adaGithub]),
      activity('b1', [bobForum]),
      activity('x1', ['email:new@example.com', bobForum, adaGithub]),
    ];
    const members = resolveMembers(
      facts,
      [],
      [split('2026-04-01T00:00:00Z', [bobForum], [adaGithub])],
    );
    const adaSide = members.members.find((m) => m.identities.includes(adaGithub));
    // The new email joins the github side (email > github > forum), not the forum side.
    expect(adaSide?.identities).toEqual(['email:new@example.com', adaGithub]);
    expect(adaSide?.activities.map((a) => a.activityId)).toEqual(['a1', 'x1']);
  });

  it('lets an identity that two spanning activities bring join the side of the first', () => {
    const facts = [
      activity('a1', [ada]),
      activity('b1', [bob]),
      activity('x2', [bob, 'forum:shared'], '2026-03-12T00:00:00Z'),
      activity('x1', [ada, 'forum:shared'], '2026-03-11T00:00:00Z'),
    ];
    const members = resolveMembers(facts, [], [split('2026-04-01T00:00:00Z', [bob], [ada])]);
    expect(members.memberOf('forum:shared')).toBe(members.memberOf(ada));
    // x2 counts for bob's side (its email), though its forum identity went to Ada's.
    const bobSide = members.members.find((m) => m.identities.includes(bob));
    expect(bobSide?.activities.map((a) => a.activityId)).toEqual(['b1', 'x2']);
  });

  it('is lifted by a later admin merge of the two sides, not by an earlier one', () => {
    const facts = [activity('a1', [ada]), activity('b1', [bob])];
    const theSplit = split('2026-04-02T00:00:00Z', [bob], [ada]);
    const earlier = merge('2026-04-01T00:00:00Z', ada, bob);
    expect(resolveMembers(facts, [earlier], [theSplit]).members).toHaveLength(2);
    const later = merge('2026-04-03T00:00:00Z', ada, bob);
    expect(resolveMembers(facts, [earlier, later], [theSplit]).members).toHaveLength(1);
  });

  it('is lifted by a later merge naming identities that joined the sides after the split', () => {
    const facts = [
      activity('a1', [ada]),
      activity('b1', [bob]),
      activity('b2', [bob, bobGithub], '2026-06-01T00:00:00Z'),
    ];
    const theSplit = split('2026-04-02T00:00:00Z', [bob], [ada]);
    const later = merge('2026-07-01T00:00:00Z', adaGithub, bobGithub);
    expect(
      resolveMembers([...facts, activity('a2', [ada, adaGithub])], [later], [theSplit]).members,
    ).toHaveLength(1);
  });

  it('leaves members that no split names exactly as without splits', () => {
    const facts = [activity('a1', [ada, adaGithub]), activity('c1', ['forum:cy'])];
    const members = resolveMembers(facts, [], [split('2026-04-02T00:00:00Z', [bob], [bobGithub])]);
    expect(groups(members)).toEqual(groups(resolveMembers(facts, [])));
  });
});

// Random communities: activities over a small pool of identities, merges and splits at random
// instants. The laws below come from SPEC §1 and §9, not from the implementation.
const pool: IdentityKey[] = [
  ada,
  adaGithub,
  'forum:ada',
  bob,
  bobGithub,
  bobForum,
  'forum:cy',
  'github:cy',
];
const instant = fc
  .integer({ min: 1, max: 28 })
  .map((day) => `2026-03-${String(day).padStart(2, '0')}T00:00:00Z`);
const identitySet = fc.uniqueArray(fc.constantFrom(...pool), { minLength: 1, maxLength: 3 });
const activities = fc.uniqueArray(
  fc.record({
    activityId: fc.stringMatching(/^[a-h]$/),
    identities: identitySet,
    occurredAt: instant,
  }),
  { selector: (a) => a.activityId, minLength: 1, maxLength: 8 },
);
const adminFacts = fc.record({
  activities,
  merges: fc.array(
    fc.record({
      identities: fc.uniqueArray(fc.constantFrom(...pool), { minLength: 2, maxLength: 3 }),
      mergedAt: instant,
    }),
    { maxLength: 3 },
  ),
  splits: fc.array(
    fc
      .record({
        identities: fc.uniqueArray(fc.constantFrom(...pool), { minLength: 1, maxLength: 2 }),
        rest: fc.uniqueArray(fc.constantFrom(...pool), { minLength: 1, maxLength: 2 }),
        splitAt: instant,
      })
      .filter((s) => !s.identities.some((i) => s.rest.includes(i))),
    { maxLength: 2 },
  ),
});
const toActivity = (a: { activityId: string; identities: IdentityKey[]; occurredAt: string }) =>
  activity(a.activityId, a.identities, a.occurredAt);
const shuffled = <T>(items: readonly T[]) =>
  fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });

describe('splits, for any facts', () => {
  it('derive the same members whatever order the facts arrive in', () => {
    const reordered = adminFacts.chain((f) =>
      fc.tuple(fc.constant(f), shuffled(f.activities), shuffled(f.merges), shuffled(f.splits)),
    );
    fc.assert(
      fc.property(reordered, ([f, acts, merges, splits]) => {
        const expected = resolveMembers(f.activities.map(toActivity), f.merges, f.splits);
        const actual = resolveMembers(acts.map(toActivity), merges, splits);
        expect(groups(actual)).toEqual(groups(expected));
      }),
    );
  });

  it('never leave an identity of a standing split on the same member as its other side', () => {
    fc.assert(
      fc.property(adminFacts, (f) => {
        const members = resolveMembers(f.activities.map(toActivity), f.merges, f.splits);
        for (const s of f.splits) {
          const lifted = f.merges.some((m) => m.mergedAt > s.splitAt && m.identities.length > 1);
          if (lifted) continue; // a later merge may lift it
          for (const named of s.identities) {
            for (const other of s.rest) {
              const a = members.memberOf(named);
              if (a !== undefined) expect(members.memberOf(other)).not.toBe(a);
            }
          }
        }
      }),
    );
  });

  it('keep every activity exactly once', () => {
    fc.assert(
      fc.property(adminFacts, (f) => {
        const members = resolveMembers(f.activities.map(toActivity), f.merges, f.splits);
        const counted = members.members.flatMap((m) => m.activities.map((a) => a.activityId));
        expect(counted.sort()).toEqual(f.activities.map((a) => a.activityId).sort());
      }),
    );
  });

  it('undo a merge of two members when the split names one side: every member as before', () => {
    const withTwo = activities
      .map((acts) => ({
        acts: acts.map(toActivity),
        members: resolveMembers(acts.map(toActivity), []),
      }))
      .filter(({ members }) => members.members.length >= 2);
    fc.assert(
      fc.property(withTwo, fc.nat(), fc.nat(), ({ acts, members }, i, j) => {
        const list = members.members;
        const a = list[i % list.length];
        const b = list[(i + 1 + (j % (list.length - 1))) % list.length];
        if (!a || !b) return;
        const joined = merge(
          '2026-04-01T00:00:00Z',
          a.identities[0] as IdentityKey,
          b.identities.at(-1) as IdentityKey,
        );
        const undone = resolveMembers(
          acts,
          [joined],
          [split('2026-04-02T00:00:00Z', [...b.identities], [...a.identities])],
        );
        expect(groups(undone)).toEqual(groups(members));
      }),
    );
  });
});
