/**
 * The zod schemas of the evidence routes (SPEC §7): the query and path parameters each route
 * validates, and the responses it answers. `GET /openapi.json` is generated from these same
 * schemas, and the integration tests parse real responses with the response schemas.
 */
import * as z from 'zod';
import { activityStatuses, activityTypes } from '../../domain/community.js';
import { accountStatuses, environments } from '../../domain/ka.js';
import { isMonth } from '../../domain/month.js';
import { identifier } from '../../http/fields.js';
import { listParams } from '../../http/lists.js';

export const monthParam = z
  .string()
  .refine(isMonth, 'must be a month YYYY-MM (e.g. 2026-03)')
  .meta({ description: 'A reporting month, `YYYY-MM`', example: '2026-03' });

/** A comma list of known values (`status=new,retained`); an unknown value is a 400. */
const commaList = <const T extends readonly [string, ...string[]]>(values: T, name: string) =>
  z
    .string()
    .transform((text) => text.split(',').map((value) => value.trim()))
    .pipe(z.array(z.enum(values, { error: `${name} must be among ${values.join(', ')}` })))
    .meta({ description: `Comma-separated, among ${values.join(', ')}` });

export const evidenceStatuses = [...accountStatuses, 'other'] as const;

const search = z.string().trim().min(1).max(200);

export const accountsQuery = z.object({
  month: monthParam.optional(),
  status: commaList(evidenceStatuses, 'status').optional(),
  q: search.optional().meta({ description: 'Case-insensitive substring of the id or name' }),
  ...listParams,
});

export const accountPath = z.object({ accountId: identifier });

export const clustersQuery = z.object({
  month: monthParam.optional(),
  attributed: z
    .enum(['true', 'false'], { error: 'attributed must be true or false' })
    .optional()
    .meta({ description: '`false`: the unattributed clusters in a counted environment' }),
  ...listParams,
});

export const clusterPath = z.object({ clusterId: identifier });

export const membersQuery = z.object({
  q: search.optional().meta({ description: 'Case-insensitive substring of a name or identity' }),
  accountId: identifier.optional(),
  ...listParams,
});

export const memberPath = z.object({
  member: z
    .string()
    .min(1)
    .max(600)
    .meta({ description: 'A member id (`m_…`) or any of its identities `kind:value`' }),
});

export const activitiesQuery = z.object({
  status: commaList(activityStatuses, 'status').optional(),
  type: commaList(activityTypes, 'type').optional(),
  from: monthParam.optional(),
  to: monthParam.optional(),
  member: memberPath.shape.member.optional(),
  ...listParams,
});

export const jobsQuery = z.object({ ...listParams });

const nextCursor = z
  .string()
  .nullable()
  .meta({ description: 'Pass as `cursor` for the next page' });
const month = z.string().meta({ description: '`YYYY-MM`' });
const instant = z.string().meta({ description: 'ISO 8601 instant' });
const environment = z.enum(environments);
const accountStatus = z.enum(evidenceStatuses);
const source = z.enum(['mapping', 'snapshot']).nullable();

export const accountRow = z
  .strictObject({
    accountId: z.string(),
    name: z.string().nullable(),
    productionNodes: z.number(),
    status: accountStatus,
    clusters: z.number(),
    champions: z.number(),
    firstKaMonth: month.nullable(),
  })
  .meta({ id: 'AccountRow' });

export const accountsResponse = z.strictObject({
  month: month.nullable(),
  accounts: z.array(accountRow),
  nextCursor,
});

export const accountResponse = z
  .strictObject({
    accountId: z.string(),
    name: z.string().nullable(),
    domains: z.array(z.string()),
    aliases: z.array(z.string()),
    months: z.array(z.strictObject({ month, productionNodes: z.number(), status: accountStatus })),
    clusters: z.array(
      z.strictObject({
        clusterId: z.string(),
        source,
        environment: environment.nullable(),
        nodes: z.number().nullable(),
        reportedAt: instant.nullable(),
      }),
    ),
    members: z.array(
      z.strictObject({
        memberId: z.string(),
        name: z.string().nullable(),
        lastActivityAt: instant.nullable(),
        champion: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'Account' });

export const clusterRow = z
  .strictObject({
    clusterId: z.string(),
    accountId: z.string().nullable(),
    source,
    environment,
    nodes: z.number(),
    reportedAt: instant,
    namedAccountId: z.string().nullable(),
  })
  .meta({ id: 'ClusterRow' });

export const clustersResponse = z.strictObject({
  month: month.nullable(),
  clusters: z.array(clusterRow),
  nextCursor,
});

export const clusterResponse = z
  .strictObject({
    clusterId: z.string(),
    accountId: z.string().nullable(),
    source,
    mapping: z.string().nullable(),
    namedAccountId: z.string().nullable(),
    months: z.array(
      z.strictObject({
        month,
        nodes: z.number(),
        environment,
        reportedAt: instant,
        eventId: z.string(),
      }),
    ),
    snapshots: z
      .array(
        z.strictObject({
          eventId: z.string(),
          reportedAt: instant,
          receivedAt: instant.nullable(),
          nodes: z.number(),
          environment,
          accountId: z.string().nullable(),
          components: z.record(z.string(), z.number()).nullable(),
          version: z.string().nullable(),
        }),
      )
      .meta({
        description:
          'The latest 100 snapshot facts by reportedAt (full precision), newest first; facts of one instant by eventId, descending',
      }),
  })
  .meta({ id: 'Cluster' });

const identities = z.array(z.string()).meta({ description: 'Identities written `kind:value`' });

export const memberRow = z
  .strictObject({
    memberId: z.string(),
    name: z.string().nullable(),
    identities,
    accountId: z.string().nullable(),
    activities: z.number(),
    lastActivityAt: instant.nullable(),
    staff: z.boolean(),
  })
  .meta({ id: 'MemberRow' });

export const membersResponse = z.strictObject({ members: z.array(memberRow), nextCursor });

const activityType = z.enum(activityTypes);
const activityStatus = z.enum(activityStatuses);

export const memberResponse = z
  .strictObject({
    memberId: z.string(),
    name: z.string().nullable(),
    identities,
    accountId: z.string().nullable(),
    staff: z.boolean(),
    affiliations: z.array(
      z.strictObject({
        accountId: z.string(),
        from: instant.nullable(),
        to: instant.nullable(),
        source: z.enum(['admin', 'activity', 'domain']),
      }),
    ),
    activities: z.array(
      z.strictObject({
        activityId: z.string(),
        type: activityType,
        status: activityStatus,
        occurredAt: instant,
        title: z.string().nullable(),
        url: z.string().nullable(),
        accountId: z.string().nullable(),
      }),
    ),
    links: z.array(
      z.strictObject({
        identities,
        cause: z.enum(['activity', 'admin-merge']),
        activityId: z.string().optional(),
        at: instant.nullable(),
      }),
    ),
    splits: z.array(z.strictObject({ identities, at: instant })),
    tiers: z.record(z.string(), z.array(z.string())),
  })
  .meta({ id: 'Member' });

export const activityRow = z
  .strictObject({
    activityId: z.string(),
    type: activityType,
    status: activityStatus,
    occurredAt: instant,
    receivedAt: instant.nullable(),
    title: z.string().nullable(),
    url: z.string().nullable(),
    member: z.strictObject({ memberId: z.string().nullable(), name: z.string().nullable() }),
    accountId: z.string().nullable(),
  })
  .meta({ id: 'ActivityRow' });

export const activitiesResponse = z.strictObject({
  activities: z.array(activityRow),
  nextCursor,
});

export const jobRow = z
  .strictObject({
    jobId: z.string(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']),
    months: z.array(month),
    completedMonths: z.array(month),
    createdAt: instant,
    updatedAt: instant,
    error: z.string().optional(),
  })
  .meta({ id: 'Job' });

export const jobsResponse = z.strictObject({ jobs: z.array(jobRow), nextCursor });
