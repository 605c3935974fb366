import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  connectedActivities,
  factsNaming,
  type IdentityLinks,
} from '../../lambdas/compute/connected-members.js';
import type {
  Activity,
  IdentityKey,
  MemberMerge,
  MemberSplit,
} from '../../lambdas/domain/community.js';
import { resolveMembers } from '../../lambdas/domain/identities.js';

// SPEC §1: a member is a connected component of identities (activities and admin merges join
// them, §9 splits keep sides apart). Resolving one component from the activities reached by
// following its identities must give exactly what resolving every stored fact gives.

const pool: IdentityKey[] = [
  'email:ada@example.com',
  'github:ada',
  'forum:ada',
  'email:bob@example.com',
  'github:bob',
  'forum:cy',
  'email:cy@example.org',
  'github:dee',
];
const times = ['2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z'];
const someIdentities = fc.uniqueArray(fc.constantFrom(...pool), { minLength: 1, maxLength: 3 });

const facts = fc.record({
  activities: fc.uniqueArray(
    fc.record({
      activityId: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'),
      identities: someIdentities,
      occurredAt: fc.constantFrom(...times),
      accountId: fc.option(fc.constantFrom('acme', 'globex'), { nil: undefined }),
    }),
    { selector: (a) => a.activityId, minLength: 1, maxLength: 10 },
  ),
  merges: fc.array(fc.record({ identities: someIdentities, mergedAt: fc.constantFrom(...times) }), {
    maxLength: 3,
  }),
  // Which member to split, which of its identities leave, and when: drawn against the members.
  splits: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...times)), { maxLength: 2 }),
});

type Facts = { activities: Activity[]; merges: MemberMerge[]; splits: MemberSplit[] };

/** The facts, with each split made of a member as the facts before it resolve (as an admin would). */
function build(drawn: fc.Arbitrary<typeof facts extends fc.Arbitrary<infer T> ? T : never>) {
  return drawn.map((f): Facts => {
    const activities = f.activities.map(
      ({ accountId, ...a }): Activity => ({
        ...a,
        ...(accountId === undefined ? {} : { accountId }),
        type: 'talk',
        status: 'delivered',
      }),
    );
    const splits: MemberSplit[] = [];
    for (const [which, mask, splitAt] of f.splits) {
      const several = resolveMembers(activities, f.merges, splits).members.filter(
        (m) => m.identities.length > 1,
      );
      const member = several[which % Math.max(several.length, 1)];
      if (!member) break;
      const count = member.identities.length;
      // A non-empty proper subset leaves: bits 1 to 2^count - 2.
      const bits = 1 + (mask % (2 ** count - 2));
      const leaving = member.identities.filter((_, i) => (bits >> i) & 1);
      const rest = member.identities.filter((_, i) => !((bits >> i) & 1));
      splits.push({ identities: leaving, rest, splitAt });
    }
    return { activities, merges: f.merges, splits };
  });
}

const linksOf = (activities: readonly Activity[]): IdentityLinks => ({
  activityIdsOf: async (identity) =>
    activities.filter((a) => a.identities.includes(identity)).map((a) => a.activityId),
  activitiesByIds: async (ids) => activities.filter((a) => ids.includes(a.activityId)),
});

describe('connected members, for any facts', () => {
  it('resolves the member of an identity exactly as resolving every fact does', async () => {
    await fc.assert(
      fc.asyncProperty(build(facts), fc.constantFrom(...pool), async (f, identity) => {
        const all = resolveMembers(f.activities, f.merges, f.splits);
        const connected = await connectedActivities([identity], f.merges, linksOf(f.activities));
        const own = factsNaming(connected.identities, f.merges, f.splits);
        const local = resolveMembers(connected.activities, own.merges, own.splits);
        const memberId = all.memberOf(identity);
        expect(local.memberOf(identity)).toBe(memberId);
        // Every member reached is whole: as the full resolution has it.
        for (const member of local.members) {
          expect(member).toEqual(all.members.find((m) => m.memberId === member.memberId));
        }
        expect(local.members.some((m) => m.memberId === memberId)).toBe(memberId !== undefined);
      }),
      { numRuns: 300 },
    );
  });

  it('reads only the component: an unrelated member’s activities are never fetched', async () => {
    const activities: Activity[] = [
      ['a1', ['email:ada@example.com', 'github:ada']],
      ['a2', ['github:ada', 'forum:ada']],
      ['b1', ['github:bob']],
    ].map(([activityId, identities]) => ({
      activityId: activityId as string,
      identities: identities as IdentityKey[],
      type: 'talk',
      status: 'delivered',
      occurredAt: times[0] as string,
    }));
    const fetched: string[] = [];
    const links = linksOf(activities);
    const connected = await connectedActivities(['email:ada@example.com'], [], {
      ...links,
      activitiesByIds: async (ids) => {
        fetched.push(...ids);
        return links.activitiesByIds(ids);
      },
    });
    expect(fetched.toSorted()).toEqual(['a1', 'a2']);
    expect([...connected.identities].toSorted()).toEqual([
      'email:ada@example.com',
      'forum:ada',
      'github:ada',
    ]);
    // A merge is followed like an activity.
    const merged = await connectedActivities(
      ['github:bob'],
      [{ identities: ['forum:ada', 'github:bob'] }],
      links,
    );
    expect(merged.activities.map((a) => a.activityId).toSorted()).toEqual(['a1', 'a2', 'b1']);
  });
});
