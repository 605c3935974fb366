import { createHash, timingSafeEqual } from 'node:crypto';
import { AuthError, ForbiddenError } from '../domain/errors.js';
import { type Role, roleAllows } from '../domain/roles.js';
import { secretValue } from '../runtime/secrets.js';
import { noteTokenUse, tokenByHash, tokenHash, tokenPrefix } from '../store/tokens-store.js';
import { openSession, sessionCookieOf, sessionEndsAt } from './session-cookie.js';

/** Who is calling: the token's name and role (`bootstrap`/`admin` for `FLYWHEEL_ADMIN_TOKEN`). */
export interface Principal {
  readonly actor: string;
  readonly role: Role;
  /** When this access ends: the token's expiry, or a session's end if sooner; `null`: never. */
  readonly expiresAt: string | null;
}

/** What a request presents: its `Authorization` header, its cookies, and where it comes from. */
export interface Credentials {
  readonly authorization: string | undefined;
  /** API Gateway's `event.cookies`; `undefined` when it has none. */
  readonly cookies: readonly string[] | undefined;
  readonly method: string;
  /** The browser's `Sec-Fetch-Site` header, when it sent one. */
  readonly fetchSite: string | undefined;
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
const invalid = 'The token is not valid (unknown, expired or revoked)';
const sessionEnded = 'The console session has ended: sign in again';

/**
 * SPEC §3, §8 and §12: the caller of a request and what it may do. The `Authorization` header is
 * read first; without one, the console's session cookie stands for the token it names. A missing,
 * malformed, unknown, expired or revoked token — or a session that is forged, over 8 hours old or
 * whose token no longer is valid — is an `AuthError` (401), one message for all tokens so that a
 * caller learns nothing about which exist; a valid one whose role does not include `needed` is a
 * `ForbiddenError` (403). A session is refused for a change another site's page asks for, which
 * SameSite=Strict already prevents in every current browser.
 */
export async function authorize(credentials: Credentials, needed: Role): Promise<Principal> {
  const principal = await principalOfRequest(credentials);
  if (!roleAllows(principal.role, needed)) {
    throw new ForbiddenError(
      `This needs the ${needed} role; the token "${principal.actor}" is ${principal.role}`,
    );
  }
  return principal;
}

async function principalOfRequest(credentials: Credentials): Promise<Principal> {
  if (credentials.authorization !== undefined) {
    const token = bearer.exec(credentials.authorization.trim())?.[1];
    if (!token) throw new AuthError(usage);
    const principal = await principalOfToken(token);
    if (!principal) throw new AuthError(invalid);
    return principal;
  }
  const cookie = sessionCookieOf(credentials.cookies);
  if (cookie === undefined) throw new AuthError(usage);
  const session = openSession(cookie, await secretValue('sessionSecret'));
  const principal = session ? await principalOfHash(session.tokenHash) : undefined;
  if (!session || !principal) throw new AuthError(sessionEnded);
  const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(credentials.method);
  if (unsafe && credentials.fetchSite !== undefined && credentials.fetchSite !== 'same-origin') {
    throw new ForbiddenError('Changes need the console’s own pages');
  }
  const ends = sessionEndsAt(session);
  const expiresAt =
    principal.expiresAt !== null && principal.expiresAt < ends ? principal.expiresAt : ends;
  return { ...principal, expiresAt };
}

/**
 * The principal a token value is — the bootstrap token (which may hold several space-separated
 * values during a rotation) compared in constant time, personal tokens found by their SHA-256 —
 * or `undefined` for a token that is unknown, expired or revoked. Console sign-in uses it too.
 */
export async function principalOfToken(token: string): Promise<Principal | undefined> {
  if (token.startsWith(tokenPrefix)) return principalOfHash(tokenHash(token));
  const bootstrap = await bootstrapTokens();
  return bootstrap.some((candidate) => tokenMatches(token, candidate)) ? bootstrapAdmin : undefined;
}

/**
 * The principal of the token with this SHA-256 (what a session names): a personal token that is
 * neither revoked nor expired, or a current bootstrap value — so rotating the bootstrap token
 * ends its sessions too.
 */
async function principalOfHash(hash: string): Promise<Principal | undefined> {
  const bootstrap = await bootstrapTokens();
  if (bootstrap.some((candidate) => tokenMatches(hash, tokenHash(candidate)))) {
    return bootstrapAdmin;
  }
  const found = await tokenByHash(hash);
  const now = new Date();
  if (!found || found.revokedAt !== null) return undefined;
  if (found.expiresAt !== null && Date.parse(found.expiresAt) <= now.getTime()) return undefined;
  await noteTokenUse(hash, found, now);
  return { actor: found.name, role: found.role, expiresAt: found.expiresAt };
}

const bootstrapAdmin: Principal = { actor: 'bootstrap', role: 'admin', expiresAt: null };

const bootstrapTokens = async (): Promise<string[]> =>
  (await secretValue('adminToken')).split(/\s+/).filter(Boolean);
