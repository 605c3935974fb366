import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activitiesOnly } from '../../lambdas/domain/affiliation.js';
import type { Activity, IdentityKey } from '../../lambdas/domain/community.js';
import {
  firstCommunityInstants,
  isCommunitySourced,
} from '../../lambdas/domain/community-sourced.js';
import { resolveMembers } from '../../lambdas/domain/identities.js';
import { accountStatuses } from '../../lambdas/domain/ka.js';

let sequence = 0;
const activity = (who: string, occurredAt: string, fields: Partial<Activity> = {}): Activity => ({
  activityId: `a${++sequence}`,
  type: 'talk',
  occurredAt,
  status: 'delivered',
  identities: [`github:${who}` as IdentityKey],
  ...fields,
});

const march = '2026-03-01T00:00:00Z';
function sourced(activities: Activity[], staff: string[] = [], timeZone = 'UTC', start = march) {
  const { members } = resolveMembers(activities, []);
  const first = firstCommunityInstants(members, activitiesOnly(timeZone), new Set(staff));
  return (accountId: string) => isCommunitySourced(accountId, 'new', start, first);
}

describe('community-sourced new KAs (SPEC §10)', () => {
  it('is a new KA whose member had a qualifying activity, affiliated with it, before M', () => {
    const is = sourced([activity('ada', '2025-06-01T00:00:00Z', { accountId: 'acme' })]);
    expect(is('acme')).toBe(true);
    expect(is('globex')).toBe(false);
  });

  it('needs the activity before the start of M, in the reporting zone', () => {
    const late = [activity('ada', '2026-03-01T00:00:00Z', { accountId: 'acme' })];
    expect(sourced(late)('acme')).toBe(false);
    // 2026-02-28T20:00Z is already March 1st in Shanghai.
    const edge = [activity('ada', '2026-02-28T20:00:00Z', { accountId: 'acme' })];
    expect(sourced(edge, [], 'UTC')('acme')).toBe(true);
    expect(sourced(edge, [], 'Asia/Shanghai', '2026-02-28T16:00:00Z')('acme')).toBe(false);
  });

  it('reads the affiliation at the activity’s instant, not now', () => {
    const moved = [
      activity('ada', '2025-06-01T00:00:00Z', { accountId: 'globex' }),
      activity('ada', '2026-02-01T00:00:00Z', { type: 'answer', accountId: 'acme' }),
    ];
    // Her answer of February, while at Acme, counts for Acme; the talk of June counts for Globex.
    const is = sourced(moved);
    expect(is('acme')).toBe(true);
    expect(is('globex')).toBe(true);
    const onlyBefore = [
      activity('ada', '2025-06-01T00:00:00Z', { accountId: 'globex' }),
      activity('ada', '2026-04-01T00:00:00Z', { accountId: 'acme' }),
    ];
    expect(sourced(onlyBefore)('acme')).toBe(false);
  });

  it('counts only qualifying activities, and never staff', () => {
    const rejected = [
      activity('ada', '2025-06-01T00:00:00Z', { accountId: 'acme', status: 'rejected' }),
    ];
    expect(sourced(rejected)('acme')).toBe(false);
    const pending = [
      activity('ada', '2025-06-01T00:00:00Z', {
        accountId: 'acme',
        type: 'article',
        status: 'submitted',
      }),
    ];
    expect(sourced(pending)('acme')).toBe(false);
    const staff = [activity('ada', '2025-06-01T00:00:00Z', { accountId: 'acme' })];
    expect(sourced(staff, ['acme'])('acme')).toBe(false);
  });

  it('is false for every status but new, whatever the community did', () => {
    const first = new Map([['acme', '2000-01-01T00:00:00.000']]);
    fc.assert(
      fc.property(fc.constantFrom(...accountStatuses), (status) => {
        expect(isCommunitySourced('acme', status, march, first)).toBe(status === 'new');
      }),
    );
  });
});
