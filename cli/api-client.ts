import type { Connection } from './connection.js';
import { ApiError, UnreachableError } from './errors.js';
import { retryDelayMs } from './retry-delay.js';

export interface RequestOptions {
  /** Query parameters; `undefined` values are left out. */
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** A JSON body (serialised here) or raw text sent as it is. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Send the token (default); webhooks and `/health` need none. */
  readonly auth?: boolean;
  /**
   * Retry `429` and `503` after their `Retry-After` (SPEC §2, §3). Default: for `GET` only; a
   * change is retried only where the API makes a repeat harmless (webhook deliveries).
   */
  readonly retry?: boolean;
  /** What to do about an error status, in place of the token hints (e.g. a webhook's 401). */
  readonly errorHint?: (status: number) => string | undefined;
}

/** Attempts of one request under `429`/`503` before giving up. */
const maxAttempts = 5;
/** Rendering a report or ingesting 1,000 items takes seconds; nothing takes two minutes. */
const timeoutMs = 120_000;

/**
 * The API's HTTP client (SPEC §3): `fetch` with the bearer token, JSON in and out, and every
 * failure turned into a `CliError` whose message says what to do — the one place that knows
 * how the API answers errors.
 */
export class ApiClient {
  readonly connection: Connection;
  /** Called before each retry with the wait, so the command can say why it pauses. */
  onRetry: (status: number, waitMs: number) => void = () => {};

  constructor(connection: Connection) {
    this.connection = connection;
  }

  /** The response of a successful (2xx) request. @throws ApiError, UnreachableError */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const retry = options.retry ?? method === 'GET';
    for (let attempt = 1; ; attempt++) {
      const response = await this.send(method, path, options);
      if (response.ok) return response;
      if (retry && (response.status === 429 || response.status === 503) && attempt < maxAttempts) {
        await response.body?.cancel();
        const wait = retryDelayMs(response.headers.get('retry-after'), attempt);
        this.onRetry(response.status, wait);
        await new Promise((done) => setTimeout(done, wait));
        continue;
      }
      throw await this.failure(response, options.errorHint);
    }
  }

  /** The parsed JSON answer of a successful request (`undefined` for `204`). */
  async json<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.request(method, path, options);
    const text = await response.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  private async send(method: string, path: string, options: RequestOptions): Promise<Response> {
    const url = new URL(`${this.connection.url}${path}`);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers = new Headers(options.headers);
    if (options.auth !== false && this.connection.token) {
      headers.set('authorization', `Bearer ${this.connection.token}`);
    }
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
    try {
      return await fetch(url, {
        method,
        headers,
        body: body ?? null,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw this.unreachable(error);
    }
  }

  private unreachable(error: unknown): UnreachableError {
    // fetch wraps the socket's error: ECONNREFUSED, ENOTFOUND, or an AggregateError of both
    // address families for `localhost`; a few (a blocked port) have only a message.
    type Cause = { code?: string; message?: string; errors?: { code?: string }[] };
    const cause = (error as { cause?: Cause }).cause;
    const why =
      (error as Error).name === 'TimeoutError'
        ? `no answer within ${timeoutMs / 1000} s`
        : (cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? (error as Error).message);
    const where =
      this.connection.urlSource === '--url'
        ? 'Check --url (it overrides FLYWHEEL_URL)'
        : this.connection.urlSource === 'FLYWHEEL_URL'
          ? 'Check FLYWHEEL_URL (or pass --url)'
          : 'Set FLYWHEEL_URL (or --url) to the API address';
    return new UnreachableError(
      `Cannot reach the Flywheel API at ${this.connection.url} (${why}). ${where}; for local mode, start it with \`npm start\` in the checkout.`,
      { cause: error },
    );
  }

  private async failure(
    response: Response,
    errorHint?: (status: number) => string | undefined,
  ): Promise<ApiError> {
    const text = await response.text().catch(() => '');
    let detail = text.trim().slice(0, 500);
    try {
      const parsed = JSON.parse(text) as { error?: unknown; message?: unknown };
      if (typeof parsed.error === 'string') detail = parsed.error;
      else if (typeof parsed.message === 'string') detail = parsed.message;
    } catch {
      // Not JSON (a proxy's page, say): its text, cut short, is the best there is.
    }
    const head = `The API answered ${response.status}${detail ? `: ${detail}` : ''}`;
    const hint = errorHint?.(response.status) ?? this.hint(response.status);
    return new ApiError(response.status, `${head}${hint}`);
  }

  /** What to do about an answer, for the statuses where the user can act. */
  private hint(status: number): string {
    const { tokenSource } = this.connection;
    if (status === 401) {
      return tokenSource
        ? `\nThe token from ${tokenSource} was refused. Set FLYWHEEL_TOKEN (or pass --token) to a valid token: the admin token \`npm start\` prints, or a personal one from \`flywheel tokens create\`.`
        : '\nNo token was given. Set FLYWHEEL_TOKEN (or pass --token) to the admin token `npm start` prints, or to a personal one from `flywheel tokens create`.';
    }
    if (status === 403) {
      return `\nThe token from ${tokenSource ?? 'FLYWHEEL_TOKEN'} has too low a role for this (SPEC §8: viewer < reviewer < admin); use a token with a higher role.`;
    }
    return '';
  }
}
