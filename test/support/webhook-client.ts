/**
 * The sender's side of Flywheel's webhooks (SPEC §2): Standard Webhooks signing written with
 * node:crypto alone, independent of the verification library the server uses, a poster, and a
 * planner that delivers items the way real senders do — shuffled, in batches, some items twice,
 * some deliveries retried whole.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { Random } from './telemetry-scenario.js';

export interface SignOptions {
  /** `webhook-id`; a retry of the same delivery carries the same id. Default: a fresh one. */
  readonly id?: string;
  /** `webhook-timestamp` in Unix seconds. Default: now. */
  readonly timestamp?: number;
}

export interface SignedDelivery {
  readonly headers: Record<string, string>;
  /** The raw body that was signed: `body` as JSON, or as is when it is a string or bytes. */
  readonly body: string | Buffer;
}

/**
 * Signs `body` per Standard Webhooks: `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`,
 * keyed by the base64-decoded part of `whsec_<key>`. A secret list (space-separated, as in a
 * rotation) yields one signature per secret.
 */
export function signedDelivery(
  secret: string,
  body: unknown,
  options: SignOptions = {},
): SignedDelivery {
  const id = options.id ?? `msg_${randomUUID()}`;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  // Bytes are signed as they are: a body that is not UTF-8 still gets a correct signature.
  const raw = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const signed = Buffer.concat([Buffer.from(`${id}.${timestamp}.`), Buffer.from(raw)]);
  const signatures = secret
    .split(/\s+/)
    .filter((s) => s !== '')
    .map((s) => {
      const key = Buffer.from(s.startsWith('whsec_') ? s.slice('whsec_'.length) : s, 'base64');
      const mac = createHmac('sha256', key).update(signed).digest('base64');
      return `v1,${mac}`;
    });
  return {
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatures.join(' '),
    },
    body: raw,
  };
}

export interface WebhookResponse {
  readonly status: number;
  /** The parsed JSON body, or `undefined` when it was not JSON. */
  readonly json: unknown;
}

/** Posts a signed delivery to `apiUrl` + `path` (e.g. `/webhooks/telemetry`). */
export async function postWebhook(
  apiUrl: string,
  path: string,
  secret: string,
  body: unknown,
  options: SignOptions = {},
): Promise<WebhookResponse> {
  const delivery = signedDelivery(secret, body, options);
  const response = await fetch(`${apiUrl}${path}`, {
    method: 'POST',
    headers: delivery.headers,
    body: delivery.body,
  });
  const text = await response.text();
  try {
    return { status: response.status, json: JSON.parse(text) };
  } catch {
    return { status: response.status, json: undefined };
  }
}

export interface Delivery<T> {
  /** The `webhook-id`: a redelivery repeats its original's. */
  readonly id: string;
  readonly items: readonly T[];
  /** Whether this is a whole retry of an earlier delivery (sent after all originals). */
  readonly redelivery: boolean;
}

export interface DeliveryPlanOptions {
  readonly idPrefix: string;
  /** Items per batch before duplicates are added. */
  readonly batchSize?: number;
  /** No batch grows beyond this when duplicates are added (SPEC §2 allows 1,000). */
  readonly maxBatch?: number;
  /** Share of items also put into another batch. */
  readonly duplicateShare?: number;
  /** Share of batches delivered a second time, whole, with the same webhook-id. */
  readonly redeliveryShare?: number;
}

/**
 * Shuffles the items, cuts them into batches, puts ~`duplicateShare` of them a second time into
 * another batch (never twice into one), and appends whole retries of ~`redeliveryShare` of the
 * batches. Every item appears in at least one original delivery.
 */
export function plannedDeliveries<T>(
  items: readonly T[],
  random: Random,
  options: DeliveryPlanOptions,
): Delivery<T>[] {
  const { batchSize = 450, maxBatch = 500, duplicateShare = 0.1, redeliveryShare = 0.05 } = options;
  const shuffled = random.shuffle(items);
  const batches: T[][] = [];
  for (let i = 0; i < shuffled.length; i += batchSize) {
    batches.push(shuffled.slice(i, i + batchSize));
  }
  for (let n = Math.round(items.length * duplicateShare); n > 0 && batches.length > 1; n--) {
    const item = random.pick(shuffled);
    const others = batches.filter((b) => b.length < maxBatch && !b.includes(item));
    if (others.length === 0) continue;
    const target = random.pick(others);
    target.splice(random.int(0, target.length), 0, item);
  }
  const originals = batches.map((batch, k) => ({
    id: `${options.idPrefix}_${k + 1}`,
    items: batch,
    redelivery: false,
  }));
  const retried = random.shuffle(originals).slice(0, Math.ceil(originals.length * redeliveryShare));
  return [...originals, ...retried.map((d) => ({ ...d, redelivery: true }))];
}

/**
 * `sha256=<lowercase hex HMAC-SHA256 of the raw body>`, keyed by a plain-string secret: how GitHub
 * signs (`X-Hub-Signature-256`) and Discourse signs (`X-Discourse-Event-Signature`), SPEC §11.
 * Written with node:crypto alone, independent of the verifier the server uses.
 */
export function hubSignatureOf(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
