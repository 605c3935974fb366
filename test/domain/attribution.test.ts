import { describe, expect, it } from 'vitest';
import { type KeptNamedAccount, namedAccountChanges } from '../../lambdas/domain/attribution.js';
import { type ClusterMonthValue, snapshotRank } from '../../lambdas/domain/ka.js';
import { type Month, parseMonth } from '../../lambdas/domain/month.js';

const m = (text: string): Month => parseMonth(text);
const rankAt = (reportedAt: string) =>
  snapshotRank({
    clusterId: 'c',
    nodes: 1,
    environment: 'production',
    reportedAt,
  } as ClusterMonthValue);
const seen = (accountId: string, reportedAt: string) => ({
  clusterId: 'c',
  accountId,
  accountRank: rankAt(reportedAt),
});

describe('namedAccountChanges (SPEC §1 account of a cluster)', () => {
  it('keeps the account of the latest account-bearing snapshot, whatever order months fold in', () => {
    const forward = new Map<string, KeptNamedAccount>();
    namedAccountChanges(forward, m('2025-01'), [seen('old', '2025-01-20T00:00:00Z')]);
    namedAccountChanges(forward, m('2025-03'), [seen('new', '2025-03-02T00:00:00Z')]);
    const backward = new Map<string, KeptNamedAccount>();
    namedAccountChanges(backward, m('2025-03'), [seen('new', '2025-03-02T00:00:00Z')]);
    const late = namedAccountChanges(backward, m('2025-01'), [seen('old', '2025-01-20T00:00:00Z')]);
    expect(forward.get('c')?.accountId).toBe('new');
    expect(backward.get('c')?.accountId).toBe('new');
    expect(late.size).toBe(0);
  });

  it('writes once per cluster and month, not on every recomputation of the month', () => {
    const kept = new Map<string, KeptNamedAccount>();
    expect(namedAccountChanges(kept, m('2025-01'), [seen('a', '2025-01-02T00:00:00Z')]).size).toBe(
      1,
    );
    expect(namedAccountChanges(kept, m('2025-01'), [seen('a', '2025-01-09T00:00:00Z')]).size).toBe(
      0,
    );
    expect(namedAccountChanges(kept, m('2025-02'), [seen('a', '2025-02-01T00:00:00Z')]).size).toBe(
      1,
    );
  });

  it('follows a change of account within the month, though the kept rank lags', () => {
    const kept = new Map<string, KeptNamedAccount>();
    namedAccountChanges(kept, m('2025-01'), [seen('a', '2025-01-02T00:00:00Z')]);
    namedAccountChanges(kept, m('2025-01'), [seen('a', '2025-01-09T00:00:00Z')]);
    namedAccountChanges(kept, m('2025-01'), [seen('b', '2025-01-20T00:00:00Z')]);
    // A late snapshot of the month before cannot outrank what the later month named.
    namedAccountChanges(kept, m('2024-12'), [seen('z', '2024-12-31T23:59:00Z')]);
    expect(kept.get('c')?.accountId).toBe('b');
  });

  it('ignores month values whose snapshots never named an account', () => {
    const kept = new Map<string, KeptNamedAccount>();
    expect(namedAccountChanges(kept, m('2025-01'), [{ clusterId: 'c' }]).size).toBe(0);
  });
});
