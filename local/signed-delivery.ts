import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export interface SignOptions {
  /** The delivery's id; a retry of the same delivery sends the same one. */
  readonly id?: string;
  readonly at?: Date;
  readonly headers?: Record<string, string>;
}

/**
 * `POST`s a body signed per Standard Webhooks with a `whsec_…` secret, as any sender would (SPEC
 * §2): used by the demo, the load run and the tests. A string body is sent as it is.
 */
export function postSigned(
  url: string,
  secret: string,
  body: unknown,
  options: SignOptions = {},
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
