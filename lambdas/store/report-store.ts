import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Month } from '../domain/month.js';
import { type AuditEntry, writeAudited } from './audit-store.js';
import { db, tableName } from './client.js';
import { keys } from './keys.js';
import { queryAll } from './query.js';

/** How long a send may hold its claim; a crashed sender's claim expires and the send is retried. */
const claimMs = 5 * 60 * 1000;

export interface SentReport {
  readonly month: Month;
  readonly messageId: string;
  readonly sentAt: string;
}

export async function getSentReport(month: Month): Promise<SentReport | undefined> {
  const result = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.report(month), ConsistentRead: true }),
  );
  const item = result.Item;
  return item?.status === 'sent'
    ? { month, messageId: item.messageId as string, sentAt: item.sentAt as string }
    : undefined;
}

/**
 * Claims the right to send a month's report: a conditional write, so of two concurrent senders
 * (the monthly schedule fired twice, a retry beside an admin) exactly one goes on. A sent report
 * can be claimed again only when forced; an abandoned claim after it expires.
 */
export async function claimReportSend(month: Month, force: boolean): Promise<boolean> {
  const now = Date.now();
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.report(month), month, status: 'sending', claimedAt: now },
        ConditionExpression: force
          ? 'attribute_not_exists(pk) OR #status = :sent OR claimedAt < :expired'
          : 'attribute_not_exists(pk) OR (#status = :sending AND claimedAt < :expired)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: force
          ? { ':sent': 'sent', ':expired': now - claimMs }
          : { ':sending': 'sending', ':expired': now - claimMs },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * Records the send, only after SES accepted the message; with `audit` (a send requested through
 * the API, SPEC §8) the record and its audit entry are one transaction.
 */
export async function recordReportSent(
  month: Month,
  messageId: string,
  audit?: AuditEntry,
): Promise<void> {
  const update = {
    TableName: tableName(),
    Key: keys.report(month),
    UpdateExpression: 'SET #status = :sent, messageId = :id, sentAt = :at REMOVE claimedAt',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':sent': 'sent',
      ':id': messageId,
      ':at': new Date().toISOString(),
    },
  };
  if (audit) await writeAudited([{ Update: update }], audit);
  else await db().send(new UpdateCommand(update));
}

/**
 * Gives a claim back after SES refused the message, so the month stays unsent and retryable. A
 * forced resend of a sent month goes back to its earlier record.
 */
export async function releaseReportClaim(month: Month, previous: SentReport | undefined) {
  if (previous) {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.report(month), ...previous, status: 'sent' },
      }),
    );
    return;
  }
  await db().send(new DeleteCommand({ TableName: tableName(), Key: keys.report(month) }));
}

/** Reports sent so far, oldest month first. */
export async function sentReports(): Promise<SentReport[]> {
  const items = await queryAll(keys.reportsPartition);
  return items
    .filter((item) => item.status === 'sent')
    .map((item) => ({
      month: item.sk as Month,
      messageId: item.messageId as string,
      sentAt: item.sentAt as string,
    }));
}
