import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRole } from '../../lambdas/domain/roles.js';
import { routes } from '../../lambdas/system.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

const concrete = (path: string) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const examples: Record<string, string> = { month: '2026-01', year: '2026' };
    return examples[name] ?? 'some-id';
  });

describe('local mode', () => {
  it('answers /health without a token', async () => {
    const response = await system.api('/health', { auth: false });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('serves every declared route: admin routes refuse a missing token with a JSON 401', async () => {
    for (const route of routes.filter((r) => isRole(r.access))) {
      const response = await system.api(concrete(route.path), {
        method: route.method,
        auth: false,
      });
      expect(response.status, `${route.method} ${route.path}`).toBe(401);
      expect(await response.json()).toHaveProperty('error');
    }
  });

  it('refuses a wrong admin token with 401', async () => {
    const response = await system.api('/admin/config', {
      auth: false,
      headers: { authorization: 'Bearer not-the-token' },
    });
    expect(response.status).toBe(401);
  });

  it('answers a route it does not declare with 404, like API Gateway', async () => {
    const response = await system.api('/no/such/route');
    expect(response.status).toBe(404);
  });

  it('turns a request into an API Gateway v2 event the handler can route', async () => {
    const response = await system.api('/health?x=1', { auth: false });
    expect(response.headers.get('content-type')).toMatch(/json/);
  });

  it('creates the declared table', () => {
    expect(system.tableNames.main).toMatch(/main$/);
  });
});
