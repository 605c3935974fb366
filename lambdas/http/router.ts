import { Router } from '@aws-lambda-powertools/event-handler/http';
import type { RequestContext, RouteHandler } from '@aws-lambda-powertools/event-handler/types';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { NotImplementedError } from '../domain/errors.js';
import { instrumented } from '../runtime/instrument.js';
import { logger } from '../runtime/observability.js';
import { type FunctionName, type RouteKey, routeKey, routesOf } from '../system.js';
import { requireAdmin } from './admin-auth.js';
import { toErrorResponse } from './errors.js';
import { errorResponse } from './responses.js';

export type RouteImplementations = Partial<Record<RouteKey, RouteHandler>>;

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** API Gateway writes parameters `{id}`, the Powertools router `:id`. */
export const toRouterPath = (path: string): `/${string}` =>
  path.replace(/\{(\w+)\}/g, ':$1') as `/${string}`;

/**
 * The HTTP router of one function, built from the system declaration so that every declared route
 * exists: routes not built yet answer 501, admin routes check the token first, and every error
 * becomes a JSON `{ error }` here, once.
 */
export function createHttpHandler(fn: FunctionName, implementations: RouteImplementations) {
  const router = new Router({ logger });
  for (const route of routesOf(fn)) {
    const key = routeKey(route);
    const handler = implementations[key] ?? notImplemented(key);
    const middleware = route.access === 'admin' ? [requireAdmin] : [];
    router.route(handler, { method: route.method, path: toRouterPath(route.path), middleware });
  }
  router.errorHandler(Error, async (error) => toErrorResponse(error));
  router.notFound(async () => errorResponse(404, 'No such route'));
  const handler: HttpHandler = instrumented((event, context) => router.resolve(event, context));
  return handler;
}

const notImplemented =
  (key: RouteKey): RouteHandler =>
  () => {
    throw new NotImplementedError(`${key} is declared but not built yet`);
  };

/** A path or query parameter, decoded; absent is `undefined`. */
export const param = (reqCtx: RequestContext, name: string): string | undefined =>
  reqCtx.params[name];

export const query = (reqCtx: RequestContext, name: string): string | undefined =>
  new URL(reqCtx.req.url).searchParams.get(name) ?? undefined;
