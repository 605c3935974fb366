import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { routeDocs } from '../../lambdas/handlers/api/route-docs.js';
import type { DeclaredRouteKey } from '../../lambdas/http/openapi.js';
import { deliverSigned } from '../support/signed-delivery.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

// SPEC §7: the OpenAPI document cannot lie — the response schema it documents for each of these
// routes (strict: no field it does not name) accepts what the route really answers.

let system: TestSystem;

beforeAll(async () => {
  system = await startTestSystem();
  const response = await deliverSigned(
    `${system.apiUrl}/webhooks/community`,
    system.secrets.communitySecret,
    {
      activities: [
        {
          activityId: 'doc-1',
          type: 'article',
          occurredAt: '2026-03-01T10:00:00Z',
          member: { email: 'ada@example.com', github: 'ada', name: 'Ada', accountId: 'acme' },
          title: 'Why',
        },
        {
          activityId: 'doc-2',
          type: 'talk',
          occurredAt: '2026-03-02T10:00:00Z',
          member: { github: 'bob' },
        },
      ],
    },
  );
  expect(response.status).toBe(202);
});
afterAll(() => system?.stop());

const cases: [DeclaredRouteKey, string, string, unknown?][] = [
  ['GET /admin/config', 'GET', '/admin/config'],
  ['GET /console/session', 'GET', '/console/session'],
  ['PUT /admin/config', 'PUT', '/admin/config', { staffAccounts: ['us'] }],
  [
    'PUT /admin/programs/{year}',
    'PUT',
    '/admin/programs/2026',
    {
      tiers: [{ id: 'mve', name: 'MVE', minCount: 2, counts: ['talk'] }],
    },
  ],
  ['GET /admin/programs/{year}', 'GET', '/admin/programs/2027'],
  [
    'PUT /admin/accounts/{accountId}',
    'PUT',
    '/admin/accounts/acme',
    { name: 'Acme', domains: ['acme.example'] },
  ],
  ['PUT /admin/clusters/{clusterId}', 'PUT', '/admin/clusters/c-1', { accountId: 'acme' }],
  [
    'POST /admin/members/merge',
    'POST',
    '/admin/members/merge',
    { identities: [{ github: 'ada' }, { github: 'bob' }] },
  ],
  [
    'POST /admin/members/split',
    'POST',
    '/admin/members/split',
    { identities: [{ github: 'bob' }] },
  ],
  [
    'PATCH /admin/activities/{activityId}',
    'PATCH',
    '/admin/activities/doc-1',
    { status: 'recognized' },
  ],
  [
    'PUT /admin/members/{member}/affiliations',
    'PUT',
    '/admin/members/github:ada/affiliations',
    {
      affiliations: [{ accountId: 'acme', from: null, to: '2026-06-30' }],
    },
  ],
  [
    'POST /admin/accounts/merge',
    'POST',
    '/admin/accounts/merge',
    { into: 'acme', accounts: ['oldco'] },
  ],
  ['GET /admin/changes', 'GET', '/admin/changes'],
];

describe('documented response schemas', () => {
  it.each(cases)('%s answers what its document says', async (key, method, path, body) => {
    const response = await system.api(path, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    expect(response.status, text).toBeLessThan(300);
    const schema = routeDocs[key].response;
    expect(schema, `${key} documents a response`).toBeDefined();
    // Strict: a field the document does not name is a lie of omission too.
    const strict = schema instanceof z.ZodObject ? schema.strict() : schema;
    const parsed = strict?.safeParse(JSON.parse(text));
    expect(parsed?.success, `${key}: ${JSON.stringify(parsed?.error?.issues)}`).toBe(true);
  });
});
