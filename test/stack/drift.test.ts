import { afterAll, describe, expect, it } from 'vitest';
import { schedules } from '../../lambdas/system.js';
import { matchRoute, unmatchedRoute } from '../../local/http-gateway.js';
import { cronPattern, startScheduler } from '../../local/scheduler.js';
import { synthesize } from './synth.js';

/**
 * The stack and local mode are both built from `lambdas/system.ts`; this proves the result agrees:
 * what API Gateway would route, local mode routes to the same function, and the schedules fire at
 * the same times in the same zone.
 */
const synthesized = synthesize({ context: { timezone: 'Asia/Shanghai' } });
afterAll(() => synthesized.dispose());

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;
const resources = synthesized.template.toJSON().Resources as Resources;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

/** Function logical id → declared function name (the stack names each by its service). */
const functionNames = new Map(
  ofType('AWS::Lambda::Function').map(([id, r]) => {
    const variables = (r.Properties.Environment as { Variables: Record<string, string> }).Variables;
    return [id, variables.POWERTOOLS_SERVICE_NAME];
  }),
);

const logicalIdIn = (value: unknown): string | undefined =>
  JSON.stringify(value).match(/"([A-Za-z0-9]+Function[A-Za-z0-9]*)"/)?.[1];

/** Integration logical id → the declared function it invokes. */
const integrationFunction = new Map(
  ofType('AWS::ApiGatewayV2::Integration').map(([id, r]) => [
    id,
    functionNames.get(logicalIdIn(r.Properties.IntegrationUri) ?? ''),
  ]),
);

const concrete = (path: string) => path.replace(/\{(\w+)\}/g, 'x1');

describe('stack and local mode expose the same system', () => {
  const allRoutes = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => {
    const [method = '', path = ''] = String(r.Properties.RouteKey).split(' ');
    const integration = JSON.stringify(r.Properties.Target).match(/"Ref":"([A-Za-z0-9]+)"/)?.[1];
    return { method, path, function: integrationFunction.get(integration ?? '') };
  });
  const templateRoutes = allRoutes.filter((r) => r.method !== unmatchedRoute.routeKey);

  it('sends requests no route matches to the same function locally', () => {
    const deployed = allRoutes.filter((r) => r.method === unmatchedRoute.routeKey);
    expect(deployed.map((r) => r.function)).toEqual([unmatchedRoute.function]);
    expect(matchRoute('GET', '/no/such/route')).toBeUndefined();
  });

  it('routes every API Gateway route to the same function locally', () => {
    expect(templateRoutes.length).toBeGreaterThan(0);
    for (const route of templateRoutes) {
      const local = matchRoute(route.method, concrete(route.path));
      expect(local, `${route.method} ${route.path}`).toBeDefined();
      expect(local?.route.path).toBe(route.path);
      expect(local?.route.function).toBe(route.function);
    }
  });

  it('has no local route that API Gateway lacks', () => {
    const deployed = new Set(templateRoutes.map((r) => `${r.method} ${r.path}`));
    const local = new Set(
      templateRoutes
        .map((r) => matchRoute(r.method, concrete(r.path))?.route)
        .map((r) => `${r?.method} ${r?.path}`),
    );
    expect(local).toEqual(deployed);
    expect(deployed.size).toBe(templateRoutes.length);
  });

  it('fires the same schedules, at the same times, in the same zone', () => {
    const deployed = ofType('AWS::Scheduler::Schedule').map(([, r]) => ({
      // cron(0 2 * * ? *) → minute hour day month weekDay, the local cron's five fields.
      pattern: String(r.Properties.ScheduleExpression)
        .replace(/^cron\((.*) \S+\)$/, '$1')
        .replace('?', '*'),
      zone: r.Properties.ScheduleExpressionTimezone,
    }));
    expect(deployed.map((d) => d.pattern).sort()).toEqual(schedules.map(cronPattern).sort());
    expect(new Set(deployed.map((d) => d.zone))).toEqual(new Set(['Asia/Shanghai']));
    const local = startScheduler('Asia/Shanghai', async () => {});
    try {
      // 02:00 and 08:00 in Shanghai are 18:00 and 00:00 UTC.
      expect(local.nextRuns().daily).toMatch(/T18:00:00\.000Z$/);
      expect(local.nextRuns().monthly).toMatch(/-(\d\d)T00:00:00\.000Z$/);
    } finally {
      local.stop();
    }
  });
});
