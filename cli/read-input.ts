import { readFileSync } from 'node:fs';
import type * as z from 'zod';
import { UsageError } from './errors.js';

/**
 * A JSON input file (or stdin for `-`) checked against `schema`, for commands that take a document
 * (`program set`). The API validates the content; this only makes sure it is the right shape.
 * @throws UsageError naming the file and what is wrong with it.
 */
export function readJsonInput<T>(file: string, schema: z.ZodType<T>, expected: string): T {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new UsageError(`${file} must hold ${expected}`);
  return parsed.data;
}
