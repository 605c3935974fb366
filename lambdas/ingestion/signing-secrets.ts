/**
 * Signing secrets as an operator writes them (SPEC §2): `whsec_<base64 key>`, several separated by
 * spaces during a rotation. One malformed value — URL-safe base64, a bare `whsec_` — must not stop
 * the valid ones from working, nor turn every delivery into a 500: it is set aside and reported.
 */

/** Standard base64 with its padding, as Standard Webhooks encodes keys; at least one byte. */
const base64Key =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;

export interface SigningSecrets {
  /** The secrets that can verify a signature, in the order written. */
  readonly usable: readonly string[];
  /** 1-based positions of the values that are not `whsec_<base64>` (never the values). */
  readonly malformed: readonly number[];
}

/** Splits a secret variable into usable secrets and the positions of malformed ones. */
export function parseSigningSecrets(value: string): SigningSecrets {
  const usable: string[] = [];
  const malformed: number[] = [];
  value
    .split(/\s+/)
    .filter(Boolean)
    .forEach((secret, i) => {
      if (base64Key.test(secret.replace(/^whsec_/, ''))) usable.push(secret);
      else malformed.push(i + 1);
    });
  return { usable, malformed };
}

/** What to tell an operator about a malformed secret; says where, and never what it holds. */
export const malformedSecretsMessage = (variable: string, malformed: readonly number[]): string =>
  `${variable}: secret${malformed.length > 1 ? 's' : ''} number ${malformed.join(', ')} ` +
  `of the space-separated list ${malformed.length > 1 ? 'are' : 'is'} not whsec_<standard base64> and ` +
  'will be ignored; deliveries signed with the others are still accepted';
