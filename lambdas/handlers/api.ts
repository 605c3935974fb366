import { createHttpHandler } from '../http/router.js';
import { accessRoutes } from './api/access-routes.js';
import { accountRoutes } from './api/account-routes.js';
import { analyticsRoutes } from './api/analytics-routes.js';
import { clusterRoutes } from './api/cluster-routes.js';
import { communityRoutes } from './api/community-routes.js';
import { configRoutes } from './api/config-routes.js';
import { correctionRoutes } from './api/correction-routes.js';
import { directoryRoutes } from './api/directory-routes.js';
import { evangelistRoutes } from './api/evangelist-routes.js';
import { jobRoutes } from './api/job-routes.js';
import { kaRoutes } from './api/ka-routes.js';
import { memberRoutes } from './api/member-routes.js';
import { rejectionRoutes } from './api/rejection-routes.js';
import { sessionRoutes } from './api/session-routes.js';

/** The admin and read API (SPEC §3). Routes not built yet answer 501. */
export const handler = createHttpHandler('api', {
  'GET /health': () => ({ ok: true }),
  ...configRoutes,
  ...directoryRoutes,
  ...kaRoutes,
  ...jobRoutes,
  ...communityRoutes,
  ...evangelistRoutes,
  ...rejectionRoutes,
  ...accessRoutes,
  ...accountRoutes,
  ...clusterRoutes,
  ...memberRoutes,
  ...correctionRoutes,
  ...analyticsRoutes,
  ...sessionRoutes,
});
