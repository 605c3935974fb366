import { createHttpHandler } from '../http/router.js';

/** The admin and read API (SPEC §3). Routes not built yet answer 501. */
export const handler = createHttpHandler('api', {
  'GET /health': () => ({ ok: true }),
});
