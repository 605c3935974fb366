import type { RequestContext } from '@aws-lambda-powertools/event-handler/types';
import type { z } from 'zod';
import { ValidationError } from '../domain/errors.js';
import { describeZodError } from './errors.js';

function parsed<S extends z.ZodType>(schema: S, input: unknown, where: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(`${where}: ${describeZodError(result.error)}`);
  return result.data;
}

/**
 * The query string validated against a route's zod schema at the edge (STYLE), the schema that
 * `GET /openapi.json` documents too. A parameter given twice counts with its last value; one the
 * schema does not name is ignored.
 * @throws ValidationError (400) naming the parameter and what is wrong with it.
 */
export function readQuery<S extends z.ZodType>(reqCtx: RequestContext, schema: S): z.output<S> {
  return parsed(schema, Object.fromEntries(new URL(reqCtx.req.url).searchParams), 'query');
}

/**
 * The path parameters (decoded) validated against a route's zod schema, as `readQuery`.
 * @throws ValidationError (400) naming the parameter.
 */
export function readPath<S extends z.ZodType>(reqCtx: RequestContext, schema: S): z.output<S> {
  return parsed(schema, reqCtx.params, 'path');
}
