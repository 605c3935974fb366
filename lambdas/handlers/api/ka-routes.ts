import * as z from 'zod';
import { NotFoundError } from '../../domain/errors.js';
import { compareAccountsOfMonth } from '../../domain/ka.js';
import { firstMonth, lastMonth, parseMonth } from '../../domain/month.js';
import { monthRangeParams } from '../../http/fields.js';
import { formatParam, wholeListResponse } from '../../http/lists.js';
import { readQuery } from '../../http/params.js';
import { param, query, type RouteImplementations } from '../../http/router.js';
import { accountNames } from '../../store/accounts-store.js';
import { kaAccounts, kaMonthRows } from '../../store/ka-store.js';

/** The whole-list routes take `format=csv` (SPEC §3 "Lists": not paged, CSV the same way). */
export const formatQuery = z.object(formatParam);

/** `GET /metrics/ka` and `GET /metrics/ka/{month}/accounts` (SPEC §3), in JSON or CSV. */
export const kaRoutes: RouteImplementations = {
  'GET /metrics/ka': async (reqCtx) => {
    const { from, to } = monthRangeParams(
      query(reqCtx, 'from') ?? firstMonth,
      query(reqCtx, 'to') ?? lastMonth,
    );
    const { format } = readQuery(reqCtx, formatQuery);
    return wholeListResponse(reqCtx, format, 'months', { months: await kaMonthRows(from, to) });
  },
  'GET /metrics/ka/{month}/accounts': async (reqCtx) => {
    const month = parseMonth(param(reqCtx, 'month') ?? '');
    const { format } = readQuery(reqCtx, formatQuery);
    const [row] = await kaMonthRows(month, month);
    if (!row) {
      throw new NotFoundError(`${month} has not been computed: POST /admin/recalculate first`);
    }
    const [accounts, names] = await Promise.all([kaAccounts(month), accountNames()]);
    const listed = accounts
      .map((account) => ({ ...account, name: names.get(account.accountId) ?? null }))
      .sort(compareAccountsOfMonth);
    return wholeListResponse(reqCtx, format, 'accounts', {
      month,
      // SPEC §3's field order (CSV columns follow it).
      accounts: listed.map((a) => ({
        accountId: a.accountId,
        name: a.name,
        productionNodes: a.productionNodes,
        previousNodes: a.previousNodes,
        status: a.status,
        communitySourced: a.communitySourced,
        champions: a.champions,
      })),
    });
  },
};
