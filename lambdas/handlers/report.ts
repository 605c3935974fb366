import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as z from 'zod';
import { queueRecalculation } from '../compute/recalculation-jobs.js';
import { touchedThrough } from '../compute/recompute-touched.js';
import { loadReportInput } from '../compute/report-input.js';
import { sendReport } from '../compute/send-report.js';
import { monthOf, parseMonth, previousMonth } from '../domain/month.js';
import { auditEntry } from '../http/audit.js';
import { readOptionalBody } from '../http/body.js';
import { json } from '../http/responses.js';
import { createHttpHandler, param } from '../http/router.js';
import type { ReportTask } from '../orchestration/recalculation-machine.js';
import { inlineImagesForBrowser, renderReport } from '../report/render-report.js';
import { instrumented } from '../runtime/instrument.js';
import { logger } from '../runtime/observability.js';
import { getConfig } from '../store/config-store.js';
import { sendBody } from './report-schemas.js';
import { isHttpEvent, scheduleEventSchema } from './schedule-event.js';

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
    const outcome = await sendReport(month, force, (sent) =>
      auditEntry(reqCtx, `report:${month}`, null, { ...sent, force }),
    );
    return json(202, outcome);
  },
});

/**
 * SPEC §4 monthly schedule (1st, 08:00 reporting time): finalise the previous month — recompute it
 * and every touched month before it — then mail its report, once however often this fires. The
 * recomputation is a recalculation job (listed at `GET /admin/jobs`), split into runs by its state
 * machine like any other, whatever the number of clusters; its last task mails the report.
 */
const monthly = instrumented(async (event: unknown) => {
  scheduleEventSchema.parse(event);
  const { timezone } = await getConfig();
  const month = previousMonth(monthOf(new Date(), timezone));
  const months = await touchedThrough(month);
  // One job a month, however often the schedule fires (EventBridge delivers at least once).
  const { jobId } = await queueRecalculation(months, {
    report: month,
    idempotencyKey: `monthly:${month}`,
  });
  logger.info('Monthly report queued after its recomputation', {
    month,
    jobId,
    from: months[0],
    to: months.at(-1),
  });
  return { month, jobId };
});

const reportTask: z.ZodType<ReportTask, unknown> = z.object({
  jobId: z.string(),
  report: z.string().transform((text) => parseMonth(text)),
});

/** The state machine's last task: the job recomputed the months, now the report goes out once. */
const mailAfterJob = instrumented(async (event: unknown) => {
  const { jobId, report: month } = reportTask.parse(event);
  const outcome = await sendReport(month);
  logger.info('Monthly report', { month, jobId, ...outcome });
  return { month, ...outcome };
});

/**
 * Serves and mails the monthly report (SPEC §3, §4, §5): HTTP routes, the monthly schedule, and
 * the recalculation state machine's report task (`ReportTask`).
 */
export async function handler(event: APIGatewayProxyEventV2 | unknown, context: Context) {
  if (isHttpEvent(event)) return http(event as APIGatewayProxyEventV2, context);
  if (typeof event === 'object' && event !== null && 'report' in event) {
    return mailAfterJob(event, context);
  }
  return monthly(event, context);
}
