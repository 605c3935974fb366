import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ConflictError, FlywheelError, RetryableError, ValidationError } from '../domain/errors.js';
import type { Month } from '../domain/month.js';
import { buildReportMessage } from '../report/mime.js';
import { renderReport } from '../report/render-report.js';
import { logger, metrics } from '../runtime/observability.js';
import { type AuditEntry, writeAudited } from '../store/audit-store.js';
import { getConfig } from '../store/config-store.js';
import {
  claimReportSend,
  getSentReport,
  recordReportSent,
  releaseReportClaim,
} from '../store/report-store.js';
import { env } from '../system.js';
import { loadReportInput } from './report-input.js';

let ses: SESv2Client | undefined;

export interface SendOutcome {
  readonly messageId: string;
  readonly alreadySent: boolean;
}

/**
 * Mails M's report to `reportRecipients` exactly once (SPEC §3, §4): a conditional claim lets one
 * sender through, and the send is recorded only after SES accepted the message. An SES failure
 * gives the claim back — the month stays unsent and retryable — and is logged with a metric.
 */
export async function sendReport(
  month: Month,
  force = false,
  audit?: (outcome: SendOutcome) => AuditEntry,
): Promise<SendOutcome> {
  const previous = await getSentReport(month);
  if (previous && !force) return alreadySent(previous.messageId, audit);
  const config = await getConfig();
  const { reportRecipients } = config;
  const reportSender = config.reportSender ?? process.env[env.reportSender];
  if (!reportSender || reportRecipients.length === 0) {
    throw new ValidationError(
      'Set reportSender and reportRecipients with PUT /admin/config before sending a report',
    );
  }
  if (!(await claimReportSend(month, force))) {
    const sent = await getSentReport(month);
    if (sent && !force) return alreadySent(sent.messageId, audit);
    throw new ConflictError(`The ${month} report is being sent right now; retry in a few minutes`);
  }
  let messageId: string;
  try {
    const report = await renderReport(await loadReportInput(month));
    const raw = await buildReportMessage({ ...report, from: reportSender, to: reportRecipients });
    ses ??= new SESv2Client({});
    const result = await ses.send(
      new SendEmailCommand({
        FromEmailAddress: reportSender,
        Destination: { ToAddresses: [...reportRecipients] },
        Content: { Raw: { Data: raw } },
      }),
    );
    messageId = result.MessageId ?? 'unknown';
  } catch (error) {
    await releaseReportClaim(month, previous);
    // A request that cannot be served (month not computed…) is the caller's to fix, not an outage.
    if (error instanceof FlywheelError) throw error;
    metrics.addMetric('reportSendFailed', 'Count', 1);
    logger.error('The report could not be sent', { error, month });
    throw new RetryableError(`The ${month} report could not be sent; it stays unsent — retry`);
  }
  await recordReportSent(month, messageId, audit?.({ messageId, alreadySent: false }));
  metrics.addMetric('reportSent', 'Count', 1);
  logger.info('Report sent', { month, messageId, recipients: reportRecipients.length });
  return { messageId, alreadySent: false };
}

/** A request to send a sent month changes nothing; through the API it is still audited (SPEC §8). */
async function alreadySent(
  messageId: string,
  audit: ((outcome: SendOutcome) => AuditEntry) | undefined,
): Promise<SendOutcome> {
  const outcome = { messageId, alreadySent: true };
  if (audit) await writeAudited([], audit(outcome));
  return outcome;
}
