import type { RequestContext } from '@aws-lambda-powertools/event-handler/types';
import type { z } from 'zod';
import { ValidationError } from '../domain/errors.js';
import { describeZodError } from './errors.js';

// `ignoreBOM` keeps a leading BOM in the text, so the text is exactly the bytes that were signed.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The body's bytes as text; bytes that are not UTF-8 are a 400 (SPEC §2), never replaced with
 * U+FFFD and parsed as something the sender did not send.
 */
export function utf8Text(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ValidationError('The body is not valid UTF-8: send JSON encoded as UTF-8');
  }
}

/**
 * The body's bytes exactly as sent. Read from the event, not `reqCtx.req`: the router decodes a
 * base64 body to a string with U+FFFD in place of bytes that are not UTF-8, so those would pass.
 */
export function bodyBytes(reqCtx: RequestContext): Buffer {
  const { body, isBase64Encoded } = reqCtx.event as {
    body?: string | null;
    isBase64Encoded?: boolean;
  };
  if (body === undefined || body === null) return Buffer.alloc(0);
  return Buffer.from(body, isBase64Encoded ? 'base64' : 'utf8');
}

/** Parses a JSON body; not JSON is a 400 that says so, never a 500. */
export async function readJson(reqCtx: RequestContext): Promise<unknown> {
  const text = utf8Text(bodyBytes(reqCtx));
  if (text.trim() === '') throw new ValidationError('The body is empty: send a JSON object');
  try {
    return JSON.parse(withoutBom(text));
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
  const text = utf8Text(bodyBytes(reqCtx));
  return text.trim() === '' ? fallback : readBody(reqCtx, schema);
}

/** JSON parsers refuse a leading byte-order mark that some senders write; it carries nothing. */
export const withoutBom = (text: string): string => text.replace(/^\uFEFF/, '');
