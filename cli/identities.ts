/** The identity kinds that match members (SPEC §1; `name` is display only, never an identity). */
export const identityKinds = ['email', 'github', 'forum'] as const;
export type IdentityKind = (typeof identityKinds)[number];

/** One identity as the API's bodies take it: `{ "github": "ada" }` (SPEC §3, §9). */
export type Identity = Partial<Record<IdentityKind, string>>;

/**
 * Reads an identity written `kind:value` (`github:ada`, `email:ada@example.com`), the way SPEC §7
 * writes them in paths and answers. The value is everything after the first colon, so it may hold
 * colons itself; it is sent as typed, since the API normalises identities (§1).
 * @throws Error with a message saying the expected form, when the kind is unknown or a part empty.
 */
export function parseIdentity(text: string): Identity {
  const colon = text.indexOf(':');
  const kind = colon < 0 ? '' : text.slice(0, colon).trim().toLowerCase();
  const value = colon < 0 ? '' : text.slice(colon + 1).trim();
  if (!(identityKinds as readonly string[]).includes(kind) || value === '') {
    throw new Error(
      `${JSON.stringify(text)} is not an identity: write kind:value with kind one of ${identityKinds.join(', ')} (e.g. github:ada)`,
    );
  }
  return { [kind as IdentityKind]: value };
}
