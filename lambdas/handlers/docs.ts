import { createHttpHandler } from '../http/router.js';
import { openApiRoutes } from './api/openapi-routes.js';

/** `GET /openapi.json` (SPEC §7): the API's description, on a function of its own. */
export const handler = createHttpHandler('docs', openApiRoutes);
