/**
 * What `GET /openapi.json` says of each declared route (SPEC §7), built from the schemas the routes
 * validate with. Typed as a record of every route key: a route declared in `lambdas/system.ts`
 * without a document here does not compile.
 */
import * as z from 'zod';
import { accountStatuses } from '../../domain/ka.js';
import { roles } from '../../domain/roles.js';
import { identifier } from '../../http/fields.js';
import { listParams } from '../../http/lists.js';
import type { RouteDocs } from '../../http/openapi.js';
import { communitySource } from '../../ingestion/community.js';
import { telemetrySource } from '../../ingestion/telemetry.js';
import { sendBody } from '../report-schemas.js';
import { tokenRequest } from './access-routes.js';
import {
  alertsQuery,
  alertsResponse,
  bridgeQuery,
  bridgeResponse,
  cohortsQuery,
  cohortsResponse,
  forecastQuery,
  forecastResponse,
} from './analytics-schemas.js';
import { mergeBody, programBody, statusBody } from './community-routes.js';
import { configUpdate } from './config-routes.js';
import { accountBody, clusterBody } from './directory-routes.js';
import {
  accountPath,
  accountResponse,
  accountsQuery,
  accountsResponse,
  activitiesQuery,
  activitiesResponse,
  clusterPath,
  clusterResponse,
  clustersQuery,
  clustersResponse,
  jobRow,
  jobsQuery,
  jobsResponse,
  memberPath,
  memberResponse,
  membersQuery,
  membersResponse,
  monthParam,
} from './evidence-schemas.js';
import { recalculateBody } from './job-routes.js';
import { formatQuery } from './ka-routes.js';

const monthPath = z.object({ month: monthParam });
const anyObject = z.looseObject({});
const nullableNumber = z.number().nullable();

const kaMonthRow = z.object({
  month: z.string(),
  kaCount: z.number(),
  new: z.number(),
  reactivated: z.number(),
  retained: z.number(),
  churned: z.number(),
  productionNodes: z.number(),
  nearKaCount: z.number(),
  unattributedNodes: z.number(),
  momMultiple: nullableNumber,
  yoyMultiple: nullableNumber,
  ytdMultiple: nullableNumber,
  targetKa: nullableNumber,
  onTrack: z.boolean().nullable(),
  championCoverage: nullableNumber,
  kaQuickRatio: nullableNumber.meta({ description: '(new + reactivated) / churned (SPEC §10)' }),
  communitySourcedNew: nullableNumber.meta({
    description:
      'new KAs that are community-sourced (SPEC §10); null for a month computed before it was kept',
  }),
  computedAt: z.string(),
});

export const kaMonthsResponse = z.object({ months: z.array(kaMonthRow) });

export const kaAccountsResponse = z.object({
  month: z.string(),
  accounts: z.array(
    z.object({
      accountId: z.string(),
      name: z.string().nullable(),
      productionNodes: z.number(),
      previousNodes: nullableNumber,
      status: z.enum(accountStatuses),
      communitySourced: z.boolean().nullable(),
      champions: nullableNumber,
    }),
  ),
});

export const evangelistsResponse = z.object({
  year: z.number(),
  asOf: z.string(),
  members: z.array(
    z.object({
      memberId: z.string(),
      name: z.string().nullable(),
      identities: z.array(z.string()),
      accountId: z.string().nullable(),
      counts: z.record(z.string(), z.number()),
      tiers: z.array(z.string()),
      progress: z.array(z.object({ tier: z.string(), count: z.number(), minCount: z.number() })),
    }),
  ),
});

const webhookResponse = z.object({
  accepted: z.number(),
  duplicates: z.number(),
  rejected: z.array(z.object({ index: z.number(), error: z.string() })),
});

const tokenInfo = z.object({
  tokenId: z.string(),
  name: z.string(),
  role: z.enum(roles),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

const now = new Date();
const programPath = z.object({ year: z.string().meta({ example: '2026' }) });

export const routeDocs: RouteDocs = {
  'GET /health': { summary: 'Liveness', response: z.object({ ok: z.literal(true) }) },
  'POST /webhooks/telemetry': {
    summary: 'Telemetry snapshots, signed per Standard Webhooks (SPEC §2)',
    body: z.object({ events: z.array(telemetrySource.itemSchema(now)).max(1000) }),
    status: 202,
    response: webhookResponse,
  },
  'POST /webhooks/community': {
    summary: 'Community activities, signed per Standard Webhooks (SPEC §2)',
    body: z.object({ activities: z.array(communitySource.itemSchema(now)).max(1000) }),
    status: 202,
    response: webhookResponse,
  },
  'GET /metrics/ka': {
    summary: 'KA metrics per computed month, oldest first',
    query: z.object({
      from: monthParam.optional(),
      to: monthParam.optional(),
      ...formatQuery.shape,
    }),
    response: kaMonthsResponse,
    csv: true,
  },
  'GET /metrics/ka/{month}/accounts': {
    summary: 'The month’s KAs, churned and near-KA accounts',
    path: monthPath,
    query: formatQuery,
    response: kaAccountsResponse,
    csv: true,
  },
  'GET /evangelists': {
    summary: 'Members with qualifying activities in a year, with tiers and progress',
    query: z.object({
      year: z.string().optional(),
      asOf: monthParam.optional(),
      ...formatQuery.shape,
    }),
    response: evangelistsResponse,
    csv: true,
  },
  'GET /admin/config': { summary: 'The configuration, defaults included', response: anyObject },
  'PUT /admin/config': {
    summary: 'Partial update of the configuration',
    body: configUpdate,
    response: anyObject,
  },
  'GET /admin/programs/{year}': {
    summary: 'The evangelist program in force',
    path: programPath,
    response: anyObject,
  },
  'PUT /admin/programs/{year}': {
    summary: 'Sets a year’s evangelist program',
    path: programPath,
    body: programBody,
    response: anyObject,
  },
  'PUT /admin/accounts/{accountId}': {
    summary: 'Names an account (creates it when new)',
    path: z.object({ accountId: identifier }),
    body: accountBody,
    response: anyObject,
  },
  'PUT /admin/clusters/{clusterId}': {
    summary: 'Maps a cluster to an account (`null` removes the mapping)',
    path: z.object({ clusterId: identifier }),
    body: clusterBody,
    response: anyObject,
  },
  'POST /admin/members/merge': {
    summary: 'Merges the members holding these identities',
    body: mergeBody,
    response: anyObject,
  },
  'PATCH /admin/activities/{activityId}': {
    summary: 'The content committee’s review',
    path: z.object({ activityId: z.string() }),
    body: statusBody,
    response: anyObject,
  },
  'POST /admin/recalculate': {
    summary: 'Queues a recalculation of a range of months',
    body: recalculateBody,
    status: 202,
    response: z.object({ jobId: z.string() }),
  },
  'GET /admin/jobs/{jobId}': {
    summary: 'A recalculation job',
    path: z.object({ jobId: z.string() }),
    response: jobRow,
  },
  'GET /reports/{month}': {
    summary: 'The monthly report as mailed',
    path: monthPath,
    response: z.string(),
    mediaType: 'text/html',
  },
  'POST /admin/reports/{month}/send': {
    summary: 'Mails the month’s report, once unless forced',
    path: monthPath,
    body: sendBody,
    status: 202,
    response: z.object({ messageId: z.string().nullable(), alreadySent: z.boolean() }),
  },
  'GET /accounts': {
    summary: 'Accounts of a computed month, most production nodes first (SPEC §7)',
    query: accountsQuery,
    response: accountsResponse,
    csv: true,
  },
  'GET /accounts/{accountId}': {
    summary: 'An account’s months, clusters and members (SPEC §7)',
    path: accountPath,
    response: accountResponse,
  },
  'GET /clusters': {
    summary: 'Clusters of a month; `attributed=false` is the to-do list behind unattributedNodes',
    query: clustersQuery,
    response: clustersResponse,
    csv: true,
  },
  'GET /clusters/{clusterId}': {
    summary: 'A cluster’s attribution, month values and snapshots (SPEC §7)',
    path: clusterPath,
    response: clusterResponse,
  },
  'GET /members': {
    summary: 'Members, searchable (SPEC §7)',
    query: membersQuery,
    response: membersResponse,
    csv: true,
  },
  'GET /members/{member}': {
    summary: 'A member by id or identity, with why each identity belongs (SPEC §7)',
    path: memberPath,
    response: memberResponse,
  },
  'GET /activities': {
    summary: 'Activities, oldest first; `status=submitted` is the review queue (SPEC §7)',
    query: activitiesQuery,
    response: activitiesResponse,
    csv: true,
  },
  'GET /admin/jobs': {
    summary: 'Recalculation jobs, newest first (SPEC §7)',
    query: jobsQuery,
    response: jobsResponse,
    csv: true,
  },
  'GET /metrics/nodes/bridge': {
    summary: 'The node bridge per computed month (SPEC §10)',
    query: bridgeQuery,
    response: bridgeResponse,
    csv: true,
  },
  'GET /metrics/cohorts': {
    summary: 'KA cohorts with NRR and GRR (SPEC §10)',
    query: cohortsQuery,
    response: cohortsResponse,
  },
  'GET /metrics/forecast': {
    summary: 'The year-end KA forecast (SPEC §10)',
    query: forecastQuery,
    response: forecastResponse,
  },
  'GET /alerts': {
    summary: 'Champion-loss alerts (SPEC §10)',
    query: alertsQuery,
    response: alertsResponse,
  },
  'GET /openapi.json': { summary: 'This document (OpenAPI 3.1)', response: anyObject },
  'GET /admin/rejections': {
    summary: 'Webhook items refused by validation, kept 40 days, newest first (SPEC §2, §7)',
    query: z.object({
      source: z.enum(['telemetry', 'community']).optional(),
      from: monthParam.optional(),
      to: monthParam.optional(),
      ...listParams,
    }),
    response: z.object({
      rejections: z.array(
        z.object({
          source: z.string(),
          webhookId: z.string(),
          index: z.number().int(),
          error: z.string(),
          item: z.unknown().meta({ description: 'as sent, or its first 4 KiB of JSON as text' }),
          at: z.string(),
        }),
      ),
      nextCursor: z.string().nullable(),
    }),
    csv: true,
  },
  'POST /admin/tokens': {
    summary: 'Creates a personal token; the token is shown this once (SPEC §8)',
    body: tokenRequest,
    status: 201,
    response: tokenInfo.omit({ lastUsedAt: true, revokedAt: true }).extend({ token: z.string() }),
  },
  'GET /admin/tokens': {
    summary: 'Personal tokens, never their value or hash (SPEC §8)',
    query: z.object(listParams),
    response: z.object({ tokens: z.array(tokenInfo), nextCursor: z.string().nullable() }),
    csv: true,
  },
  'DELETE /admin/tokens/{tokenId}': {
    summary: 'Revokes a token: it answers 401 from then on (SPEC §8)',
    path: z.object({ tokenId: z.string() }),
    status: 204,
  },
  'GET /admin/audit': {
    summary: 'Changes made through the API, newest first (SPEC §8)',
    query: z.object({
      from: z.string().optional().meta({ description: 'an ISO 8601 instant or a date' }),
      to: z.string().optional().meta({ description: 'an ISO 8601 instant or a date' }),
      actor: z.string().optional(),
      ...listParams,
    }),
    response: z.object({
      entries: z.array(
        z.object({
          at: z.string(),
          actor: z.string(),
          role: z.enum(roles),
          method: z.string(),
          path: z.string(),
          target: z.string(),
          before: z.record(z.string(), z.unknown()).nullable(),
          after: z.record(z.string(), z.unknown()).nullable(),
        }),
      ),
      nextCursor: z.string().nullable(),
    }),
    csv: true,
  },
};
