/**
 * What SPEC §2 and §3 say stored facts and answers look like, written here from the SPEC (and the
 * README's "behaviour the spec leaves open") without importing `lambdas/`, so that a fuzzed value
 * the product wrongly accepted shows up as a fact these schemas refuse.
 */
import { z } from 'zod';

const fiveMinutesMs = 5 * 60_000;
const year2000 = Date.parse('2000-01-01T00:00:00Z');

export const environments = ['production', 'staging', 'development', 'test'] as const;
export const activityTypes = [
  'talk',
  'article',
  'case-study',
  'video',
  'course',
  'answer',
  'event-hosted',
  'meetup-attended',
  'code-contribution',
  'issue',
  'forum-post',
] as const;
const contentTypes: readonly string[] = ['article', 'case-study', 'video', 'course'];
export const countedKinds = [
  'talk',
  'recognized-content',
  'answer',
  'event-hosted',
  'meetup-attended',
  'code-contribution',
  'issue',
  'forum-post',
] as const;

export const idPattern = /^[A-Za-z0-9._:-]{1,128}$/;
const id = z.string().regex(idPattern);
const month = z.string().regex(/^(19[7-9]\d|[2-9]\d{3})-(0[1-9]|1[0-2])$/);

/** ISO 8601 with a zone offset, a real instant, from 2000 to 5 minutes after now (SPEC §2). */
const pastInstant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i)
  .refine((at) => Number.isFinite(Date.parse(at)), 'a real instant')
  .refine((at) => Date.parse(at) >= year2000, 'not before 2000')
  .refine((at) => Date.parse(at) <= Date.now() + fiveMinutesMs, 'not in the future');

const count = z.number().int().min(0).max(100_000);

/** A stored telemetry snapshot (SPEC §2 `POST /webhooks/telemetry`): nothing else is kept. */
export const storedSnapshot = z
  .strictObject({
    eventId: z.string().min(1).max(128),
    clusterId: id,
    accountId: id.optional(),
    environment: z.enum(environments),
    nodes: count,
    components: z.record(z.string().max(64), count).optional(),
    reportedAt: pastInstant,
    version: z.string().max(64).optional(),
  })
  .refine(
    (s) => Object.values(s.components ?? {}).reduce((a, b) => a + b, 0) <= 100_000,
    'components sum to at most 100000',
  );

const identityKey = z.string().refine((key) => {
  const [kind, ...rest] = key.split(':');
  const value = rest.join(':');
  if (value === '' || value !== value.trim() || value !== value.toLowerCase()) return false;
  if (kind === 'email') return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value);
  return kind === 'github' || kind === 'forum';
}, 'a normalised identity kind:value');

const httpUrl = z
  .string()
  .max(2000)
  .refine((url) => /^https?:$/.test(URL.parse(url)?.protocol ?? ''), 'an http(s) URL');

/** A stored community activity (SPEC §2, §3); `adminSet` allows what only a PATCH may set. */
export const storedActivity = (adminSet = false) =>
  z
    .strictObject({
      activityId: z.string().min(1).max(256),
      type: z.enum(activityTypes),
      occurredAt: pastInstant,
      status: z.enum(['submitted', 'recognized', 'rejected', 'delivered']),
      identities: z.array(identityKey).min(1).max(3),
      name: z.string().min(1).max(200).optional(),
      accountId: id.optional(),
      title: z.string().min(1).max(500).optional(),
      url: httpUrl.optional(),
    })
    .refine(
      (a) =>
        adminSet ||
        (contentTypes.includes(a.type)
          ? a.status !== 'delivered'
          : a.status === 'delivered' || a.status === 'rejected'),
      'a webhook status fits the type (content is reviewed; other types are delivered or rejected)',
    );

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const email = z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/);

/** `GET /admin/config` (SPEC §3), defaults included. */
export const config = z
  .strictObject({
    timezone: z.string().refine(isTimeZone, 'an IANA zone'),
    kaThreshold: z.number().int().min(0),
    nearKaThreshold: z.number().int().min(0),
    countedEnvironments: z.array(z.enum(environments)).min(1),
    yearlyTarget: z.number().positive(),
    reportRecipients: z.array(email).max(50),
    reportSender: email.nullable(),
    staffAccounts: z.array(z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/)),
    personalMailDomains: z.array(z.string().regex(/^[a-z0-9.-]+$/)),
  })
  .refine((c) => c.nearKaThreshold <= c.kaThreshold, 'nearKaThreshold <= kaThreshold');

export const tiers = z
  .array(
    z.strictObject({
      id: z.string().trim().min(1).max(64),
      name: z.string().trim().min(1).max(200),
      minCount: z.number().int().min(1),
      counts: z.array(z.enum(countedKinds)).min(1),
    }),
  )
  .min(1)
  .max(20)
  .refine((list) => new Set(list.map((t) => t.id)).size === list.length, 'unique tier ids');

export const program = z.strictObject({
  year: z.number().int().min(2000).max(2100),
  tiers,
  from: z.number().int().min(2000).max(2100).nullable(),
});

/** Each route's 2xx answer (SPEC §3), by route key. */
export const answers = {
  'GET /admin/config': config,
  'PUT /admin/config': config,
  'GET /admin/programs/{year}': program,
  'PUT /admin/programs/{year}': program,
  'PUT /admin/accounts/{accountId}': z.strictObject({
    accountId: id,
    name: z.string().trim().min(1).max(200),
    domains: z.array(z.string().regex(/^[a-z0-9.-]+$/)).optional(),
  }),
  // SPEC §9 corrections.
  'POST /admin/members/split': z.strictObject({
    members: z
      .array(
        z.strictObject({
          memberId: z.string().regex(/^m_[0-9a-f]{16}$/),
          identities: z.array(identityKey).min(1),
        }),
      )
      .length(2),
    splitAt: z.string(),
  }),
  'PUT /admin/members/{member}/affiliations': z.strictObject({
    memberId: z.string().regex(/^m_[0-9a-f]{16}$/),
    affiliations: z.array(
      z.strictObject({
        accountId: id,
        from: z.iso.date().nullable(),
        to: z.iso.date().nullable(),
      }),
    ),
  }),
  'POST /admin/accounts/merge': z.strictObject({ accountId: id, aliases: z.array(id).min(1) }),
  'PUT /admin/clusters/{clusterId}': z.strictObject({ clusterId: id, accountId: id.nullable() }),
  'POST /admin/members/merge': z.strictObject({ merged: z.array(identityKey).min(2) }),
  'PATCH /admin/activities/{activityId}': storedActivity(true),
  'POST /admin/recalculate': z.strictObject({ jobId: z.uuid() }),
  'GET /admin/jobs/{jobId}': z.looseObject({
    jobId: z.uuid(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']),
    months: z.array(month),
    error: z.string().optional(),
  }),
  'POST /admin/tokens': z.strictObject({
    tokenId: z.string().regex(/^tok_/),
    name: z.string().min(1).max(100),
    role: z.enum(['viewer', 'reviewer', 'admin']),
    token: z.string().regex(/^fwt_[A-Za-z0-9_-]{43,}$/),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().nullable(),
  }),
  // SPEC §12: who is signed in — with a bearer token, the token itself (bootstrap: no expiry).
  'GET /console/session': z.strictObject({
    actor: z.string().min(1),
    role: z.enum(['viewer', 'reviewer', 'admin']),
    expiresAt: z.iso.datetime().nullable(),
  }),
  'GET /admin/tokens': z.strictObject({
    tokens: z.array(
      z.strictObject({
        tokenId: z.string().regex(/^tok_/),
        name: z.string(),
        role: z.enum(['viewer', 'reviewer', 'admin']),
        createdAt: z.iso.datetime(),
        expiresAt: z.iso.datetime().nullable(),
        lastUsedAt: z.iso.datetime().nullable(),
        revokedAt: z.iso.datetime().nullable(),
      }),
    ),
    nextCursor: z.string().nullable(),
  }),
  'GET /admin/audit': z.strictObject({
    entries: z.array(
      z.strictObject({
        at: z.iso.datetime(),
        actor: z.string(),
        role: z.enum(['viewer', 'reviewer', 'admin']),
        method: z.enum(['PUT', 'POST', 'PATCH', 'DELETE']),
        path: z.string().startsWith('/'),
        target: z.string(),
        before: z.record(z.string(), z.unknown()).nullable(),
        after: z.record(z.string(), z.unknown()).nullable(),
      }),
    ),
    nextCursor: z.string().nullable(),
  }),
  'GET /admin/rejections': z.strictObject({
    rejections: z.array(
      z.strictObject({
        source: z.enum(['telemetry', 'community']),
        webhookId: z.string().max(256),
        index: z.number().int().min(0).max(999),
        error: z.string().max(1000),
        item: z.unknown(),
        at: z.iso.datetime(),
      }),
    ),
    nextCursor: z.string().nullable(),
  }),
  'GET /metrics/ka': z.strictObject({
    months: z.array(
      z.looseObject({
        month,
        // SPEC §10: (new + reactivated) / churned, null when none churned.
        kaQuickRatio: z.number().min(0).nullable(),
        communitySourcedNew: z.number().int().min(0).nullable(),
      }),
    ),
  }),
  'GET /metrics/ka/{month}/accounts': z.strictObject({
    month,
    accounts: z.array(
      z.looseObject({
        accountId: id,
        previousNodes: z.number().int().min(0).nullable(),
        communitySourced: z.boolean().nullable(),
        champions: z.number().int().min(0).nullable(),
      }),
    ),
  }),
  'GET /evangelists': z.strictObject({
    year: z.number().int().min(2000).max(2100),
    asOf: month,
    members: z.array(z.looseObject({ memberId: z.string() })),
  }),
  'POST /admin/reports/{month}/send': z.strictObject({
    messageId: z.string().min(1),
    alreadySent: z.boolean(),
  }),
  ...evidenceAnswers(),
  ...analyticsAnswers(),
} as const satisfies Record<string, z.ZodType>;

/** SPEC §7's answers, as far as the fuzz checks them: the shape of each list and its ids. */
function evidenceAnswers() {
  const nextCursor = z.string().min(1).nullable();
  const statuses = z.enum(['new', 'reactivated', 'retained', 'churned', 'near', 'other']);
  return {
    'GET /accounts': z.strictObject({
      month: month.nullable(),
      accounts: z.array(z.looseObject({ accountId: id, status: statuses })),
      nextCursor,
    }),
    'GET /accounts/{accountId}': z.looseObject({
      accountId: id,
      months: z.array(z.looseObject({ month, status: statuses })),
      clusters: z.array(z.looseObject({ clusterId: id })),
      members: z.array(z.looseObject({ memberId: z.string() })),
    }),
    'GET /clusters': z.strictObject({
      month: month.nullable(),
      clusters: z.array(z.looseObject({ clusterId: id, nodes: z.number().int().min(0) })),
      nextCursor,
    }),
    'GET /clusters/{clusterId}': z.looseObject({
      clusterId: id,
      months: z.array(z.looseObject({ month })),
      snapshots: z.array(z.looseObject({ eventId: z.string() })).max(100),
    }),
    'GET /members': z.strictObject({
      members: z.array(z.looseObject({ memberId: z.string(), identities: z.array(identityKey) })),
      nextCursor,
    }),
    'GET /members/{member}': z.looseObject({
      memberId: z.string(),
      identities: z.array(identityKey).min(1),
      links: z.array(z.looseObject({ cause: z.enum(['activity', 'admin-merge']) })),
    }),
    'GET /activities': z.strictObject({
      activities: z.array(z.looseObject({ activityId: z.string() })),
      nextCursor,
    }),
    'GET /admin/jobs': z.strictObject({
      jobs: z.array(z.looseObject({ jobId: z.uuid() })),
      nextCursor,
    }),
    'GET /admin/changes': z.strictObject({
      changes: z.array(
        z.strictObject({
          month,
          field: z.string().regex(/^(account:.+|[a-zA-Z]+)$/),
          before: z.unknown(),
          after: z.unknown(),
          at: z.string(),
          jobId: z.string().nullable(),
        }),
      ),
      nextCursor,
    }),
  };
}

/**
 * SPEC §10's answers: the bridge's identity and quick ratio, cohorts' NRR ≥ GRR, the forecast's
 * ordered range, alerts with a reason from the list. Written from the SPEC, not the code.
 */
export function analyticsAnswers() {
  const nodes = z.number().int().min(0);
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  const bridge = z
    .strictObject({
      month,
      start: nodes,
      new: nodes,
      reactivation: nodes,
      expansion: nodes,
      contraction: nodes,
      churn: nodes,
      end: nodes,
      nodeQuickRatio: z.number().min(0).nullable(),
    })
    .refine(
      (b) => b.start + b.new + b.reactivation + b.expansion - b.contraction - b.churn === b.end,
      'start + new + reactivation + expansion − contraction − churn = end',
    )
    .refine(
      (b) =>
        b.contraction + b.churn === 0
          ? b.nodeQuickRatio === null
          : b.nodeQuickRatio !== null &&
            close(
              b.nodeQuickRatio,
              (b.new + b.reactivation + b.expansion) / (b.contraction + b.churn),
            ),
      'nodeQuickRatio = (new + reactivation + expansion) / (contraction + churn), null on 0',
    );
  const cohortMonth = z
    .strictObject({
      month,
      accounts: nodes,
      kaAccounts: nodes,
      baseNodes: nodes,
      nodes,
      nrr: z.number().min(0).nullable(),
      grr: z.number().min(0).nullable(),
    })
    .refine((m) => m.kaAccounts <= m.accounts, 'kaAccounts ≤ accounts')
    .refine((m) => m.nrr === null || m.grr === null || m.nrr >= m.grr - 1e-12, 'NRR ≥ GRR')
    .refine((m) => m.grr === null || m.grr <= 1 + 1e-12, 'GRR ≤ 1');
  return {
    'GET /metrics/nodes/bridge': z.strictObject({ months: z.array(bridge) }),
    'GET /metrics/cohorts': z.strictObject({
      asOf: month.nullable(),
      cohorts: z.array(
        z.strictObject({
          cohort: z.string().regex(/^\d{4}$/),
          accounts: nodes,
          baseNodes: nodes,
          months: z.array(cohortMonth).min(1),
        }),
      ),
    }),
    'GET /metrics/forecast': z
      .strictObject({
        year: z.number().int(),
        asOf: month,
        decemberKa: z.strictObject({ expected: nodes, low: nodes, high: nodes }),
        targetKa: z.number().min(0).nullable(),
        reachable: z.boolean().nullable(),
        requiredMonthlyMultiple: z.number().min(0).nullable(),
        method: z.string().min(1),
      })
      .refine(
        (f) =>
          f.decemberKa.low <= f.decemberKa.expected && f.decemberKa.expected <= f.decemberKa.high,
        'low ≤ expected ≤ high',
      )
      .refine((f) => f.asOf.startsWith(`${f.year}-`), 'asOf is a month of year')
      .refine(
        (f) =>
          f.targetKa === null
            ? f.reachable === null
            : f.reachable === f.decemberKa.high >= f.targetKa,
        'reachable = high ≥ targetKa, null without a target',
      ),
    'GET /alerts': z.strictObject({
      month: month.nullable(),
      alerts: z.array(
        z.strictObject({
          kind: z.literal('champion-lost'),
          accountId: id,
          name: z.string().nullable(),
          members: z
            .array(
              z.strictObject({
                memberId: z.string(),
                name: z.string().nullable(),
                reason: z.enum(['inactive', 'left', 'staff']),
              }),
            )
            .min(1),
        }),
      ),
    }),
  };
}
