import * as z from 'zod';
import { ValidationError } from '../../domain/errors.js';
import { addMonths, compareMonths, isMonth, type Month, monthOf } from '../../domain/month.js';
import { monthRangeParams } from '../../http/fields.js';
import {
  decodePositionCursor,
  encodePositionCursor,
  storeKey,
  storePageLimit,
  storePageResponse,
} from '../../http/lists.js';
import { query, type RouteImplementations } from '../../http/router.js';
import { getConfig } from '../../store/config-store.js';
import { listRejections, type RejectionPosition } from '../../store/rejections-store.js';
import { webhookSources as sources } from '../../system.js';

const positionShape = z.object({ month: z.string(), key: storeKey.optional() });

/** A cursor's month; not a month means the cursor was not ours. */
function parseMonthCursor(text: string): Month {
  if (!isMonth(text)) throw new ValidationError('cursor is not one this list issued');
  return text;
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
    const limit = storePageLimit(reqCtx, query(reqCtx, 'limit'));
    const cursor = query(reqCtx, 'cursor');
    const position = cursor
      ? decodePositionCursor('GET /admin/rejections', cursor, positionShape)
      : undefined;
    const after: RejectionPosition | undefined = position && {
      month: parseMonthCursor(position.month),
      ...(position.key ? { key: position.key } : {}),
    };
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
    return storePageResponse(reqCtx, {
      key: 'rejections',
      items: page.rejections,
      nextCursor: page.next ? encodePositionCursor('GET /admin/rejections', page.next) : null,
    });
  },
};
