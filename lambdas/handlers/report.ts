import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { createHttpHandler } from '../http/router.js';
import { logger } from '../runtime/observability.js';
import { isHttpEvent, scheduleEventSchema } from './schedule-event.js';

const http = createHttpHandler('report', {});

/** Serves and mails the monthly report (SPEC §3, §4, §5): HTTP routes and the monthly schedule. */
export async function handler(event: APIGatewayProxyEventV2 | unknown, context: Context) {
  if (isHttpEvent(event)) return http(event as APIGatewayProxyEventV2, context);
  const { schedule } = scheduleEventSchema.parse(event);
  logger.warn('The monthly report is not built yet', { schedule });
  return { sent: false };
}
