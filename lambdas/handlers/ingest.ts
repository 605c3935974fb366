import { createHttpHandler } from '../http/router.js';
import { communitySource } from '../ingestion/community.js';
import { discourseSource } from '../ingestion/discourse.js';
import { githubSource } from '../ingestion/github.js';
import { telemetrySource } from '../ingestion/telemetry.js';
import { webhookRoute } from '../ingestion/webhook.js';

/** The signed webhooks (SPEC §2, §11). */
export const handler = createHttpHandler('ingest', {
  'POST /webhooks/telemetry': webhookRoute(telemetrySource),
  'POST /webhooks/community': webhookRoute(communitySource),
  'POST /webhooks/github': webhookRoute(githubSource),
  'POST /webhooks/discourse': webhookRoute(discourseSource),
});
