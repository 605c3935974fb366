import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** Posts a body to a webhook, signed with the `standardwebhooks` package as a sender would. */
export function deliverSigned(
  url: string,
  secret: string,
  body: unknown,
  options: { id?: string; at?: Date; headers?: Record<string, string> } = {},
): Promise<Response> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const id = options.id ?? `msg_${randomUUID()}`;
  const at = options.at ?? new Date();
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, at, text),
      ...options.headers,
    },
    body: text,
  });
}

/** Polls a recalculation job until it ends; fails on `failed` or after `timeoutMs`. */
export async function waitForJob(
  api: (path: string) => Promise<Response>,
  jobId: string,
  timeoutMs = 60_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const job = (await (await api(`/admin/jobs/${jobId}`)).json()) as Record<string, unknown>;
    if (job.status === 'succeeded') return job;
    if (job.status === 'failed') throw new Error(`Job ${jobId} failed: ${String(job.error)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Job ${jobId} did not finish within ${timeoutMs} ms`);
}
