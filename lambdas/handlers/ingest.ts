import { createHttpHandler } from '../http/router.js';

/** The signed webhooks (SPEC §2). */
export const handler = createHttpHandler('ingest', {});
