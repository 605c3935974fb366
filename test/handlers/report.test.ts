import { randomUUID } from 'node:crypto';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthOf, previousMonth } from '../../lambdas/domain/month.js';
import { recalculationStates } from '../../lambdas/orchestration/recalculation-machine.js';
import { deliverSigned, waitForJob } from '../support/signed-delivery.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

let system: TestSystem;
/** A recipient of this file's own, so mails of other test files sharing the SES stand-in don't count. */
const recipient = `growth-${randomUUID().slice(0, 8)}@example.com`;

beforeAll(async () => {
  system = await startTestSystem();
  await system.api('/admin/config', {
    method: 'PUT',
    body: JSON.stringify({ reportRecipients: [recipient], reportSender: 'flywheel@example.com' }),
  });
  const events = ['acme', 'globex', 'initech'].map((accountId, i) => ({
    clusterId: `${accountId}-prod`,
    accountId,
    environment: 'production',
    nodes: 40 + i * 10,
    reportedAt: '2025-04-10T00:00:00Z',
  }));
  await deliverSigned(`${system.apiUrl}/webhooks/telemetry`, system.secrets.telemetrySecret, {
    events,
  });
  await deliverSigned(`${system.apiUrl}/webhooks/community`, system.secrets.communitySecret, {
    activities: [
      {
        activityId: 'talk-1',
        type: 'talk',
        title: 'Scaling to the moon',
        url: 'https://example.com/talk',
        occurredAt: '2025-04-12T10:00:00Z',
        member: { email: 'ada@example.com', name: 'Ada', accountId: 'globex' },
      },
    ],
  });
  const job = await system.api('/admin/recalculate', {
    method: 'POST',
    body: JSON.stringify({ from: '2025-03', to: '2025-04' }),
  });
  await waitForJob(system.api, ((await job.json()) as { jobId: string }).jobId);
});
afterAll(() => system?.stop());

interface StoredMail {
  subject: string;
  destination: { to: string[] };
  attachments: { filename: string }[];
}

async function mailsFor(subject: string): Promise<StoredMail[]> {
  const store = (await (await fetch(`${system.sesEndpoint}/store`)).json()) as {
    emails: StoredMail[];
  };
  return store.emails.filter(
    (m) => m.subject === subject && JSON.stringify(m.destination).includes(recipient),
  );
}

const send = (month: string, body?: unknown) =>
  system.api(`/admin/reports/${month}/send`, {
    method: 'POST',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe('the monthly report', () => {
  it('serves the report as HTML with its charts inlined', async () => {
    const response = await system.api('/reports/2025-04');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain('April 2025');
    expect(html).toContain('Scaling to the moon');
    expect(html).toMatch(/src="data:image\/png;base64,/);
    expect(html).not.toMatch(/src="cid:/);
  });

  it('answers 404 for a month never computed and 400 for a malformed one', async () => {
    expect((await system.api('/reports/2019-01')).status).toBe(404);
    expect((await system.api('/reports/2025-13')).status).toBe(400);
  });

  it('mails a month once, and again only when forced', async () => {
    const subject = 'Flywheel growth report — April 2025';
    const first = await send('2025-04');
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({ alreadySent: false });
    const again = await send('2025-04', {});
    expect(await again.json()).toMatchObject({ alreadySent: true });
    const mails = await mailsFor(subject);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.attachments.map((a) => a.filename)).toContain('flywheel-accounts-2025-04.csv');
    const forced = await send('2025-04', { force: true });
    expect(await forced.json()).toMatchObject({ alreadySent: false });
    expect(await mailsFor(subject)).toHaveLength(2);
  });

  it('leaves the month unsent and retryable when SES fails', async () => {
    const subject = 'Flywheel growth report — March 2025';
    const ses = mockClient(SESv2Client);
    ses.on(SendEmailCommand).rejects(new Error('SES is down'));
    try {
      const failed = await send('2025-03');
      expect(failed.status).toBe(503);
      expect(await failed.json()).toHaveProperty('error');
    } finally {
      ses.restore();
    }
    expect(await mailsFor(subject)).toHaveLength(0);
    const retried = await send('2025-03');
    expect(await retried.json()).toMatchObject({ alreadySent: false });
    expect(await mailsFor(subject)).toHaveLength(1);
  });

  it('finalises the month as one job that mails it last, however often the schedule fires', async () => {
    const config = (await (await system.api('/admin/config')).json()) as { timezone: string };
    const month = previousMonth(monthOf(new Date(), config.timezone));
    const label = new Date(`${month}-15T00:00:00Z`).toLocaleString('en-US', {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    const before = system.executions().length;
    await Promise.allSettled([system.scheduler.fire('monthly'), system.scheduler.fire('monthly')]);
    await system.scheduler.fire('monthly');
    // One job for the month however often the schedule fires (EventBridge delivers at least once).
    const jobs = system.executions().slice(before);
    expect(jobs).toHaveLength(1);
    await Promise.all(jobs.map((job) => job.done));
    for (const job of jobs) {
      expect(job.status).toBe('SUCCEEDED');
      // The months are recomputed first, through the reported one; the mail is the last task.
      const runs = job.tasks.filter((task) => task.state === recalculationStates.run);
      const [first] = runs;
      expect(first).toBeDefined();
      const recomputed = (first?.input as { runs: string[][] } | undefined)?.runs.flat() ?? [];
      expect(recomputed.at(-1)).toBe(month);
      expect(job.tasks.at(-1)).toEqual({
        state: recalculationStates.report,
        input: { jobId: job.name, report: month },
      });
      const status = await (await system.api(`/admin/jobs/${job.name}`)).json();
      expect(status).toMatchObject({ status: 'succeeded' });
    }
    expect(await mailsFor(`Flywheel growth report — ${label}`)).toHaveLength(1);
  });

  it('refuses to send before a sender and recipients are configured', async () => {
    await system.api('/admin/config', {
      method: 'PUT',
      body: JSON.stringify({ reportRecipients: [] }),
    });
    try {
      const response = await send('2025-03', { force: true });
      expect(response.status).toBe(400);
    } finally {
      await system.api('/admin/config', {
        method: 'PUT',
        body: JSON.stringify({ reportRecipients: [recipient] }),
      });
    }
  });
});
