import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activitiesOnly } from '../../lambdas/domain/affiliation.js';
import { championLossAlerts, lossReason } from '../../lambdas/domain/alerts.js';
import { championsByAccount } from '../../lambdas/domain/champions.js';
import type { Activity, IdentityKey } from '../../lambdas/domain/community.js';
import { resolveMembers } from '../../lambdas/domain/identities.js';
import { type Month, parseMonth } from '../../lambdas/domain/month.js';

let sequence = 0;
const talk = (who: string, occurredAt: string, accountId?: string): Activity => ({
  activityId: `a${++sequence}`,
  type: 'talk',
  occurredAt,
  status: 'delivered',
  identities: [`github:${who}` as IdentityKey],
  name: who,
  ...(accountId ? { accountId } : {}),
});

const sources = activitiesOnly('UTC');
const march = parseMonth('2026-03');

function alertsOf(activities: Activity[], ka: string[], staff: string[] = [], month = march) {
  const { members } = resolveMembers(activities, []);
  const staffAccounts = new Set(staff);
  const of = (m: Month) => championsByAccount({ members, month: m, sources, staffAccounts });
  return championLossAlerts({
    month,
    ka,
    previousChampions: of(parseMonth('2026-02')),
    champions: of(month),
    sources,
    staffAccounts,
    nameOf: (id) => (id === 'acme' ? 'Acme Inc.' : undefined),
  });
}

describe('championLossAlerts (SPEC §10)', () => {
  it('alerts a KA whose only champion went quiet: inactive', () => {
    // Her last talk was in March 2025: inside February 2026's 12 months, outside March's.
    const alerts = alertsOf([talk('ada', '2025-03-15T00:00:00Z', 'acme')], ['acme']);
    expect(alerts).toEqual([
      {
        kind: 'champion-lost',
        accountId: 'acme',
        name: 'Acme Inc.',
        members: [{ memberId: expect.any(String), name: 'ada', reason: 'inactive' }],
      },
    ]);
  });

  it('says left when the champion is affiliated with another account now', () => {
    const moved = [
      talk('ada', '2026-01-15T00:00:00Z', 'acme'),
      talk('ada', '2026-03-10T00:00:00Z', 'globex'),
    ];
    expect(alertsOf(moved, ['acme'])[0]?.members[0]?.reason).toBe('left');
  });

  it('says staff before left: the champion joined the company', () => {
    const hired = [
      talk('ada', '2026-01-15T00:00:00Z', 'acme'),
      talk('ada', '2026-03-10T00:00:00Z', 'us'),
    ];
    expect(alertsOf(hired, ['acme'], ['us'])[0]?.members[0]?.reason).toBe('staff');
  });

  it('does not alert while the account has another champion, or is not KA, or M-1 was never computed', () => {
    const two = [
      talk('ada', '2025-03-15T00:00:00Z', 'acme'),
      talk('bob', '2026-03-01T00:00:00Z', 'acme'),
    ];
    expect(alertsOf(two, ['acme'])).toEqual([]);
    expect(alertsOf([talk('ada', '2025-03-15T00:00:00Z', 'acme')], [])).toEqual([]);
    const { members } = resolveMembers([talk('ada', '2025-03-15T00:00:00Z', 'acme')], []);
    expect(
      championLossAlerts({
        month: march,
        ka: ['acme'],
        previousChampions: undefined,
        champions: championsByAccount({ members, month: march, sources, staffAccounts: new Set() }),
        sources,
        staffAccounts: new Set(),
      }),
    ).toEqual([]);
  });

  it('alerts an account that was not KA in M-1 but had a champion then', () => {
    // KA-ness of M-1 does not matter (SPEC §10): only M's.
    expect(alertsOf([talk('ada', '2025-03-15T00:00:00Z', 'acme')], ['acme'])).toHaveLength(1);
  });

  it('gives exactly one reason, by precedence staff, left, inactive', () => {
    const accounts = ['acme', 'globex', 'us'];
    fc.assert(
      fc.property(
        fc.constantFrom(...accounts),
        fc.option(fc.constantFrom(...accounts), { nil: undefined }),
        fc.boolean(),
        (champion, now, staffIsUs) => {
          // A champion of `champion` in February; in March a talk stating `now` (or not at all).
          const activities = [talk('ada', '2025-03-15T00:00:00Z', champion)];
          if (now !== undefined) activities.push(talk('ada', '2026-03-01T00:00:00Z', now));
          const member = resolveMembers(activities, []).members[0];
          if (!member) throw new Error('no member');
          const staff = new Set(staffIsUs ? ['us'] : []);
          const affiliated = now ?? champion;
          const expected =
            staffIsUs && affiliated === 'us'
              ? 'staff'
              : affiliated !== champion
                ? 'left'
                : 'inactive';
          expect(lossReason(member, champion, march, sources, staff)).toBe(expected);
        },
      ),
    );
  });
});
