import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { AuthError } from '../domain/errors.js';
import { parseSigningSecrets } from './signing-secrets.js';
import type { SignatureScheme } from './source.js';

const signedHeaders = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

/**
 * Standard Webhooks verification (SPEC §2) with the `standardwebhooks` package: constant-time,
 * 300 s timestamp window, any of the secrets of a rotation; secrets are `whsec_<base64 key>`.
 */
export const standardWebhooks: SignatureScheme = {
  deliveryHeader: 'webhook-id',
  parseSecrets: parseSigningSecrets,
  async verify(body, headers, secrets) {
    const missing = signedHeaders.filter((name) => !headers.get(name));
    if (missing.length > 0)
      throw new AuthError(
        `Missing header ${missing.join(', ')}: sign the delivery per Standard Webhooks`,
      );
    const signed = Object.fromEntries(signedHeaders.map((name) => [name, headers.get(name) ?? '']));
    for (const secret of secrets) {
      try {
        new Webhook(secret).verify(body, signed, { jsonParse: false });
        return;
      } catch (error) {
        if (!(error instanceof WebhookVerificationError)) throw error;
      }
    }
    throw new AuthError('The signature does not match, or the timestamp is more than 300 s off');
  },
};
