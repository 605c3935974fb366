import { describe, expect, it } from 'vitest';
import {
  type CommunityActivity,
  type CommunityFacts,
  DEFAULT_TIERS,
  expectedChampionCoverage,
  expectedEvangelists,
  expectedMembers,
  finalActivities,
  identityKey,
  programFor,
  type Tier,
} from '../support/community-expectations.js';

/** The oracle itself, on cases small enough to check by hand. */

const TZ = 'Asia/Shanghai';
let sequence = 0;
const activity = (
  member: CommunityActivity['member'],
  more: Partial<CommunityActivity> = {},
): CommunityActivity => ({
  activityId: `a${++sequence}`,
  type: 'talk',
  member,
  occurredAt: `2024-05-${String((sequence % 28) + 1).padStart(2, '0')}T12:00:00+08:00`,
  ...more,
});
const facts = (deliveries: CommunityActivity[], more: Partial<CommunityFacts> = {}) => ({
  timezone: TZ,
  deliveries,
  merges: [],
  reviews: [],
  programs: new Map<number, Tier[]>(),
  ...more,
});

describe('identityKey', () => {
  it('trims and folds case; drops a leading @ from handles only', () => {
    expect(identityKey('email', '  Ada@Example.COM ')).toBe('email:ada@example.com');
    expect(identityKey('github', ' @Ada')).toBe('github:ada');
    expect(identityKey('forum', '@Ada')).toBe('forum:ada');
    expect(identityKey('email', '@ada@example.com')).toBe('email:@ada@example.com');
  });
});

describe('expectedMembers', () => {
  it('joins identities transitively across activities, and by admin merges', () => {
    const deliveries = [
      activity({ email: 'ADA@example.com', github: '@ada' }),
      activity({ github: 'Ada', forum: 'lovelace' }),
      activity({ email: 'grace@example.com' }),
      activity({ github: 'hopper' }),
    ];
    const identities = (f: CommunityFacts) =>
      expectedMembers(f)
        .map((m) => m.identities.join(' '))
        .sort();
    expect(identities(facts(deliveries))).toEqual([
      'email:ada@example.com forum:lovelace github:ada',
      'email:grace@example.com',
      'github:hopper',
    ]);
    const merges = [[{ email: ' Grace@Example.com' }, { github: '@HOPPER' }]];
    expect(identities(facts(deliveries, { merges }))).toEqual([
      'email:ada@example.com forum:lovelace github:ada',
      'email:grace@example.com github:hopper',
    ]);
  });

  it('takes name and account from the latest activity (by occurredAt) carrying one', () => {
    const [member] = expectedMembers(
      facts([
        activity(
          { email: 'a@x.io', accountId: 'late', name: 'A' },
          { occurredAt: '2024-06-01T00:00:00Z' },
        ),
        activity(
          { email: 'a@x.io', accountId: 'early', name: 'B' },
          { occurredAt: '2024-01-01T00:00:00Z' },
        ),
        activity({ email: 'a@x.io' }, { occurredAt: '2024-12-01T00:00:00Z' }),
      ]),
    );
    expect(member).toMatchObject({ accountId: 'late', name: 'A' });
  });
});

describe('finalActivities', () => {
  it('moves content forward only; admin reviews set any status; counts each id once', () => {
    const piece = activity({ email: 'w@x.io' }, { type: 'article' });
    const talk = activity({ email: 'w@x.io' }, { status: 'submitted' });
    const rejected = activity({ email: 'w@x.io' }, { type: 'answer', status: 'rejected' });
    const deliveries = [
      piece,
      { ...piece, status: 'recognized' as const },
      { ...piece, status: 'submitted' as const },
      piece,
      talk,
      rejected,
    ];
    const statuses = (f: CommunityFacts) => [...finalActivities(f).values()].map((a) => a.status);
    expect(statuses(facts(deliveries))).toEqual(['recognized', 'delivered', 'rejected']);
    const reviews = [
      { activityId: piece.activityId, status: 'rejected' as const },
      { activityId: talk.activityId, status: 'rejected' as const },
      { activityId: piece.activityId, status: 'submitted' as const },
    ];
    expect(statuses(facts(deliveries, { reviews }))).toEqual(['submitted', 'rejected', 'rejected']);
  });
});

describe('programFor', () => {
  it("uses the year's own program, else the nearest earlier one, else the default", () => {
    const p2024: Tier[] = [{ id: 'x', name: 'X', minCount: 1, counts: ['talk'] }];
    const programs = new Map([[2024, p2024]]);
    expect(programFor(2023, programs)).toEqual({ year: 2023, tiers: DEFAULT_TIERS, from: null });
    expect(programFor(2024, programs)).toEqual({ year: 2024, tiers: p2024, from: 2024 });
    expect(programFor(2026, programs)).toEqual({ year: 2026, tiers: p2024, from: 2024 });
  });
});

describe('expectedEvangelists', () => {
  const email = { email: 'e@x.io' };
  const deliveries = [
    activity(email, { occurredAt: '2023-12-31T15:59:00Z' }), // 23:59 local: 2023
    activity(email, { occurredAt: '2023-12-31T16:01:00Z' }), // 00:01 local: 2024
    activity(email, { occurredAt: '2024-03-10T10:00:00+08:00' }),
    activity(email, {
      type: 'video',
      status: 'recognized',
      occurredAt: '2024-07-01T00:30:00+08:00',
    }),
    activity(email, { type: 'course', occurredAt: '2024-02-01T00:00:00Z' }), // pending: no count
    activity(email, { type: 'answer', occurredAt: '2024-02-02T00:00:00Z' }),
    activity(email, { status: 'rejected', occurredAt: '2024-02-03T00:00:00Z' }),
    activity({ forum: 'only-pending' }, { type: 'article', occurredAt: '2024-02-04T00:00:00Z' }),
  ];

  it('counts qualifying activities of the year up to asOf, in the zone, with progress', () => {
    expect(expectedEvangelists(facts(deliveries), 2024, '2024-06')).toEqual([
      {
        identities: ['email:e@x.io'],
        name: null,
        accountId: null,
        counts: { talk: 2, 'recognized-content': 0, answer: 1 },
        tiers: [],
        progress: [
          { tier: 'mve', count: 2, minCount: 3 },
          { tier: 'outstanding', count: 2, minCount: 10 },
        ],
      },
    ]);
    const [december] = expectedEvangelists(facts(deliveries), 2024, '2024-12');
    expect(december?.counts).toEqual({ talk: 2, 'recognized-content': 1, answer: 1 });
    expect(december?.tiers).toEqual(['mve']);
    expect(expectedEvangelists(facts(deliveries), 2023, '2023-12')[0]?.counts.talk).toBe(1);
  });

  it("lists every kind the program's tiers count, and reaches tiers by their own kinds", () => {
    const helper: Tier[] = [{ id: 'helper', name: 'Helper', minCount: 1, counts: ['answer'] }];
    const programs = new Map([[2024, helper]]);
    const [row] = expectedEvangelists(facts(deliveries, { programs }), 2025, '2025-12');
    expect(row).toBeUndefined();
    const [y2024] = expectedEvangelists(facts(deliveries, { programs }), 2024, '2024-12');
    expect(y2024).toMatchObject({ tiers: ['helper'], progress: [{ tier: 'helper', count: 1 }] });
    expect(y2024?.counts).toEqual({ talk: 2, 'recognized-content': 1, answer: 1 });
  });
});

describe('expectedChampionCoverage', () => {
  it('is the share of KAs with an affiliated member active in M-11..M; null without KA', () => {
    const deliveries = [
      activity({ email: 'c@x.io', accountId: 'k1' }, { occurredAt: '2023-06-30T16:30:00Z' }), // 07-01 local
      activity(
        { email: 'd@x.io', accountId: 'k2' },
        { type: 'article', occurredAt: '2024-05-01T00:00:00Z' },
      ),
    ];
    const ka = new Map([
      ['2024-06', new Set(['k1', 'k2'])],
      ['2024-07', new Set(['k1', 'k2', 'k3', 'k4'])],
    ]);
    const months = ['2024-05', '2024-06', '2024-07'];
    expect([...expectedChampionCoverage(facts(deliveries), ka, months)]).toEqual([
      ['2024-05', null],
      ['2024-06', 0.5],
      ['2024-07', 0], // k1's talk is 13 months back, k2's article awaits review
    ]);
  });
});
