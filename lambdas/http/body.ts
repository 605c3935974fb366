import type { RequestContext } from '@aws-lambda-powertools/event-handler/types';
import type { z } from 'zod';
import { ValidationError } from '../domain/errors.js';
import { describeZodError } from './errors.js';

/** Parses a JSON body; not JSON is a 400 that says so, never a 500. */
export async function readJson(reqCtx: RequestContext): Promise<unknown> {
  const text = await reqCtx.req.text();
  if (text.trim() === '') throw new ValidationError('The body is empty: send a JSON object');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`The body is not valid JSON (${(error as Error).message})`);
  }
}

/** Parses and validates a JSON body against a zod schema at the edge (STYLE: validate at the edge). */
export async function readBody<S extends z.ZodType>(
  reqCtx: RequestContext,
  schema: S,
): Promise<z.output<S>> {
  const parsed = schema.safeParse(await readJson(reqCtx));
  if (!parsed.success) throw new ValidationError(describeZodError(parsed.error));
  return parsed.data;
}

/** Like `readBody`, for routes whose body may be left out: an empty body is `fallback`. */
export async function readOptionalBody<S extends z.ZodType>(
  reqCtx: RequestContext,
  schema: S,
  fallback: z.output<S>,
): Promise<z.output<S>> {
  const text = await reqCtx.req.clone().text();
  return text.trim() === '' ? fallback : readBody(reqCtx, schema);
}
