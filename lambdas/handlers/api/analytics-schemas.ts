/**
 * The requests and answers of SPEC §10's growth analytics routes, as zod schemas: the routes
 * validate their queries with them, `GET /openapi.json` documents them, tests hold answers to them.
 */
import * as z from 'zod';
import { lossReasons } from '../../domain/alerts.js';
import { monthParam } from './evidence-schemas.js';
import { formatQuery } from './ka-routes.js';

const ratio = z.number().nullable();
const count = z.number().int().min(0);

/** A calendar year, `YYYY` (SPEC §10 `?year=`); one before 1970 is refused as a month is. */
export const yearParam = z.string().regex(/^\d{4}$/, 'must be a year YYYY (e.g. 2026)');

export const bridgeQuery = z.object({
  from: monthParam.optional(),
  to: monthParam.optional(),
  ...formatQuery.shape,
});

export const bridgeResponse = z.object({
  months: z.array(
    z.object({
      month: z.string(),
      start: count,
      new: count,
      reactivation: count,
      expansion: count,
      contraction: count,
      churn: count,
      end: count,
      nodeQuickRatio: ratio,
    }),
  ),
});

export const cohortsQuery = z.object({
  asOf: monthParam.optional(),
});

const cohortMonth = z.object({
  month: z.string(),
  accounts: count,
  kaAccounts: count,
  baseNodes: count,
  nodes: count,
  nrr: ratio,
  grr: ratio,
});

export const cohortsResponse = z.object({
  asOf: z.string().nullable(),
  cohorts: z.array(
    z.object({
      cohort: z.string(),
      accounts: count,
      baseNodes: count,
      months: z.array(cohortMonth),
    }),
  ),
});

export const forecastQuery = z.object({ year: yearParam });

export const forecastResponse = z.object({
  year: z.number().int(),
  asOf: z.string(),
  decemberKa: z.object({ expected: count, low: count, high: count }),
  targetKa: ratio,
  reachable: z.boolean().nullable(),
  requiredMonthlyMultiple: ratio,
  method: z.string(),
});

export const alertsQuery = z.object({
  month: monthParam.optional(),
});

export const alertsResponse = z.object({
  month: z.string().nullable(),
  alerts: z.array(
    z.object({
      kind: z.literal('champion-lost'),
      accountId: z.string(),
      name: z.string().nullable(),
      members: z.array(
        z.object({
          memberId: z.string(),
          name: z.string().nullable(),
          reason: z.enum(lossReasons),
        }),
      ),
    }),
  ),
});
