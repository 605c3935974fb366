import * as z from 'zod';
import { readJsonInput } from './read-input.js';

/** A program file: `{ "tiers": [...] }` as the API takes it, or just the array of tiers. */
const programFile = z.union([
  z.object({ tiers: z.array(z.unknown()) }).transform((file) => file.tiers),
  z.array(z.unknown()),
]);

/**
 * The tiers of `flywheel program set` from a file or stdin (`-`); each tier's content is the API's
 * to validate (SPEC §1 evangelist program).
 * @throws UsageError when the file is unreadable, not JSON or not of that shape.
 */
export const readProgramFile = (file: string): unknown[] =>
  readJsonInput(file, programFile, '{ "tiers": [ ... ] } or an array of tiers');
