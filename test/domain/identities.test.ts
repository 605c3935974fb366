import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Activity, IdentityKey, MemberMerge } from '../../lambdas/domain/community.js';
import { ValidationError } from '../../lambdas/domain/errors.js';
import {
  type Members,
  memberIdOf,
  normalizeIdentity,
  resolveMembers,
} from '../../lambdas/domain/identities.js';

const ada = 'email:ada@example.com' as const;
const adaGithub = 'github:ada' as const;
const adaForum = 'forum:ada' as const;
const bob = 'email:bob@example.com' as const;

/** A delivered talk by Ada on 2026-03-10, changed where a test cares. */
const activity = (activityId: string, fields: Partial<Activity> = {}): Activity => ({
  activityId,
  type: 'talk',
  occurredAt: '2026-03-10T00:00:00Z',
  status: 'delivered',
  identities: [ada],
  ...fields,
});
const merge = (...identities: IdentityKey[]): MemberMerge => ({ identities });
const only = (members: Members) => {
  expect(members.members).toHaveLength(1);
  return members.members[0] as Members['members'][number];
};
const activityIds = (members: Members) =>
  members.members.map((member) => member.activities.map((a) => a.activityId));

describe('normalizeIdentity', () => {
  it('compares emails trimmed and case-insensitively', () => {
    expect(normalizeIdentity('email', '  Ada@Example.COM ')).toBe(ada);
  });

  it('compares GitHub and forum handles case-insensitively, with or without a leading @', () => {
    expect(normalizeIdentity('github', ' @Ada')).toBe(adaGithub);
    expect(normalizeIdentity('forum', 'ADA')).toBe(adaForum);
  });

  it('keeps the @ inside an email', () => {
    expect(normalizeIdentity('email', '@ada@example.com')).toBe('email:@ada@example.com');
  });

  it('makes one member of activities whose identities differ only in case and spacing', () => {
    const members = resolveMembers(
      [
        activity('a1', { identities: [normalizeIdentity('email', 'ADA@example.com ')] }),
        activity('a2', { identities: [normalizeIdentity('email', ' ada@EXAMPLE.com')] }),
      ],
      [],
    );
    expect(only(members).activities).toHaveLength(2);
  });
});

describe('resolveMembers', () => {
  it('keeps apart identities that never arrived together', () => {
    const members = resolveMembers([activity('a1'), activity('a2', { identities: [bob] })], []);
    expect(members.members.map((m) => m.identities)).toEqual(
      expect.arrayContaining([[ada], [bob]]),
    );
    expect(members.memberOf(ada)).not.toBe(members.memberOf(bob));
  });

  it('joins identities that arrive together in one activity, transitively', () => {
    const members = resolveMembers(
      [
        activity('a1', { identities: [ada, adaGithub] }),
        activity('a2', { identities: [adaGithub, adaForum] }),
      ],
      [],
    );
    expect(only(members).identities).toEqual([ada, adaForum, adaGithub]);
  });

  it('merges members when an activity joins their identities, counting each activity once', () => {
    const members = resolveMembers(
      [
        activity('a1', { identities: [ada] }),
        activity('a2', { identities: [adaGithub] }),
        activity('a3', { identities: [ada, adaGithub] }),
      ],
      [],
    );
    expect(activityIds(members)).toEqual([['a1', 'a2', 'a3']]);
  });

  it('merges the members an admin names together', () => {
    const facts = [activity('a1'), activity('a2', { identities: [bob] })];
    expect(resolveMembers(facts, [])).toHaveProperty('members.length', 2);
    expect(only(resolveMembers(facts, [merge(bob, ada)])).identities).toEqual([ada, bob]);
  });

  it('makes no member of identities only a merge names', () => {
    const members = resolveMembers([activity('a1')], [merge('github:ghost', 'forum:ghost')]);
    expect(only(members).identities).toEqual([ada]);
    expect(members.memberOf('github:ghost')).toBeUndefined();
  });

  it('keeps one copy of an activity delivered twice', () => {
    const members = resolveMembers([activity('a1'), activity('a1'), activity('a2')], []);
    expect(activityIds(members)).toEqual([['a1', 'a2']]);
  });

  it('keeps the same copy of an activity stored twice, whatever the order', () => {
    const copies = [activity('a1', { title: 'Draft' }), activity('a1', { title: 'Final' })];
    const kept = only(resolveMembers(copies, [])).activities;
    expect(only(resolveMembers(copies.toReversed(), [])).activities).toEqual(kept);
    expect(kept).toHaveLength(1);
  });

  it('lists a member’s activities oldest first, comparing instants rather than text', () => {
    const members = resolveMembers(
      [
        activity('late', { occurredAt: '2026-03-10T09:00:00+08:00' }), // 01:00Z
        activity('early', { occurredAt: '2026-03-10T00:30:00Z' }),
      ],
      [],
    );
    expect(activityIds(members)).toEqual([['early', 'late']]);
  });

  it('names a member after the latest activity that carried a name, not the latest arrival', () => {
    const members = resolveMembers(
      [
        activity('a1', { name: 'Ada L.', occurredAt: '2026-03-20T00:00:00Z' }),
        activity('a2', { name: 'Ada', occurredAt: '2026-03-01T00:00:00Z' }),
        activity('a3', { occurredAt: '2026-04-01T00:00:00Z' }),
      ],
      [],
    );
    expect(only(members).name).toBe('Ada L.');
  });

  it('breaks a tie between names at one instant by the larger activity id', () => {
    const named = [activity('b', { name: 'B' }), activity('a', { name: 'A' })];
    expect(only(resolveMembers(named, [])).name).toBe('B');
    expect(only(resolveMembers(named.toReversed(), [])).name).toBe('B');
  });

  it('affiliates a member with the account of their latest activity that carried one', () => {
    const members = resolveMembers(
      [
        activity('a1', { accountId: 'acme', occurredAt: '2026-01-01T00:00:00Z' }),
        activity('a2', { accountId: 'globex', occurredAt: '2026-02-01T00:00:00Z' }),
        activity('a3', { occurredAt: '2026-03-01T00:00:00Z' }),
      ],
      [],
    );
    expect(only(members)).toMatchObject({ accountId: 'globex', name: null });
  });

  it('leaves a member without name or account when no activity carried one', () => {
    expect(only(resolveMembers([activity('a1')], []))).toMatchObject({
      name: null,
      accountId: null,
    });
  });

  it('identifies a member by a hash of its smallest identity key', () => {
    const member = only(resolveMembers([activity('a1', { identities: [adaGithub, ada] })], []));
    expect(member.memberId).toBe(memberIdOf(ada));
    expect(member.memberId).toMatch(/^m_[0-9a-f]{16}$/);
  });

  it('answers which member holds an identity', () => {
    const members = resolveMembers([activity('a1', { identities: [ada, adaGithub] })], []);
    expect(members.memberOf(adaGithub)).toBe(memberIdOf(ada));
    expect(members.memberOf(bob)).toBeUndefined();
  });

  it('refuses an activity without identity', () => {
    expect(() => resolveMembers([activity('a1', { identities: [] })], [])).toThrow(ValidationError);
  });
});

const identityPool: IdentityKey[] = [ada, adaGithub, adaForum, bob, 'github:bob', 'forum:cy'];
const someIdentities = fc.uniqueArray(fc.constantFrom(...identityPool), {
  minLength: 1,
  maxLength: 3,
});
const facts = fc.record({
  activities: fc.uniqueArray(
    fc.record({
      activityId: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'),
      identities: someIdentities,
      occurredAt: fc.constantFrom('2026-01-01T00:00:00Z', '2026-01-01T08:00:00+08:00'),
      name: fc.option(fc.constantFrom('Ada', 'Bob'), { nil: undefined }),
      accountId: fc.option(fc.constantFrom('acme', 'globex'), { nil: undefined }),
    }),
    { selector: (a) => a.activityId, minLength: 1, maxLength: 7 },
  ),
  merges: fc.array(
    someIdentities.map((identities) => ({ identities })),
    { maxLength: 3 },
  ),
});
const shuffled = <T>(items: readonly T[]) =>
  fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });
const resolve = ({ activities, merges }: { activities: object[]; merges: MemberMerge[] }) =>
  resolveMembers(
    activities.map((fields) => ({ ...activity('x'), ...fields }) as Activity),
    merges,
  );
const snapshot = (members: Members) => ({
  members: members.members,
  memberOf: identityPool.map((identity) => members.memberOf(identity)),
});

/** Whether two identities are linked by a chain of activities and merges, by search. */
function linked(a: IdentityKey, b: IdentityKey, groups: readonly (readonly IdentityKey[])[]) {
  const seen = new Set<IdentityKey>([a]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const group of groups) {
      if (group.some((i) => seen.has(i)) && group.some((i) => !seen.has(i))) {
        for (const identity of group) seen.add(identity);
        grew = true;
      }
    }
  }
  return seen.has(b);
}

describe('resolveMembers, for any facts', () => {
  it('resolves the same members whatever the order of activities and merges', () => {
    const reordered = facts.chain((f) =>
      fc.tuple(fc.constant(f), shuffled(f.activities), shuffled(f.merges)),
    );
    fc.assert(
      fc.property(reordered, ([f, activities, merges]) => {
        expect(snapshot(resolve({ activities, merges }))).toEqual(snapshot(resolve(f)));
      }),
    );
  });

  it('counts every activity once, with the member holding its identities', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const members = resolve(f);
        const ids = members.members.flatMap((m) => m.activities.map((a) => a.activityId));
        expect(ids.toSorted()).toEqual(f.activities.map((a) => a.activityId).toSorted());
        for (const member of members.members) {
          for (const a of member.activities) {
            expect(a.identities.map(members.memberOf)).toEqual(
              a.identities.map(() => member.memberId),
            );
          }
        }
      }),
    );
  });

  it('puts two identities in one member exactly when activities or merges link them', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const members = resolve(f);
        const groups = [...f.activities, ...f.merges].map((g) => g.identities);
        const known = identityPool.filter((i) => members.memberOf(i) !== undefined);
        for (const a of known) {
          for (const b of known) {
            expect(members.memberOf(a) === members.memberOf(b)).toBe(linked(a, b, groups));
          }
        }
      }),
    );
  });
});
