import * as z from 'zod';
import { evangelistsAsOf } from '../../compute/evangelists.js';
import { ValidationError } from '../../domain/errors.js';
import { compareMonths, type Month, monthOf, parseMonth, yearOf } from '../../domain/month.js';
import { wholeListResponse } from '../../http/lists.js';
import { readQuery } from '../../http/params.js';
import { query, type RouteImplementations } from '../../http/router.js';
import { getConfig } from '../../store/config-store.js';
import { formatQuery } from './ka-routes.js';

function yearParam(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d{4}$/.test(text) || Number(text) < 2000 || Number(text) > 2100) {
    throw new ValidationError(`year must be a year from 2000 to 2100, got "${text}"`);
  }
  return Number(text);
}

/** SPEC §3: asOf defaults to December of the year, or the current month if that is earlier. */
function asOfParam(text: string | undefined, year: number, current: Month): Month {
  if (text === undefined) {
    const december = parseMonth(`${year}-12`);
    return compareMonths(current, december) < 0 ? current : december;
  }
  const asOf = parseMonth(text);
  if (yearOf(asOf) !== year) throw new ValidationError(`asOf (${asOf}) must be a month of ${year}`);
  return asOf;
}

export const evangelistsQuery = z.object({
  ...formatQuery.shape,
  includeStaff: z
    .enum(['true', 'false'], { error: 'includeStaff must be true or false' })
    .optional()
    .transform((text) => text === 'true'),
});

/**
 * `GET /evangelists?year=&asOf=&includeStaff=` (SPEC §3), as the recalculation of `asOf` stored
 * them (computed on request for a month never recalculated: `evangelistsAsOf`).
 */
export const evangelistRoutes: RouteImplementations = {
  'GET /evangelists': async (reqCtx) => {
    const { timezone } = await getConfig();
    const current = monthOf(new Date(), timezone);
    const year = yearParam(query(reqCtx, 'year'), yearOf(current));
    const asOf = asOfParam(query(reqCtx, 'asOf'), year, current);
    const { format, includeStaff } = readQuery(reqCtx, evangelistsQuery);
    const rows = await evangelistsAsOf(asOf, includeStaff);
    return wholeListResponse(reqCtx, format, 'members', { year, asOf, members: rows });
  },
};
