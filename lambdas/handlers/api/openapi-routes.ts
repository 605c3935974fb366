import { openApiDocument } from '../../http/openapi.js';
import { json } from '../../http/responses.js';
import type { RouteImplementations } from '../../http/router.js';
import { routeDocs } from './route-docs.js';

/** `GET /openapi.json` (SPEC §7), public. */
export const openApiRoutes: RouteImplementations = {
  'GET /openapi.json': async () => json(200, await openApiDocument(routeDocs)),
};
