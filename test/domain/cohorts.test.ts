import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CohortMonthInput, cohorts } from '../../lambdas/domain/cohorts.js';
import { type Month, monthRange, parseMonth } from '../../lambdas/domain/month.js';

const month = (at: string, nodes: Record<string, number>, kaThreshold = 50): CohortMonthInput => ({
  month: parseMonth(at),
  nodes: new Map(Object.entries(nodes)),
  ka: new Set(Object.entries(nodes).flatMap(([id, n]) => (n >= kaThreshold ? [id] : []))),
});

describe('cohorts (SPEC §10)', () => {
  const history = [
    month('2024-11', { a: 60, b: 20 }),
    month('2024-12', { a: 80, b: 55 }),
    month('2025-01', { a: 40, b: 70, c: 100 }),
    month('2025-02', { a: 90, b: 50, c: 150 }),
  ];

  it('puts each account in the year of its first KA month, joining in that month', () => {
    const [c2024, c2025] = cohorts(history, parseMonth('2025-02'));
    expect(c2024).toMatchObject({ cohort: '2024', accounts: 2, baseNodes: 115 });
    expect(c2024?.months).toEqual([
      { month: '2024-11', accounts: 1, kaAccounts: 1, baseNodes: 60, nodes: 60, nrr: 1, grr: 1 },
      {
        month: '2024-12',
        accounts: 2,
        kaAccounts: 2,
        baseNodes: 115,
        nodes: 135,
        nrr: 135 / 115,
        grr: 1,
      },
      {
        month: '2025-01',
        accounts: 2,
        kaAccounts: 1,
        baseNodes: 115,
        nodes: 110,
        nrr: 110 / 115,
        grr: (40 + 55) / 115,
      },
      {
        month: '2025-02',
        accounts: 2,
        kaAccounts: 2,
        baseNodes: 115,
        nodes: 140,
        nrr: 140 / 115,
        grr: (60 + 50) / 115,
      },
    ]);
    expect(c2025).toMatchObject({ cohort: '2025', accounts: 1, baseNodes: 100 });
    expect(c2025?.months.map((m) => [m.month, m.nodes])).toEqual([
      ['2025-01', 100],
      ['2025-02', 150],
    ]);
  });

  it('ignores months after asOf, and gives the cohort’s accounts as of asOf', () => {
    const result = cohorts(history, parseMonth('2024-11'));
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ cohort: '2024', accounts: 1, baseNodes: 60 });
    expect(result[0]?.months).toHaveLength(1);
  });

  it('skips months never computed, and counts an account gone silent as 0 nodes', () => {
    const gap = [month('2024-01', { a: 60 }), month('2024-03', {})];
    const [c] = cohorts(gap, parseMonth('2024-03'));
    expect(c?.months.map((m) => [m.month, m.nodes, m.nrr, m.grr])).toEqual([
      ['2024-01', 60, 1, 1],
      ['2024-03', 0, 0, 0],
    ]);
  });

  it('keeps NRR ≥ GRR, GRR within 0–1, and counts every KA in exactly one cohort', () => {
    const months = monthRange(parseMonth('2024-10'), parseMonth('2025-05'));
    const ids = ['a', 'b', 'c', 'd'];
    const table = fc.array(
      fc.array(fc.integer({ min: 0, max: 150 }), { minLength: 4, maxLength: 4 }),
      {
        minLength: months.length,
        maxLength: months.length,
      },
    );
    fc.assert(
      fc.property(table, (rows) => {
        const input = months.map((m: Month, i) =>
          month(m, Object.fromEntries(ids.map((id, k) => [id, rows[i]?.[k] ?? 0]))),
        );
        const result = cohorts(input, months.at(-1) as Month);
        for (const cohort of result) {
          for (const point of cohort.months) {
            if (point.nrr === null || point.grr === null) continue;
            expect(point.nrr).toBeGreaterThanOrEqual(point.grr - 1e-12);
            expect(point.grr).toBeGreaterThanOrEqual(0);
            expect(point.grr).toBeLessThanOrEqual(1 + 1e-12);
            expect(point.kaAccounts).toBeLessThanOrEqual(point.accounts);
          }
        }
        const everKa = new Set(input.flatMap((m) => [...m.ka]));
        expect(result.reduce((sum, c) => sum + c.accounts, 0)).toBe(everKa.size);
      }),
    );
  });
});
