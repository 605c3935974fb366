import { NotFoundError } from '../../domain/errors.js';
import { compareAccountsOfMonth } from '../../domain/ka.js';
import { firstMonth, lastMonth, parseMonth } from '../../domain/month.js';
import { monthRangeParams } from '../../http/fields.js';
import { json } from '../../http/responses.js';
import { param, query, type RouteImplementations } from '../../http/router.js';
import { accountNames } from '../../store/directory-store.js';
import { kaAccounts, kaMonthRows } from '../../store/ka-store.js';

/** `GET /metrics/ka` and `GET /metrics/ka/{month}/accounts` (SPEC §3). */
export const kaRoutes: RouteImplementations = {
  'GET /metrics/ka': async (reqCtx) => {
    const { from, to } = monthRangeParams(
      query(reqCtx, 'from') ?? firstMonth,
      query(reqCtx, 'to') ?? lastMonth,
    );
    return json(200, { months: await kaMonthRows(from, to) });
  },
  'GET /metrics/ka/{month}/accounts': async (reqCtx) => {
    const month = parseMonth(param(reqCtx, 'month') ?? '');
    const [row] = await kaMonthRows(month, month);
    if (!row) {
      throw new NotFoundError(`${month} has not been computed: POST /admin/recalculate first`);
    }
    const [accounts, names] = await Promise.all([kaAccounts(month), accountNames()]);
    const listed = accounts
      .map((account) => ({ ...account, name: names.get(account.accountId) ?? null }))
      .sort(compareAccountsOfMonth);
    return json(200, {
      month,
      accounts: listed.map(({ accountId, name, productionNodes, status }) => ({
        accountId,
        name,
        productionNodes,
        status,
      })),
    });
  },
};
