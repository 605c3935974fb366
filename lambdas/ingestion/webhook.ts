import type { RequestContext } from '@aws-lambda-powertools/event-handler/types';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import * as z from 'zod';
import { AuthError, PayloadTooLargeError, ValidationError } from '../domain/errors.js';
import { json } from '../http/responses.js';
import { logger, metrics } from '../runtime/observability.js';
import { secretValue } from '../runtime/secrets.js';
import type { WebhookSource } from './source.js';

/** SPEC §2 limits. */
export const maxBodyBytes = 1024 * 1024;
export const maxItems = 1000;

/** A rejected item as the sender sees it: its index and what to fix. */
export interface Rejection {
  readonly index: number;
  readonly error: string;
}

/** Handles one delivery of a source: verify → limits → envelope → items → store → 202. */
export function webhookRoute<Item>(source: WebhookSource<Item>) {
  return async (reqCtx: RequestContext): Promise<Response> => {
    const body = Buffer.from(await reqCtx.req.arrayBuffer());
    if (body.length > maxBodyBytes) {
      throw new PayloadTooLargeError(
        `The body is ${body.length} bytes; send at most 1 MiB a delivery`,
      );
    }
    await verifySignature(source, body, reqCtx.req.headers);
    const items = parseEnvelope(source.envelopeKey, body);
    const schema = source.itemSchema(new Date());
    const valid: Item[] = [];
    const rejected: Rejection[] = [];
    items.forEach((item, index) => {
      const parsed = schema.safeParse(item);
      if (parsed.success) valid.push(parsed.data);
      else rejected.push({ index, error: describeItemError(parsed.error) });
    });
    const outcome = valid.length > 0 ? await source.store(valid) : { accepted: 0, duplicates: 0 };
    metrics.addMetric(`${source.name}Accepted`, 'Count', outcome.accepted);
    metrics.addMetric(`${source.name}Rejected`, 'Count', rejected.length);
    if (rejected.length > 0) logger.info('Items rejected', { source: source.name, rejected });
    return json(202, { ...outcome, rejected });
  };
}

/**
 * Standard Webhooks verification (constant-time, 300 s window) with the `standardwebhooks` package;
 * the secret variable may hold several space-separated secrets during a rotation.
 */
async function verifySignature(source: WebhookSource<unknown>, body: Buffer, headers: Headers) {
  const wanted = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;
  const missing = wanted.filter((name) => !headers.get(name));
  if (missing.length > 0)
    throw new AuthError(
      `Missing header ${missing.join(', ')}: sign the delivery per Standard Webhooks`,
    );
  const signed = Object.fromEntries(wanted.map((name) => [name, headers.get(name) ?? '']));
  const secrets = (await secretValue(source.secret)).split(/\s+/).filter(Boolean);
  for (const secret of secrets) {
    try {
      new Webhook(secret).verify(body, signed, { jsonParse: false });
      return;
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
    }
  }
  throw new AuthError('The signature does not match, or the timestamp is more than 300 s off');
}

function parseEnvelope(key: string, body: Buffer): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new ValidationError(`The body is not valid JSON (${(error as Error).message})`);
  }
  const envelope = z.object({ [key]: z.array(z.unknown()) }).safeParse(parsed);
  if (!envelope.success) {
    throw new ValidationError(`The body must be a JSON object { "${key}": [ ... ] }`);
  }
  const items = envelope.data[key] as unknown[];
  if (items.length > maxItems) {
    throw new PayloadTooLargeError(`${items.length} items; send at most ${maxItems} a delivery`);
  }
  return items;
}

/** `nodes must be an integer >= 0`: the field, then what it must be (SPEC §2's example). */
function describeItemError(error: z.ZodError): string {
  return error.issues
    .map((issue) => [issue.path.map(String).join('.'), issue.message].filter(Boolean).join(' '))
    .join('; ');
}
