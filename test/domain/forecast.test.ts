import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backtestForecast,
  FORECAST_METHOD,
  forecastDecember,
} from '../../lambdas/domain/forecast.js';
import { addMonths, type Month, parseMonth } from '../../lambdas/domain/month.js';

/** KA counts of consecutive months from `from`. */
const countsFrom = (from: string, values: readonly number[]) =>
  new Map(values.map((v, i): [Month, number] => [addMonths(parseMonth(from), i), v]));

describe('forecastDecember (SPEC §10)', () => {
  it('carries the recent compound growth to December, as of the latest computed month', () => {
    // Doubling every month from 10: 10, 20, …, 320 in June; six months to go.
    const counts = countsFrom('2026-01', [10, 20, 40, 80, 160, 320]);
    const forecast = forecastDecember({ year: 2026, counts, targetKa: 1000 });
    expect(forecast).toMatchObject({
      year: 2026,
      asOf: '2026-06',
      // No spread in the multiples: no band.
      decemberKa: { expected: 320 * 64, low: 320 * 64, high: 320 * 64 },
      targetKa: 1000,
      reachable: true,
      method: FORECAST_METHOD,
    });
    expect(forecast?.requiredMonthlyMultiple).toBeCloseTo((1000 / 320) ** (1 / 6), 12);
  });

  it('answers December itself once it is computed, whatever the pace before', () => {
    const counts = countsFrom('2025-06', [10, 30, 20, 50, 40, 90, 70]);
    const forecast = forecastDecember({ year: 2025, counts, targetKa: 80 });
    expect(forecast?.decemberKa).toEqual({ expected: 70, low: 70, high: 70 });
    expect(forecast?.reachable).toBe(false);
    expect(forecast?.requiredMonthlyMultiple).toBeNull();
  });

  it('has null reachability and required pace without a target, and none without data', () => {
    const counts = countsFrom('2026-01', [10, 11, 12]);
    expect(forecastDecember({ year: 2026, counts, targetKa: null })).toMatchObject({
      reachable: null,
      requiredMonthlyMultiple: null,
    });
    expect(forecastDecember({ year: 2027, counts, targetKa: 5 })).toBeUndefined();
    const none = countsFrom('2026-01', [0, 0]);
    expect(forecastDecember({ year: 2026, counts: none, targetKa: 8 })).toMatchObject({
      decemberKa: { expected: 0, low: 0, high: 0 },
      requiredMonthlyMultiple: null,
    });
  });

  it('always orders low ≤ expected ≤ high, never below 0', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(500), { minLength: 1, maxLength: 24 }),
        fc.option(fc.integer({ min: 1, max: 5000 }), { nil: null }),
        (values, targetKa) => {
          const counts = countsFrom('2025-01', values);
          for (const year of [2025, 2026]) {
            const forecast = forecastDecember({ year, counts, targetKa });
            if (!forecast) continue;
            const { low, expected, high } = forecast.decemberKa;
            expect(low).toBeGreaterThanOrEqual(0);
            expect(low).toBeLessThanOrEqual(expected);
            expect(expected).toBeLessThanOrEqual(high);
            if (targetKa !== null) expect(forecast.reachable).toBe(high >= targetKa);
          }
        },
      ),
    );
  });
});

describe('backtestForecast', () => {
  it('forecasts December from each earlier month of the year and scores the errors', () => {
    // Steady 10 % a month: every forecast made with a full lookback is exact.
    const counts = countsFrom(
      '2024-01',
      Array.from({ length: 24 }, (_, i) => 100 * 1.1 ** i),
    );
    const backtest = backtestForecast(counts, 2025);
    expect(backtest?.points.map((p) => p.asOf)).toHaveLength(11);
    expect(backtest?.mape).toBeLessThan(0.01);
    expect(backtest?.insideRate).toBe(1);
    expect(backtestForecast(counts, 2026)).toBeUndefined();
  });

  it('sees only the months up to each forecast', () => {
    // A jump in December no forecast could know about: every point misses it.
    const counts = countsFrom('2025-01', [...Array(11).fill(10), 100]);
    const backtest = backtestForecast(counts, 2025);
    expect(backtest?.points.every((p) => p.expected === 10)).toBe(true);
    expect(backtest?.mape).toBeCloseTo(0.9, 12);
    expect(backtest?.insideRate).toBe(0);
  });
});
