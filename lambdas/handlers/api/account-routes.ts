import {
  accountEvidence,
  accountsOfMonth,
  latestComputedMonth,
} from '../../compute/account-evidence.js';
import { NotFoundError } from '../../domain/errors.js';
import type { Month } from '../../domain/month.js';
import { listResponse } from '../../http/lists.js';
import { readPath, readQuery } from '../../http/params.js';
import { json } from '../../http/responses.js';
import type { RouteImplementations } from '../../http/router.js';
import { kaMonthRows } from '../../store/ka-store.js';
import { accountPath, accountsQuery } from './evidence-schemas.js';

/** `GET /accounts` and `GET /accounts/{accountId}` (SPEC §7). */
export const accountRoutes: RouteImplementations = {
  'GET /accounts': async (reqCtx) => {
    const params = readQuery(reqCtx, accountsQuery);
    const month = (params.month as Month | undefined) ?? (await latestComputedMonth());
    if (month !== null && params.month !== undefined) await requireComputed(month);
    const q = params.q?.toLowerCase();
    const accounts = month === null ? [] : await accountsOfMonth(month);
    const listed = accounts
      .filter((a) => !params.status || params.status.includes(a.status))
      .filter(
        (a) =>
          q === undefined ||
          a.accountId.toLowerCase().includes(q) ||
          (a.name ?? '').toLowerCase().includes(q),
      );
    return listResponse(reqCtx, params, {
      route: 'GET /accounts',
      key: 'accounts',
      items: listed,
      orderBy: [
        [(a) => a.productionNodes, 'desc'],
        [(a) => a.accountId, 'asc'],
      ],
      extra: { month },
    });
  },
  'GET /accounts/{accountId}': async (reqCtx) => {
    const { accountId } = readPath(reqCtx, accountPath);
    return json(200, await accountEvidence(accountId));
  },
};

/** SPEC §7: the accounts list is "as of computed month"; a month never computed is a 404. */
export async function requireComputed(month: Month): Promise<void> {
  const [row] = await kaMonthRows(month, month);
  if (!row)
    throw new NotFoundError(`${month} has not been computed: POST /admin/recalculate first`);
}
