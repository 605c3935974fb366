import * as z from 'zod';

/** `POST /admin/reports/{month}/send` (SPEC §3): `{ "force": true }` resends a mailed month. */
export const sendBody = z.object({ force: z.boolean().optional() }).strict();
