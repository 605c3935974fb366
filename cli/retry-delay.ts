/** No wait is longer than this, whatever a `Retry-After` asks: the user is watching. */
export const maxRetryDelayMs = 30_000;

/**
 * How long to wait before retrying a `429` or `503` (SPEC §2: senders back off and retry): the
 * `Retry-After` header's seconds or HTTP date when present, else 1 s, 2 s, 4 s, … by attempt
 * (1-based); never more than 30 s, never negative.
 */
export function retryDelayMs(
  retryAfter: string | null,
  attempt: number,
  now: number = Date.now(),
): number {
  const backoff = 1000 * 2 ** Math.max(0, attempt - 1);
  const text = retryAfter?.trim() ?? '';
  let wanted = backoff;
  if (/^\d+(\.\d+)?$/.test(text)) wanted = Number(text) * 1000;
  else if (text !== '' && !Number.isNaN(Date.parse(text))) wanted = Date.parse(text) - now;
  return Math.min(maxRetryDelayMs, Math.max(0, Math.round(wanted)));
}
