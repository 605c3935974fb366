import type { RequestContext } from '@aws-lambda-powertools/event-handler/types';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import * as z from 'zod';
import {
  AuthError,
  PayloadTooLargeError,
  RetryableError,
  ValidationError,
} from '../domain/errors.js';
import { bodyBytes, utf8Text, withoutBom } from '../http/body.js';
import { json } from '../http/responses.js';
import { logger, metrics } from '../runtime/observability.js';
import { secretValue } from '../runtime/secrets.js';
import { getConfig } from '../store/config-store.js';
import { storeRejections } from '../store/rejections-store.js';
import { env, type SecretName } from '../system.js';
import { malformedSecretsMessage, parseSigningSecrets } from './signing-secrets.js';
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
    const body = bodyBytes(reqCtx);
    if (body.length > maxBodyBytes) {
      throw new PayloadTooLargeError(
        `The body is ${body.length} bytes; send at most 1 MiB a delivery`,
      );
    }
    // Checked before the signature: `standardwebhooks` signs the body as text, so bytes that are
    // not UTF-8 could never verify — the sender would read a 401 and rotate secrets in vain, where
    // its bug is the encoding (400, SPEC §2).
    const text = utf8Text(body);
    await verifySignature(source, text, reqCtx.req.headers);
    const items = parseEnvelope(source.envelopeKey, withoutBom(text));
    const schema = source.itemSchema(new Date());
    const valid: Item[] = [];
    const rejected: Rejection[] = [];
    items.forEach((item, index) => {
      const parsed = schema.safeParse(item);
      if (parsed.success) valid.push(parsed.data);
      else rejected.push({ index, error: describeItemError(parsed.error) });
    });
    const webhookId = reqCtx.req.headers.get('webhook-id') ?? '';
    const [outcome] = await Promise.all([
      valid.length > 0 ? source.store(valid) : { accepted: 0, duplicates: 0 },
      keepRejections(source.name, webhookId, items, rejected),
    ]);
    metrics.addMetric(`${source.name}Accepted`, 'Count', outcome.accepted);
    metrics.addMetric(`${source.name}Rejected`, 'Count', rejected.length);
    if (rejected.length > 0) logger.info('Items rejected', { source: source.name, rejected });
    return json(202, { ...outcome, rejected });
  };
}

/** Senders count a 202 as delivered: rejected items are kept for an admin to see (SPEC §2). */
async function keepRejections(
  source: string,
  webhookId: string,
  items: readonly unknown[],
  rejected: readonly Rejection[],
): Promise<void> {
  if (rejected.length === 0) return;
  const at = new Date().toISOString();
  const { timezone } = await getConfig();
  await storeRejections(
    rejected.map(({ index, error }) => ({
      source,
      webhookId,
      index,
      error,
      item: items[index],
      at,
    })),
    timezone,
  );
}

/** Secret values already checked, so a malformed one is reported once per process, not per call. */
const checkedSecrets = new Map<string, readonly string[]>();

/** The usable secrets of a source; malformed ones are logged and counted once, then skipped. */
async function usableSecrets(name: SecretName): Promise<readonly string[]> {
  const value = await secretValue(name);
  const known = checkedSecrets.get(value);
  if (known) return known;
  const { usable, malformed } = parseSigningSecrets(value);
  if (malformed.length > 0) {
    logger.error(malformedSecretsMessage(env.secret[name], malformed));
    metrics.addMetric('MalformedSigningSecret', 'Count', malformed.length);
  }
  checkedSecrets.set(value, usable);
  return usable;
}

/**
 * Standard Webhooks verification (constant-time, 300 s window) with the `standardwebhooks` package;
 * the secret variable may hold several space-separated secrets during a rotation.
 */
async function verifySignature(source: WebhookSource<unknown>, body: string, headers: Headers) {
  const wanted = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;
  const missing = wanted.filter((name) => !headers.get(name));
  if (missing.length > 0)
    throw new AuthError(
      `Missing header ${missing.join(', ')}: sign the delivery per Standard Webhooks`,
    );
  const signed = Object.fromEntries(wanted.map((name) => [name, headers.get(name) ?? '']));
  const secrets = await usableSecrets(source.secret);
  if (secrets.length === 0) {
    // Nothing the sender can fix: it should retry once the operator has (the log says how).
    throw new RetryableError('The receiver has no usable signing secret; retry later');
  }
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

function parseEnvelope(key: string, text: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
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
