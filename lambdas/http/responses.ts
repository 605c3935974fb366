/** A JSON response with a status: the router's plain-object return is always 200. */
export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

/** SPEC §3: every error is `{ "error": "..." }` with a fitting status. */
export const errorResponse = (status: number, message: string): Response =>
  json(status, { error: message });
