import { cohortMonths } from '../../compute/cohort-months.js';
import { cohorts } from '../../domain/cohorts.js';
import { NotFoundError } from '../../domain/errors.js';
import { forecastDecember, latestMonthOf } from '../../domain/forecast.js';
import {
  addMonths,
  firstMonth,
  lastMonth,
  type Month,
  monthsBetween,
  parseMonth,
} from '../../domain/month.js';
import { monthRangeParams } from '../../http/fields.js';
import { wholeListResponse } from '../../http/lists.js';
import { readQuery } from '../../http/params.js';
import { json } from '../../http/responses.js';
import type { RouteImplementations } from '../../http/router.js';
import { accountNames } from '../../store/accounts-store.js';
import {
  kaMonthRows,
  latestComputedBefore,
  monthAlerts,
  nodeBridges,
} from '../../store/ka-store.js';
import { requireComputed } from './account-routes.js';
import { alertsQuery, bridgeQuery, cohortsQuery, forecastQuery } from './analytics-schemas.js';

/**
 * The computed month asked for, or the latest computed one (`null` when none is); a month given
 * but never computed is a 404, as for `GET /metrics/ka/{month}/accounts` (SPEC §3).
 */
async function computedMonth(asked: string | undefined): Promise<Month | null> {
  if (asked === undefined) return (await latestComputedBefore(lastMonth)) ?? null;
  const month = parseMonth(asked);
  await requireComputed(month);
  return month;
}

/** SPEC §10's growth analytics: node bridge, cohorts, year-end forecast, champion-loss alerts. */
export const analyticsRoutes: RouteImplementations = {
  'GET /metrics/nodes/bridge': async (reqCtx) => {
    const query = readQuery(reqCtx, bridgeQuery);
    const { from, to } = monthRangeParams(query.from ?? firstMonth, query.to ?? lastMonth);
    return wholeListResponse(reqCtx, query.format, 'months', {
      months: await nodeBridges(from, to),
    });
  },
  'GET /metrics/cohorts': async (reqCtx) => {
    const asOf = await computedMonth(readQuery(reqCtx, cohortsQuery).asOf);
    if (asOf === null) return json(200, { asOf, cohorts: [] });
    const months = (await kaMonthRows(firstMonth, asOf)).map((row) => row.month);
    return json(200, { asOf, cohorts: cohorts(await cohortMonths(months), asOf) });
  },
  'GET /metrics/forecast': async (reqCtx) => {
    const year = Number(readQuery(reqCtx, forecastQuery).year);
    const december = parseMonth(`${year}-12`);
    // The year's months and, for a January or February forecast, the lookback before them.
    const from = addMonths(december, -Math.min(18, monthsBetween(firstMonth, december)));
    const rows = await kaMonthRows(from, december);
    const counts = new Map(rows.map((row) => [row.month, row.kaCount]));
    const asOf = latestMonthOf(year, counts);
    if (!asOf) throw new NotFoundError(`no month of ${year} has been computed`);
    const targetKa = rows.find((row) => row.month === asOf)?.targetKa ?? null;
    return json(200, forecastDecember({ year, counts, targetKa }));
  },
  'GET /alerts': async (reqCtx) => {
    const month = await computedMonth(readQuery(reqCtx, alertsQuery).month);
    if (month === null) return json(200, { month, alerts: [] });
    const [alerts, names] = await Promise.all([monthAlerts(month), accountNames()]);
    // Names are read live, as the month's account list does.
    return json(200, {
      month,
      alerts: alerts.map((alert) => ({ ...alert, name: names.get(alert.accountId) ?? null })),
    });
  },
};
