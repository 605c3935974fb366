import { createHash, timingSafeEqual } from 'node:crypto';
import { AuthError } from '../domain/errors.js';
import { secretValue } from '../runtime/secrets.js';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Compares in constant time; hashing first makes the lengths equal without leaking them. */
export function tokenMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** RFC 9110 §11.1: the scheme name is case-insensitive (`bearer`, `BEARER`); spaces may repeat. */
const bearer = /^bearer +([\x21-\x7e]+)$/i;

/**
 * SPEC §3: admin routes take `Authorization: Bearer <FLYWHEEL_ADMIN_TOKEN>`; anything else is a
 * 401. Several space-separated tokens are valid during a rotation.
 */
export async function requireAdminToken(authorization: string | undefined): Promise<void> {
  const token = bearer.exec((authorization ?? '').trim())?.[1];
  if (!token) {
    throw new AuthError('Send the admin token as "Authorization: Bearer <FLYWHEEL_ADMIN_TOKEN>"');
  }
  const expected = (await secretValue('adminToken')).split(/\s+/);
  if (!expected.some((candidate) => tokenMatches(token, candidate))) {
    throw new AuthError('The admin token is not valid');
  }
}
