import { describe, expect, it } from 'vitest';
import { activitiesOnly } from '../../lambdas/domain/affiliation.js';
import {
  championAccounts,
  championCoverage,
  championsByAccount,
} from '../../lambdas/domain/champions.js';
import type { Activity } from '../../lambdas/domain/community.js';
import { resolveMembers } from '../../lambdas/domain/identities.js';
import { parseMonth } from '../../lambdas/domain/month.js';

const ada = 'email:ada@example.com' as const;
const bob = 'email:bob@example.com' as const;

let sequence = 0;
/** A delivered talk by Ada of Acme on 2026-03-10 (UTC), changed where a test cares. */
const activity = (fields: Partial<Activity> = {}): Activity => ({
  activityId: `a${++sequence}`,
  type: 'talk',
  occurredAt: '2026-03-10T00:00:00Z',
  status: 'delivered',
  identities: [ada],
  accountId: 'acme',
  ...fields,
});
const championsOf = (
  activities: readonly Activity[],
  month = '2026-03',
  timeZone = 'UTC',
  staff: readonly string[] = [],
) =>
  championAccounts({
    members: resolveMembers(activities, []).members,
    month: parseMonth(month),
    sources: activitiesOnly(timeZone),
    staffAccounts: new Set(staff),
  });
const ids = (...accounts: string[]) => new Set(accounts);

describe('championAccounts', () => {
  it('names the account of a member with a qualifying activity that month', () => {
    expect(championsOf([activity()])).toEqual(ids('acme'));
  });

  it('looks back over the 12 months ending with the month, M-11 to M', () => {
    expect(championsOf([activity({ occurredAt: '2025-04-01T00:00:00Z' })])).toEqual(ids('acme'));
    expect(championsOf([activity({ occurredAt: '2025-03-31T23:59:59Z' })])).toEqual(ids());
    expect(championsOf([activity({ occurredAt: '2026-04-01T00:00:00Z' })])).toEqual(ids());
  });

  it('draws the window’s edges in the reporting zone', () => {
    // 2025-03-31T16:30Z is already April 1st, 00:30 in Shanghai: inside 2025-04..2026-03 there.
    const edge = [activity({ occurredAt: '2025-04-01T00:30:00+08:00' })];
    expect(championsOf(edge, '2026-03', 'Asia/Shanghai')).toEqual(ids('acme'));
    expect(championsOf(edge, '2026-03', 'UTC')).toEqual(ids());
  });

  it('counts qualifying activity of any type, not rejected ones or unrecognised content', () => {
    expect(championsOf([activity({ type: 'meetup-attended' })])).toEqual(ids('acme'));
    expect(championsOf([activity({ type: 'video', status: 'recognized' })])).toEqual(ids('acme'));
    expect(championsOf([activity({ type: 'video', status: 'submitted' })])).toEqual(ids());
    expect(championsOf([activity({ status: 'rejected' })])).toEqual(ids());
  });

  it('credits the member’s affiliation: the account their latest activity carried', () => {
    const moved = [
      activity({ occurredAt: '2026-01-10T00:00:00Z', accountId: 'acme' }),
      activity({ occurredAt: '2026-02-10T00:00:00Z', accountId: 'globex' }),
    ];
    expect(championsOf(moved)).toEqual(ids('globex'));
  });

  it('credits the account the member is affiliated with at the end of the month, not now', () => {
    const moved = [
      activity({ occurredAt: '2026-03-10T00:00:00Z', accountId: 'acme' }),
      activity({ occurredAt: '2026-04-02T00:00:00Z', accountId: 'globex' }),
    ];
    expect(championsOf(moved, '2026-03')).toEqual(ids('acme'));
    expect(championsOf(moved, '2026-04')).toEqual(ids('globex'));
  });

  it('draws the end of the month in the reporting zone', () => {
    // 2026-03-31T17:00Z is already April 1st in Shanghai: the move counts for March in UTC only.
    const moved = [
      activity({ occurredAt: '2026-03-10T00:00:00Z', accountId: 'acme' }),
      activity({ occurredAt: '2026-03-31T17:00:00Z', accountId: 'globex' }),
    ];
    expect(championsOf(moved, '2026-03', 'UTC')).toEqual(ids('globex'));
    expect(championsOf(moved, '2026-03', 'Asia/Shanghai')).toEqual(ids('acme'));
  });

  it('never counts staff: members affiliated with a staff account are nobody’s champion', () => {
    const staff = [activity({ accountId: 'us' })];
    expect(championsOf(staff, '2026-03', 'UTC', ['us'])).toEqual(ids());
    expect(championsOf(staff, '2026-03', 'UTC', ['acme'])).toEqual(ids('us'));
  });

  it('lists every champion of an account', () => {
    const two = [activity(), activity({ identities: [bob] })];
    const byAccount = championsByAccount({
      members: resolveMembers(two, []).members,
      month: parseMonth('2026-03'),
      sources: activitiesOnly('UTC'),
      staffAccounts: new Set(),
    });
    expect(byAccount.get('acme')?.map((m) => m.identities[0])).toEqual(
      expect.arrayContaining([ada, bob]),
    );
    expect(byAccount.get('acme')).toHaveLength(2);
  });

  it('credits no account for members without an affiliation', () => {
    const { accountId: _, ...unaffiliated } = activity({ identities: [bob] });
    expect(championsOf([unaffiliated])).toEqual(ids());
  });
});

describe('championCoverage', () => {
  it('is null when the month has no key account', () => {
    expect(championCoverage(ids(), ids('acme'))).toBeNull();
  });

  it('is 0 when there are key accounts but no champion among them', () => {
    expect(championCoverage(ids('acme', 'globex'), ids())).toBe(0);
    expect(championCoverage(ids('acme'), ids('initech'))).toBe(0);
  });

  it('is the share of key accounts that are champion accounts', () => {
    expect(championCoverage(ids('acme', 'globex', 'initech'), ids('globex', 'hooli'))).toBe(1 / 3);
    expect(championCoverage(ids('acme'), ids('acme', 'globex', 'hooli'))).toBe(1);
  });
});
