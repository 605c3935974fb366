import type { RequestContext } from '@aws-lambda-powertools/event-handler/types';
import type * as z from 'zod';
import { PayloadTooLargeError, RetryableError, ValidationError } from '../domain/errors.js';
import { bodyBytes, utf8Text, withoutBom } from '../http/body.js';
import { json } from '../http/responses.js';
import { logger, metrics } from '../runtime/observability.js';
import { secretValue } from '../runtime/secrets.js';
import { getConfig } from '../store/config-store.js';
import { storeRejections } from '../store/rejections-store.js';
import { env } from '../system.js';
import { signatureScheme } from './signatures.js';
import { malformedSecretsMessage } from './signing-secrets.js';
import type { SignatureScheme, WebhookSource } from './source.js';

/** SPEC §2 limits. */
export const maxBodyBytes = 1024 * 1024;
export const maxItems = 1000;

/** A rejected item as the sender sees it: its index and what to fix. */
export interface Rejection {
  readonly index: number;
  readonly error: string;
}

/**
 * Handles one delivery of a source (SPEC §2, §11): limits → UTF-8 → signature → the source's
 * envelope → each item → store → `202 { accepted, duplicates, rejected }`; a ping is
 * `200 {"ok":true}`. Rejected items are kept for an admin (`GET /admin/rejections`).
 */
export function webhookRoute<Item>(source: WebhookSource<Item>) {
  const scheme = signatureScheme(source.signing);
  return async (reqCtx: RequestContext): Promise<Response> => {
    const body = bodyBytes(reqCtx);
    if (body.length > maxBodyBytes) {
      throw new PayloadTooLargeError(
        `The body is ${body.length} bytes; send at most 1 MiB a delivery`,
      );
    }
    // Checked before the signature: every scheme signs the body as text, so bytes that are not
    // UTF-8 could never verify — the sender would read a 401 and rotate secrets in vain, where
    // its bug is the encoding (400, SPEC §2).
    const text = utf8Text(body);
    const headers = reqCtx.req.headers;
    await verifySignature(source, scheme, text, headers);
    const contents = source.read(parseJson(text, headers), headers);
    if (contents.kind === 'ping') return json(200, { ok: true });
    const { items } = contents;
    if (items.length > maxItems) {
      throw new PayloadTooLargeError(`${items.length} items; send at most ${maxItems} a delivery`);
    }
    const schema = source.itemSchema(new Date());
    const valid: Item[] = [];
    const rejected: Rejection[] = [];
    items.forEach((item, index) => {
      const parsed = schema.safeParse(item);
      if (parsed.success) valid.push(parsed.data);
      else rejected.push({ index, error: describeItemError(parsed.error) });
    });
    const deliveryId = headers.get(scheme.deliveryHeader) ?? '';
    const [outcome] = await Promise.all([
      valid.length > 0 ? source.store(valid) : { accepted: 0, duplicates: 0 },
      keepRejections(source.name, deliveryId, items, rejected),
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
async function usableSecrets(
  source: WebhookSource<unknown>,
  scheme: SignatureScheme,
): Promise<readonly string[]> {
  const value = await secretValue(source.secret);
  // Per source: one value may be parsed differently by two signature schemes.
  const cacheKey = `${source.name}\n${value}`;
  const known = checkedSecrets.get(cacheKey);
  if (known) return known;
  const { usable, malformed } = scheme.parseSecrets(value);
  if (malformed.length > 0) {
    logger.error(malformedSecretsMessage(env.secret[source.secret], malformed));
    metrics.addMetric('MalformedSigningSecret', 'Count', malformed.length);
  }
  checkedSecrets.set(cacheKey, usable);
  return usable;
}

/** Verifies the delivery with the source's scheme under any of its usable secrets (rotation). */
async function verifySignature(
  source: WebhookSource<unknown>,
  scheme: SignatureScheme,
  body: string,
  headers: Headers,
) {
  const secrets = await usableSecrets(source, scheme);
  if (secrets.length === 0) {
    // Nothing the sender can fix: it should retry once the operator has (the log says how).
    throw new RetryableError('The receiver has no usable signing secret; retry later');
  }
  await scheme.verify(body, headers, secrets);
}

/** The body as JSON; anything else is a 400 that says what to send (SPEC §2). */
function parseJson(text: string, headers: Headers): unknown {
  try {
    return JSON.parse(withoutBom(text));
  } catch (error) {
    // GitHub and Discourse can also send form-encoded bodies; the operator picks JSON in the
    // webhook's settings, and the message says so where "not valid JSON" would leave them guessing.
    if (headers.get('content-type')?.startsWith('application/x-www-form-urlencoded')) {
      throw new ValidationError(
        "The body is form-encoded: set the webhook's content type to application/json",
      );
    }
    throw new ValidationError(`The body is not valid JSON (${(error as Error).message})`);
  }
}

/** `nodes must be an integer >= 0`: the field, then what it must be (SPEC §2's example). */
function describeItemError(error: z.ZodError): string {
  return error.issues
    .map((issue) => [issue.path.map(String).join('.'), issue.message].filter(Boolean).join(' '))
    .join('; ');
}
