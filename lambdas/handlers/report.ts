import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as z from 'zod';
import { recomputeTouchedThrough } from '../compute/recompute-touched.js';
import { loadReportInput } from '../compute/report-input.js';
import { sendReport } from '../compute/send-report.js';
import { monthOf, parseMonth, previousMonth } from '../domain/month.js';
import { readOptionalBody } from '../http/body.js';
import { json } from '../http/responses.js';
import { createHttpHandler, param } from '../http/router.js';
import { inlineImagesForBrowser, renderReport } from '../report/render-report.js';
import { instrumented } from '../runtime/instrument.js';
import { logger } from '../runtime/observability.js';
import { getConfig } from '../store/config-store.js';
import { isHttpEvent, scheduleEventSchema } from './schedule-event.js';

const sendBody = z.object({ force: z.boolean().optional() }).strict();

const http = createHttpHandler('report', {
  'GET /reports/{month}': async (reqCtx) => {
    const month = parseMonth(param(reqCtx, 'month') ?? '');
    const report = await renderReport(await loadReportInput(month));
    // The mailed HTML, its cid: images inlined so that a browser shows them.
    return new Response(inlineImagesForBrowser(report.html, report.images), {
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8' },
    });
  },
  'POST /admin/reports/{month}/send': async (reqCtx) => {
    const month = parseMonth(param(reqCtx, 'month') ?? '');
    const { force = false } = await readOptionalBody(reqCtx, sendBody, {});
    return json(202, await sendReport(month, force));
  },
});

/**
 * SPEC §4 monthly schedule (1st, 08:00 reporting time): finalise the previous month — recompute it
 * and every touched month before it — then mail its report, once however often this fires.
 */
const monthly = instrumented(async (event: unknown) => {
  scheduleEventSchema.parse(event);
  const { timezone } = await getConfig();
  const month = previousMonth(monthOf(new Date(), timezone));
  await recomputeTouchedThrough(month);
  const outcome = await sendReport(month);
  logger.info('Monthly report', { month, ...outcome });
  return { month, ...outcome };
});

/** Serves and mails the monthly report (SPEC §3, §4, §5): HTTP routes and the monthly schedule. */
export async function handler(event: APIGatewayProxyEventV2 | unknown, context: Context) {
  if (isHttpEvent(event)) return http(event as APIGatewayProxyEventV2, context);
  return monthly(event, context);
}
