import { hubSignature } from './hub-signature.js';
import type { SignatureScheme, Signing } from './source.js';
import { standardWebhooks } from './standard-webhooks.js';

/** The code that verifies deliveries signed as `signing` says (SPEC §2, §11). */
export function signatureScheme(signing: Signing): SignatureScheme {
  switch (signing.scheme) {
    case 'standard-webhooks':
      return standardWebhooks;
    case 'sha256-hex':
      return hubSignature(signing.signatureHeader, signing.deliveryHeader, signing.sender);
  }
}
