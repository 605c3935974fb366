import {
  addMonths,
  type Month,
  monthOf,
  monthRange,
  monthStartInstant,
  previousMonth,
} from '../../lambdas/domain/month.js';

/** Three years of history: enough for year-over-year figures and a 24-month chart. */
export const storyLength = 36;

/**
 * The story's months: the 36 ending with the last complete month before `now` in the reporting
 * zone, so no snapshot or activity lies in the future and the report's month is complete.
 */
export function storyMonths(now: Date, timeZone: string): Month[] {
  const last = previousMonth(monthOf(now, timeZone));
  return monthRange(addMonths(last, 1 - storyLength), last);
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's UTC offset at an instant, in minutes (east positive). */
function offsetMinutes(at: Date, timeZone: string): number {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormats.set(timeZone, format);
  }
  const name = format.formatToParts(at).find((part) => part.type === 'timeZoneName')?.value ?? '';
  const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name);
  if (!match) return 0; // "GMT": the zone is on UTC at that instant
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/** `2026-03-14T09:30:00+08:00`: the instant as a sender in that zone would write it. */
export function isoWithOffset(at: Date, timeZone: string): string {
  const minutes = offsetMinutes(at, timeZone);
  const local = new Date(at.getTime() + minutes * 60_000).toISOString().slice(0, 19);
  const abs = Math.abs(minutes);
  const hours = String(Math.floor(abs / 60)).padStart(2, '0');
  return `${local}${minutes < 0 ? '-' : '+'}${hours}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * The instant `fraction` (0–1) of the way through `month` in the zone, to the second, and never in
 * the month's last minute: it always belongs to `month`, whatever the zone's offsets do.
 */
export function instantIn(month: Month, fraction: number, timeZone: string): string {
  const start = monthStartInstant(month, timeZone).getTime();
  const end = monthStartInstant(addMonths(month, 1), timeZone).getTime();
  const at = start + Math.floor(((end - start - 60_000) * fraction) / 1000) * 1000;
  return isoWithOffset(new Date(at), timeZone);
}
