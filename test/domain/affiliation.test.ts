import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AdminAffiliation,
  type AffiliationSources,
  activitiesOnly,
  affiliationAt,
  affiliationInstant,
  endOfMonthInstant,
  isStaffAccount,
} from '../../lambdas/domain/affiliation.js';
import type { Activity, IdentityKey } from '../../lambdas/domain/community.js';
import type { Member } from '../../lambdas/domain/identities.js';
import { accountNodesOfMonthValues, kaHistory } from '../../lambdas/domain/ka.js';
import { parseMonth } from '../../lambdas/domain/month.js';

// SPEC §1 "Affiliation at an instant": the admin period covering it; else the latest activity at or
// before it that carried an account; else the earliest that did; else an email domain's account;
// else none. Aliases resolved everywhere.

const talk = (activityId: string, occurredAt: string, accountId?: string): Activity => ({
  activityId,
  type: 'talk',
  occurredAt,
  status: 'delivered',
  identities: ['github:ada'],
  ...(accountId === undefined ? {} : { accountId }),
});
const member = (
  activities: Activity[],
  identities: IdentityKey[] = ['email:ada@acme.example', 'github:ada'],
): Member => ({
  memberId: 'm_0000000000000001',
  identities,
  name: 'Ada',
  accountId: null,
  activities,
});
const sources = (
  fields: Partial<{
    timeZone: string;
    periods: AdminAffiliation[];
    domains: Record<string, string>;
    aliases: Record<string, string>;
  }> = {},
): AffiliationSources => ({
  ...activitiesOnly(fields.timeZone ?? 'UTC'),
  periodsOf: () => fields.periods ?? [],
  accountOfDomain: (domain) => fields.domains?.[domain],
  canonical: (id) => fields.aliases?.[id] ?? id,
});
const at = (instant: string, timeZone = 'UTC') => affiliationInstant(instant, timeZone);
const accountAt = (m: Member, instant: string, s = sources()) =>
  affiliationAt(m, at(instant, s.timeZone), s)?.accountId ?? null;

describe('affiliation at an instant', () => {
  const ada = member([
    talk('a1', '2026-01-10T12:00:00Z', 'acme'),
    talk('a2', '2026-03-10T12:00:00Z'),
    talk('a3', '2026-05-10T12:00:00Z', 'globex'),
  ]);

  it('is the latest stated account at or before the instant, to the exact instant', () => {
    expect(accountAt(ada, '2026-05-10T11:59:59.999Z')).toBe('acme');
    expect(accountAt(ada, '2026-05-10T12:00:00Z')).toBe('globex');
    expect(accountAt(ada, '2026-05-10T12:00:00.0001Z')).toBe('globex');
  });

  it('extends the first known employer back before the first activity', () => {
    expect(accountAt(ada, '2020-01-01T00:00:00Z')).toBe('acme');
  });

  it('lets an admin period override activities on each day it covers, both ends included', () => {
    const s = sources({
      periods: [{ accountId: 'initech', from: '2026-05-01', to: '2026-05-31' }],
    });
    expect(accountAt(ada, '2026-04-30T23:59:59.999Z', s)).toBe('acme');
    expect(accountAt(ada, '2026-05-01T00:00:00Z', s)).toBe('initech');
    expect(accountAt(ada, '2026-05-31T23:59:59.999Z', s)).toBe('initech');
    expect(accountAt(ada, '2026-06-01T00:00:00Z', s)).toBe('globex');
  });

  it('reads period dates in the reporting zone', () => {
    const s = sources({
      timeZone: 'Asia/Shanghai',
      periods: [{ accountId: 'initech', from: '2026-05-01', to: null }],
    });
    // 16:00 UTC on April 30 is already May 1 in Shanghai (UTC+8).
    expect(accountAt(ada, '2026-04-30T15:59:59Z', s)).toBe('acme');
    expect(accountAt(ada, '2026-04-30T16:00:00Z', s)).toBe('initech');
  });

  it('falls back to an email domain, then to none', () => {
    const silent = member([talk('b1', '2026-01-10T12:00:00Z')]);
    expect(
      accountAt(silent, '2026-02-01T00:00:00Z', sources({ domains: { 'acme.example': 'acme' } })),
    ).toBe('acme');
    expect(accountAt(silent, '2026-02-01T00:00:00Z')).toBeNull();
    // A stated account wins over the domain.
    expect(
      accountAt(ada, '2026-06-01T00:00:00Z', sources({ domains: { 'acme.example': 'acme' } })),
    ).toBe('globex');
  });

  it('resolves aliases in every source', () => {
    const aliases = { acme: 'bigco', initech: 'bigco', oldco: 'bigco' };
    expect(accountAt(ada, '2026-02-01T00:00:00Z', sources({ aliases }))).toBe('bigco');
    const s = sources({ aliases, periods: [{ accountId: 'initech', from: null, to: null }] });
    expect(affiliationAt(ada, at('2026-06-01T00:00:00Z'), s)).toEqual({
      accountId: 'bigco',
      source: 'admin',
    });
    const silent = member([talk('b1', '2026-01-10T12:00:00Z')]);
    expect(
      accountAt(
        silent,
        '2026-02-01T00:00:00Z',
        sources({ aliases, domains: { 'acme.example': 'oldco' } }),
      ),
    ).toBe('bigco');
  });

  it('ends a month just before the next month begins in the zone', () => {
    const march = parseMonth('2026-03');
    const m = member([
      talk('c1', '2026-03-01T00:00:00Z', 'acme'),
      talk('c2', '2026-04-01T00:00:00Z', 'globex'),
    ]);
    expect(affiliationAt(m, endOfMonthInstant(march, 'UTC'), sources())?.accountId).toBe('acme');
    // In Shanghai, 2026-04-01T00:00Z is already April 1 08:00: still not in March.
    expect(affiliationAt(m, endOfMonthInstant(march, 'Asia/Shanghai'), sources())?.accountId).toBe(
      'acme',
    );
    // But 2026-03-31T17:00Z is April 1 01:00 in Shanghai: after March there, in March in UTC.
    const early = member([
      talk('d1', '2026-03-01T00:00:00Z', 'acme'),
      talk('d2', '2026-03-31T17:00:00Z', 'globex'),
    ]);
    expect(affiliationAt(early, endOfMonthInstant(march, 'UTC'), sources())?.accountId).toBe(
      'globex',
    );
    expect(
      affiliationAt(early, endOfMonthInstant(march, 'Asia/Shanghai'), sources())?.accountId,
    ).toBe('acme');
  });

  it('names staff by the configuration’s accounts', () => {
    expect(isStaffAccount('us', new Set(['us']))).toBe(true);
    expect(isStaffAccount(null, new Set(['us']))).toBe(false);
  });

  it('for any activities, is always one of the stated accounts once one was stated', () => {
    const activity = fc.record({
      id: fc.stringMatching(/^[a-e]$/),
      day: fc.integer({ min: 1, max: 28 }),
      account: fc.option(fc.constantFrom('acme', 'globex', 'initech'), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(activity, { selector: (a) => a.id, maxLength: 5 }),
        fc.integer({ min: 1, max: 28 }),
        (list, day) => {
          const activities = list
            .map((a) =>
              talk(a.id, `2026-02-${String(a.day).padStart(2, '0')}T00:00:00Z`, a.account),
            )
            .sort(
              (a, b) =>
                a.occurredAt.localeCompare(b.occurredAt) ||
                a.activityId.localeCompare(b.activityId),
            );
          const stated = activities.flatMap((a) => (a.accountId ? [a.accountId] : []));
          const result = accountAt(
            member(activities, ['github:ada']),
            `2026-02-${String(day).padStart(2, '0')}T12:00:00Z`,
          );
          if (stated.length === 0) expect(result).toBeNull();
          else expect(stated).toContain(result);
          // The latest stated at or before the day, else the first stated.
          const upTo = activities.filter(
            (a) =>
              a.accountId && a.occurredAt <= `2026-02-${String(day).padStart(2, '0')}T12:00:00Z`,
          );
          if (stated.length > 0) expect(result).toBe(upTo.at(-1)?.accountId ?? stated[0]);
        },
      ),
    );
  });
});

describe('aliases in movements (SPEC §9)', () => {
  const rules = {
    kaThreshold: 50,
    nearKaThreshold: 30,
    countedEnvironments: ['production'],
    yearlyTarget: 8,
  } as const;
  // OldCo's cluster stops in March; the same nodes report from a new cluster under Acme.
  const values: Record<string, { clusterId: string; nodes: number; environment: 'production' }[]> =
    {
      '2026-01': [
        { clusterId: 'a-1', nodes: 30, environment: 'production' },
        { clusterId: 'o-1', nodes: 60, environment: 'production' },
      ],
      '2026-02': [
        { clusterId: 'a-1', nodes: 30, environment: 'production' },
        { clusterId: 'o-1', nodes: 60, environment: 'production' },
      ],
      '2026-03': [
        { clusterId: 'a-1', nodes: 30, environment: 'production' },
        { clusterId: 'a-2', nodes: 60, environment: 'production' },
      ],
    };
  const named: Record<string, string> = { 'a-1': 'acme', 'o-1': 'oldco', 'a-2': 'acme' };
  const history = (canonical: (id: string) => string) =>
    kaHistory({
      from: parseMonth('2026-01'),
      to: parseMonth('2026-03'),
      byAccountOf: (month) =>
        accountNodesOfMonthValues(
          values[month] ?? [],
          (clusterId) => {
            const id = named[clusterId];
            return id === undefined ? undefined : canonical(id);
          },
          rules,
        ).byAccount,
      previousKa: new Set(),
      everKaBefore: new Set(),
      rules,
    });

  it('books an acquisition as a churn and a new KA while the accounts are two', () => {
    const [, , march] = history((id) => id);
    expect(march?.movements).toMatchObject({ new: ['acme'], churned: ['oldco'] });
  });

  it('counts the alias as its canonical account in every month: neither a churn nor a new KA', () => {
    const months = history((id) => (id === 'oldco' ? 'acme' : id));
    expect(months.map((m) => [...m.ka])).toEqual([['acme'], ['acme'], ['acme']]);
    expect(months[2]?.movements).toMatchObject({ new: [], churned: [], retained: ['acme'] });
  });
});
