import * as z from 'zod';
import { ValidationError } from '../domain/errors.js';
import { asciiDomain } from '../domain/identities.js';
import { epochMsOf, parseInstant } from '../domain/instant.js';
import { compareMonths, type Month, parseMonth } from '../domain/month.js';

/** Cluster and account ids (SPEC §2): 1–128 of `A-Za-z0-9._:-`. */
export const identifier = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1–128 characters of A-Z a-z 0-9 . _ : -');

/**
 * An email domain (SPEC §1, §3 account `domains`): lower-cased, NFC, in its ASCII (punycode) form
 * so `bücher.example` and `xn--bcher-kva.example` are one domain; a leading `@` is dropped.
 */
export const emailDomain = z
  .string({ error: 'must be a string' })
  .transform((text) =>
    asciiDomain(`@${text.trim().toLowerCase().normalize('NFC').replace(/^@/, '')}`).slice(1),
  )
  .refine(
    (domain) =>
      /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/.test(domain),
    'must be an email domain such as example.com (no @, no scheme, no path)',
  );

/**
 * An activity id (SPEC §2: ≤ 256 characters). Also at most 768 UTF-8 bytes: it is part of DynamoDB
 * keys, whose sort keys hold 1,024 bytes — 256 emoji would be 1,024 bytes on their own.
 */
export const activityIdentifier = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(256, 'must be at most 256 characters')
  .refine((id) => Buffer.byteLength(id, 'utf8') <= 768, 'must be at most 768 bytes in UTF-8');

/** A path parameter that must be an identifier; a 400 that names the parameter otherwise. */
export function identifierParam(name: string, value: string | undefined): string {
  const parsed = identifier.safeParse(value);
  if (!parsed.success) throw new ValidationError(`${name} ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** An inclusive month range; `from` after `to` is a 400 (SPEC §3). */
export function monthRangeParams(from: string, to: string): { from: Month; to: Month } {
  const range = { from: parseMonth(from), to: parseMonth(to) };
  if (compareMonths(range.from, range.to) > 0) {
    throw new ValidationError(`from (${from}) is after to (${to})`);
  }
  return range;
}

const futureToleranceMs = 5 * 60 * 1000;
/** Earlier instants are almost certainly a sender's clock or parsing bug. */
const earliest = Date.parse('2000-01-01T00:00:00Z');

/**
 * When something happened (SPEC §2 `reportedAt`, `occurredAt`): ISO 8601 with a zone offset in any
 * form SPEC §2 lists (`parseInstant`), not
 * more than 5 minutes after `now` (clock skew), not before 2000.
 */
export const pastInstant = (now: Date) =>
  z
    .string({ error: 'must be a string' })
    .refine(
      (at) => parseInstant(at) !== undefined,
      // Aborts: the checks below need an instant to read.
      {
        error: 'must be an ISO 8601 date-time with a zone offset (Z, ±hh:mm, ±hhmm or ±hh)',
        abort: true,
      },
    )
    .refine(
      (at) => epochMsOf(at) <= now.getTime() + futureToleranceMs,
      'must not be more than 5 minutes in the future',
    )
    .refine((at) => epochMsOf(at) >= earliest, 'must not be before 2000');
