import { Router, webResponseToProxyResult } from '@aws-lambda-powertools/event-handler/http';
import type { RequestContext, RouteHandler } from '@aws-lambda-powertools/event-handler/types';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { NotImplementedError } from '../domain/errors.js';
import { isRole, type Role } from '../domain/roles.js';
import { instrumented } from '../runtime/instrument.js';
import { logger } from '../runtime/observability.js';
import {
  type FunctionName,
  type RouteKey,
  routeKey,
  routesOf,
  unmatchedRouteKey,
} from '../system.js';
import { authorize, type Credentials, type Principal } from './auth.js';
import { toErrorResponse } from './errors.js';
import { malformedEncoding } from './percent-encoding.js';
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
  const neededRoles = new Map<string, Role>();
  for (const route of routesOf(fn)) {
    const key = routeKey(route);
    if (isRole(route.access)) neededRoles.set(key, route.access);
    const handler = implementations[key] ?? notImplemented(key);
    router.route(handler, { method: route.method, path: toRouterPath(route.path) });
  }
  router.errorHandler(Error, async (error) => toErrorResponse(error));
  router.notFound(async () => errorResponse(404, 'No such route'));
  const handler: HttpHandler = instrumented(async (event, context) => {
    const refusal = unroutable(event);
    if (refusal) return webResponseToProxyResult(refusal, 'ApiGatewayV2');
    // The token is checked on the route API Gateway matched, before anything reads the request:
    // no parameter or body of a route is looked at for a caller whose role does not include it.
    const needed = neededRoles.get(event.routeKey);
    if (needed) {
      try {
        principals.set(event, await authorize(credentialsOf(event), needed));
      } catch (error) {
        return webResponseToProxyResult(toErrorResponse(error as Error), 'ApiGatewayV2');
      }
    }
    return router.resolve(event, context);
  });
  return handler;
}

/** What the request presents to `authorize`: a bearer token or the console's session cookie. */
const credentialsOf = (event: APIGatewayProxyEventV2): Credentials => ({
  authorization: event.headers.authorization,
  cookies: event.cookies,
  method: event.requestContext.http.method,
  fetchSite: event.headers['sec-fetch-site'],
});

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
  const malformed = malformedEncoding(event.rawPath, event.rawQueryString);
  return malformed ? errorResponse(400, malformed) : undefined;
}

/** The caller of each request being handled, by its event (the router hands handlers the same one). */
const principals = new WeakMap<object, Principal>();

/**
 * Who made the request (SPEC §8), for the audit entry of a change. Only routes that declare a role
 * have one; asking on another route is a bug in the route table.
 */
export function principalOf(reqCtx: RequestContext): Principal {
  const principal = principals.get(reqCtx.event as object);
  if (!principal) throw new Error('No principal: the route declares no role in lambdas/system.ts');
  return principal;
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
