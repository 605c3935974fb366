import { z } from 'zod';
import { ValidationError } from '../domain/errors.js';

/**
 * SPEC §3 "Lists": `limit` (1–1000, default 100) and an opaque `cursor`. A cursor is base64url JSON
 * naming the list that issued it, so another list's cursor — or anything else — is a 400.
 */
export const pageLimit = (text: string | undefined, max = 1000): number => {
  const parsed = z.coerce
    .number()
    .int()
    .min(1)
    .max(max)
    .safeParse(text ?? 100);
  if (!parsed.success) throw new ValidationError(`limit must be a whole number from 1 to ${max}`);
  return parsed.data;
};

/** The cursor of `list` for a position in it. */
export const encodeCursor = (list: string, position: unknown): string =>
  Buffer.from(JSON.stringify({ list, position })).toString('base64url');

/** The position a cursor of `list` holds, checked against `shape`; a 400 for anything else. */
export function decodeCursor<S extends z.ZodType>(
  list: string,
  cursor: string,
  shape: S,
): z.output<S> {
  try {
    const { list: issuer, position } = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8'),
    ) as { list?: unknown; position?: unknown };
    if (issuer !== list) throw new Error('another list');
    return shape.parse(position);
  } catch {
    throw new ValidationError(
      'cursor is not one this list issued: pass the nextCursor it answered',
    );
  }
}

/** A DynamoDB position (`LastEvaluatedKey`) inside a cursor: a map of key attributes. */
export const storeKey = z.record(z.string(), z.union([z.string(), z.number()]));
