import { clusterEvidence, latestDataMonth, monthClusters } from '../../compute/cluster-evidence.js';
import type { Month } from '../../domain/month.js';
import { listResponse } from '../../http/lists.js';
import { readPath, readQuery } from '../../http/params.js';
import { json } from '../../http/responses.js';
import type { RouteImplementations } from '../../http/router.js';
import { getConfig } from '../../store/config-store.js';
import { clusterPath, clustersQuery } from './evidence-schemas.js';

/** `GET /clusters` (with the unattributed to-do list) and `GET /clusters/{clusterId}` (SPEC §7). */
export const clusterRoutes: RouteImplementations = {
  'GET /clusters': async (reqCtx) => {
    const params = readQuery(reqCtx, clustersQuery);
    const month = (params.month as Month | undefined) ?? (await latestDataMonth());
    const [clusters, config] = await Promise.all([
      month === null ? [] : monthClusters(month),
      getConfig(),
    ]);
    const counted = new Set<string>(config.countedEnvironments);
    // `false` is the to-do list behind `unattributedNodes`: unattributed and counted.
    const todo = (c: (typeof clusters)[number]) =>
      c.accountId === null && counted.has(c.environment);
    const listed = clusters.filter((c) =>
      params.attributed === undefined
        ? true
        : params.attributed === 'false'
          ? todo(c)
          : c.accountId !== null,
    );
    return listResponse(reqCtx, params, {
      route: 'GET /clusters',
      key: 'clusters',
      items: listed.map(
        ({ clusterId, accountId, source, environment, nodes, reportedAt, namedAccountId }) => ({
          clusterId,
          accountId,
          source,
          environment,
          nodes,
          reportedAt,
          namedAccountId,
        }),
      ),
      orderBy: [
        [(c) => c.nodes, 'desc'],
        [(c) => c.clusterId, 'asc'],
      ],
      extra: { month },
    });
  },
  'GET /clusters/{clusterId}': async (reqCtx) => {
    const { clusterId } = readPath(reqCtx, clusterPath);
    return json(200, await clusterEvidence(clusterId));
  },
};
