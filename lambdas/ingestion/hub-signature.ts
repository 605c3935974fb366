import { verify } from '@octokit/webhooks-methods';
import { AuthError, ValidationError } from '../domain/errors.js';
import type { SigningSecrets } from './signing-secrets.js';
import type { SignatureScheme } from './source.js';

/**
 * Plain-string secrets, as a sender's settings page takes them (SPEC §11): every space-separated
 * value is usable, none is malformed.
 */
export const plainSecrets = (value: string): SigningSecrets => ({
  usable: value.split(/\s+/).filter(Boolean),
  malformed: [],
});

/**
 * The `sha256=<lowercase hex HMAC-SHA256 of the raw body>` signature that GitHub sends as
 * `X-Hub-Signature-256` and Discourse as `X-Discourse-Event-Signature` (SPEC §11), verified in
 * constant time with `@octokit/webhooks-methods` under any of the secrets of a rotation. There is
 * no timestamp to check: redeliveries are harmless because activity ids are stable.
 *
 * @param signatureHeader where the sender puts the signature, e.g. `X-Hub-Signature-256`
 * @param deliveryHeader the header naming the delivery, e.g. `X-GitHub-Delivery`
 * @param sender the sender's name, for messages that tell the operator where to fix things
 */
export function hubSignature(
  signatureHeader: string,
  deliveryHeader: string,
  sender: string,
): SignatureScheme {
  return {
    deliveryHeader,
    parseSecrets: plainSecrets,
    async verify(body, headers, secrets) {
      const signature = headers.get(signatureHeader);
      if (!signature) {
        throw new AuthError(
          `Missing header ${signatureHeader}: give the ${sender} webhook a secret`,
        );
      }
      // The library cannot sign an empty body (it throws); no sender sends one, and the fix is
      // the body, so it is a 400 like any other body that is not the JSON payload.
      if (body === '')
        throw new ValidationError(`The body is empty: send ${sender}'s JSON payload`);
      for (const secret of secrets) {
        if (await matches(secret, body, signature)) return;
      }
      throw new AuthError(
        `${signatureHeader} does not match: the ${sender} webhook's secret must be one of this source's`,
      );
    },
  };
}

/**
 * `verify` throws on inputs it cannot sign (an empty body or signature) rather than answering
 * false; either way the delivery is not signed by this secret.
 */
async function matches(secret: string, body: string, signature: string): Promise<boolean> {
  try {
    return await verify(secret, body, signature);
  } catch {
    return false;
  }
}
