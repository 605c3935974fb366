/**
 * The console's session cookie (SPEC §12): it names a token by its SHA-256 — never the token — and
 * the instant of sign-in, signed with HMAC-SHA256 under the server's `sessionSecret`. Nothing else
 * is kept: every request re-reads the token it names, so revoking or expiring the token ends its
 * sessions, and a session ends 8 hours after sign-in however busy it is (not sliding).
 *
 * Value: `v1.<sha256 hex of the token>.<sign-in, epoch seconds>.<HMAC, base64url>`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** `__Host-`: the browser keeps it only when Secure, for this host, with `Path=/` (RFC 6265bis). */
export const sessionCookieName = '__Host-flywheel-session';

/** 8 hours, from sign-in (SPEC §12). */
export const sessionSeconds = 8 * 60 * 60;

/** What a valid cookie says: which token, and when its holder signed in. */
export interface Session {
  readonly tokenHash: string;
  /** Epoch seconds. */
  readonly signedInAt: number;
}

const version = 'v1';
const hashPattern = /^[0-9a-f]{64}$/;
/** A cookie from a little in the future (clocks of two function instances) is still taken. */
const clockSkewSeconds = 60;

const mac = (payload: string, secret: string): Buffer =>
  createHmac('sha256', secret).update(payload, 'utf8').digest();

/** The cookie value for a session, signed with the first of the (space-separated) secrets. */
export function sealSession(session: Session, secrets: string): string {
  const [current] = secretList(secrets);
  if (!current) throw new Error('The session secret is empty');
  const payload = `${version}.${session.tokenHash}.${session.signedInAt}`;
  return `${payload}.${mac(payload, current).toString('base64url')}`;
}

/**
 * The session a cookie value holds, when its signature verifies under one of the secrets (several
 * during a rotation) and it is less than 8 hours old; `undefined` otherwise — forged, altered,
 * expired or from another deployment alike.
 */
export function openSession(value: string, secrets: string, now = Date.now()): Session | undefined {
  const parts = value.split('.');
  if (parts.length !== 4) return undefined;
  const [v, tokenHash = '', issued = '', signature = ''] = parts;
  if (v !== version || !hashPattern.test(tokenHash) || !/^\d{1,12}$/.test(issued)) return undefined;
  const presented = Buffer.from(signature, 'base64url');
  const payload = `${v}.${tokenHash}.${issued}`;
  const verified = secretList(secrets).some((secret) => {
    const expected = mac(payload, secret);
    return presented.length === expected.length && timingSafeEqual(presented, expected);
  });
  if (!verified) return undefined;
  const signedInAt = Number(issued);
  const nowSeconds = Math.floor(now / 1000);
  if (signedInAt > nowSeconds + clockSkewSeconds) return undefined;
  if (nowSeconds >= signedInAt + sessionSeconds) return undefined;
  return { tokenHash, signedInAt };
}

/** When a session ends, as an ISO instant. */
export const sessionEndsAt = (session: Session): string =>
  new Date((session.signedInAt + sessionSeconds) * 1000).toISOString();

const attributes = 'HttpOnly; Secure; SameSite=Strict; Path=/';

/** `Set-Cookie` of a new session (SPEC §12). No `Expires`: its date's comma splits cookie lists. */
export const sessionSetCookie = (value: string): string =>
  `${sessionCookieName}=${value}; ${attributes}; Max-Age=${sessionSeconds}`;

/** `Set-Cookie` that removes the session cookie (sign-out). */
export const clearedSessionCookie = `${sessionCookieName}=; ${attributes}; Max-Age=0`;

/**
 * The session cookie's value among the request's cookies, which API Gateway (payload 2.0, and
 * local mode like it) hands as `event.cookies`, one `name=value` each, without a Cookie header.
 */
export function sessionCookieOf(cookies: readonly string[] | undefined): string | undefined {
  for (const cookie of cookies ?? []) {
    const at = cookie.indexOf('=');
    if (at > 0 && cookie.slice(0, at).trim() === sessionCookieName) {
      return cookie.slice(at + 1).trim();
    }
  }
  return undefined;
}

const secretList = (secrets: string): string[] => secrets.split(/\s+/).filter(Boolean);
