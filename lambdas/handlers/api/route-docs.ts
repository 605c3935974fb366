/**
 * What `GET /openapi.json` says of each declared route (SPEC §7), built from the schemas the routes
 * validate with. Typed as a record of every route key: a route declared in `lambdas/system.ts`
 * without a document here does not compile.
 */
import * as z from 'zod';
import { accountStatuses, environments } from '../../domain/ka.js';
import { roles } from '../../domain/roles.js';
import { identifier } from '../../http/fields.js';
import { listParams } from '../../http/lists.js';
import type { RouteDocs } from '../../http/openapi.js';
import { communityActivitySchema } from '../../ingestion/community.js';
import { telemetryEventSchema } from '../../ingestion/telemetry.js';
import { webhookSources } from '../../system.js';
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
import { mergeBody, programBody, splitBody, statusBody } from './community-routes.js';
import { configUpdate } from './config-routes.js';
import {
  accountMergeBody,
  affiliationsBody,
  changesQuery,
  changesResponse,
} from './correction-routes.js';
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
import { sessionRequest, sessionResponse } from './session-routes.js';

const monthPath = z.object({ month: monthParam });
const anyObject = z.looseObject({});

/** `GET /admin/config`'s answer (SPEC §3), every setting with its default filled in. */
const configResponse = z.object({
  timezone: z.string(),
  kaThreshold: z.number(),
  nearKaThreshold: z.number(),
  countedEnvironments: z.array(z.enum(environments)),
  yearlyTarget: z.number(),
  reportRecipients: z.array(z.string()),
  reportSender: z.string().nullable(),
  staffAccounts: z.array(z.string()),
  personalMailDomains: z.array(z.string()),
});

/** The program in force for a year (SPEC §3 `GET /admin/programs/{year}`). */
const programResponse = z.object({
  year: z.number(),
  tiers: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      minCount: z.number(),
      counts: z.array(z.string()),
    }),
  ),
  from: z.number().nullable().meta({ description: 'the year whose program it is; null: default' }),
});

/** A community activity as stored (SPEC §2), after a review. */
const storedActivity = z.object({
  activityId: z.string(),
  type: z.string(),
  occurredAt: z.string(),
  status: z.string(),
  identities: z.array(z.string()),
  name: z.string().optional(),
  accountId: z.string().optional(),
  title: z.string().optional(),
  url: z.string().optional(),
});
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

const pingResponse = z.object({ ok: z.literal(true) });

const standardWebhooksHeaders = z.object({
  'webhook-id': z.string().meta({ description: 'The delivery; a retry carries the same id' }),
  'webhook-timestamp': z.string().meta({ description: 'Unix time in seconds, within 300 s' }),
  'webhook-signature': z.string().meta({
    description: 'Space-separated `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`',
  }),
});

/** `sha256=<hex>` of the raw body, keyed by the plain-string secret (SPEC §11). */
const hubSignatureHeader = (secret: string) =>
  z.string().meta({
    description: `sha256=<lowercase hex HMAC-SHA256 of the raw body>, keyed by ${secret}`,
    example: 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
  });

const githubHeaders = z.object({
  'x-hub-signature-256': hubSignatureHeader('FLYWHEEL_GITHUB_SECRET'),
  'x-github-event': z.string().meta({
    description:
      'pull_request, issues and discussion can count; ping answers 200; others are ignored',
    example: 'pull_request',
  }),
  'x-github-delivery': z
    .string()
    .optional()
    .meta({ description: 'The delivery; kept with a rejected item' }),
});

const discourseHeaders = z.object({
  'x-discourse-event-signature': hubSignatureHeader('FLYWHEEL_DISCOURSE_SECRET'),
  'x-discourse-event': z.string().meta({
    description: 'post_created and accepted_solution can count; others are ignored',
    example: 'post_created',
  }),
  'x-discourse-event-type': z
    .string()
    .optional()
    .meta({ description: 'post, solved, ping, …; ping answers 200', example: 'post' }),
  'x-discourse-instance': z
    .string()
    .meta({ description: "The forum's base URL; its host names the forum in activity ids" }),
  'x-discourse-event-id': z
    .string()
    .optional()
    .meta({ description: 'The delivery; kept with a rejected item' }),
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
  'GET /health': { summary: 'Liveness', response: pingResponse },
  'POST /webhooks/telemetry': {
    summary: 'Telemetry snapshots, signed per Standard Webhooks (SPEC §2)',
    headers: standardWebhooksHeaders,
    body: z.object({ events: z.array(telemetryEventSchema(now)).max(1000) }),
    status: 202,
    response: webhookResponse,
  },
  'POST /webhooks/community': {
    summary: 'Community activities, signed per Standard Webhooks (SPEC §2)',
    headers: standardWebhooksHeaders,
    body: z.object({ activities: z.array(communityActivitySchema(now)).max(1000) }),
    status: 202,
    response: webhookResponse,
  },
  'POST /webhooks/github': {
    summary: 'GitHub webhook deliveries, as GitHub sends them (SPEC §11)',
    description:
      'A merged pull request is a `code-contribution` (`github:<owner>/<repo>#pr-<number>`) by its ' +
      'author at `merged_at`; an opened issue an `issue` (`…#issue-<number>`) at `created_at`; an ' +
      'answered discussion an `answer` (`…#answer-<answer id>`) by `answer.user`. The member is ' +
      '`github: <login>`. Other events and actions, and bots, are acknowledged and counted in ' +
      'none of accepted, duplicates, rejected. A redelivery is a duplicate.',
    headers: githubHeaders,
    // The sender's own payload, described rather than imported: the API function stays free of
    // the mapping code, which only the ingest function runs.
    body: anyObject.meta({
      description:
        "GitHub's event payload, as sent. Read: `repository.full_name`; `pull_request.number`, " +
        '`.user`, `.merged`, `.merged_at`; `issue.number`, `.user`, `.created_at`; `answer.id`, ' +
        '`.user`, `.created_at`; titles and `html_url`s',
    }),
    status: 202,
    response: webhookResponse,
    otherResponses: { '200': { summary: 'A ping', response: pingResponse } },
  },
  'POST /webhooks/discourse': {
    summary: 'Discourse webhook deliveries, as Discourse sends them (SPEC §11)',
    description:
      'A new post (`post_created`) is a `forum-post` (`discourse:<instance host>/post-<post id>`), ' +
      "an accepted solution (the solved plugin's `accepted_solution`) an `answer` " +
      '(`…/solution-<post id>`), both by `forum: <username>` (plus `email` when the payload has ' +
      "one) at the post's `created_at`. Private messages, whispers and system users are ignored, " +
      'as are other events. A redelivery is a duplicate.',
    headers: discourseHeaders,
    body: anyObject.meta({
      description:
        '`{"post": …}` or `{"solved": …}` with the post as Discourse serializes it. Read: `id`, ' +
        '`username`, `name`, `email`, `user_id`, `created_at`, `post_type`, `topic_archetype`, ' +
        '`topic_id`, `topic_slug`, `topic_title`, `post_number`',
    }),
    status: 202,
    response: webhookResponse,
    otherResponses: { '200': { summary: 'A ping', response: pingResponse } },
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
      includeStaff: z
        .enum(['true', 'false'])
        .optional()
        .meta({ description: 'list staff too, with `"staff": true` and no tiers (SPEC §1)' }),
    }),
    response: evangelistsResponse,
    csv: true,
  },
  'GET /admin/config': {
    summary: 'The configuration, defaults included',
    response: configResponse,
  },
  'PUT /admin/config': {
    summary: 'Partial update of the configuration',
    body: configUpdate,
    response: configResponse,
  },
  'GET /admin/programs/{year}': {
    summary: 'The evangelist program in force',
    path: programPath,
    response: programResponse,
  },
  'PUT /admin/programs/{year}': {
    summary: 'Sets a year’s evangelist program',
    path: programPath,
    body: programBody,
    response: programResponse,
  },
  'PUT /admin/accounts/{accountId}': {
    summary: 'Names an account and sets its email domains (creates it when new)',
    path: z.object({ accountId: identifier }),
    body: accountBody,
    response: z.object({
      accountId: z.string(),
      name: z.string(),
      domains: z.array(z.string()).optional().meta({ description: 'when the request set them' }),
    }),
  },
  'PUT /admin/clusters/{clusterId}': {
    summary: 'Maps a cluster to an account (`null` removes the mapping)',
    path: z.object({ clusterId: identifier }),
    body: clusterBody,
    response: z.object({ clusterId: z.string(), accountId: z.string().nullable() }),
  },
  'POST /admin/members/merge': {
    summary: 'Merges the members holding these identities',
    body: mergeBody,
    response: z.object({ merged: z.array(z.string()) }),
  },
  'PATCH /admin/activities/{activityId}': {
    summary: 'The content committee’s review',
    path: z.object({ activityId: z.string() }),
    body: statusBody,
    response: storedActivity,
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
  'POST /admin/members/split': {
    summary: 'Splits the named identities, all of one member, into a member of their own (SPEC §9)',
    body: splitBody,
    response: z.object({
      members: z.array(z.object({ memberId: z.string(), identities: z.array(z.string()) })),
      splitAt: z.string(),
    }),
  },
  'PUT /admin/members/{member}/affiliations': {
    summary: 'Sets the admin affiliation periods of a member; [] removes them (SPEC §9)',
    path: z.object({ member: z.string().meta({ description: 'a member id or `kind:value`' }) }),
    body: affiliationsBody,
    response: z.object({
      memberId: z.string(),
      affiliations: z.array(
        z.object({ accountId: z.string(), from: z.string().nullable(), to: z.string().nullable() }),
      ),
    }),
  },
  'POST /admin/accounts/merge': {
    summary: 'Makes each listed account an alias of `into` (SPEC §9)',
    body: accountMergeBody,
    response: z.object({ accountId: z.string(), aliases: z.array(z.string()) }),
  },
  'DELETE /admin/accounts/{accountId}/aliases/{alias}': {
    summary: 'Undoes one alias: from the next recalculation it is an account again (SPEC §9)',
    path: z.object({ accountId: identifier, alias: identifier }),
    status: 204,
  },
  'GET /admin/changes': {
    summary: 'Changes recalculations made to months already mailed, newest first (SPEC §9)',
    query: changesQuery,
    response: changesResponse,
    csv: true,
  },
  'GET /admin/rejections': {
    summary: 'Webhook items refused by validation, kept 40 days, newest first (SPEC §2, §7)',
    query: z.object({
      source: z.enum(webhookSources).optional(),
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
  // SPEC §12; the README's "The console" tells the cookie's attributes and life.
  'GET /console': { summary: 'The console: redirects to /console/', status: 308 },
  'GET /console/{proxy+}': {
    summary: 'The console’s page and files',
    path: z.object({ 'proxy+': z.string() }),
    response: z.string(),
    mediaType: 'text/html',
  },
  'POST /console/session': {
    summary: 'Console sign-in: an 8-hour session cookie for a token',
    body: sessionRequest,
    status: 204,
  },
  'DELETE /console/session': { summary: 'Console sign-out', status: 204 },
  'GET /console/session': { summary: 'Who is signed in', response: sessionResponse },
};
