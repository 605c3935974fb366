import type { IdentityKey, IdentityKind } from './community.js';

/**
 * An identity in its matching form (SPEC §1): emails trimmed and case-folded, handles case-folded
 * (and trimmed, with a leading `@` dropped: `@Ada` and `ada` are one GitHub user).
 */
export function normalizeIdentity(kind: IdentityKind, value: string): IdentityKey {
  const folded = value.trim().toLowerCase();
  return `${kind}:${kind === 'email' ? folded : folded.replace(/^@/, '')}`;
}
