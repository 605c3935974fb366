/**
 * Access (issue item 3, SPEC §3): every declared route but `/health` and the webhooks refuses a
 * missing, wrong or malformed admin token with a JSON 401, whatever the route. The routes come
 * from `lambdas/system.ts`, so a route added there is covered without touching this file.
 */
import * as crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isRole } from '../../lambdas/domain/roles.js';
import { type Route, routeKey, routes } from '../../lambdas/system.js';
import { deliverSigned } from '../support/signed-delivery.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';
import { expectJsonError, send } from './support/fuzz.js';

// The token comparison must be node's constant-time one: spied on, not replaced.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

let system: TestSystem;

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.stop();
});

/** A plausible value for each path parameter, so the request reaches the route (any other: x). */
const samples: Record<string, string> = {
  month: '2026-01',
  year: '2026',
  accountId: 'acme',
  clusterId: 'c-1',
  activityId: 'a-1',
  jobId: '00000000-0000-4000-8000-000000000000',
};

const pathOf = (route: Route) =>
  route.path.replace(/\{(\w+)\}/g, (_, name: string) => samples[name] ?? 'x');

/** Authorization headers that must all be refused; `undefined` sends none. */
function badAuthorizations(token: string): [string, string | undefined][] {
  const last = token.at(-1) === 'A' ? 'B' : 'A';
  return [
    ['no header', undefined],
    ['empty', ''],
    ['Bearer without a token', 'Bearer'],
    ['Bearer and a space', 'Bearer '],
    ['the token without Bearer', token],
    ['a tab', `Bearer\t${token}`],
    ['Basic scheme', `Basic ${Buffer.from(`admin:${token}`).toString('base64')}`],
    ['a suffix', `Bearer ${token}x`],
    ['a prefix', `Bearer x${token}`],
    ['a trailing word', `Bearer ${token} extra`],
    ['the token twice', `Bearer ${token},Bearer ${token}`],
    ['quoted', `Bearer "${token}"`],
    ['last character changed', `Bearer ${token.slice(0, -1)}${last}`],
    ['truncated', `Bearer ${token.slice(0, -1)}`],
    ['non-ASCII', `Bearer ${token}é`],
    ['non-ASCII only', 'Bearer ÿÿÿÿ'],
    ['a webhook secret', `Bearer ${system.secrets.telemetrySecret}`],
  ];
}

function request(route: Route, authorization: string | undefined) {
  const hasBody = route.method !== 'GET';
  return send(`${system.apiUrl}${pathOf(route)}`, {
    method: route.method,
    headers: {
      ...(authorization === undefined ? {} : { authorization }),
      ...(hasBody ? { 'content-type': 'application/json' } : {}),
    },
    ...(hasBody ? { body: '{}' } : {}),
  });
}

const adminRoutes = routes.filter((route) => isRole(route.access));

describe('the declaration', () => {
  it('leaves only /health, /openapi.json and the console’s files and sign-in/out public and only the four webhooks to signatures', () => {
    const open = routes.filter((route) => !isRole(route.access)).map(routeKey);
    expect(open.sort()).toEqual(
      [
        'GET /health',
        'GET /openapi.json',
        'GET /console',
        'GET /console/{proxy+}',
        'POST /console/session',
        'DELETE /console/session',
        'POST /webhooks/community',
        'POST /webhooks/telemetry',
        'POST /webhooks/github',
        'POST /webhooks/discourse',
      ].sort(),
    );
    expect(adminRoutes.length).toBe(routes.length - 10);
  });
});

describe.each(adminRoutes.map((route) => ({ key: routeKey(route), route })))(
  '$key',
  ({ route }) => {
    it('refuses a missing, wrong or malformed token with a JSON 401 that names no secret', async () => {
      for (const [what, authorization] of badAuthorizations(system.secrets.adminToken)) {
        const answer = await request(route, authorization);
        expect(answer.status, `${what}: ${answer.text}`).toBe(401);
        expectJsonError(answer, what);
        expect(answer.text).not.toContain(system.secrets.adminToken);
        expect(answer.text).not.toContain('whsec_');
      }
    });

    it('lets the admin token through to the route, the scheme in any case (RFC 9110)', async () => {
      const token = system.secrets.adminToken;
      for (const authorization of [`Bearer ${token}`, `bearer ${token}`, `BEARER  ${token}`]) {
        const answer = await request(route, authorization);
        expect(answer.status, answer.text).not.toBe(401);
      }
    });
  },
);

describe('the routes without a token', () => {
  it('answers /health to anyone', async () => {
    const answer = await send(`${system.apiUrl}/health`, {});
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ ok: true });
  });

  it('takes webhooks on their signature alone, never on the admin token', async () => {
    const body = { events: [] };
    const url = `${system.apiUrl}/webhooks/telemetry`;
    expect((await deliverSigned(url, system.secrets.telemetrySecret, body)).status).toBe(202);
    const withToken = await send(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${system.secrets.adminToken}` },
      body: JSON.stringify(body),
    });
    expect(withToken.status).toBe(401);
  });

  it('takes the GitHub and Discourse webhooks on their signature alone, never on the admin token', async () => {
    for (const path of ['/webhooks/github', '/webhooks/discourse']) {
      const withToken = await send(`${system.apiUrl}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${system.secrets.adminToken}`,
          'content-type': 'application/json',
          'x-github-event': 'ping',
          'x-discourse-event': 'ping',
        },
        body: JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 }),
      });
      expect(withToken.status, path).toBe(401);
      expectJsonError(withToken);
    }
  });
});

describe('the token comparison', () => {
  it('is constant-time (crypto.timingSafeEqual), for wrong tokens as for the right one', async () => {
    const compare = vi.mocked(crypto.timingSafeEqual);
    compare.mockClear();
    const [route] = adminRoutes;
    if (!route) throw new Error('no admin route');
    expect((await request(route, 'Bearer wrong-token')).status).toBe(401);
    expect(compare).toHaveBeenCalled();
    compare.mockClear();
    expect((await request(route, `Bearer ${system.secrets.adminToken}`)).status).not.toBe(401);
    expect(compare).toHaveBeenCalled();
  });
});
