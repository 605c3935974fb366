import * as z from 'zod';
import { ValidationError } from '../../domain/errors.js';
import { auditEntry } from '../../http/audit.js';
import { readBody } from '../../http/body.js';
import { emailDomain, identifier, identifierParam } from '../../http/fields.js';
import { json } from '../../http/responses.js';
import { param, type RouteImplementations } from '../../http/router.js';
import { putAccount } from '../../store/accounts-store.js';
import { getConfig } from '../../store/config-store.js';
import { setClusterMapping } from '../../store/directory-store.js';
import { touchAllMonths } from '../../store/months-store.js';

export const accountBody = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  domains: z
    .array(emailDomain, { error: 'must be an array of email domains such as ["acme.com"]' })
    .max(100, 'must list at most 100 domains')
    .transform((list) => [...new Set(list)].sort())
    .optional(),
});

export const clusterBody = z.object({ accountId: identifier.nullable() });

/** `PUT /admin/accounts/{accountId}` and `PUT /admin/clusters/{clusterId}` (SPEC §3). */
export const directoryRoutes: RouteImplementations = {
  'PUT /admin/accounts/{accountId}': async (reqCtx) => {
    const accountId = identifierParam('accountId', param(reqCtx, 'accountId'));
    const { name, domains } = await readBody(reqCtx, accountBody);
    if (domains !== undefined) {
      const personal = new Set((await getConfig()).personalMailDomains);
      const refused = domains.filter((domain) => personal.has(domain));
      if (refused.length > 0) {
        throw new ValidationError(
          `domains: ${refused.join(', ')} ${refused.length > 1 ? 'are personal-mail domains' : 'is a personal-mail domain'} (personalMailDomains in /admin/config): people there work anywhere`,
        );
      }
    }
    await putAccount(accountId, { name, domains }, (before) =>
      auditEntry(
        reqCtx,
        `account:${accountId}`,
        before && (domains === undefined ? { name: before.name } : before),
        domains === undefined ? { name } : { name, domains },
      ),
    );
    return json(200, { accountId, name, ...(domains === undefined ? {} : { domains }) });
  },
  'PUT /admin/clusters/{clusterId}': async (reqCtx) => {
    const clusterId = identifierParam('clusterId', param(reqCtx, 'clusterId'));
    const { accountId } = await readBody(reqCtx, clusterBody);
    await setClusterMapping(clusterId, accountId, (before) =>
      auditEntry(reqCtx, `cluster:${clusterId}`, { accountId: before }, { accountId }),
    );
    // A mapping reattributes the cluster in every month it reported: all are marked for recalculation.
    await touchAllMonths();
    return json(200, { clusterId, accountId });
  },
};
