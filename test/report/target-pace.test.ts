import { describe, expect, it } from 'vitest';
import { type Month, monthRange, parseMonth } from '../../lambdas/domain/month.js';
import { reportModel } from '../../lambdas/report/model.js';
import { input, row } from './factories.js';

const m = parseMonth;

describe('reportModel target pace (SPEC §1)', () => {
  // December 2025 had 100 KAs and the target is ×8: March's pace is 100 × 8^(3/12) = 168.18…
  const december = row('2025-12', 100);

  it('counts the KAs ahead of the compound pace, the pace rounded up to whole KAs', () => {
    const { pace } = reportModel(
      input('2026-03', [december, row('2026-03', 175, { targetKa: 800 })]),
    );
    expect(pace).toMatchObject({
      onTrack: true,
      paceKa: 169,
      aheadBy: 6,
      behindBy: 0,
      targetKa: 800,
    });
    expect(pace?.summary).toBe('6 KAs ahead of pace (169 KAs needed in March)');
  });

  it('counts the KAs behind it', () => {
    const { pace } = reportModel(input('2026-03', [december, row('2026-03', 168)]));
    expect(pace).toMatchObject({ onTrack: false, paceKa: 169, aheadBy: 0, behindBy: 1 });
    expect(pace?.summary).toBe('1 KA behind pace (169 KAs needed in March)');
  });

  it('is on track when exactly on a pace that floating point puts a hair above an integer', () => {
    // 64^(10/12) = 32.00000000000001 in floating point; 1 KA in December, target ×64.
    const rows = [row('2025-12', 1), row('2026-10', 32)];
    const { pace } = reportModel(input('2026-10', rows, { yearlyTarget: 64 }));
    expect(pace).toMatchObject({ onTrack: true, paceKa: 32, aheadBy: 0 });
    expect(pace?.summary).toBe('Exactly on pace (32 KAs needed in October)');
  });

  it('reads December from targetKa / yearlyTarget when the rows do not reach back to it', () => {
    const { pace } = reportModel(input('2026-03', [row('2026-03', 175, { targetKa: 800 })]));
    expect(pace).toMatchObject({ decemberKa: 100, paceKa: 169, aheadBy: 6 });
  });

  it('has no pace when December had no KA, or is unknown', () => {
    expect(reportModel(input('2026-03', [row('2025-12', 0), row('2026-03', 5)])).pace).toBeNull();
    expect(reportModel(input('2026-03', [row('2026-03', 5)])).pace).toBeNull();
  });

  it('reaches the full target in December', () => {
    const { pace } = reportModel(input('2026-12', [december, row('2026-12', 790)]));
    expect(pace).toMatchObject({ paceKa: 800, behindBy: 10, targetKa: 800 });
  });
});

describe('reportModel series', () => {
  it('covers the 24 months ending with M and ignores older and later rows', () => {
    const months = monthRange(m('2023-01'), m('2026-06'));
    const rows = months.map((month, i) => row(month, i + 1));
    const { series } = reportModel(input('2026-03', rows));
    expect(series).toHaveLength(24);
    expect(series[0]?.month).toBe(m('2024-04'));
    expect(series.at(-1)?.month).toBe(m('2026-03'));
  });

  it('starts at the first computed month and leaves uncomputed months as gaps', () => {
    const rows = [row('2026-01', 3), row('2026-03', 5)];
    const { series } = reportModel(input('2026-03', rows));
    expect(series.map((p) => p.kaCount)).toEqual([3, null, 5]);
  });

  it('gives each month its pace from its own December', () => {
    const rows = [row('2024-12', 10), row('2025-12', 20), row('2025-06', 12), row('2026-06', 30)];
    const { series } = reportModel(input('2026-06', rows));
    const paceOf = (month: Month) => series.find((p) => p.month === month)?.paceKa;
    expect(paceOf(m('2025-06'))).toBeCloseTo(10 * Math.sqrt(8));
    expect(paceOf(m('2026-06'))).toBeCloseTo(20 * Math.sqrt(8));
  });
});
