import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lambdas/domain/errors.js';
import {
  accountNodes,
  accountsOfMonth,
  type ClusterMonthValue,
  clusterMonthValues,
  defaultKaRules,
  environments,
  growth,
  type KaRules,
  kaHistory,
  kaMonth,
  latestSnapshotWins,
  snapshotRank,
} from '../../lambdas/domain/ka.js';
import { addMonths, type Month, monthsBetween, parseMonth } from '../../lambdas/domain/month.js';

const m = parseMonth;
const rules = defaultKaRules;

/** A production snapshot of cluster `c1` with 10 nodes, changed where a test cares. */
const snapshot = (fields: Partial<ClusterMonthValue> = {}): ClusterMonthValue => ({
  clusterId: 'c1',
  nodes: 10,
  environment: 'production',
  reportedAt: '2026-03-10T00:00:00Z',
  ...fields,
});
const nodesOf = (entries: Record<string, number>) => new Map(Object.entries(entries));
const ids = (...accounts: string[]) => new Set(accounts);
const reduceLatest = (values: readonly ClusterMonthValue[]) =>
  values.reduce((a, b) => latestSnapshotWins(a, b));
const classify = (byAccount: Map<string, number>, previousKa = ids(), everKaBefore = ids()) =>
  kaMonth({ month: m('2026-03'), byAccount, previousKa, everKaBefore, rules });

/** A snapshot of one of a few clusters at one of two instants, written with different offsets. */
const anySnapshot = fc.record(
  {
    clusterId: fc.constantFrom('c1', 'c2', 'c3'),
    nodes: fc.integer({ min: 0, max: 3 }),
    environment: fc.constantFrom(...environments),
    reportedAt: fc.constantFrom(
      '2026-03-10T00:00:00Z',
      '2026-03-10T08:00:00+08:00',
      '2026-03-10T01:00:00+00:00',
      '2026-03-09T20:00:00-05:00',
    ),
    eventId: fc.constantFrom('a', 'b'),
  },
  { requiredKeys: ['clusterId', 'nodes', 'environment', 'reportedAt'] },
);
/** Small enough to force ties on every field but the eventId. */
const snapshots = fc.array(anySnapshot, { minLength: 1, maxLength: 12 });
const reorder = <T>(items: readonly T[]) =>
  fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });
const accountSet = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { maxLength: 6 });
const accountNodesArb = fc.dictionary(
  fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
  fc.constantFrom(0, 29, 30, 49, 50, 51, 400),
);

describe('latestSnapshotWins', () => {
  it('keeps the later reportedAt even when it arrived first', () => {
    const later = snapshot({ nodes: 60, reportedAt: '2026-03-20T00:00:00Z' });
    const earlier = snapshot({ nodes: 5, reportedAt: '2026-03-02T00:00:00Z' });
    expect(latestSnapshotWins(later, earlier)).toBe(later);
    expect(latestSnapshotWins(earlier, later)).toBe(later);
  });

  it('compares instants, not text: 09:00+08:00 is earlier than 02:00Z', () => {
    const shanghai = snapshot({ nodes: 1, reportedAt: '2026-03-10T09:00:00+08:00' });
    const utc = snapshot({ nodes: 2, reportedAt: '2026-03-10T02:00:00Z' });
    expect(latestSnapshotWins(shanghai, utc)).toBe(utc);
  });

  it('breaks a tie at the same instant by the larger node count, whichever comes first', () => {
    const small = snapshot({ nodes: 40, eventId: 'z' });
    const large = snapshot({ nodes: 55, eventId: 'a' });
    expect(latestSnapshotWins(small, large)).toBe(large);
    expect(latestSnapshotWins(large, small)).toBe(large);
  });

  it('then prefers production, then the larger eventId', () => {
    const staging = snapshot({ environment: 'staging', eventId: 'z' });
    const production = snapshot({ environment: 'production', eventId: 'a' });
    expect(latestSnapshotWins(staging, production)).toBe(production);
    expect(latestSnapshotWins(production, staging)).toBe(production);
    const [a, b] = [snapshot({ eventId: 'a' }), snapshot({ eventId: 'b' })];
    expect(latestSnapshotWins(a, b)).toBe(b);
    expect(latestSnapshotWins(b, a)).toBe(b);
  });

  it('picks one of two copies of a delivery written with different offsets, in any order', () => {
    const utc = snapshot({ eventId: 'e', reportedAt: '2026-03-10T00:00:00Z' });
    const shanghai = snapshot({ eventId: 'e', reportedAt: '2026-03-10T08:00:00+08:00' });
    expect(latestSnapshotWins(utc, shanghai)).toBe(latestSnapshotWins(shanghai, utc));
  });

  it('rejects a snapshot whose reportedAt is not an instant', () => {
    expect(() => latestSnapshotWins(snapshot(), snapshot({ reportedAt: 'soon' }))).toThrow(
      ValidationError,
    );
  });

  it('gives the same month value whatever the arrival order', () => {
    const cases = snapshots.chain((values) => fc.tuple(fc.constant(values), reorder(values)));
    fc.assert(
      fc.property(cases, ([values, arrived]) => {
        expect(reduceLatest(arrived)).toEqual(reduceLatest(values));
        expect(clusterMonthValues(arrived)).toEqual(clusterMonthValues(values));
      }),
      { numRuns: 300 },
    );
  });

  it('picks a snapshot with the latest reportedAt', () => {
    fc.assert(
      fc.property(snapshots, (values) => {
        const latest = Math.max(...values.map((v) => Date.parse(v.reportedAt)));
        expect(Date.parse(reduceLatest(values).reportedAt)).toBe(latest);
      }),
    );
  });
});

describe('snapshotRank', () => {
  it('sorts as text exactly as latestSnapshotWins decides, for the store’s conditional write', () => {
    fc.assert(
      fc.property(anySnapshot, anySnapshot, (a, b) => {
        if (snapshotRank(a) === snapshotRank(b)) return;
        const winner = snapshotRank(a) > snapshotRank(b) ? a : b;
        expect(latestSnapshotWins(a, b)).toBe(winner);
        expect(latestSnapshotWins(b, a)).toBe(winner);
      }),
    );
  });

  it('orders instants numerically across years and node counts across digits', () => {
    const rank = (fields: Partial<ClusterMonthValue>) => snapshotRank(snapshot(fields));
    const y2026 = rank({ reportedAt: '2026-03-10T00:00:00Z' });
    expect(y2026 > rank({ reportedAt: '1999-12-31T23:59:59Z', nodes: 100_000 })).toBe(true);
    expect(y2026 > rank({ reportedAt: '1969-07-20T20:17:00Z' })).toBe(true);
    expect(rank({ nodes: 100 }) > rank({ nodes: 99 })).toBe(true);
    expect(() => rank({ nodes: -1 })).toThrow(ValidationError);
  });
});

describe('accountNodes', () => {
  const accountOf = (clusterId: string) => ({ c1: 'acme', c2: 'acme', c3: 'globex' })[clusterId];

  it('sums the month values of an account’s production clusters', () => {
    const result = accountNodes(
      [snapshot({ clusterId: 'c1', nodes: 30 }), snapshot({ clusterId: 'c2', nodes: 25 })],
      accountOf,
      rules,
    );
    expect(result.byAccount).toEqual(nodesOf({ acme: 55 }));
    expect(result.productionNodes).toBe(55);
  });

  it('counts only the latest snapshot of a cluster: one moved to staging counts 0', () => {
    const result = accountNodes(
      [
        snapshot({ nodes: 80, reportedAt: '2026-03-01T00:00:00Z' }),
        snapshot({ nodes: 80, environment: 'staging', reportedAt: '2026-03-28T00:00:00Z' }),
      ],
      accountOf,
      rules,
    );
    expect(result.byAccount).toEqual(nodesOf({ acme: 0 }));
    expect(result.productionNodes).toBe(0);
  });

  it('reports clusters without an account as unattributed, in counted environments only', () => {
    const result = accountNodes(
      [
        snapshot({ clusterId: 'orphan-1', nodes: 7 }),
        snapshot({ clusterId: 'orphan-2', nodes: 9, environment: 'test' }),
        snapshot({ clusterId: 'c3', nodes: 4, environment: 'development' }),
      ],
      accountOf,
      rules,
    );
    expect(result.unattributedNodes).toBe(7);
    expect(result.byAccount).toEqual(nodesOf({ globex: 0 }));
    expect(result.productionNodes).toBe(0);
  });

  it('counts every environment the configuration counts', () => {
    const counted: KaRules = { ...rules, countedEnvironments: ['production', 'staging'] };
    const values = [snapshot({ nodes: 30 }), snapshot({ clusterId: 'c2', environment: 'staging' })];
    expect(accountNodes(values, accountOf, counted).byAccount).toEqual(nodesOf({ acme: 40 }));
  });

  it('splits the counted nodes of all clusters between accounts and unattributed', () => {
    const someAccount = (clusterId: string) => (clusterId === 'c3' ? undefined : clusterId);
    fc.assert(
      fc.property(snapshots, (values) => {
        const result = accountNodes(values, someAccount, rules);
        const counted = [...clusterMonthValues(values).values()]
          .filter((v) => v.environment === 'production')
          .reduce((sum, v) => sum + v.nodes, 0);
        const byAccount = [...result.byAccount.values()].reduce((sum, n) => sum + n, 0);
        expect(result.productionNodes).toBe(byAccount);
        expect(result.productionNodes + result.unattributedNodes).toBe(counted);
      }),
    );
  });
});

describe('kaMonth', () => {
  it('makes an account KA from 50 production nodes and near-KA from 30', () => {
    const result = classify(nodesOf({ at50: 50, at49: 49, at30: 30, at29: 29 }));
    expect(result.ka).toEqual(ids('at50'));
    expect(result.near).toEqual(ids('at49', 'at30'));
  });

  it('applies the configured thresholds', () => {
    const strict: KaRules = { ...rules, kaThreshold: 100, nearKaThreshold: 60 };
    const result = kaMonth({
      month: m('2026-03'),
      byAccount: nodesOf({ a: 99, b: 100, c: 59 }),
      previousKa: ids(),
      everKaBefore: ids(),
      rules: strict,
    });
    expect(result.ka).toEqual(ids('b'));
    expect(result.near).toEqual(ids('a'));
  });

  it('tells new, reactivated, retained and churned accounts apart', () => {
    const byAccount = nodesOf({ fresh: 60, back: 70, stays: 80, gone: 10 });
    const result = classify(byAccount, ids('stays', 'gone'), ids('stays', 'gone', 'back'));
    expect(result.movements).toEqual({
      new: ['fresh'],
      reactivated: ['back'],
      retained: ['stays'],
      churned: ['gone'],
    });
  });

  it('treats a previous month without data as one without KAs', () => {
    const result = classify(nodesOf({ back: 70, fresh: 50 }), ids(), ids('back'));
    expect(result.movements).toMatchObject({ new: ['fresh'], reactivated: ['back'], churned: [] });
  });

  it('puts each KA in exactly one of new, reactivated and retained, and no KA in churned', () => {
    const history = fc.tuple(accountNodesArb, accountSet, accountSet);
    fc.assert(
      fc.property(history, ([nodes, previous, earlier]) => {
        const result = classify(nodesOf(nodes), ids(...previous), ids(...previous, ...earlier));
        const { new: fresh, reactivated, retained, churned } = result.movements;
        expect([...fresh, ...reactivated, ...retained].sort()).toEqual([...result.ka].sort());
        expect(churned.filter((id) => result.ka.has(id))).toEqual([]);
        expect(churned.sort()).toEqual(previous.filter((id) => !result.ka.has(id)).sort());
        expect([...result.near].filter((id) => result.ka.has(id))).toEqual([]);
        expect(classify(nodesOf(nodes), ids(...previous), ids(...previous, ...earlier))).toEqual(
          result,
        );
      }),
    );
  });
});

describe('kaHistory', () => {
  const months = (from: string, nodes: Record<string, number>[]) => (month: Month) =>
    nodesOf(nodes[monthsBetween(m(from), month)] ?? {});

  it('follows an account through becoming KA, churning and coming back', () => {
    const history = kaHistory({
      from: m('2026-01'),
      to: m('2026-04'),
      byAccountOf: months('2026-01', [{ acme: 60 }, { acme: 10 }, { acme: 70 }, { acme: 55 }]),
      previousKa: ids(),
      everKaBefore: ids(),
      rules,
    });
    expect(history.map((h) => h.month)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04']);
    expect(history.map((h) => h.movements)).toEqual([
      { new: ['acme'], reactivated: [], retained: [], churned: [] },
      { new: [], reactivated: [], retained: [], churned: ['acme'] },
      { new: [], reactivated: ['acme'], retained: [], churned: [] },
      { new: [], reactivated: [], retained: ['acme'], churned: [] },
    ]);
  });

  it('counts the month before from as an earlier KA month', () => {
    const history = kaHistory({
      from: m('2026-01'),
      to: m('2026-02'),
      byAccountOf: months('2026-01', [{}, { acme: 60 }]),
      previousKa: ids('acme'),
      everKaBefore: ids(),
      rules,
    });
    expect(history.map((h) => h.movements)).toEqual([
      { new: [], reactivated: [], retained: [], churned: ['acme'] },
      { new: [], reactivated: ['acme'], retained: [], churned: [] },
    ]);
  });

  it('agrees with the definitions read off the whole history', () => {
    fc.assert(
      fc.property(fc.array(accountNodesArb, { minLength: 1, maxLength: 8 }), (nodes) => {
        const from = m('2025-06');
        const to = addMonths(from, nodes.length - 1);
        const history = kaHistory({
          from,
          to,
          byAccountOf: months(from, nodes),
          previousKa: ids(),
          everKaBefore: ids(),
          rules,
        });
        history.forEach(({ ka, movements }, i) => {
          const before = history.slice(0, i).map((h) => h.ka);
          const everBefore = (id: string) => before.some((set) => set.has(id));
          const previous = before.at(-1) ?? ids();
          for (const id of ka) expect(movements.new.includes(id)).toBe(!everBefore(id));
          for (const id of movements.reactivated)
            expect(everBefore(id) && !previous.has(id)).toBe(true);
          for (const id of movements.retained) expect(previous.has(id)).toBe(true);
        });
      }),
    );
  });
});

describe('growth', () => {
  const counts = (entries: Record<string, number>) => (month: Month) => entries[month];
  const grow = (month: string, kaCount: number, entries: Record<string, number>, target = 8) =>
    growth({
      month: m(month),
      kaCount,
      kaCountOf: counts(entries),
      rules: { ...rules, yearlyTarget: target },
    });

  it('divides by the previous month, the same month last year and last December', () => {
    expect(grow('2026-03', 12, { '2026-02': 6, '2025-03': 4, '2025-12': 3 })).toEqual({
      momMultiple: 2,
      yoyMultiple: 3,
      ytdMultiple: 4,
      targetKa: 24,
      onTrack: true,
    });
  });

  it('uses the previous month as last December in January', () => {
    expect(grow('2026-01', 10, { '2025-12': 5 })).toMatchObject({ momMultiple: 2, ytdMultiple: 2 });
  });

  it('gives null for a multiple whose denominator is 0 or unknown', () => {
    expect(grow('2026-03', 12, { '2026-02': 0 })).toMatchObject({
      momMultiple: null,
      yoyMultiple: null,
      ytdMultiple: null,
    });
  });

  it('has no target and no pace when last December had no KA', () => {
    for (const december of [{}, { '2025-12': 0 }]) {
      expect(grow('2026-05', 7, december)).toMatchObject({ targetKa: null, onTrack: null });
    }
  });

  it('is on track once ka(M) reaches ka(Dec) × yearlyTarget^(m/12)', () => {
    // With target 8 the pace doubles every four months: 1 → 2 by April.
    expect(grow('2026-04', 2, { '2025-12': 1 }).onTrack).toBe(true);
    expect(grow('2026-04', 1, { '2025-12': 1 }).onTrack).toBe(false);
    expect(grow('2026-12', 8, { '2025-12': 1 })).toMatchObject({ targetKa: 8, onTrack: true });
    expect(grow('2026-12', 7, { '2025-12': 1 }).onTrack).toBe(false);
  });

  it('meets an integer pace exactly despite floating point (64^(10/12) = 32.00000000000001)', () => {
    expect(grow('2026-10', 32, { '2025-12': 1 }, 64).onTrack).toBe(true);
    expect(grow('2026-10', 31, { '2025-12': 1 }, 64).onTrack).toBe(false);
  });

  it('is on track exactly at any integer pace and not one KA below it', () => {
    const cases = fc.tuple(
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 20 }),
      fc.integer({ min: 1, max: 12 }),
    );
    fc.assert(
      fc.property(cases, ([root, december, month]) => {
        const pace = december * root ** month; // target root^12 makes the pace an integer
        const at = `2026-${String(month).padStart(2, '0')}`;
        expect(grow(at, pace, { '2025-12': december }, root ** 12).onTrack).toBe(true);
        expect(grow(at, pace - 1, { '2025-12': december }, root ** 12).onTrack).toBe(false);
      }),
    );
  });

  it('never asks for a month before 1970', () => {
    const asked: Month[] = [];
    const kaCountOf = (month: Month) => {
      asked.push(month);
      return 5;
    };
    const result = growth({ month: m('1970-01'), kaCount: 5, kaCountOf, rules });
    expect(asked).toEqual([]);
    expect(result).toEqual({
      momMultiple: null,
      yoyMultiple: null,
      ytdMultiple: null,
      targetKa: null,
      onTrack: null,
    });
  });
});

describe('accountsOfMonth', () => {
  it('lists KAs, churned and near-KAs once each, churned winning over near', () => {
    const byAccount = nodesOf({ fresh: 60, stays: 90, gone: 35, close: 31, small: 5 });
    const month = classify(byAccount, ids('stays', 'gone'), ids('stays', 'gone'));
    const names: Record<string, string> = { stays: 'Stays Inc.' };
    expect(accountsOfMonth(month, byAccount, (id) => names[id])).toEqual([
      { accountId: 'fresh', name: null, productionNodes: 60, status: 'new' },
      { accountId: 'stays', name: 'Stays Inc.', productionNodes: 90, status: 'retained' },
      { accountId: 'gone', name: null, productionNodes: 35, status: 'churned' },
      { accountId: 'close', name: null, productionNodes: 31, status: 'near' },
    ]);
  });

  it('orders accounts of one status by most production nodes, then by id', () => {
    const byAccount = nodesOf({ b: 60, a: 60, c: 400 });
    const listed = accountsOfMonth(classify(byAccount), byAccount).map((a) => a.accountId);
    expect(listed).toEqual(['c', 'a', 'b']);
  });

  it('lists an account that churned without reporting with 0 production nodes', () => {
    const month = classify(nodesOf({}), ids('silent'), ids('silent'));
    expect(accountsOfMonth(month, nodesOf({}))).toEqual([
      { accountId: 'silent', name: null, productionNodes: 0, status: 'churned' },
    ]);
  });

  it('covers exactly the KAs, churned and near-KAs, each once', () => {
    fc.assert(
      fc.property(accountNodesArb, accountSet, (nodes, previous) => {
        const month = classify(nodesOf(nodes), ids(...previous), ids(...previous));
        const listed = accountsOfMonth(month, nodesOf(nodes)).map((a) => a.accountId);
        const expected = new Set([...month.ka, ...month.movements.churned, ...month.near]);
        expect(listed.sort()).toEqual([...expected].sort());
      }),
    );
  });
});
