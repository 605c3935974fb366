import { z } from 'zod';
import { ValidationError } from '../../domain/errors.js';
import { addMonths, compareMonths, type Month, monthOf, parseMonth } from '../../domain/month.js';
import { monthRangeParams } from '../../http/fields.js';
import { json } from '../../http/responses.js';
import { query, type RouteImplementations } from '../../http/router.js';
import { getConfig } from '../../store/config-store.js';
import { listRejections, type RejectionPosition } from '../../store/rejections-store.js';

const sources = ['telemetry', 'community'] as const;

const limitParam = z.coerce
  .number({ error: 'limit must be a number' })
  .int('limit must be an integer')
  .min(1, 'limit must be 1–1000')
  .max(1000, 'limit must be 1–1000');

const cursorShape = z.object({
  route: z.literal('rejections'),
  month: z.string(),
  key: z.record(z.string(), z.unknown()).optional(),
});

/** An opaque page position: base64url JSON naming this route, so another route's cursor is a 400. */
const encodeCursor = (position: RejectionPosition): string =>
  Buffer.from(JSON.stringify({ route: 'rejections', ...position })).toString('base64url');

function decodeCursor(cursor: string): RejectionPosition {
  try {
    const parsed = cursorShape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { month: parseMonth(parsed.month), ...(parsed.key ? { key: parsed.key } : {}) };
  } catch {
    throw new ValidationError(
      'cursor is not one this route issued: pass the nextCursor it answered',
    );
  }
}

const maxMonth = (a: Month, b: Month): Month => (compareMonths(a, b) >= 0 ? a : b);
const minMonth = (a: Month, b: Month): Month => (compareMonths(a, b) <= 0 ? a : b);

/** `GET /admin/rejections?source=&from=&to=` (SPEC §2, §7): newest first; default the last 30 days. */
export const rejectionRoutes: RouteImplementations = {
  'GET /admin/rejections': async (reqCtx) => {
    const source = query(reqCtx, 'source');
    if (source !== undefined && !(sources as readonly string[]).includes(source)) {
      throw new ValidationError(`source must be one of ${sources.join(', ')}`);
    }
    const { timezone } = await getConfig();
    const now = monthOf(new Date(), timezone);
    const asked = monthRangeParams(
      query(reqCtx, 'from') ?? addMonths(now, -1),
      query(reqCtx, 'to') ?? now,
    );
    // Rejections live 40 days: months outside these hold none, and are not read one by one.
    const range = {
      from: maxMonth(asked.from, addMonths(now, -2)),
      to: minMonth(asked.to, addMonths(now, 1)),
    };
    const limit = limitParam.parse(query(reqCtx, 'limit') ?? 100);
    const cursor = query(reqCtx, 'cursor');
    const after = cursor ? decodeCursor(cursor) : undefined;
    if (
      after &&
      (compareMonths(after.month, range.from) < 0 || compareMonths(after.month, range.to) > 0)
    ) {
      throw new ValidationError(
        'cursor belongs to another range: pass the same from and to as before',
      );
    }
    const page = await listRejections({
      ...range,
      limit,
      ...(source ? { source } : {}),
      ...(after ? { after } : {}),
    });
    return json(200, {
      rejections: page.rejections,
      nextCursor: page.next ? encodeCursor(page.next) : null,
    });
  },
};
