import * as z from 'zod';
import { ValidationError } from '../domain/errors.js';
import type { DeliveryContents } from './source.js';

/**
 * Reads SPEC §2's envelope, `{ "<key>": [ ... ] }` (`events`, `activities`): its array holds the
 * items; a body of another shape is a 400 that says which shape to send.
 */
export function envelopeItems(key: string): (body: unknown) => DeliveryContents {
  const envelope = z.object({ [key]: z.array(z.unknown()) });
  return (body) => {
    const parsed = envelope.safeParse(body);
    if (!parsed.success) {
      throw new ValidationError(`The body must be a JSON object { "${key}": [ ... ] }`);
    }
    return { kind: 'items', items: parsed.data[key] as unknown[] };
  };
}
