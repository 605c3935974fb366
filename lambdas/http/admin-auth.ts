import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from '@aws-lambda-powertools/event-handler/types';
import { AuthError } from '../domain/errors.js';
import { secretValue } from '../runtime/secrets.js';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Compares in constant time; hashing first makes the lengths equal without leaking them. */
export function tokenMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

const bearer = /^Bearer ([\x21-\x7e]+)$/;

/** SPEC §3: admin routes take `Authorization: Bearer <FLYWHEEL_ADMIN_TOKEN>`; anything else is 401. */
export const requireAdmin: Middleware = async ({ reqCtx, next }) => {
  const header = reqCtx.req.headers.get('authorization') ?? '';
  const token = bearer.exec(header.trim())?.[1];
  if (!token) {
    throw new AuthError('Send the admin token as "Authorization: Bearer <FLYWHEEL_ADMIN_TOKEN>"');
  }
  const expected = (await secretValue('adminToken')).split(/\s+/);
  if (!expected.some((candidate) => tokenMatches(token, candidate))) {
    throw new AuthError('The admin token is not valid');
  }
  await next();
};
