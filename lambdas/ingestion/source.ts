import type { z } from 'zod';
import type { SecretName } from '../system.js';

export interface StoreOutcome {
  readonly accepted: number;
  readonly duplicates: number;
}

/**
 * One source of webhook data (SPEC §2). The pipeline around it — verify the signature, check the
 * limits, parse the envelope, validate each item, respond — is written once, in `webhook.ts`;
 * a source only says what its items look like and how they are stored.
 */
export interface WebhookSource<Item> {
  readonly name: string;
  readonly secret: SecretName;
  /** The envelope's array: `{ "events": [...] }` or `{ "activities": [...] }`. */
  readonly envelopeKey: string;
  /** Validates one item; built per request because some rules depend on the clock. */
  itemSchema(now: Date): z.ZodType<Item>;
  store(items: readonly Item[]): Promise<StoreOutcome>;
}
