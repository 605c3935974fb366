import { describe, expect, it } from 'vitest';
import { accountMonths } from '../../lambdas/domain/account-evidence.js';
import { isChampionByMonths } from '../../lambdas/domain/champions.js';
import type { Activity } from '../../lambdas/domain/community.js';
import { defaultConfig } from '../../lambdas/domain/config.js';
import { ValidationError } from '../../lambdas/domain/errors.js';
import { resolveMembers } from '../../lambdas/domain/identities.js';
import {
  activityAffiliations,
  memberLinks,
  parseMemberRef,
} from '../../lambdas/domain/member-evidence.js';
import { type Month, parseMonth } from '../../lambdas/domain/month.js';

const m = (text: string) => parseMonth(text);

describe('an account’s months (SPEC §7, by the KA rules of §1)', () => {
  it('reads new, churned while near, reactivated, retained and other from its own nodes', () => {
    const nodes: Record<string, number> = {
      '2025-01': 10,
      '2025-02': 60,
      '2025-03': 35,
      '2025-04': 0,
      '2025-05': 70,
      '2025-06': 50,
    };
    const months = accountMonths({
      accountId: 'acme',
      months: Object.keys(nodes).map(m),
      nodesOf: (month: Month) => nodes[month] ?? 0,
      rules: defaultConfig,
    });
    expect(months.map((row) => [row.month, row.productionNodes, row.status])).toEqual([
      ['2025-01', 10, 'other'],
      ['2025-02', 60, 'new'],
      ['2025-03', 35, 'churned'],
      ['2025-04', 0, 'other'],
      ['2025-05', 70, 'reactivated'],
      ['2025-06', 50, 'retained'],
    ]);
  });

  it('is near between the thresholds when it was not KA the month before', () => {
    const months = accountMonths({
      accountId: 'acme',
      months: [m('2025-01')],
      nodesOf: () => 30,
      rules: defaultConfig,
    });
    expect(months).toEqual([{ month: '2025-01', productionNodes: 30, status: 'near' }]);
  });
});

describe('champion by months (SPEC §1 "Champion")', () => {
  it('counts a qualifying month within the 12 months ending with M, not the 13th', () => {
    expect(isChampionByMonths([m('2024-02')], m('2025-01'))).toBe(true);
    expect(isChampionByMonths([m('2024-01')], m('2025-01'))).toBe(false);
    expect(isChampionByMonths([m('2025-02')], m('2025-01'))).toBe(false);
  });
});

const activity = (
  activityId: string,
  identities: Activity['identities'],
  occurredAt: string,
  accountId?: string,
): Activity => ({
  activityId,
  type: 'talk',
  status: 'delivered',
  occurredAt,
  identities,
  ...(accountId ? { accountId } : {}),
});

describe('why a member is who they are (SPEC §7 links and affiliations)', () => {
  const activities = [
    activity('a1', ['email:ada@x.io'], '2025-01-01T00:00:00Z', 'acme'),
    activity('a2', ['email:ada@x.io', 'github:ada'], '2025-02-01T00:00:00Z'),
    activity('a3', ['github:ada', 'email:ada@x.io'], '2025-03-01T00:00:00Z', 'beta'),
    activity('a4', ['forum:ada'], '2025-04-01T00:00:00Z', 'beta'),
    activity('a5', ['github:ada'], '2025-05-01T00:00:00Z', 'acme'),
  ];
  const merge = {
    identities: ['forum:ada', 'github:ada'] as const,
    mergedAt: '2025-06-01T00:00:00Z',
  };
  const [member] = resolveMembers(activities, [merge]).members;

  it('names the first activity that joined each set of identities, and the admin merge', () => {
    expect(
      member && memberLinks(member, [merge, { identities: ['email:bob@y.io', 'github:bob'] }]),
    ).toEqual([
      {
        identities: ['email:ada@x.io', 'github:ada'],
        cause: 'activity',
        activityId: 'a2',
        at: '2025-02-01T00:00:00Z',
      },
      { identities: ['forum:ada', 'github:ada'], cause: 'admin-merge', at: '2025-06-01T00:00:00Z' },
    ]);
  });

  it('turns the accounts activities named into periods, the first extending back', () => {
    expect(member && activityAffiliations(member)).toEqual([
      { accountId: 'acme', from: null, to: '2025-03-01T00:00:00Z', source: 'activity' },
      {
        accountId: 'beta',
        from: '2025-03-01T00:00:00Z',
        to: '2025-05-01T00:00:00Z',
        source: 'activity',
      },
      { accountId: 'acme', from: '2025-05-01T00:00:00Z', to: null, source: 'activity' },
    ]);
  });
});

describe('a member reference (SPEC §7 `{member}`)', () => {
  it('reads a member id, or an identity in matching form', () => {
    expect(parseMemberRef('m_0123456789abcdef')).toEqual({ memberId: 'm_0123456789abcdef' });
    expect(parseMemberRef('github:@Ada')).toEqual({ identity: 'github:ada' });
    expect(parseMemberRef('email: Ada@X.io ')).toEqual({ identity: 'email:ada@x.io' });
    expect(parseMemberRef('forum:a:b')).toEqual({ identity: 'forum:a:b' });
  });

  it.each(['ada', 'phone:1', 'email:', 'email:  ', 'm_123'])('refuses %j', (text) => {
    expect(() => parseMemberRef(text)).toThrow(ValidationError);
  });
});
