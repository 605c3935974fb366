import * as z from 'zod';
import { ValidationError } from '../../domain/errors.js';
import { parseInstant } from '../../domain/instant.js';
import { parseMonth } from '../../domain/month.js';
import { roles } from '../../domain/roles.js';
import { auditEntry } from '../../http/audit.js';
import { readBody } from '../../http/body.js';
import {
  decodePositionCursor,
  encodePositionCursor,
  storeKey,
  storePageLimit,
  storePageResponse,
} from '../../http/lists.js';
import { json } from '../../http/responses.js';
import { param, query, type RouteImplementations } from '../../http/router.js';
import { listAudit } from '../../store/audit-store.js';
import { createToken, listTokens, revokeToken } from '../../store/tokens-store.js';

export const tokenRequest = z.strictObject({
  name: z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, 'must not be empty')
    .max(100, 'must be at most 100 characters')
    .refine((name) => name !== 'bootstrap', 'bootstrap names the bootstrap token; pick another'),
  role: z.enum(roles, { error: `must be one of ${roles.join(', ')}` }),
  expiresAt: z
    .string({ error: 'must be an ISO 8601 instant' })
    .nullable()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text === null) return null;
      const instant = parseInstant(text);
      if (!instant) {
        ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 instant with a zone offset' });
        return z.NEVER;
      }
      if (instant.epochMs <= Date.now()) {
        ctx.addIssue({ code: 'custom', message: 'must be in the future' });
        return z.NEVER;
      }
      return new Date(instant.epochMs).toISOString();
    }),
});

const tokenIdPattern = /^tok_[0-9a-z]{9}[0-9a-f]{12}$/;
const auditPosition = z.object({
  // A month that does not parse makes the cursor not ours (a 400, like any foreign cursor).
  month: z.string().transform(parseMonth),
  key: storeKey.optional(),
});

/** SPEC §8 `from`/`to`: an instant, or a date (`from` its first instant, `to` its last, UTC). */
function boundary(text: string | undefined, name: string, end: boolean, fallback: Date): string {
  if (text === undefined) return fallback.toISOString();
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text)
    ? parseInstant(`${text}T00:00Z`)
    : parseInstant(text);
  if (!date) throw new ValidationError(`${name} must be an ISO 8601 instant or a date YYYY-MM-DD`);
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) && end ? date.epochMs + 86_399_999 : date.epochMs;
  return new Date(ms).toISOString();
}

/** Personal tokens and the audit log (SPEC §8), for admins. */
export const accessRoutes: RouteImplementations = {
  'POST /admin/tokens': async (reqCtx) => {
    const request = await readBody(reqCtx, tokenRequest);
    const created = await createToken(request, (info) =>
      auditEntry(reqCtx, `token:${info.tokenId}`, null, {
        name: info.name,
        role: info.role,
        expiresAt: info.expiresAt,
      }),
    );
    const { tokenId, name, role, token, createdAt, expiresAt } = created;
    return json(201, { tokenId, name, role, token, createdAt, expiresAt });
  },
  'GET /admin/tokens': async (reqCtx) => {
    const limit = storePageLimit(reqCtx, query(reqCtx, 'limit'));
    const cursor = query(reqCtx, 'cursor');
    const after = cursor ? decodePositionCursor('GET /admin/tokens', cursor, storeKey) : undefined;
    const page = await listTokens(limit, after);
    return storePageResponse(reqCtx, {
      key: 'tokens',
      items: page.tokens,
      nextCursor: page.next ? encodePositionCursor('GET /admin/tokens', page.next) : null,
    });
  },
  'DELETE /admin/tokens/{tokenId}': async (reqCtx) => {
    const tokenId = param(reqCtx, 'tokenId') ?? '';
    if (!tokenIdPattern.test(tokenId))
      throw new ValidationError('tokenId must be a tok_… id as POST /admin/tokens answered');
    await revokeToken(tokenId, (before, revokedAt) =>
      auditEntry(reqCtx, `token:${tokenId}`, { revokedAt: before.revokedAt }, { revokedAt }),
    );
    return new Response(null, { status: 204 });
  },
  'GET /admin/audit': async (reqCtx) => {
    const now = new Date();
    // Entries live 401 days: nothing older is read, month by month, for nothing.
    const kept = new Date(now.getTime() - 402 * 86_400_000).toISOString();
    const asked = boundary(query(reqCtx, 'from'), 'from', false, new Date(kept));
    // biome-ignore lint/complexity/useMathMinMax: ISO strings, compared as text (Math.max would give NaN)
    const from = asked < kept ? kept : asked;
    const to = boundary(query(reqCtx, 'to'), 'to', true, now);
    if (asked > to) throw new ValidationError(`from (${asked}) is after to (${to})`);
    const limit = storePageLimit(reqCtx, query(reqCtx, 'limit'));
    const cursor = query(reqCtx, 'cursor');
    const after = cursor
      ? decodePositionCursor('GET /admin/audit', cursor, auditPosition)
      : undefined;
    if (after && (after.month < from.slice(0, 7) || after.month > to.slice(0, 7))) {
      throw new ValidationError(
        'cursor belongs to another range: pass the same from and to as before',
      );
    }
    const actor = query(reqCtx, 'actor');
    const page = await listAudit({
      from,
      to,
      limit,
      ...(actor ? { actor } : {}),
      ...(after ? { after: { month: after.month, ...(after.key ? { key: after.key } : {}) } } : {}),
    });
    return storePageResponse(reqCtx, {
      key: 'entries',
      items: page.entries,
      nextCursor: page.next ? encodePositionCursor('GET /admin/audit', page.next) : null,
    });
  },
};
