import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Activity,
  type ActivityStatus,
  type ActivityType,
  activityTypes,
  defaultTiers,
  isContent,
  type Program,
  type Tier,
} from '../../lambdas/domain/community.js';
import {
  countedKindOf,
  countedKinds,
  type EligibilityRow,
  eligibility,
  newlyReached,
  oneStepAway,
  parseTiers,
  programFor,
  qualifies,
  validateTiers,
} from '../../lambdas/domain/eligibility.js';
import { ValidationError } from '../../lambdas/domain/errors.js';
import { memberIdOf, resolveMembers } from '../../lambdas/domain/identities.js';
import { type Month, parseMonth } from '../../lambdas/domain/month.js';

const m = parseMonth;
const ada = 'email:ada@example.com' as const;
const bob = 'email:bob@example.com' as const;
const program: Program = { year: 2026, tiers: defaultTiers, from: null };

let sequence = 0;
/** A delivered talk by Ada on 2026-03-10 (UTC), changed where a test cares. */
const activity = (fields: Partial<Activity> = {}): Activity => ({
  activityId: `a${++sequence}`,
  type: 'talk',
  occurredAt: '2026-03-10T00:00:00Z',
  status: 'delivered',
  identities: [ada],
  ...fields,
});
const talks = (n: number, fields: Partial<Activity> = {}) =>
  Array.from({ length: n }, () => activity(fields));
const recognized = (fields: Partial<Activity> = {}) =>
  activity({ type: 'article', status: 'recognized', ...fields });
const rowsOf = (
  activities: readonly Activity[],
  asOf: Month = m('2026-12'),
  options: { program?: Program; timeZone?: string; year?: number } = {},
) =>
  eligibility({
    members: resolveMembers(activities, []).members,
    program: options.program ?? program,
    year: options.year ?? 2026,
    asOf,
    timeZone: options.timeZone ?? 'UTC',
  });
const onlyRow = (rows: EligibilityRow[]) => {
  expect(rows).toHaveLength(1);
  return rows[0] as EligibilityRow;
};
const tier = (fields: Partial<Tier> = {}): Tier => ({
  id: 'helper',
  name: 'Helper',
  minCount: 5,
  counts: ['answer'],
  ...fields,
});

describe('countedKindOf', () => {
  it.each<[ActivityType, ActivityStatus, string | null]>([
    ['talk', 'delivered', 'talk'],
    ['talk', 'submitted', 'talk'],
    ['talk', 'rejected', null],
    ['article', 'recognized', 'recognized-content'],
    ['video', 'recognized', 'recognized-content'],
    ['case-study', 'submitted', null],
    ['course', 'delivered', null],
    ['article', 'rejected', null],
    ['answer', 'delivered', 'answer'],
    ['event-hosted', 'submitted', 'event-hosted'],
    ['meetup-attended', 'rejected', null],
  ])('counts a %s that is %s as %s', (type, status, kind) => {
    expect(countedKindOf({ type, status })).toBe(kind);
  });

  it('lists every kind a tier can count: talk, recognised content and each other type', () => {
    const others = activityTypes.filter((type) => type !== 'talk' && !isContent(type));
    expect(countedKinds).toEqual(['talk', 'recognized-content', ...others]);
  });
});

describe('qualifies', () => {
  it.each([
    ['Asia/Shanghai', '2025-12-31T23:30:00+08:00', '2026-01-01T00:30:00+08:00'],
    ['America/New_York', '2025-12-31T23:30:00-05:00', '2026-01-01T00:30:00-05:00'],
  ])('in %s, 23:30 local on Dec 31 belongs to that year', (timeZone, lastOf2025, firstOf2026) => {
    expect(qualifies(activity({ occurredAt: lastOf2025 }), 2025, timeZone)).toBe(true);
    expect(qualifies(activity({ occurredAt: lastOf2025 }), 2026, timeZone)).toBe(false);
    expect(qualifies(activity({ occurredAt: firstOf2026 }), 2026, timeZone)).toBe(true);
  });

  it('never qualifies a rejected talk or unrecognised content', () => {
    expect(qualifies(activity({ status: 'rejected' }), 2026, 'UTC')).toBe(false);
    expect(qualifies(activity({ type: 'article', status: 'submitted' }), 2026, 'UTC')).toBe(false);
    expect(qualifies(recognized(), 2026, 'UTC')).toBe(true);
  });
});

describe('programFor', () => {
  const tiers2022 = [tier({ id: 'y2022' })];
  const tiers2024 = [tier({ id: 'y2024' })];
  const programs = new Map([
    [2024, tiers2024],
    [2022, tiers2022],
  ]);

  it('uses the year’s own program', () => {
    expect(programFor(2024, programs)).toEqual({ year: 2024, tiers: tiers2024, from: 2024 });
  });

  it('falls back to the nearest earlier year’s program', () => {
    expect(programFor(2023, programs)).toEqual({ year: 2023, tiers: tiers2022, from: 2022 });
    expect(programFor(2030, programs)).toEqual({ year: 2030, tiers: tiers2024, from: 2024 });
  });

  it('falls back to the default when no earlier year has one', () => {
    expect(programFor(2021, programs)).toEqual({ year: 2021, tiers: defaultTiers, from: null });
    expect(programFor(2026, new Map())).toEqual({ year: 2026, tiers: defaultTiers, from: null });
  });
});

describe('validateTiers', () => {
  it('accepts the default program', () => {
    expect(validateTiers(defaultTiers)).toEqual([]);
    expect(parseTiers(defaultTiers)).toEqual(defaultTiers);
  });

  it('tells what to fix, one message per problem', () => {
    const problems = validateTiers([
      tier({ id: 'x', minCount: 0 }),
      { ...tier({ id: 'x', name: ' ' }), counts: ['article', 'talks'] },
      { ...tier({ id: '', minCount: 2.5 }), counts: ['talk', 'talk'] },
      tier({ id: 'empty', counts: [] }),
    ]);
    expect(problems).toEqual([
      'tiers[0].minCount must be an integer >= 1, got 0',
      'tiers[1].id "x" is tiers[0]\'s',
      'tiers[1].name must not be empty',
      'tiers[1].counts has unknown kind "article": content counts as "recognized-content"',
      expect.stringMatching(/^tiers\[1\]\.counts has unknown kind "talks": use talk, /),
      'tiers[2].id must not be empty',
      'tiers[2].minCount must be an integer >= 1, got 2.5',
      'tiers[2].counts lists "talk" twice',
      expect.stringMatching(/^tiers\[3\]\.counts must list at least one of talk, /),
    ]);
  });

  it('refuses a program without tiers', () => {
    expect(validateTiers([])).toEqual(['tiers must list at least one tier']);
    expect(() => parseTiers([])).toThrow(ValidationError);
  });
});

describe('eligibility', () => {
  it('reaches a tier with enough qualifying activities of the kinds it counts', () => {
    const row = onlyRow(rowsOf([...talks(2, { name: 'Ada' }), recognized({ accountId: 'acme' })]));
    expect(row).toEqual({
      memberId: memberIdOf(ada),
      name: 'Ada',
      identities: [ada],
      accountId: 'acme',
      counts: { talk: 2, 'recognized-content': 1 },
      tiers: ['mve'],
      progress: [
        { tier: 'mve', count: 3, minCount: 3 },
        { tier: 'outstanding', count: 2, minCount: 10 },
      ],
    });
  });

  it('counts recognised content but not submitted or rejected content, nor rejected talks', () => {
    const row = onlyRow(
      rowsOf([
        activity(),
        recognized(),
        activity({ type: 'video', status: 'submitted' }),
        activity({ type: 'course', status: 'rejected' }),
        activity({ status: 'rejected' }),
      ]),
    );
    expect(row.counts).toEqual({ talk: 1, 'recognized-content': 1 });
    expect(row.tiers).toEqual([]);
  });

  it('lists no member whose activities in the year do not qualify', () => {
    const rows = rowsOf([
      activity({ status: 'rejected' }),
      activity({ identities: [bob], type: 'article', status: 'submitted' }),
      activity({ identities: ['github:cy'], occurredAt: '2025-06-01T00:00:00Z' }),
    ]);
    expect(rows).toEqual([]);
  });

  it('shows the kinds the tiers count, even at 0, and any other kind that occurred', () => {
    const row = onlyRow(rowsOf([activity({ type: 'answer' })]));
    expect(row.counts).toEqual({ talk: 0, 'recognized-content': 0, answer: 1 });
  });

  it('counts towards a program’s own tiers', () => {
    const helper: Program = { year: 2026, tiers: [tier({ minCount: 2 })], from: 2026 };
    const row = onlyRow(rowsOf(talks(2, { type: 'answer' }), m('2026-12'), { program: helper }));
    expect(row).toMatchObject({ counts: { answer: 2 }, tiers: ['helper'] });
  });

  it('as of a month, excludes the months after it', () => {
    const facts = [...talks(2), activity({ occurredAt: '2026-04-01T00:00:00Z' })];
    expect(onlyRow(rowsOf(facts, m('2026-03'))).tiers).toEqual([]);
    expect(onlyRow(rowsOf(facts, m('2026-04'))).tiers).toEqual(['mve']);
  });

  it('ends the month at midnight in the reporting zone', () => {
    const facts = [...talks(2), activity({ occurredAt: '2026-03-31T23:30:00-04:00' })];
    const asOfMarch = (timeZone: string) => onlyRow(rowsOf(facts, m('2026-03'), { timeZone }));
    expect(asOfMarch('America/New_York').counts.talk).toBe(3);
    expect(asOfMarch('UTC').counts.talk).toBe(2);
  });

  it('counts only the activities of the year itself, whatever asOf says', () => {
    const facts = [
      activity({ occurredAt: '2025-12-31T23:00:00Z' }),
      activity({ occurredAt: '2026-01-01T00:00:00Z' }),
      activity({ occurredAt: '2027-01-01T00:00:00Z' }),
    ];
    expect(onlyRow(rowsOf(facts, m('2027-06'))).counts.talk).toBe(1);
    expect(rowsOf(facts, m('2025-12'))).toEqual([]);
  });

  it('counts an activity that joined two identities once for the merged member', () => {
    const rows = rowsOf([
      activity({ identities: [ada] }),
      activity({ identities: ['github:ada'] }),
      activity({ identities: [ada, 'github:ada'] }),
    ]);
    expect(onlyRow(rows).counts.talk).toBe(3);
  });
});

/** Talks by one of three members in some month of 2026, some rejected. */
const someTalks = fc.array(
  fc.record({
    identities: fc.constantFrom([ada], [bob], ['github:cy' as const]),
    occurredAt: fc
      .integer({ min: 1, max: 12 })
      .map((n) => `2026-${`0${n}`.slice(-2)}-15T00:00:00Z`),
    status: fc.constantFrom<ActivityStatus>('delivered', 'delivered', 'rejected'),
  }),
  { maxLength: 30 },
);
const tiersByMember = (rows: EligibilityRow[]) => new Map(rows.map((r) => [r.memberId, r.tiers]));

describe('eligibility, for any talks', () => {
  it('never loses a tier later in the year', () => {
    fc.assert(
      fc.property(someTalks, fc.integer({ min: 1, max: 11 }), (fields, n) => {
        const facts = fields.map((f) => activity(f));
        const earlier = tiersByMember(rowsOf(facts, m(`2026-${`0${n}`.slice(-2)}`)));
        const later = tiersByMember(rowsOf(facts, m(`2026-${`0${n + 1}`.slice(-2)}`)));
        for (const [memberId, tiers] of earlier) {
          expect(later.get(memberId)).toEqual(expect.arrayContaining([...tiers]));
        }
      }),
    );
  });

  it('counts, as of December, exactly the activities that qualify for the year', () => {
    fc.assert(
      fc.property(someTalks, (fields) => {
        const facts = fields.map((f) => activity(f));
        const counted = rowsOf(facts).reduce((sum, row) => sum + (row.counts.talk ?? 0), 0);
        expect(counted).toBe(facts.filter((a) => qualifies(a, 2026, 'UTC')).length);
      }),
    );
  });
});

describe('newlyReached', () => {
  it('lists, per tier, who reaches it as of M but did not as of M-1', () => {
    const facts = [
      ...talks(3, { occurredAt: '2026-01-10T00:00:00Z' }),
      ...talks(2, { identities: [bob], occurredAt: '2026-01-10T00:00:00Z' }),
      activity({ identities: [bob], occurredAt: '2026-02-10T00:00:00Z' }),
    ];
    const reached = newlyReached(rowsOf(facts, m('2026-02')), rowsOf(facts, m('2026-01')));
    expect([...reached.keys()]).toEqual(['mve', 'outstanding']);
    expect(reached.get('mve')?.map((row) => row.memberId)).toEqual([memberIdOf(bob)]);
    expect(reached.get('outstanding')).toEqual([]);
  });

  it('in January, lists everyone who reached a tier: December of last year counts nothing', () => {
    const facts = talks(3, { occurredAt: '2026-01-10T00:00:00Z' });
    const previous = rowsOf(facts, m('2025-12'), { year: 2026 });
    expect(previous).toEqual([]);
    const reached = newlyReached(rowsOf(facts, m('2026-01')), previous);
    expect(reached.get('mve')?.map((row) => row.memberId)).toEqual([memberIdOf(ada)]);
  });
});

describe('oneStepAway', () => {
  it('lists, per tier, who is one qualifying activity short of it, not who reached it', () => {
    const rows = rowsOf([
      ...talks(2),
      ...talks(9, { identities: [bob] }),
      activity({ identities: ['github:cy'] }),
    ]);
    const away = oneStepAway(rows, program);
    expect([...away.keys()]).toEqual(['mve', 'outstanding']);
    expect(away.get('mve')?.map((row) => row.memberId)).toEqual([memberIdOf(ada)]);
    expect(away.get('outstanding')?.map((row) => row.memberId)).toEqual([memberIdOf(bob)]);
  });
});
