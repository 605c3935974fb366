/** Seconds a throttled or refused sender should wait before retrying (SPEC §2: 503/429). */
export const retryAfterSeconds = 5;

/** A JSON response with a status: the router's plain-object return is always 200. */
export function json(status: number, body: unknown): Response {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (status === 503 || status === 429) headers['retry-after'] = String(retryAfterSeconds);
  return new Response(JSON.stringify(body), { status, headers });
}

/** SPEC §3: every error is `{ "error": "..." }` with a fitting status. */
export const errorResponse = (status: number, message: string): Response =>
  json(status, { error: message });
