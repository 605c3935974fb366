/**
 * Reporting months (SPEC §1): `YYYY-MM` in the configured IANA time zone. Month arithmetic works
 * on an index (`year × 12 + month − 1`) so it never touches a calendar; only the boundaries between
 * months need the zone, and those are computed once per zone and month, then cached, because
 * `monthOf` runs for every snapshot and `Intl` formatting costs microseconds a call.
 */
import { ValidationError } from './errors.js';
import { toInstant } from './instant.js';

declare const monthBrand: unique symbol;

/** A reporting month, `YYYY-MM` with a year in 1970–9999; only `parseMonth` and this module make one. */
export type Month = string & { readonly [monthBrand]: true };

const MIN_YEAR = 1970;
const MAX_YEAR = 9999;
const MIN_INDEX = MIN_YEAR * 12;
const MAX_INDEX = MAX_YEAR * 12 + 11;
const DAY_MS = 86_400_000;
const MONTH_PATTERN = /^(\d{4})-(\d{2})$/;

/** Quotes caller input for an error message without echoing a megabyte back. */
const quote = (text: string): string =>
  JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

const indexOf = (m: Month): number => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;

function monthAt(index: number): Month {
  if (!Number.isInteger(index) || index < MIN_INDEX || index > MAX_INDEX) {
    throw new ValidationError(`months run from ${MIN_YEAR}-01 to ${MAX_YEAR}-12`);
  }
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${year}-${month < 10 ? '0' : ''}${month}` as Month;
}

/** The first month Flywheel can represent. */
export const firstMonth: Month = monthAt(MIN_INDEX);
/** The last month Flywheel can represent. */
export const lastMonth: Month = monthAt(MAX_INDEX);

/** Reads a `YYYY-MM` month (SPEC §1, §3), rejecting malformed months and years outside 1970–9999. */
export function parseMonth(text: string): Month {
  const match = MONTH_PATTERN.exec(text);
  if (!match) throw new ValidationError(`month must be YYYY-MM (e.g. 2026-03), got ${quote(text)}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  if (month < 1 || month > 12) {
    throw new ValidationError(`month must be 01–12, got ${quote(text)}`);
  }
  if (year < MIN_YEAR) {
    throw new ValidationError(`year must be ${MIN_YEAR}–${MAX_YEAR}, got ${quote(text)}`);
  }
  return monthAt(year * 12 + month - 1);
}

/** Whether `text` is a month `parseMonth` accepts (SPEC §1). */
export function isMonth(text: string): text is Month {
  const match = MONTH_PATTERN.exec(text);
  if (!match) return false;
  const month = Number(match[2]);
  return Number(match[1]) >= MIN_YEAR && month >= 1 && month <= 12;
}

/** The month `n` months after `m` (before, for negative `n`); throws if it leaves 1970–9999. */
export function addMonths(m: Month, n: number): Month {
  if (!Number.isInteger(n)) {
    throw new ValidationError(`a month offset must be an integer, got ${n}`);
  }
  return monthAt(indexOf(m) + n);
}

/** The month before `m` (SPEC §1's M-1). */
export function previousMonth(m: Month): Month {
  return addMonths(m, -1);
}

/** How many months `to` lies after `from` (negative when before). */
export function monthsBetween(from: Month, to: Month): number {
  return indexOf(to) - indexOf(from);
}

/** Orders months chronologically, for `Array.prototype.sort`. */
export function compareMonths(a: Month, b: Month): number {
  return indexOf(a) - indexOf(b);
}

/** Every month from `from` to `to`, both included, oldest first; `from` after `to` is 400 (SPEC §3). */
export function monthRange(from: Month, to: Month): Month[] {
  const count = monthsBetween(from, to) + 1;
  if (count < 1) throw new ValidationError(`from (${from}) must not be after to (${to})`);
  const start = indexOf(from);
  return Array.from({ length: count }, (_, i) => monthAt(start + i));
}

/** The month number of `m`, 1–12 (the `m` of SPEC §1's compound pace). */
export function monthNumber(m: Month): number {
  return (indexOf(m) % 12) + 1;
}

/** The calendar year of `m`. */
export function yearOf(m: Month): number {
  return Math.floor(indexOf(m) / 12);
}

/** December of the year before `m`'s (SPEC §1's ytd and target baseline). */
export function decemberBefore(m: Month): Month {
  return monthAt(yearOf(m) * 12 - 1);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: building one costs far more than using it. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch (cause) {
      throw new ValidationError(`unknown IANA time zone ${quote(timeZone)}`, { cause });
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether `timeZone` is an IANA zone name this runtime knows (SPEC §3 `PUT /admin/config`). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's wall-clock time at instant `t`, as milliseconds of a UTC clock showing that time. */
function wallClockAt(t: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const { type, value } of formatterFor(timeZone).formatToParts(t)) {
    parts[type] = Number(value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  // Intl drops milliseconds, so carry them over from the instant itself.
  return Date.UTC(year, month - 1, day, hour, minute, second) + (((t % 1000) + 1000) % 1000);
}

/**
 * When the zone's clock reaches `wall` in epoch milliseconds: `first`, the first instant it reads
 * `wall` or later, and `settled`, from which on it never reads earlier again. They differ only when
 * clocks are set back across `wall` (America/St_Johns on 2009-11-01 went from 00:01 back to 23:01),
 * so the hour in between belongs to the earlier month. When `wall` is skipped (clocks set forward),
 * both are the transition itself, found by bisection between the offsets around it.
 */
function reachWall(wall: number, timeZone: string): { first: number; settled: number } {
  // `wall` read with the zone's offset a day before and a day after: at most one transition between.
  const offsetAround = (d: number) => wallClockAt(wall + d, timeZone) - (wall + d);
  const candidates = [wall - offsetAround(-DAY_MS), wall - offsetAround(DAY_MS)];
  const exact = candidates.filter((t) => wallClockAt(t, timeZone) === wall).sort((a, b) => a - b);
  const [first, last] = [exact[0], exact.at(-1)];
  if (first !== undefined && last !== undefined) {
    return { first, settled: wallClockAt(last - 1, timeZone) < wall ? last : first };
  }
  let low = Math.min(...candidates); // the clock still reads before `wall`
  let high = Math.max(...candidates); // the clock already reads past it
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (wallClockAt(mid, timeZone) >= wall) high = mid;
    else low = mid;
  }
  return { first: high, settled: high };
}

interface MonthStart {
  readonly first: number;
  readonly settled: number;
}

const monthStarts = new Map<string, Map<number, MonthStart>>();

/** When the month with index `index` starts in the zone (see `reachWall`); cached per zone. */
function monthStart(index: number, timeZone: string): MonthStart {
  let starts = monthStarts.get(timeZone);
  if (!starts) {
    formatterFor(timeZone); // reject an unknown zone before caching anything for it
    starts = new Map();
    monthStarts.set(timeZone, starts);
  }
  let start = starts.get(index);
  if (start === undefined) {
    start = reachWall(Date.UTC(Math.floor(index / 12), index % 12, 1), timeZone);
    starts.set(index, start);
  }
  return start;
}

/**
 * The first instant of month `m` in the zone (SPEC §1): local midnight of the 1st, DST-correct;
 * the transition itself when clocks skip that midnight, the earlier one when it happens twice.
 */
export function monthStartInstant(m: Month, timeZone: string): Date {
  return new Date(monthStart(indexOf(m), timeZone).first);
}

/** Milliseconds since the epoch; digits below the millisecond never move a month boundary. */
function epochMs(instant: Date | string): number {
  const t = typeof instant === 'string' ? toInstant(instant).epochMs : instant.getTime();
  if (Number.isNaN(t)) throw new ValidationError(`not a valid instant: ${quote(String(instant))}`);
  return t;
}

/**
 * The month in which the instant falls in the zone (SPEC §1). Offsets stay within a day, so the
 * answer is the instant's UTC month or a neighbour; cached boundaries decide which, and only an
 * instant in the hour a clock was set back across midnight asks `Intl` itself.
 */
export function monthOf(instant: Date | string, timeZone: string): Month {
  const t = epochMs(instant);
  const utc = new Date(t);
  let index = utc.getUTCFullYear() * 12 + utc.getUTCMonth();
  // Refused before any boundary is computed, so far-off instants never fill the cache.
  if (index < MIN_INDEX - 1 || index > MAX_INDEX) {
    throw new ValidationError(`${quote(String(instant))} is not within ${MIN_YEAR}–${MAX_YEAR}`);
  }
  let start = monthStart(index, timeZone);
  if (t < start.first) start = monthStart(--index, timeZone);
  else if (t >= monthStart(index + 1, timeZone).first) start = monthStart(++index, timeZone);
  if (t < start.settled) {
    const wall = new Date(wallClockAt(t, timeZone));
    index = wall.getUTCFullYear() * 12 + wall.getUTCMonth();
  }
  return monthAt(index);
}

/** The calendar year in which the instant falls in the zone (SPEC §1, qualifying activities). */
export function yearOfInstant(instant: Date | string, timeZone: string): number {
  return yearOf(monthOf(instant, timeZone));
}

/**
 * The zone's calendar date at the instant, `YYYY-MM-DD` (SPEC §9: affiliation periods are dates in
 * the reporting zone). Throws `ValidationError` for a malformed instant or an unknown zone.
 */
export function localDateOf(instant: Date | string, timeZone: string): string {
  return new Date(wallClockAt(epochMs(instant), timeZone)).toISOString().slice(0, 10);
}

/** The last calendar date of month `m`, `YYYY-MM-DD` (a month's end in any zone). */
export function lastDateOf(m: Month): string {
  const index = indexOf(m);
  return new Date(Date.UTC(Math.floor(index / 12), (index % 12) + 1, 0)).toISOString().slice(0, 10);
}
