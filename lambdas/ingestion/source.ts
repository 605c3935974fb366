import type { z } from 'zod';
import type { SecretName, WebhookSourceName } from '../system.js';
import type { SigningSecrets } from './signing-secrets.js';

export interface StoreOutcome {
  readonly accepted: number;
  readonly duplicates: number;
}

/**
 * How a source's deliveries are signed, as data: Standard Webhooks (SPEC §2), or the
 * `sha256=<hex>` header of GitHub and Discourse (SPEC §11) under the source's header names. The
 * code that verifies lives beside the pipeline (`signatures.ts`), so that the API function, which
 * imports sources for their schemas, does not bundle the verifying libraries.
 */
export type Signing =
  | { readonly scheme: 'standard-webhooks' }
  | {
      readonly scheme: 'sha256-hex';
      /** Where the sender puts `sha256=<hex>`, e.g. `x-hub-signature-256`. */
      readonly signatureHeader: string;
      /** The header naming the delivery, e.g. `x-github-delivery`. */
      readonly deliveryHeader: string;
      /** The sender's name, for messages that tell the operator where to fix things. */
      readonly sender: string;
    };

/** The verifying side of a `Signing`: one object per scheme (`signatures.ts`). */
export interface SignatureScheme {
  /** The header that names the delivery; kept with its rejected items (SPEC §2). */
  readonly deliveryHeader: string;
  /** The usable secrets of a secret variable (several, space-separated, during a rotation). */
  parseSecrets(value: string): SigningSecrets;
  /**
   * Resolves when one of `secrets` signed `body` (the raw body, as text); throws `AuthError` (401)
   * when a header is missing or no signature matches.
   */
  verify(body: string, headers: Headers, secrets: readonly string[]): Promise<void>;
}

/** What a verified delivery holds: a sender's check that the hook works, or items to validate. */
export type DeliveryContents =
  | { readonly kind: 'ping' }
  | {
      readonly kind: 'items';
      /** Each is validated by `itemSchema` on its own; an event a source ignores yields none. */
      readonly items: readonly unknown[];
    };

/**
 * One source of webhook data (SPEC §2, §11). The pipeline around it — check the limits, verify the
 * signature, parse the JSON, validate each item, store, keep rejections, respond — is written once,
 * in `webhook.ts`; a source says how its deliveries are signed, where their items are, what an
 * item looks like and how it is stored.
 */
export interface WebhookSource<Item> {
  readonly name: WebhookSourceName;
  readonly secret: SecretName;
  readonly signing: Signing;
  /**
   * The items of a parsed body; throws `ValidationError` (400) when the body is not this source's
   * envelope, or a header the source needs is missing.
   */
  read(body: unknown, headers: Headers): DeliveryContents;
  /** Validates one item; built per request because some rules depend on the clock. */
  itemSchema(now: Date): z.ZodType<Item>;
  store(items: readonly Item[]): Promise<StoreOutcome>;
}
