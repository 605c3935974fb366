/**
 * Fuzzed requests for every admin route of SPEC §3: path parameters (`{month}`, `{year}`,
 * `{accountId}`, `{clusterId}`, `{activityId}`, `{jobId}`) and query strings, valid or hostile,
 * and JSON bodies — valid, valid with a field made hostile or removed, polluted, or not an
 * object at all — so that requests get past the token into every route's validation.
 */
import fc from 'fast-check';
import type { RouteKey } from '../../../lambdas/system.js';
import {
  hostileText,
  hostileValue,
  identifier,
  pathParam,
  pollutionPayload,
  protoKeys,
  trickyString,
  withKey,
} from './fuzz.js';
import { countedKinds, environments } from './spec-schemas.js';

export interface FuzzRequest {
  /** Path and query, encoded. */
  readonly path: string;
  /** The path parameters, decoded. */
  readonly params: readonly string[];
  readonly body?: string;
}

/** What the fuzz can rely on existing: seeded activities and identities, queued jobs. */
export interface Seeds {
  readonly activityIds: readonly string[];
  readonly identities: readonly Record<string, string>[];
  readonly jobIds: string[];
}

type Body = Record<string, unknown>;

/** A JSON body: valid, valid with one or two fields made hostile or removed, or no object at all. */
function bodyOf(valid: fc.Arbitrary<Body>, fields: readonly string[]): fc.Arbitrary<string> {
  const key = fc.constantFrom(...fields, ...protoKeys, 'unknownField');
  const change = fc.oneof(
    fc.tuple(key, hostileValue).map(
      ([k, v]) =>
        (b: Body) =>
          withKey(b, k, v),
    ),
    key.map((k) => (b: Body) => {
      const { [k]: _gone, ...rest } = b;
      return rest;
    }),
    fc.constant((b: Body) => ({ ...b, ...pollutionPayload() })),
  );
  const changed = fc
    .tuple(valid, fc.array(change, { minLength: 1, maxLength: 2 }))
    .map(([body, changes]) => changes.reduce((acc, fn) => fn(acc), body));
  return fc.oneof(
    { weight: 4, arbitrary: valid.map((b) => JSON.stringify(b)) },
    { weight: 4, arbitrary: changed.map((b) => JSON.stringify(b)) },
    { weight: 1, arbitrary: hostileValue.map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: hostileText },
  );
}

const enc = encodeURIComponent;

export const validMonth = fc
  .tuple(
    fc.oneof(fc.integer({ min: 2024, max: 2026 }), fc.integer({ min: 1970, max: 9999 })),
    fc.integer({ min: 1, max: 12 }),
  )
  .map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`);
/** Months whose recalculation is cheap: a job of at most a few months of recent years. */
const recentMonth = fc
  .tuple(fc.integer({ min: 2025, max: 2026 }), fc.integer({ min: 0, max: 13 }))
  .map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`);
const month = pathParam(validMonth);
const year = pathParam(fc.integer({ min: 1990, max: 2110 }).map(String));

const email = fc
  .tuple(fc.stringMatching(/^[a-z0-9]{1,10}$/), fc.constantFrom('example.com', 'example.org'))
  .map(([local, domain]) => `${local}@${domain}`);

const configBody = fc.record(
  {
    timezone: fc.constantFrom('UTC', 'Europe/Berlin', 'Asia/Kathmandu', 'Etc/GMT+12', 'Mars/Base'),
    kaThreshold: fc.nat(200),
    nearKaThreshold: fc.nat(200),
    countedEnvironments: fc.subarray([...environments], { minLength: 1 }),
    yearlyTarget: fc.double({ min: 0.01, max: 100, noNaN: true }),
    reportRecipients: fc.array(email, { maxLength: 3 }),
    reportSender: email,
    staffAccounts: fc.array(fc.constantFrom('acme', 'staff-co', 'bad id'), { maxLength: 3 }),
    personalMailDomains: fc.array(fc.constantFrom('gmail.com', 'Bücher.example', 'not a domain'), {
      maxLength: 3,
    }),
  },
  { requiredKeys: [] },
);

const tier = fc.record({
  id: fc.string({ minLength: 1, maxLength: 10 }),
  name: fc.string({ minLength: 1, maxLength: 30 }),
  minCount: fc.integer({ min: 0, max: 20 }),
  counts: fc.subarray([...countedKinds, 'article', 'unknown']),
});

const statuses = ['submitted', 'recognized', 'rejected', 'delivered', 'approved'] as const;

/** One generator per admin route; the fuzz fails if a declared admin route has none. */
export function adminRequests(seeds: Seeds): Partial<Record<RouteKey, fc.Arbitrary<FuzzRequest>>> {
  const activityId = pathParam(fc.oneof(fc.constantFrom(...seeds.activityIds), trickyString));
  const identity = fc.oneof(
    fc.constantFrom(...seeds.identities),
    fc.constantFrom(...seeds.identities).map((i) => {
      const [kind, value] = Object.entries(i)[0] ?? ['email', ''];
      return { [kind]: ` ${value.toUpperCase()} ` };
    }),
    fc.dictionary(fc.constantFrom('email', 'github', 'forum', 'name'), trickyString, {
      maxKeys: 2,
    }),
  );
  const jobId = pathParam(
    fc.oneof(
      fc.uuid(),
      fc.constant(null).map(() => seeds.jobIds.at(-1) ?? ''),
    ),
  );
  const query = (params: Record<string, fc.Arbitrary<string>>) =>
    fc
      .record(params, { requiredKeys: [] })
      .map((q) => new URLSearchParams(q as Record<string, string>).toString());
  return {
    'GET /metrics/ka': query({ from: month, to: month }).map((q) => ({
      path: `/metrics/ka?${q}`,
      params: [],
    })),
    'GET /metrics/ka/{month}/accounts': month.map((m) => ({
      path: `/metrics/ka/${enc(m)}/accounts`,
      params: [m],
    })),
    'GET /evangelists': query({ year, asOf: month }).map((q) => ({
      path: `/evangelists?${q}`,
      params: [],
    })),
    'GET /admin/config': fc.constant({ path: '/admin/config', params: [] }),
    'PUT /admin/config': bodyOf(configBody, Object.keys(configBody)).map((body) => ({
      path: '/admin/config',
      params: [],
      body,
    })),
    'GET /admin/programs/{year}': year.map((y) => ({
      path: `/admin/programs/${enc(y)}`,
      params: [y],
    })),
    'PUT /admin/programs/{year}': fc
      .tuple(year, bodyOf(fc.record({ tiers: fc.array(tier, { maxLength: 4 }) }), ['tiers']))
      .map(([y, body]) => ({ path: `/admin/programs/${enc(y)}`, params: [y], body })),
    'PUT /admin/accounts/{accountId}': fc
      .tuple(
        pathParam(identifier),
        bodyOf(
          fc.record(
            {
              name: trickyString,
              domains: fc.array(
                fc.oneof(
                  fc.constantFrom('acme.example', 'gmail.com', 'Bücher.example'),
                  trickyString,
                ),
                { maxLength: 3 },
              ),
            },
            { requiredKeys: ['name'] },
          ),
          ['name'],
        ),
      )
      .map(([id, body]) => ({ path: `/admin/accounts/${enc(id)}`, params: [id], body })),
    'PUT /admin/clusters/{clusterId}': fc
      .tuple(
        pathParam(identifier),
        bodyOf(fc.record({ accountId: fc.option(identifier, { nil: null }) }), ['accountId']),
      )
      .map(([id, body]) => ({ path: `/admin/clusters/${enc(id)}`, params: [id], body })),
    'POST /admin/members/merge': bodyOf(
      fc.record({ identities: fc.array(identity, { minLength: 1, maxLength: 4 }) }),
      ['identities'],
    ).map((body) => ({ path: '/admin/members/merge', params: [], body })),
    'POST /admin/members/split': bodyOf(
      fc.record({ identities: fc.array(identity, { minLength: 1, maxLength: 3 }) }),
      ['identities'],
    ).map((body) => ({ path: '/admin/members/split', params: [], body })),
    'PUT /admin/members/{member}/affiliations': fc
      .tuple(
        pathParam(
          fc.oneof(
            fc
              .constantFrom(...seeds.identities)
              .map((i) => Object.entries(i).map(([k, v]) => `${k}:${v}`)[0] ?? ''),
            trickyString,
          ),
        ),
        bodyOf(
          fc.record({
            affiliations: fc.array(
              fc.record({
                accountId: fc.oneof(identifier, trickyString),
                from: fc.option(fc.constantFrom('2026-01-01', '2026-02-30', '2026-06-15', 'soon'), {
                  nil: null,
                }),
                to: fc.option(fc.constantFrom('2026-03-31', '2026-06-15', '2025-12-31'), {
                  nil: null,
                }),
              }),
              { maxLength: 3 },
            ),
          }),
          ['affiliations'],
        ),
      )
      .map(([member, body]) => ({
        path: `/admin/members/${enc(member)}/affiliations`,
        params: [member],
        body,
      })),
    'POST /admin/accounts/merge': bodyOf(
      fc.record({
        into: fc.oneof(identifier, trickyString),
        accounts: fc.array(fc.oneof(identifier, trickyString), { maxLength: 3 }),
      }),
      ['into', 'accounts'],
    ).map((body) => ({ path: '/admin/accounts/merge', params: [], body })),
    'DELETE /admin/accounts/{accountId}/aliases/{alias}': fc
      .tuple(pathParam(identifier), pathParam(fc.oneof(identifier, trickyString)))
      .map(([id, alias]) => ({
        path: `/admin/accounts/${enc(id)}/aliases/${enc(alias)}`,
        params: [id, alias],
      })),
    'GET /admin/changes': query({
      month,
      limit: fc.oneof(fc.integer({ min: -5, max: 1200 }).map(String), trickyString),
      cursor: fc.oneof(trickyString, fc.base64String()),
    }).map((q) => ({ path: `/admin/changes?${q}`, params: [] })),
    'PATCH /admin/activities/{activityId}': fc
      .tuple(activityId, bodyOf(fc.record({ status: fc.constantFrom(...statuses) }), ['status']))
      .map(([id, body]) => ({ path: `/admin/activities/${enc(id)}`, params: [id], body })),
    'POST /admin/recalculate': bodyOf(
      fc.record({ from: fc.oneof(recentMonth, month), to: fc.oneof(recentMonth, month) }),
      ['from', 'to'],
    ).map((body) => ({ path: '/admin/recalculate', params: [], body })),
    'GET /admin/jobs/{jobId}': jobId.map((id) => ({
      path: `/admin/jobs/${enc(id)}`,
      params: [id],
    })),
    'GET /reports/{month}': month.map((m) => ({ path: `/reports/${enc(m)}`, params: [m] })),
    'POST /admin/tokens': bodyOf(
      fc.record({
        name: fc.oneof(fc.stringMatching(/^[a-z0-9-]{1,20}$/), trickyString),
        role: fc.oneof(fc.constantFrom('viewer', 'reviewer', 'admin'), trickyString),
        expiresAt: fc.oneof(
          fc.constant(new Date(Date.now() + 86_400_000).toISOString()),
          fc.constant(null),
          trickyString,
        ),
      }),
      ['name', 'role'],
    ).map((body) => ({ path: '/admin/tokens', params: [], body })),
    'GET /admin/tokens': query({
      limit: fc.oneof(fc.integer({ min: -5, max: 1200 }).map(String), trickyString),
      cursor: fc.oneof(trickyString, fc.base64String()),
    }).map((q) => ({ path: `/admin/tokens?${q}`, params: [] })),
    'DELETE /admin/tokens/{tokenId}': pathParam(
      fc.oneof(fc.stringMatching(/^tok_[0-9a-z]{9}[0-9a-f]{12}$/), trickyString),
    ).map((id) => ({ path: `/admin/tokens/${enc(id)}`, params: [id] })),
    'GET /admin/audit': query({
      from: fc.oneof(fc.constantFrom('2026-01-01', '2026-11-01T00:00:00Z'), trickyString),
      to: fc.oneof(fc.constantFrom('2026-12-31', '2026-11-30T23:00:00+05:30'), trickyString),
      actor: fc.oneof(fc.constant('bootstrap'), trickyString),
      limit: fc.oneof(fc.integer({ min: -5, max: 1200 }).map(String), trickyString),
      cursor: fc.oneof(trickyString, fc.base64String()),
    }).map((q) => ({ path: `/admin/audit?${q}`, params: [] })),
    'GET /admin/rejections': query({
      source: fc.oneof(fc.constantFrom('telemetry', 'community'), trickyString),
      from: month,
      to: month,
      limit: fc.oneof(fc.integer({ min: -5, max: 1200 }).map(String), trickyString),
      cursor: fc.oneof(trickyString, fc.base64String()),
    }).map((q) => ({ path: `/admin/rejections?${q}`, params: [] })),
    'POST /admin/reports/{month}/send': fc
      .tuple(
        month,
        fc.oneof(fc.constant(undefined), bodyOf(fc.record({ force: fc.boolean() }), ['force'])),
      )
      .map(([m, body]) => ({
        path: `/admin/reports/${enc(m)}/send`,
        params: [m],
        ...(body === undefined ? {} : { body }),
      })),
    // SPEC §12: who is signed in; a query string changes nothing.
    'GET /console/session': query({ q: trickyString }).map((q) => ({
      path: `/console/session?${q}`,
      params: [],
    })),
    ...evidenceRequests(seeds, query),
  };
}

/** SPEC §7's read routes with the Lists parameters of §3, valid or hostile (JSON answers only). */
function evidenceRequests(
  seeds: Seeds,
  query: (params: Record<string, fc.Arbitrary<string>>) => fc.Arbitrary<string>,
): Partial<Record<RouteKey, fc.Arbitrary<FuzzRequest>>> {
  const list = {
    limit: fc.oneof(fc.integer({ min: -5, max: 1100 }).map(String), trickyString),
    cursor: fc.oneof(trickyString, fc.base64String()),
    format: fc.constantFrom('json', 'xml', ''),
  };
  const optionalMonth = fc.oneof(validMonth, trickyString);
  const member = fc.oneof(
    fc.constantFrom(...seeds.identities).map((i) => Object.entries(i)[0]?.join(':') ?? ''),
    fc.constantFrom('email:', 'phone:1', 'm_0123456789abcdef', 'github:@'),
    trickyString,
  );
  const at = (path: string) => (q: string) => ({ path: `${path}?${q}`, params: [] });
  return {
    'GET /accounts': query({
      month: optionalMonth,
      status: fc.oneof(fc.constantFrom('new', 'other,near', 'gone', ','), trickyString),
      q: trickyString,
      ...list,
    }).map(at('/accounts')),
    'GET /accounts/{accountId}': pathParam(identifier).map((id) => ({
      path: `/accounts/${enc(id)}`,
      params: [id],
    })),
    'GET /clusters': query({
      month: optionalMonth,
      attributed: fc.constantFrom('true', 'false', 'yes'),
      ...list,
    }).map(at('/clusters')),
    'GET /clusters/{clusterId}': pathParam(identifier).map((id) => ({
      path: `/clusters/${enc(id)}`,
      params: [id],
    })),
    'GET /members': query({
      q: trickyString,
      accountId: fc.oneof(identifier, trickyString),
      ...list,
    }).map(at('/members')),
    'GET /members/{member}': pathParam(member).map((m) => ({
      path: `/members/${enc(m)}`,
      params: [m],
    })),
    'GET /activities': query({
      status: fc.oneof(fc.constantFrom(...statuses), trickyString),
      type: fc.oneof(fc.constantFrom('talk', 'article,talk', 'poem'), trickyString),
      from: optionalMonth,
      to: optionalMonth,
      member,
      ...list,
    }).map(at('/activities')),
    'GET /admin/jobs': query(list).map(at('/admin/jobs')),
    ...analyticsRequests(query),
  };
}

/** SPEC §10's read routes: months and years valid, out of range or hostile. */
function analyticsRequests(
  query: (params: Record<string, fc.Arbitrary<string>>) => fc.Arbitrary<string>,
): Partial<Record<RouteKey, fc.Arbitrary<FuzzRequest>>> {
  const someMonth = fc.oneof(validMonth, trickyString, fc.constantFrom('2026-13', '1969-12', ''));
  const someYear = fc.oneof(
    fc.integer({ min: 1960, max: 2110 }).map(String),
    fc.constantFrom('0', '26', '2026.5', '+2026', ' 2026', '99999'),
    trickyString,
  );
  const at = (path: string) => (q: string) => ({ path: `${path}?${q}`, params: [] });
  return {
    'GET /metrics/nodes/bridge': query({
      from: someMonth,
      to: someMonth,
      format: fc.constantFrom('json', 'xml', ''),
    }).map(at('/metrics/nodes/bridge')),
    'GET /metrics/cohorts': query({ asOf: someMonth }).map(at('/metrics/cohorts')),
    'GET /metrics/forecast': query({ year: someYear }).map(at('/metrics/forecast')),
    'GET /alerts': query({ month: someMonth }).map(at('/alerts')),
  };
}
