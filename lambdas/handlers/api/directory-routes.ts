import * as z from 'zod';
import { auditEntry } from '../../http/audit.js';
import { readBody } from '../../http/body.js';
import { identifier, identifierParam } from '../../http/fields.js';
import { json } from '../../http/responses.js';
import { param, type RouteImplementations } from '../../http/router.js';
import { putAccount, setClusterMapping } from '../../store/directory-store.js';
import { listMonths, touchMonths } from '../../store/months-store.js';

export const accountBody = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
});

export const clusterBody = z.object({ accountId: identifier.nullable() });

/** `PUT /admin/accounts/{accountId}` and `PUT /admin/clusters/{clusterId}` (SPEC §3). */
export const directoryRoutes: RouteImplementations = {
  'PUT /admin/accounts/{accountId}': async (reqCtx) => {
    const accountId = identifierParam('accountId', param(reqCtx, 'accountId'));
    const { name } = await readBody(reqCtx, accountBody);
    await putAccount(accountId, name, (before) =>
      auditEntry(reqCtx, `account:${accountId}`, before, { name }),
    );
    return json(200, { accountId, name });
  },
  'PUT /admin/clusters/{clusterId}': async (reqCtx) => {
    const clusterId = identifierParam('clusterId', param(reqCtx, 'clusterId'));
    const { accountId } = await readBody(reqCtx, clusterBody);
    await setClusterMapping(clusterId, accountId, (before) =>
      auditEntry(reqCtx, `cluster:${clusterId}`, { accountId: before }, { accountId }),
    );
    // A mapping reattributes the cluster in every month it reported: all are marked for recalculation.
    await touchMonths((await listMonths()).map((state) => state.month));
    return json(200, { clusterId, accountId });
  },
};
