/**
 * `npm run backtest`: the year-end forecast (SPEC §10, `lambdas/domain/forecast.ts`) tried on the
 * demo's history. The demo's telemetry (`local/demo/company.ts`, seed 9 as `npm run demo` sends it)
 * is reduced to KA counts by the domain's own rules — each cluster's latest snapshot of the month,
 * the account its latest account-bearing snapshot named, the KA threshold — then each complete year
 * is forecast from January to November, each time from the months up to it, against its December.
 * A fixed "today" (2026-11-15, as the demo-story test) keeps the figures the README quotes stable;
 * `--now 2027-03-01` or `--seed 1` try others.
 */
import { parseArgs } from 'node:util';
import { backtestForecast, FORECAST_METHOD } from '../lambdas/domain/forecast.js';
import { accountNodes, defaultKaRules, type Environment, kaHistory } from '../lambdas/domain/ka.js';
import { type Month, monthNumber, monthOf, yearOf } from '../lambdas/domain/month.js';
import { companyStory } from '../local/demo/company.js';
import { storyMonths } from '../local/demo/timeline.js';

const timeZone = 'Asia/Shanghai';
const { values } = parseArgs({
  options: { now: { type: 'string' }, seed: { type: 'string' } },
  strict: true,
});
const months = storyMonths(new Date(values.now ?? '2026-11-15T04:00:00Z'), timeZone);
const { events } = companyStory({ seed: Number(values.seed ?? 9), months, timeZone });

// SPEC §1 "Account of a cluster": the account its latest account-bearing snapshot named.
const named = new Map<string, { at: number; accountId: string }>();
for (const e of events) {
  const at = Date.parse(e.reportedAt);
  const known = named.get(e.clusterId);
  if (e.accountId && (!known || known.at < at))
    named.set(e.clusterId, { at, accountId: e.accountId });
}
const byMonth = new Map<Month, typeof events>();
for (const e of events) {
  const month = monthOf(e.reportedAt, timeZone);
  byMonth.set(month, [...(byMonth.get(month) ?? []), e]);
}
const snapshotsOf = (month: Month) =>
  (byMonth.get(month) ?? []).map((e) => ({
    clusterId: e.clusterId,
    nodes: e.nodes ?? Object.values(e.components ?? {}).reduce((a, b) => a + b, 0),
    environment: e.environment as Environment,
    reportedAt: e.reportedAt,
    eventId: e.eventId,
  }));
const history = kaHistory({
  from: months[0] as Month,
  to: months.at(-1) as Month,
  byAccountOf: (m) =>
    accountNodes(snapshotsOf(m), (c) => named.get(c)?.accountId, defaultKaRules).byAccount,
  previousKa: new Set(),
  everKaBefore: new Set(),
  rules: defaultKaRules,
});
const counts = new Map(history.map((m) => [m.month, m.ka.size]));

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)} %`);
console.log(`Forecast method: ${FORECAST_METHOD}\n`);
// Complete years only: a year whose January was not computed has too few forecasts to score.
const years = [...new Set(months.filter((m) => monthNumber(m) === 1).map(yearOf))];
let [errors, inside, points] = [0, 0, 0];
for (const year of years) {
  const backtest = backtestForecast(counts, year);
  if (!backtest) continue;
  console.log(`${year}: December ${counts.get(`${year}-12` as Month)} KAs`);
  console.log('  as of     expected   low  high   error');
  for (const p of backtest.points) {
    const error = Math.abs(p.expected - p.actual) / p.actual;
    const hit = p.low <= p.actual && p.actual <= p.high ? '' : '  (outside)';
    console.log(
      `  ${p.asOf}  ${String(p.expected).padStart(8)} ${String(p.low).padStart(5)} ${String(p.high).padStart(5)}  ${pct(error).padStart(7)}${hit}`,
    );
    errors += error;
    inside += hit === '' ? 1 : 0;
    points += 1;
  }
  console.log(
    `  MAPE ${pct(backtest.mape)}, December inside [low, high] ${pct(backtest.insideRate)}\n`,
  );
}
console.log(
  `All ${points} forecasts: MAPE ${pct(points ? errors / points : null)}, December inside [low, high] ${pct(points ? inside / points : null)}`,
);
