import { openApiDocument } from '../../http/openapi.js';
import { json } from '../../http/responses.js';
import type { RouteImplementations } from '../../http/router.js';

/**
 * `GET /openapi.json` (SPEC §7), public, served by the `docs` function. The route documents (with
 * every route's schemas) and zod-openapi are loaded on the first request.
 */
export const openApiRoutes: RouteImplementations = {
  'GET /openapi.json': async () => {
    const { routeDocs } = await import('./route-docs.js');
    return json(200, await openApiDocument(routeDocs));
  },
};
