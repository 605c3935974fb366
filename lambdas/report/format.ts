/**
 * How the report writes numbers, months and instants. Fixed English and UTC rather than `Intl`
 * locales: the mail must read the same wherever the Lambda runs, and tests can spell it out.
 */

import { parseInstant } from '../domain/instant.js';
import type { Month } from '../domain/month.js';
import { monthNumber, yearOf } from '../domain/month.js';

/** What the report prints where a value is unknown (a multiple without a base, no coverage). */
export const NONE = '—';

const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

const nameOf = (m: Month): string => monthNames[monthNumber(m) - 1] ?? '';

/** `2026-03` → `March 2026`, the subject's spelling (SPEC §5). */
export const monthLabel = (m: Month): string => `${nameOf(m)} ${yearOf(m)}`;

/** `2026-03` → `Mar`, for chart axes. */
export const shortMonthLabel = (m: Month): string => nameOf(m).slice(0, 3);

/** A growth multiple as `×1.12`; `—` when it has no base (SPEC §1 "Growth"). */
export const formatMultiple = (value: number | null): string =>
  value === null || !Number.isFinite(value) ? NONE : `×${value.toFixed(2)}`;

/** A count with thousands separators: `12,345`. */
export const formatCount = (value: number): string =>
  Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** A share (0–1) as a whole percentage, `64%`; `—` when unknown. */
export const formatPercent = (share: number | null): string =>
  share === null || !Number.isFinite(share) ? NONE : `${Math.round(share * 100)}%`;

/** `1 KA`, `3 KAs`. */
export const kaNoun = (count: number): string =>
  `${formatCount(count)} ${count === 1 ? 'KA' : 'KAs'}`;

/**
 * The calendar date an ISO 8601 instant was written with, as `12 Mar 2026`. Reading the date from
 * the text keeps the sender's own offset: a talk given on the evening of the 12th in San Francisco
 * was given on the 12th, even though it was already the 13th in UTC.
 */
export function dateLabel(instant: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(instant);
  if (!match) return instant;
  const month = monthNames[Number(match[2]) - 1]?.slice(0, 3) ?? match[2];
  return `${Number(match[3])} ${month} ${match[1]}`;
}

/** An instant in UTC, `2026-04-01 08:00 UTC`; the text itself when it is not an instant. */
export function instantLabel(instant: string): string {
  const t = parseInstant(instant)?.epochMs;
  if (t === undefined) return instant;
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
