/**
 * Instants as senders write them (SPEC §2): ISO 8601 / RFC 3339 date-times with a zone offset —
 * `Z`, `±hh:mm`, `±hhmm` or `±hh` — seconds optional, fractional seconds of any length. `Date.parse`
 * reads none of `+0530`, `+05` and keeps only milliseconds, so instants are read here, once, and
 * compared at full precision: Go and Java senders emit nanoseconds.
 */
import { ValidationError } from './errors.js';

/** A point in time: whole milliseconds since the epoch, plus the digits below the millisecond. */
export interface Instant {
  readonly epochMs: number;
  /** Decimal digits after the millisecond, trailing zeros removed (`"1"` for `.0001`). */
  readonly belowMs: string;
}

const pattern =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$/;

/** At most this many fractional digits: more is no instant but a payload meant to cost memory. */
const maxFractionDigits = 30;

const daysIn = (year: number, month: number): number =>
  new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * Reads an instant in any form SPEC §2 accepts; `undefined` for anything else (no offset, a
 * calendar date that does not exist, an hour of 24, an offset beyond ±23:59).
 */
export function parseInstant(text: string): Instant | undefined {
  const m = pattern.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = Number(m[6] ?? 0);
  const fraction = m[7] ?? '';
  const offsetHours = Number(m[10] ?? 0);
  const offsetMinutes = Number(m[11] ?? 0);
  const valid =
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysIn(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59 &&
    fraction.length <= maxFractionDigits;
  if (!valid) return undefined;
  const sign = m[9] === '-' ? -1 : 1;
  const offsetMs = m[8] ? 0 : sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  const padded = fraction.padEnd(3, '0');
  const epochMs =
    Date.UTC(year, month - 1, day, hour, minute, second, Number(padded.slice(0, 3))) - offsetMs;
  return { epochMs, belowMs: padded.slice(3).replace(/0+$/, '') };
}

/** Like `parseInstant`, for values already validated at the edge; throws `ValidationError` if not. */
export function toInstant(text: string): Instant {
  const instant = parseInstant(text);
  if (!instant) {
    const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
    throw new ValidationError(
      `${shown} is not an ISO 8601 date-time with a zone offset (e.g. 2026-11-15T10:00:00Z)`,
    );
  }
  return instant;
}

/** Negative when `a` is earlier than `b`, at full precision (SPEC §2). */
export function compareInstants(a: string, b: string): number {
  const x = toInstant(a);
  const y = toInstant(b);
  if (x.epochMs !== y.epochMs) return x.epochMs - y.epochMs;
  return x.belowMs < y.belowMs ? -1 : x.belowMs > y.belowMs ? 1 : 0;
}

/**
 * The instant as UTC text whose order is the instants' order, at full precision:
 * `2012-09-10T10:00:00.0001` (milliseconds always written, deeper digits only when there are any,
 * no zone letter — a `Z` would sort after the digits of a later instant in the same millisecond).
 * Followed by a character below `0` (such as `#`), it is a sort-key prefix.
 */
export function sortableInstant(text: string): string {
  const { epochMs, belowMs } = toInstant(text);
  return `${new Date(epochMs).toISOString().slice(0, -1)}${belowMs}`;
}

/** The instant's whole milliseconds since the epoch (for month boundaries and clocks). */
export const epochMsOf = (text: string): number => toInstant(text).epochMs;
