/**
 * The year-end forecast (SPEC §10): where the KA count will be in December at the recent pace, a
 * range around it drawn from how much that pace varied, and whether the target is within reach.
 * `backtestForecast` measures the method on a past year, from the months before each forecast.
 */
import { addMonths, compareMonths, type Month, monthNumber, parseMonth, yearOf } from './month.js';

/** Month-over-month multiples the pace is measured on: half a year reacts yet smooths noise. */
export const LOOKBACK_MONTHS = 6;
/** The range is a 90 % interval: z of the normal distribution's 95th percentile. */
const Z_90 = 1.645;

/** SPEC §10's `method`: what produced `expected`, `low` and `high`. */
export const FORECAST_METHOD =
  `compound growth of the last ${LOOKBACK_MONTHS} month-over-month KA multiples; ` +
  `90% band ka·exp(hμ ± ${Z_90}σ√(h + h²/n))`;

export interface DecemberKa {
  readonly expected: number;
  readonly low: number;
  readonly high: number;
}

/** `GET /metrics/forecast?year=` (SPEC §10). */
export interface Forecast {
  readonly year: number;
  /** The latest computed month of `year`. */
  readonly asOf: Month;
  readonly decemberKa: DecemberKa;
  readonly targetKa: number | null;
  /** `high ≥ targetKa`; `null` without a target. */
  readonly reachable: boolean | null;
  /** (targetKa / ka(asOf))^(1 / (12 − m)); `null` when m = 12, ka(asOf) = 0 or no target. */
  readonly requiredMonthlyMultiple: number | null;
  readonly method: string;
}

export interface ForecastInput {
  readonly year: number;
  /** The KA count of every computed month (months never computed are absent). */
  readonly counts: ReadonlyMap<Month, number>;
  /** The target of `year` (the `targetKa` of its months' rows), `null` when there is none. */
  readonly targetKa: number | null;
}

/** The latest computed month of the year, or `undefined` when none is. */
export function latestMonthOf(year: number, counts: ReadonlyMap<Month, number>): Month | undefined {
  return [...counts.keys()]
    .filter((month) => yearOf(month) === year)
    .sort(compareMonths)
    .at(-1);
}

/** The natural logs of the month-over-month multiples of the lookback ending with `asOf`. */
function growthSamples(counts: ReadonlyMap<Month, number>, asOf: Month): number[] {
  const samples: number[] = [];
  for (let back = 0; back < LOOKBACK_MONTHS; back++) {
    const month = addMonths(asOf, -back);
    const now = counts.get(month);
    const before = counts.get(addMonths(month, -1));
    // A month never computed, or a count of 0, has no multiple to learn from.
    if (now !== undefined && before !== undefined && now > 0 && before > 0) {
      samples.push(Math.log(now / before));
    }
  }
  return samples;
}

/**
 * December's KA count from `ka` at `asOf`, `h` months before it: the mean log growth `μ` carried
 * forward, the band a random walk's with its drift estimated from `n` samples (sample deviation
 * `σ`; no band with fewer than two). Rounded as counts: low down, high up.
 */
function project(ka: number, h: number, samples: readonly number[]): DecemberKa {
  const n = samples.length;
  const mu = n === 0 ? 0 : samples.reduce((a, b) => a + b, 0) / n;
  const sigma = n < 2 ? 0 : Math.sqrt(samples.reduce((sum, x) => sum + (x - mu) ** 2, 0) / (n - 1));
  const spread = n === 0 ? 0 : Z_90 * sigma * Math.sqrt(h + (h * h) / n);
  // exp(log) loses a last bit (64 comes back as 63.99…): a count within 1e-9 of a whole one is it.
  const at = (exponent: number) => ka * Math.exp(exponent);
  const count = (value: number) => Math.max(0, value); // and never -0
  return {
    expected: count(Math.round(at(h * mu))),
    low: count(Math.floor(at(h * mu - spread) + 1e-9)),
    high: count(Math.ceil(at(h * mu + spread) - 1e-9)),
  };
}

/**
 * The forecast of `year` as of its latest computed month (SPEC §10), by `FORECAST_METHOD`;
 * `low ≤ expected ≤ high`, all three December's count once December is computed. `undefined` when
 * no month of the year has been computed.
 */
export function forecastDecember({ year, counts, targetKa }: ForecastInput): Forecast | undefined {
  const asOf = latestMonthOf(year, counts);
  if (asOf === undefined) return undefined;
  const ka = counts.get(asOf) ?? 0;
  const remaining = 12 - monthNumber(asOf);
  const decemberKa =
    remaining === 0
      ? { expected: ka, low: ka, high: ka }
      : project(ka, remaining, growthSamples(counts, asOf));
  return {
    year,
    asOf,
    decemberKa,
    targetKa,
    reachable: targetKa === null ? null : decemberKa.high >= targetKa,
    requiredMonthlyMultiple:
      targetKa === null || remaining === 0 || ka === 0 ? null : (targetKa / ka) ** (1 / remaining),
    method: FORECAST_METHOD,
  };
}

/** One forecast of a backtest: made as of `asOf`, from the months up to it. */
export interface BacktestPoint extends DecemberKa {
  readonly asOf: Month;
  /** December's computed count. */
  readonly actual: number;
}

export interface Backtest {
  readonly year: number;
  readonly points: readonly BacktestPoint[];
  /** Mean of |expected − actual| / actual over the points (`null` when December had no KA). */
  readonly mape: number | null;
  /** Share of the points whose [low, high] held December's count. */
  readonly insideRate: number | null;
}

/**
 * The method tried on a past year (README "Forecast"): a forecast as of each computed month from
 * January to November, each seeing only the months up to it, against the December that came.
 * `undefined` when December of `year` was never computed.
 */
export function backtestForecast(
  counts: ReadonlyMap<Month, number>,
  year: number,
): Backtest | undefined {
  const december = parseMonth(`${year}-12`);
  const actual = counts.get(december);
  if (actual === undefined) return undefined;
  const points: BacktestPoint[] = [];
  for (let m = 1; m <= 11; m++) {
    const asOf = parseMonth(`${year}-${String(m).padStart(2, '0')}`);
    if (!counts.has(asOf)) continue;
    const seen = new Map([...counts].filter(([month]) => compareMonths(month, asOf) <= 0));
    const forecast = forecastDecember({ year, counts: seen, targetKa: null });
    if (forecast) points.push({ asOf, ...forecast.decemberKa, actual });
  }
  const mean = (values: number[]) =>
    values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
  return {
    year,
    points,
    mape: actual === 0 ? null : mean(points.map((p) => Math.abs(p.expected - actual) / actual)),
    insideRate: mean(points.map((p) => (p.low <= actual && actual <= p.high ? 1 : 0))),
  };
}
