import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BridgeAccount, nodeBridge } from '../../lambdas/domain/bridge.js';
import { accountsOfMonth, defaultKaRules, kaHistory } from '../../lambdas/domain/ka.js';
import { listedAccounts } from '../../lambdas/domain/listed-accounts.js';
import { monthRange, parseMonth } from '../../lambdas/domain/month.js';
import { kaQuickRatio, nodeQuickRatio } from '../../lambdas/domain/quick-ratio.js';

const m = parseMonth('2026-03');
const row = (
  status: BridgeAccount['status'],
  productionNodes: number,
  previousNodes: number,
): BridgeAccount => ({ status, productionNodes, previousNodes });

describe('nodeBridge (SPEC §10)', () => {
  it('sums each movement as SPEC §10 defines it', () => {
    const bridge = nodeBridge(m, [
      row('new', 60, 20),
      row('reactivated', 70, 10),
      row('retained', 120, 100), // +20
      row('retained', 80, 90), // -10
      row('churned', 12, 55),
      row('near', 40, 45), // neither KA now nor then: outside the bridge
    ]);
    expect(bridge).toEqual({
      month: m,
      start: 245,
      new: 60,
      reactivation: 70,
      expansion: 20,
      contraction: 10,
      churn: 55,
      end: 330,
      nodeQuickRatio: 150 / 65,
    });
  });

  it('has a null quick ratio when nothing contracted or churned', () => {
    expect(nodeBridge(m, [row('new', 60, 0)]).nodeQuickRatio).toBeNull();
    expect(nodeBridge(m, []).nodeQuickRatio).toBeNull();
  });

  it('always bridges start to end, for any sequence of months', () => {
    // Random node counts for a few accounts over a few months, classified by the domain's own
    // movements: each month's bridge must add up, and each start must be the month before's end.
    const accounts = ['a', 'b', 'c', 'd', 'e'];
    const months = monthRange(parseMonth('2025-01'), parseMonth('2025-08'));
    const nodes = fc.array(
      fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 200 })), {
        minLength: accounts.length,
        maxLength: accounts.length,
      }),
      { minLength: months.length, maxLength: months.length },
    );
    fc.assert(
      fc.property(nodes, (table) => {
        const byAccountOf = (month: (typeof months)[number]) =>
          new Map(accounts.map((a, i) => [a, table[months.indexOf(month)]?.[i] ?? 0]));
        const history = kaHistory({
          from: months[0] as (typeof months)[number],
          to: months.at(-1) as (typeof months)[number],
          byAccountOf,
          previousKa: new Set(),
          everKaBefore: new Set(),
          rules: defaultKaRules,
        });
        let previousEnd = 0;
        history.forEach((result, k) => {
          const previous =
            k === 0 ? new Map<string, number>() : byAccountOf(months[k - 1] as never);
          const list = listedAccounts(accountsOfMonth(result, byAccountOf(result.month)), {
            previousNodes: previous,
            champions: new Map(),
            firstCommunityInstants: new Map(),
            monthStart: '2025-01-01T00:00:00Z',
          });
          const b = nodeBridge(result.month, list);
          expect(b.start + b.new + b.reactivation + b.expansion - b.contraction - b.churn).toBe(
            b.end,
          );
          expect(b.start).toBe(previousEnd);
          for (const value of [b.new, b.reactivation, b.expansion, b.contraction, b.churn]) {
            expect(value).toBeGreaterThanOrEqual(0);
          }
          previousEnd = b.end;
        });
      }),
    );
  });
});

describe('quick ratios (SPEC §10)', () => {
  it('kaQuickRatio is (new + reactivated) / churned, null when none churned', () => {
    expect(kaQuickRatio({ new: 3, reactivated: 1, churned: 2 })).toBe(2);
    expect(kaQuickRatio({ new: 0, reactivated: 0, churned: 4 })).toBe(0);
    expect(kaQuickRatio({ new: 5, reactivated: 2, churned: 0 })).toBeNull();
  });

  it('nodeQuickRatio is gains over losses, null exactly when there are no losses', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(1000), { minLength: 5, maxLength: 5 }), ([n, r, e, c, ch]) => {
        const ratio = nodeQuickRatio({
          new: n as number,
          reactivation: r as number,
          expansion: e as number,
          contraction: c as number,
          churn: ch as number,
        });
        if ((c as number) + (ch as number) === 0) expect(ratio).toBeNull();
        else expect(ratio).toBeCloseTo(((n ?? 0) + (r ?? 0) + (e ?? 0)) / ((c ?? 0) + (ch ?? 0)));
      }),
    );
  });
});
