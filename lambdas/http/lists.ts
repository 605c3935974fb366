/**
 * The Lists convention of SPEC §3, once for every list route: `limit`, an opaque `cursor`, a stable
 * order, `{ "<items>": [...], "nextCursor" }` in JSON, and the same list as CSV on
 * `Accept: text/csv` or `format=csv` with the next page in a `Link: <…>; rel="next"` header.
 */
import type { RequestContext } from '@aws-lambda-powertools/event-handler/types';
import { stringify } from 'csv-stringify/sync';
import * as z from 'zod';
import { ValidationError } from '../domain/errors.js';
import { json } from './responses.js';

export const maxJsonLimit = 1000;
export const maxCsvLimit = 10_000;
export const defaultLimit = 100;

/** The paging parameters every list route takes (merged into its own query schema). */
export const listParams = {
  limit: z.coerce
    .number({ error: 'limit must be a whole number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(maxCsvLimit, `limit must be at most ${maxJsonLimit} (${maxCsvLimit} in CSV)`)
    .optional()
    .meta({
      description: `1–${maxJsonLimit}, default ${defaultLimit}; up to ${maxCsvLimit} in CSV`,
    }),
  cursor: z
    .string()
    .max(2048, 'cursor is not one this route issued')
    .optional()
    .meta({ description: 'The previous page’s `nextCursor`, as it was given' }),
  format: z
    .enum(['json', 'csv'], { error: 'format must be json or csv' })
    .optional()
    .meta({ description: '`csv` answers RFC 4180 CSV, as `Accept: text/csv` does' }),
};

/** The whole-list routes (SPEC §3: not paged) take only `format`. */
export const formatParam = { format: listParams.format };

export type SortValue = string | number;
/** One sort field of a list's order: ascending or descending. */
export type OrderBy<T> = readonly (readonly [(item: T) => SortValue, 'asc' | 'desc'])[];

/** Whether the caller asked for CSV: `format=csv`, or `Accept: text/csv`. */
export function wantsCsv(reqCtx: RequestContext, format: 'json' | 'csv' | undefined): boolean {
  if (format !== undefined) return format === 'csv';
  return /(^|,)\s*text\/csv\b/i.test(reqCtx.req.headers.get('accept') ?? '');
}

const compareValues = (a: SortValue, b: SortValue): number =>
  typeof a === 'number' && typeof b === 'number' ? a - b : a < b ? -1 : a > b ? 1 : 0;

function compareKeys(a: readonly SortValue[], b: readonly SortValue[], dirs: readonly string[]) {
  for (let i = 0; i < a.length; i++) {
    const order = compareValues(a[i] as SortValue, b[i] as SortValue);
    if (order !== 0) return dirs[i] === 'desc' ? -order : order;
  }
  return 0;
}

const cursorShape = z.object({
  r: z.string(),
  k: z.array(z.union([z.string(), z.number()])),
});

/** A cursor names the route that issued it and the sort key of the last item it returned. */
const encodeCursor = (route: string, key: readonly SortValue[]): string =>
  Buffer.from(JSON.stringify({ r: route, k: key })).toString('base64url');

function decodeCursor(route: string, cursor: string, fields: number): SortValue[] {
  const refused = new ValidationError(
    'cursor is not one this route issued: pass the nextCursor of the previous page as it was',
  );
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refused;
  }
  const parsed = cursorShape.safeParse(decoded);
  if (!parsed.success || parsed.data.r !== route || parsed.data.k.length !== fields) throw refused;
  return parsed.data.k;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export interface PageRequest<T> {
  /** Names the list (e.g. `GET /clusters`): a cursor of another route is refused. */
  readonly route: string;
  /** A total order: the last field must tell any two items apart (an id). */
  readonly orderBy: OrderBy<T>;
  readonly limit: number;
  readonly cursor: string | undefined;
}

/**
 * One page of a list in its stable order: the items after the cursor's key, at most `limit`.
 * Keyed by the sort key rather than a position, so an item added or removed between two pages
 * shifts nothing: every item present throughout is returned exactly once.
 */
export function pageOf<T>(items: readonly T[], request: PageRequest<T>): Page<T> {
  const dirs = request.orderBy.map(([, dir]) => dir);
  const keyOf = (item: T) => request.orderBy.map(([field]) => field(item));
  const sorted = [...items].sort((a, b) => compareKeys(keyOf(a), keyOf(b), dirs));
  const after = request.cursor
    ? decodeCursor(request.route, request.cursor, request.orderBy.length)
    : undefined;
  const rest = after ? sorted.filter((item) => compareKeys(keyOf(item), after, dirs) > 0) : sorted;
  const page = rest.slice(0, request.limit);
  const last = page.at(-1);
  return {
    items: page,
    nextCursor: rest.length > page.length && last ? encodeCursor(request.route, keyOf(last)) : null,
  };
}

type Flat = Record<string, string | number>;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isScalar = (value: unknown) => value === null || typeof value !== 'object';

/**
 * A row as CSV cells (SPEC §3): nested objects flattened as `a.b`, arrays of scalars joined with
 * `; `, arrays of objects as JSON text, `null` as an empty cell, booleans as `true`/`false`.
 */
export function flattenRow(row: Record<string, unknown>, prefix = '', into: Flat = {}): Flat {
  for (const [key, value] of Object.entries(row)) {
    const name = `${prefix}${key}`;
    if (value === null || value === undefined) into[name] = '';
    else if (isPlainObject(value)) flattenRow(value, `${name}.`, into);
    else if (Array.isArray(value))
      into[name] = value.every(isScalar)
        ? value.map((v) => String(v ?? '')).join('; ')
        : JSON.stringify(value);
    else into[name] = typeof value === 'number' ? value : String(value);
  }
  return into;
}

/**
 * RFC 4180 CSV (CRLF, quoted where needed) in UTF-8 with a BOM, one header row: the union of the
 * rows' field names in the order they first appear. Every text cell that begins with `=`, `+`,
 * `-`, `@`, tab or CR gets a leading `'`, ids included, so a spreadsheet never runs it.
 */
export function toCsv(rows: readonly Record<string, unknown>[]): string {
  const flat = rows.map((row) => flattenRow(row));
  const columns = [...new Set(flat.flatMap((row) => Object.keys(row)))];
  if (columns.length === 0) return '\uFEFF';
  return stringify(flat, {
    bom: true,
    header: true,
    columns,
    record_delimiter: 'windows',
    escape_formulas: true,
  });
}

/**
 * A CSV answer. The router turns a text body into the Lambda result with `Response.text()`, which
 * drops a leading BOM (WHATWG decoding); sent as binary (base64, decoded by API Gateway and local
 * mode) the bytes arrive as written, BOM included.
 */
function csvResponse(reqCtx: RequestContext, csv: string, headers: Record<string, string> = {}) {
  reqCtx.isBase64Encoded = true;
  return new Response(csv, {
    status: 200,
    headers: { 'content-type': 'text/csv; charset=utf-8', ...headers },
  });
}

/** The request's own path and query with `cursor` replaced: the next page's address. */
function nextPageLink(reqCtx: RequestContext, cursor: string): string {
  const url = new URL(reqCtx.req.url);
  url.searchParams.set('cursor', cursor);
  return `<${url.pathname}${url.search}>; rel="next"`;
}

export interface ListParams {
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
  readonly format?: 'json' | 'csv' | undefined;
}

export interface ListAnswer<T> {
  readonly route: string;
  /** The list's name in the JSON body: `accounts`, `clusters`, … */
  readonly key: string;
  readonly items: readonly T[];
  readonly orderBy: OrderBy<T>;
  /** Fields of the JSON body beside the list (e.g. `month`); not in the CSV. */
  readonly extra?: Record<string, unknown>;
}

/**
 * A paged list route's answer (SPEC §3 "Lists"): JSON `{ ...extra, <key>: [...], nextCursor }`, or
 * CSV with a `Link` header to the next page. `limit` above 1,000 is a 400 except in CSV.
 */
export function listResponse<T extends object>(
  reqCtx: RequestContext,
  params: ListParams,
  answer: ListAnswer<T>,
): Response {
  const { csv, page } = pageRequested(reqCtx, params, answer);
  return pageResponse(reqCtx, csv, answer, page);
}

/**
 * `listResponse` for rows that are costly to complete (e.g. with a lookup each): the list is
 * ordered and paged on what `answer.items` hold, and only the page's rows are completed.
 */
export async function completedListResponse<T extends object, U extends object>(
  reqCtx: RequestContext,
  params: ListParams,
  answer: ListAnswer<T>,
  complete: (page: readonly T[]) => Promise<U[]>,
): Promise<Response> {
  const { csv, page } = pageRequested(reqCtx, params, answer);
  return pageResponse(reqCtx, csv, answer, { ...page, items: await complete(page.items) });
}

/**
 * A list read from the store page by page in its stable order (`GET /activities`), instead of
 * whole: `read` answers at most `limit` items after the cursor's key (`fields` values, `undefined`
 * for the first page) and the key after which the next page starts (`null` at the end). A page
 * may hold fewer than `limit` items while `nextCursor` says there are more.
 */
export async function readListResponse<T extends object>(
  reqCtx: RequestContext,
  params: ListParams,
  answer: { readonly route: string; readonly key: string; readonly fields: number },
  read: (
    limit: number,
    after: SortValue[] | undefined,
  ) => Promise<{ items: T[]; next: readonly SortValue[] | null }>,
): Promise<Response> {
  const csv = wantsCsv(reqCtx, params.format);
  const after = params.cursor
    ? decodeCursor(answer.route, params.cursor, answer.fields)
    : undefined;
  const { items, next } = await read(limitOf(csv, params), after);
  const nextCursor = next ? encodeCursor(answer.route, next) : null;
  return pageResponse(reqCtx, csv, answer, { items, nextCursor });
}

/** The page size asked for: `limit` checked against JSON's smaller maximum, else the default. */
function limitOf(csv: boolean, params: ListParams): number {
  const limit = params.limit ?? defaultLimit;
  if (!csv && limit > maxJsonLimit) {
    throw new ValidationError(`limit must be at most ${maxJsonLimit} (${maxCsvLimit} in CSV)`);
  }
  return limit;
}

function pageRequested<T>(reqCtx: RequestContext, params: ListParams, answer: ListAnswer<T>) {
  const csv = wantsCsv(reqCtx, params.format);
  const limit = limitOf(csv, params);
  return { csv, page: pageOf(answer.items, { ...answer, limit, cursor: params.cursor }) };
}

function pageResponse(
  reqCtx: RequestContext,
  csv: boolean,
  answer: Pick<ListAnswer<unknown>, 'key' | 'extra'>,
  page: Page<unknown>,
): Response {
  if (csv) {
    const link = page.nextCursor ? { link: nextPageLink(reqCtx, page.nextCursor) } : undefined;
    return csvResponse(reqCtx, toCsv(page.items as Record<string, unknown>[]), link);
  }
  return json(200, { ...answer.extra, [answer.key]: page.items, nextCursor: page.nextCursor });
}

/**
 * A whole-list route's answer (SPEC §3: `GET /metrics/ka`, the month's account list and
 * `GET /evangelists` are not paged): the JSON body as it is, or its list `key` as CSV.
 */
export function wholeListResponse(
  reqCtx: RequestContext,
  format: 'json' | 'csv' | undefined,
  key: string,
  body: Record<string, unknown>,
): Response {
  if (wantsCsv(reqCtx, format)) {
    return csvResponse(reqCtx, toCsv(body[key] as Record<string, unknown>[]));
  }
  return json(200, body);
}

/**
 * `limit` of a list the store pages itself (DynamoDB positions): 1–1000, default 100, up to 10,000
 * when the caller asked for CSV (SPEC §3 "Lists").
 */
export function storePageLimit(reqCtx: RequestContext, text: string | undefined): number {
  const max = wantsCsv(reqCtx, formatOf(reqCtx)) ? maxCsvLimit : maxJsonLimit;
  const parsed = z.coerce
    .number()
    .int()
    .min(1)
    .max(max)
    .safeParse(text ?? defaultLimit);
  if (!parsed.success) throw new ValidationError(`limit must be a whole number from 1 to ${max}`);
  return parsed.data;
}

const formatOf = (reqCtx: RequestContext): 'json' | 'csv' | undefined => {
  const format = new URL(reqCtx.req.url).searchParams.get('format');
  if (format === null) return undefined;
  if (format !== 'json' && format !== 'csv')
    throw new ValidationError('format must be json or csv');
  return format;
};

/** A cursor holding the store's own position in a list (DynamoDB's `LastEvaluatedKey` and such). */
export const encodePositionCursor = (route: string, position: unknown): string =>
  Buffer.from(JSON.stringify({ r: route, p: position })).toString('base64url');

/** The position a cursor of `route` holds, checked against `shape`; a 400 for anything else. */
export function decodePositionCursor<S extends z.ZodType>(
  route: string,
  cursor: string,
  shape: S,
): z.output<S> {
  try {
    const { r, p } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      r?: unknown;
      p?: unknown;
    };
    if (r !== route) throw new Error('another route');
    return shape.parse(p);
  } catch {
    throw new ValidationError(
      'cursor is not one this route issued: pass the nextCursor of the previous page as it was',
    );
  }
}

/** A DynamoDB position inside a cursor: a map of key attributes. */
export const storeKey = z.record(z.string(), z.union([z.string(), z.number()]));

/**
 * The answer of a list the store paged itself: JSON `{ <key>: [...], nextCursor }`, or CSV with a
 * `Link` header to the next page (SPEC §3 "Lists").
 */
export function storePageResponse<T extends object>(
  reqCtx: RequestContext,
  answer: { key: string; items: readonly T[]; nextCursor: string | null },
): Response {
  if (wantsCsv(reqCtx, formatOf(reqCtx))) {
    const link = answer.nextCursor ? { link: nextPageLink(reqCtx, answer.nextCursor) } : undefined;
    return csvResponse(reqCtx, toCsv(answer.items as Record<string, unknown>[]), link);
  }
  return json(200, { [answer.key]: answer.items, nextCursor: answer.nextCursor });
}
