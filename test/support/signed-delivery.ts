import { postSigned } from '../../local/signed-delivery.js';

/** Posts a body to a webhook, signed with the `standardwebhooks` package as a sender would. */
export const deliverSigned = postSigned;

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
