import { openApiDocument } from '../../http/openapi.js';
import { json } from '../../http/responses.js';
import type { RouteImplementations } from '../../http/router.js';

/**
 * `GET /openapi.json` (SPEC §7), public. The route documents (with the webhooks' item schemas) and
 * zod-openapi are loaded on the first request only: no other request's cold start pays for them.
 */
export const openApiRoutes: RouteImplementations = {
  'GET /openapi.json': async () => {
    const { routeDocs } = await import('./route-docs.js');
    return json(200, await openApiDocument(routeDocs));
  },
};
