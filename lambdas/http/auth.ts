import { createHash, timingSafeEqual } from 'node:crypto';
import { AuthError, ForbiddenError } from '../domain/errors.js';
import { type Role, roleAllows } from '../domain/roles.js';
import { secretValue } from '../runtime/secrets.js';
import { noteTokenUse, tokenByValue, tokenPrefix } from '../store/tokens-store.js';

/** Who is calling: the token's name and role (`bootstrap`/`admin` for `FLYWHEEL_ADMIN_TOKEN`). */
export interface Principal {
  readonly actor: string;
  readonly role: Role;
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Compares in constant time; hashing first makes the lengths equal without leaking them. */
export function tokenMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** RFC 9110 §11.1: the scheme name is case-insensitive (`bearer`, `BEARER`); spaces may repeat. */
const bearer = /^bearer +([\x21-\x7e]+)$/i;

const usage =
  'Send "Authorization: Bearer <token>": FLYWHEEL_ADMIN_TOKEN or a personal token (POST /admin/tokens)';

/**
 * SPEC §3 and §8: the token of the request and what it may do. A missing, malformed, unknown,
 * expired or revoked token is an `AuthError` (401) — one message for all, so a caller learns
 * nothing about which tokens exist; a valid token whose role does not include `needed` is a
 * `ForbiddenError` (403). Personal tokens are found by their SHA-256 (no secret compared with
 * `===`); the bootstrap token, which may hold several space-separated values during a rotation,
 * in constant time.
 */
export async function authorize(
  authorization: string | undefined,
  needed: Role,
): Promise<Principal> {
  const token = bearer.exec((authorization ?? '').trim())?.[1];
  if (!token) throw new AuthError(usage);
  const principal = await principalOf(token);
  if (!principal) throw new AuthError('The token is not valid (unknown, expired or revoked)');
  if (!roleAllows(principal.role, needed)) {
    throw new ForbiddenError(
      `This needs the ${needed} role; the token "${principal.actor}" is ${principal.role}`,
    );
  }
  return principal;
}

async function principalOf(token: string): Promise<Principal | undefined> {
  if (token.startsWith(tokenPrefix)) {
    const found = await tokenByValue(token);
    const now = new Date();
    if (!found || found.revokedAt !== null) return undefined;
    if (found.expiresAt !== null && Date.parse(found.expiresAt) <= now.getTime()) return undefined;
    await noteTokenUse(token, found, now);
    return { actor: found.name, role: found.role };
  }
  const bootstrap = (await secretValue('adminToken')).split(/\s+/).filter(Boolean);
  return bootstrap.some((candidate) => tokenMatches(token, candidate))
    ? { actor: 'bootstrap', role: 'admin' }
    : undefined;
}
