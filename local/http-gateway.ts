import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  type Route,
  routeKey,
  routes,
  unmatchedRouteKey,
  unmatchedRoutesFunction,
} from '../lambdas/system.js';

/** API Gateway's own payload limit; the handlers enforce the tighter limits of SPEC §2. */
const maxBodyBytes = 10 * 1024 * 1024;

interface CompiledRoute {
  readonly route: Route;
  readonly pattern: RegExp;
  readonly names: string[];
}

/**
 * Each route as a pattern: `{name}` takes one segment, a greedy `{name+}` the rest of the path.
 * Greedy routes are tried last, as API Gateway prefers the most specific route
 * (`GET /console/session` before `GET /console/{proxy+}`). A greedy rest may be empty here:
 * API Gateway sends `/console/` to the console function too (by `GET /console`, whose
 * trailing slash it ignores), and the function reads the raw path either way.
 */
const compiled: CompiledRoute[] = routes
  .map((route) => {
    const names: string[] = [];
    const source = route.path.replace(/\{(\w+)(\+?)\}/g, (_, name: string, greedy: string) => {
      names.push(name);
      return greedy ? '(.*)' : '([^/]+)';
    });
    return { route, pattern: new RegExp(`^${source}$`), names };
  })
  .sort((a, b) => Number(a.route.path.includes('+}')) - Number(b.route.path.includes('+}')));

/** The declared route a request takes, with its path parameters, as API Gateway matches it. */
export function matchRoute(method: string, path: string) {
  for (const { route, pattern, names } of compiled) {
    if (route.method !== method) continue;
    const match = pattern.exec(path);
    if (!match) continue;
    const pathParameters = Object.fromEntries(
      names.map((name, i) => [name, decodedOrRaw(match[i + 1] ?? '')]),
    );
    return { route, pathParameters };
  }
  return undefined;
}

/** Like API Gateway, a parameter that does not decode is passed on as sent; the handler refuses it. */
function decodedOrRaw(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A request no declared route takes: API Gateway's `$default` route, to its function. */
export const unmatchedRoute = { routeKey: unmatchedRouteKey, function: unmatchedRoutesFunction };

const textual = /json|text|xml|x-www-form-urlencoded|javascript/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Text content types travel as text unless their bytes are not UTF-8: those go as base64, intact. */
function asText(body: Buffer, contentType: string): boolean {
  if (!textual.test(contentType)) return false;
  try {
    utf8.decode(body);
    return true;
  } catch {
    return false;
  }
}

/** The HTTP API payload v2 event API Gateway would hand the function for this request. */
export function toApiGatewayEvent(
  req: IncomingMessage,
  body: Buffer,
  matched: NonNullable<ReturnType<typeof matchRoute>> | undefined,
): APIGatewayProxyEventV2 {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // Payload 2.0 hands cookies as a list, `name=value` each, and drops the Cookie header.
  const cookies = (headers.cookie ?? '')
    .split(';')
    .map((cookie) => cookie.trim())
    .filter(Boolean);
  delete headers.cookie;
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  }
  const isText = asText(body, headers['content-type'] ?? 'application/json');
  const key = matched ? routeKey(matched.route) : unmatchedRoute.routeKey;
  const pathParameters = matched?.pathParameters ?? {};
  const now = new Date();
  return {
    version: '2.0',
    routeKey: key,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: key,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !isText,
  };
}

export async function readRequestBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Writes a function's result the way API Gateway turns it into an HTTP response. */
export function writeResult(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  const body = result.body ?? '';
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}

export function writeJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
