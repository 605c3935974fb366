/**
 * `GET /openapi.json` (SPEC §7): an OpenAPI 3.1 document of every declared route, generated from
 * the zod schemas the routes validate their parameters and bodies with. zod-openapi is loaded and
 * the document built on the first request only, so that no other request pays for it.
 */

import type { z } from 'zod';
import { isRole } from '../domain/roles.js';
import { type Route, type RouteKey, type RouteSpec, routes } from '../system.js';

/** What the document says of one route; every schema is the one the route itself uses. */
export interface RouteDoc {
  readonly summary: string;
  readonly description?: string;
  readonly path?: z.ZodObject;
  readonly query?: z.ZodObject;
  /** Request headers the route reads, e.g. a webhook's signature and event name. */
  readonly headers?: z.ZodObject;
  readonly body?: z.ZodType;
  /** The success status (200 unless said). */
  readonly status?: number;
  /** The success body: JSON by schema, or another media type (the report's HTML). */
  readonly response?: z.ZodType;
  readonly mediaType?: string;
  /** Whether the route also answers CSV (SPEC §3 "Lists"). */
  readonly csv?: boolean;
  /** Other successful answers by status, e.g. a webhook's `200 {"ok":true}` to a ping. */
  readonly otherResponses?: Readonly<Record<string, { summary: string; response: z.ZodType }>>;
}

type KeyOf<R> = R extends RouteSpec ? `${R['method']} ${R['path']}` : never;
/** The key of each declared route exactly (`RouteKey` also admits other method/path pairs). */
export type DeclaredRouteKey = KeyOf<Route>;

/** A document for every declared route: a route without one does not type-check. */
export type RouteDocs = Readonly<Record<DeclaredRouteKey, RouteDoc>>;

const errorBody = {
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['error'],
        properties: { error: { type: 'string' } },
      },
    },
  },
} as const;

function operation(route: RouteSpec, doc: RouteDoc, key: RouteKey) {
  const success = doc.response
    ? {
        content: {
          [doc.mediaType ?? 'application/json']: { schema: doc.response },
          ...(doc.csv ? { 'text/csv': { schema: { type: 'string' as const } } } : {}),
        },
      }
    : {};
  return {
    operationId: key.replace(/[^A-Za-z0-9]+/g, '_').replace(/_$/, ''),
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    ...(isRole(route.access) ? { security: [{ bearer: [] }] } : { security: [] }),
    // The role the route needs (SPEC §8), read by clients and the console.
    'x-flywheel-role': isRole(route.access) ? route.access : null,
    ...(doc.path || doc.query || doc.headers
      ? {
          requestParams: {
            ...(doc.path ? { path: doc.path } : {}),
            ...(doc.query ? { query: doc.query } : {}),
            ...(doc.headers ? { header: doc.headers } : {}),
          },
        }
      : {}),
    ...(doc.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: doc.body } } } }
      : {}),
    responses: {
      [String(doc.status ?? 200)]: { description: doc.summary, ...success },
      ...Object.fromEntries(
        Object.entries(doc.otherResponses ?? {}).map(([status, other]) => [
          status,
          {
            description: other.summary,
            content: { 'application/json': { schema: other.response } },
          },
        ]),
      ),
      '400': { description: 'A parameter or the body is not valid', ...errorBody },
      ...(isRole(route.access)
        ? {
            '401': {
              description: 'The token is missing, unknown, expired or revoked',
              ...errorBody,
            },
            '403': {
              description: `The token's role does not include ${route.access}`,
              ...errorBody,
            },
          }
        : {}),
      ...(route.access === 'webhook'
        ? {
            '401': { description: 'The signature is missing or not valid', ...errorBody },
            '413': { description: 'The body is over 1 MiB or 1,000 items', ...errorBody },
          }
        : {}),
      // Console sign-in (SPEC §12): a bad token is 401 and sets no cookie.
      ...(route.access === 'session' && route.method === 'POST'
        ? { '401': { description: 'The token is unknown, expired or revoked', ...errorBody } }
        : {}),
      '404': { description: 'No such thing, or no such route', ...errorBody },
    },
  };
}

/** Builds the document: every route of `lambdas/system.ts`, under its path and method. */
export async function buildOpenApiDocument(docs: RouteDocs): Promise<Record<string, unknown>> {
  const { createDocument } = await import('zod-openapi');
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const key = `${route.method} ${route.path}` as DeclaredRouteKey;
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = operation(
      route,
      docs[key],
      key,
    );
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Flywheel',
      version: '1',
      description:
        'Growth reporting: key accounts, evangelists and the evidence behind each number.',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'FLYWHEEL_ADMIN_TOKEN' },
      },
    },
    paths: paths as never,
  }) as unknown as Record<string, unknown>;
}

let built: Promise<Record<string, unknown>> | undefined;

/** The document, built on first use and kept for the life of the function instance. */
export function openApiDocument(docs: RouteDocs): Promise<Record<string, unknown>> {
  built ??= buildOpenApiDocument(docs).catch((error: unknown) => {
    built = undefined;
    throw error;
  });
  return built;
}
