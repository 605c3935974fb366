import { progressBar } from './progress.js';

/** A failure the demo explains in one line, with what to do about it. */
export class DemoError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
}

export type AdminApi = (
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
  options?: { allow?: readonly number[] },
) => Promise<ApiResponse>;

/**
 * The admin API with the bearer token (SPEC §3). A 2xx answer — or one of the `allow`ed statuses —
 * is returned; anything else is a `DemoError` naming the route and the server's error.
 */
export function adminApi(apiUrl: string, token: string): AdminApi {
  return async (method, path, body, options = {}) => {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (e.g. the report's HTML): keep the text
    }
    if (response.ok || options.allow?.includes(response.status)) {
      return { status: response.status, body: parsed };
    }
    if (response.status === 401) {
      throw new DemoError(
        `${method} ${path} answered 401`,
        'set FLYWHEEL_ADMIN_TOKEN to the admin token the running Flywheel printed',
      );
    }
    const error = (parsed as { error?: string; message?: string }) ?? {};
    throw new DemoError(
      `${method} ${path} answered ${response.status}: ${error.error ?? error.message ?? text}`,
      'check the server output above, then run the demo again (it is safe to repeat)',
    );
  };
}

interface Job {
  readonly status: 'queued' | 'running' | 'succeeded' | 'failed';
  readonly months: readonly string[];
  readonly completedMonths?: readonly string[];
  readonly error?: string;
}

/** Polls a recalculation job with a progress bar over its months; returns the seconds it took. */
export async function waitForJob(api: AdminApi, jobId: string, months: number): Promise<number> {
  const bar = progressBar('Recalculate', 'months', months);
  try {
    for (;;) {
      const job = (await api('GET', `/admin/jobs/${jobId}`)).body as Job;
      bar.update(job.completedMonths?.length ?? 0);
      if (job.status === 'succeeded') {
        bar.update(months);
        return bar.stop();
      }
      if (job.status === 'failed') {
        throw new DemoError(
          `recalculation job ${jobId} failed: ${job.error ?? 'no reason given'}`,
          'see the server log above; run the demo again to retry',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    bar.stop();
  }
}
