import { LogFormatter, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';

/**
 * Email addresses are personal data: logs keep enough to tell them apart while debugging
 * (`ada@example.com` → `a***@example.com`) and no more. The scan is hand-written rather than one
 * regular expression so that it stays linear on megabyte strings (a delivery's rejected items).
 */

/**
 * What may stand before the `@` of an address: RFC 5322 `atext` and dots, except `/ = ? &`, which
 * in logs delimit URL paths and queries (`/activities/ada@x.io` masks `ada`, not the path).
 */
const localChar = /^[\p{L}\p{N}!#$%'*+^_`{|}~.-]$/u;
const domainChar = /^[\p{L}\p{N}.-]$/u;
/** RFC 5321 limits bound the scan around each `@`. */
const maxLocal = 64;
const maxDomain = 255;
/** `@` as written, and percent-encoded as in a logged URL path. */
const separator = /@|%40/gi;

/** The end of the domain that starts at `from`, or -1 when what follows is not a domain name. */
function domainEnd(text: string, from: number): number {
  let end = from;
  while (end < text.length && end - from < maxDomain && domainChar.test(text.charAt(end))) end++;
  while (end > from && /[.-]/.test(text.charAt(end - 1))) end--;
  const domain = text.slice(from, end);
  const labels = domain.split('.');
  const last = labels.at(-1) ?? '';
  // `name@host` without a dot, or a version such as `pkg@1.2.3`, is not an address.
  const isDomain = labels.length > 1 && !labels.includes('') && /^\p{L}/u.test(last);
  return isDomain ? end : -1;
}

/** Masks every email address inside a string: the first character of the local part stays. */
export function maskEmails(text: string): string {
  if (!text.includes('@') && !/%40/i.test(text)) return text;
  let out = '';
  let copied = 0;
  for (const match of text.matchAll(separator)) {
    const at = match.index;
    if (at < copied) continue;
    let start = at;
    while (start > copied && at - start < maxLocal && localChar.test(text.charAt(start - 1))) {
      start--;
    }
    const end = domainEnd(text, at + match[0].length);
    if (start === at || end === -1) continue;
    out += `${text.slice(copied, start)}${text.charAt(start)}***${match[0]}`;
    out += text.slice(at + match[0].length, end);
    copied = end;
  }
  return out + text.slice(copied);
}

/**
 * A log value with every string masked, object keys included, however deep. Errors become the
 * formatter's plain form first, so that their message, stack and cause are masked too; a value
 * with `toJSON` (a URL…) is masked as it would be serialised. Cycles keep their shape.
 */
export function maskLogValue(
  value: unknown,
  formatError: (error: Error) => LogAttributes,
  seen = new WeakMap<object, unknown>(),
): unknown {
  if (typeof value === 'string') return maskEmails(value);
  if (typeof value !== 'object' || value === null) return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (value instanceof Error) return maskLogValue(formatError(value), formatError, seen);
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    return maskLogValue(toJSON.call(value), formatError, seen);
  }
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(maskLogValue(item, formatError, seen));
    return copy;
  }
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const [key, item] of Object.entries(value)) {
    // defineProperty, not assignment: a logged `__proto__` key stays a key, never a prototype.
    Object.defineProperty(copy, maskEmails(key), {
      value: maskLogValue(item, formatError, seen),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

/**
 * Powertools' standard log shape (the same keys as its default formatter) with email addresses
 * masked in every attribute: the message, the keys and values of extra attributes, and errors.
 */
export class MaskingLogFormatter extends LogFormatter {
  override formatAttributes(
    attributes: UnformattedAttributes,
    additionalLogAttributes: LogAttributes,
  ): LogItem {
    const base: LogAttributes = {
      level: attributes.logLevel,
      message: attributes.message,
      timestamp: this.formatTimestamp(attributes.timestamp),
      service: attributes.serviceName,
      cold_start: attributes.lambdaContext?.coldStart,
      function_arn: attributes.lambdaContext?.invokedFunctionArn,
      function_memory_size: attributes.lambdaContext?.memoryLimitInMB,
      function_name: attributes.lambdaContext?.functionName,
      function_request_id: attributes.lambdaContext?.awsRequestId,
      sampling_rate: attributes.sampleRateValue,
      xray_trace_id: attributes.xRayTraceId,
      tenant_id: attributes.lambdaContext?.tenantId,
    };
    const mask = (value: LogAttributes) =>
      maskLogValue(value, (error) => this.formatError(error)) as LogAttributes;
    return new LogItem({ attributes: mask(base) }).addAttributes(mask(additionalLogAttributes));
  }
}
