import * as z from 'zod';
import { AuthError } from '../../domain/errors.js';
import { roles } from '../../domain/roles.js';
import { principalOfToken } from '../../http/auth.js';
import { readBody } from '../../http/body.js';
import { principalOf, type RouteImplementations } from '../../http/router.js';
import { clearedSessionCookie, sealSession, sessionSetCookie } from '../../http/session-cookie.js';
import { secretValue } from '../../runtime/secrets.js';
import { tokenHash } from '../../store/tokens-store.js';

export const sessionRequest = z.strictObject({
  token: z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, 'must not be empty')
    .max(1024, 'must be at most 1024 characters'),
});

/** Who is signed in (SPEC §12): the console reads the role here to hide what it may not do. */
export const sessionResponse = z.object({
  actor: z.string(),
  role: z.enum(roles),
  expiresAt: z.string().nullable(),
});

/** A session answer: never cached, by the browser or anything between. */
const answer = (status: number, body: string | null, headers: Record<string, string>) =>
  new Response(body, { status, headers: { 'cache-control': 'no-store', ...headers } });

/**
 * The console's session (SPEC §12). Sign-in takes a token and answers a signed, HttpOnly cookie
 * naming it (by its SHA-256); sign-out clears the cookie. Neither writes an audit entry (SPEC §8):
 * they change no data.
 */
export const sessionRoutes: RouteImplementations = {
  'POST /console/session': async (reqCtx) => {
    const { token } = await readBody(reqCtx, sessionRequest);
    const principal = await principalOfToken(token);
    if (!principal) throw new AuthError('The token is not valid (unknown, expired or revoked)');
    const signedInAt = Math.floor(Date.now() / 1000);
    const value = sealSession(
      { tokenHash: tokenHash(token), signedInAt },
      await secretValue('sessionSecret'),
    );
    return answer(204, null, { 'set-cookie': sessionSetCookie(value) });
  },
  'DELETE /console/session': () => answer(204, null, { 'set-cookie': clearedSessionCookie }),
  'GET /console/session': (reqCtx) => {
    const { actor, role, expiresAt } = principalOf(reqCtx);
    const body = JSON.stringify({ actor, role, expiresAt });
    return answer(200, body, { 'content-type': 'application/json' });
  },
};
