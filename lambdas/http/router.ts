import { Router, webResponseToProxyResult } from '@aws-lambda-powertools/event-handler/http';
import type { RequestContext, RouteHandler } from '@aws-lambda-powertools/event-handler/types';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { NotImplementedError } from '../domain/errors.js';
import { instrumented } from '../runtime/instrument.js';
import { logger } from '../runtime/observability.js';
import {
  type FunctionName,
  type RouteKey,
  routeKey,
  routesOf,
  unmatchedRouteKey,
} from '../system.js';
import { requireAdminToken } from './admin-auth.js';
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
  const adminRoutes = new Set<string>();
  for (const route of routesOf(fn)) {
    const key = routeKey(route);
    if (route.access === 'admin') adminRoutes.add(key);
    const handler = implementations[key] ?? notImplemented(key);
    router.route(handler, { method: route.method, path: toRouterPath(route.path) });
  }
  router.errorHandler(Error, async (error) => toErrorResponse(error));
  router.notFound(async () => errorResponse(404, 'No such route'));
  const handler: HttpHandler = instrumented(async (event, context) => {
    const refusal = unroutable(event);
    if (refusal) return webResponseToProxyResult(refusal, 'ApiGatewayV2');
    // The token is checked on the route API Gateway matched, before anything reads the request:
    // no parameter or body of an admin route is looked at for a caller without the token.
    if (adminRoutes.has(event.routeKey)) {
      try {
        await requireAdminToken(event.headers.authorization);
      } catch (error) {
        return webResponseToProxyResult(toErrorResponse(error as Error), 'ApiGatewayV2');
      }
    }
    return router.resolve(event, context);
  });
  return handler;
}

/**
 * Requests no route may take, answered before routing (SPEC §3): a request API Gateway matched to
 * no route (`$default`) is a 404 — and never handed to the router, which might match a path API
 * Gateway did not (`/metrics/ka/`) and skip the token check; a path or query string whose
 * percent-encoding is malformed is a 400, not a `URIError` deep in the router.
 */
function unroutable(event: APIGatewayProxyEventV2): Response | undefined {
  if (event.routeKey === unmatchedRouteKey) {
    return errorResponse(404, `No route ${event.requestContext.http.method} ${event.rawPath}`);
  }
  if (!decodable(event.rawPath)) {
    return errorResponse(400, 'The path has malformed percent-encoding (e.g. %ZZ or a cut %E0%A4)');
  }
  const query = event.rawQueryString.split('&').map((part) => part.replaceAll('+', ' '));
  if (!query.every(decodable)) {
    return errorResponse(400, 'The query string has malformed percent-encoding (e.g. %ZZ)');
  }
  return undefined;
}

const decodable = (text: string): boolean => {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
};

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
