import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lambdas/domain/errors.js';
import {
  addMonths,
  compareMonths,
  decemberBefore,
  firstMonth,
  isMonth,
  isValidTimeZone,
  lastMonth,
  monthNumber,
  monthOf,
  monthRange,
  monthStartInstant,
  monthsBetween,
  parseMonth,
  previousMonth,
  yearOf,
  yearOfInstant,
} from '../../lambdas/domain/month.js';

const m = parseMonth;
const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London'] as const;

/** Any representable month. */
const anyMonth = fc
  .integer({ min: 0, max: monthsBetween(firstMonth, lastMonth) })
  .map((n) => addMonths(firstMonth, n));
/** Months well inside the range, so that a few hundred months either way stay in it. */
const midMonth = fc
  .integer({
    min: monthsBetween(firstMonth, m('2030-01')),
    max: monthsBetween(firstMonth, m('2900-12')),
  })
  .map((n) => addMonths(firstMonth, n));
/** Months in which the zones' rules are well known (and the tz database is exercised). */
const recentMonth = fc
  .integer({ min: 12, max: monthsBetween(firstMonth, m('2100-12')) })
  .map((n) => addMonths(firstMonth, n));

/** The month of an instant as `Intl` reads the zone's clock: the oracle `monthOf` must match. */
function intlMonth(t: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit' })
    .formatToParts(t)
    .map((p) => [p.type, p.value]);
  const { year, month } = Object.fromEntries(parts);
  return `${year}-${month}`;
}

function intlWallClock(t: number, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    dateStyle: 'short',
    timeStyle: 'medium',
  }).format(t);
}

describe('parseMonth', () => {
  it('accepts YYYY-MM from 1970-01 to 9999-12', () => {
    expect(parseMonth('2026-03')).toBe('2026-03');
    expect(parseMonth('1970-01')).toBe(firstMonth);
    expect(parseMonth('9999-12')).toBe(lastMonth);
  });

  it.each([
    '2026-13',
    '2026-00',
    '2026-1',
    'abc',
    '',
    '2026-03-01',
    ' 2026-03',
    '2026-03\n',
    '1969-12',
    '0000-01',
    '10000-01',
  ])('rejects %j with a ValidationError quoting it', (text) => {
    expect(() => parseMonth(text)).toThrow(ValidationError);
    expect(() => parseMonth(text)).toThrow(JSON.stringify(text));
  });

  it('says what is wrong with the month', () => {
    expect(() => parseMonth('2026-13')).toThrow('01–12');
    expect(() => parseMonth('1969-12')).toThrow('1970–9999');
    expect(() => parseMonth('2026-1')).toThrow('YYYY-MM');
  });

  it('accepts exactly what isMonth accepts', () => {
    const text = fc.oneof(fc.string(), anyMonth.map(String), fc.stringMatching(/^\d{4}-\d{2}$/));
    fc.assert(
      fc.property(text, (t) => {
        const parses = (() => {
          try {
            return parseMonth(t) === t;
          } catch (error) {
            expect(error).toBeInstanceOf(ValidationError);
            return false;
          }
        })();
        expect(parses).toBe(isMonth(t));
      }),
    );
  });
});

describe('month arithmetic', () => {
  it('adds months across year ends in both directions', () => {
    expect(addMonths(m('2026-11'), 3)).toBe('2027-02');
    expect(addMonths(m('2026-01'), -13)).toBe('2024-12');
    expect(previousMonth(m('2026-01'))).toBe('2025-12');
  });

  it('names the month number, the year and the December before', () => {
    expect(monthNumber(m('2026-09'))).toBe(9);
    expect(yearOf(m('2026-09'))).toBe(2026);
    expect(decemberBefore(m('2026-01'))).toBe('2025-12');
    expect(decemberBefore(m('2026-12'))).toBe('2025-12');
  });

  it('refuses to leave 1970–9999 or to add a fraction of a month', () => {
    expect(() => previousMonth(m('1970-01'))).toThrow(ValidationError);
    expect(() => decemberBefore(m('1970-06'))).toThrow(ValidationError);
    expect(() => addMonths(m('9999-12'), 1)).toThrow(ValidationError);
    expect(() => addMonths(m('2026-01'), 0.5)).toThrow(ValidationError);
  });

  it('lists a range inclusively, oldest first, and rejects from after to', () => {
    expect(monthRange(m('2025-11'), m('2026-02'))).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
    expect(monthRange(m('2026-05'), m('2026-05'))).toEqual(['2026-05']);
    expect(() => monthRange(m('2026-02'), m('2026-01'))).toThrow(ValidationError);
  });

  it('composes additions and counts the months between', () => {
    const offset = fc.integer({ min: -300, max: 300 });
    fc.assert(
      fc.property(midMonth, offset, offset, (month, a, b) => {
        expect(addMonths(addMonths(month, a), b)).toBe(addMonths(month, a + b));
        expect(monthsBetween(month, addMonths(month, a))).toBe(a);
        expect(previousMonth(addMonths(month, 1))).toBe(month);
      }),
    );
  });

  it('builds ranges of consecutive months from from to to', () => {
    fc.assert(
      fc.property(midMonth, fc.integer({ min: 0, max: 40 }), (from, length) => {
        const to = addMonths(from, length);
        const range = monthRange(from, to);
        expect(range).toHaveLength(length + 1);
        expect(range[0]).toBe(from);
        expect(range.at(-1)).toBe(to);
        for (const [i, month] of range.slice(1).entries()) {
          expect(previousMonth(month)).toBe(range[i]);
        }
      }),
    );
  });

  it('orders months chronologically and keeps number and year consistent', () => {
    fc.assert(
      fc.property(anyMonth, anyMonth, (a, b) => {
        expect(Math.sign(compareMonths(a, b))).toBe(a < b ? -1 : a > b ? 1 : 0);
        expect(monthNumber(a)).toBeGreaterThanOrEqual(1);
        expect(monthNumber(a)).toBeLessThanOrEqual(12);
        expect(`${yearOf(a)}-${String(monthNumber(a)).padStart(2, '0')}`).toBe(a);
        if (yearOf(a) > 1970) {
          expect(monthNumber(decemberBefore(a))).toBe(12);
          expect(yearOf(decemberBefore(a))).toBe(yearOf(a) - 1);
        }
      }),
    );
  });
});

describe('monthOf', () => {
  it('puts a snapshot at 23:30 UTC on Jan 31 in February for Asia/Shanghai', () => {
    expect(monthOf('2026-01-31T23:30:00Z', 'Asia/Shanghai')).toBe('2026-02');
    expect(monthOf('2026-01-31T23:30:00Z', 'UTC')).toBe('2026-01');
  });

  it('keeps 23:59 on Feb 28 in New York (04:59 UTC on Mar 1) in February', () => {
    expect(monthOf('2026-03-01T04:59:59.999Z', 'America/New_York')).toBe('2026-02');
    expect(monthOf('2026-03-01T05:00:00Z', 'America/New_York')).toBe('2026-03');
  });

  it('moves the boundary with daylight saving time', () => {
    // New York is still on EDT (UTC-4) at midnight on 2026-11-01; London on BST from 2026-03-29.
    expect(monthOf('2026-11-01T03:59:59.999Z', 'America/New_York')).toBe('2026-10');
    expect(monthOf('2026-11-01T04:00:00Z', 'America/New_York')).toBe('2026-11');
    expect(monthOf('2026-03-31T22:59:59.999Z', 'Europe/London')).toBe('2026-03');
    expect(monthOf('2026-03-31T23:00:00Z', 'Europe/London')).toBe('2026-04');
  });

  it('reads the offset of the instant, and takes a Date as well as a string', () => {
    expect(monthOf('2026-02-01T07:59:59+08:00', 'UTC')).toBe('2026-01');
    expect(monthOf(new Date('2026-01-31T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-02');
  });

  it('follows a clock set back across midnight (St. John’s, 2009-11-01 00:01 → 23:01)', () => {
    expect(monthOf('2009-11-01T02:30:30Z', 'America/St_Johns')).toBe('2009-11');
    expect(monthOf('2009-11-01T02:45:00Z', 'America/St_Johns')).toBe('2009-10');
    expect(monthOf('2009-11-01T03:30:00Z', 'America/St_Johns')).toBe('2009-11');
  });

  it('rejects instants without an offset, invalid instants and unknown zones', () => {
    expect(() => monthOf('2026-01-31T23:30:00', 'UTC')).toThrow(ValidationError);
    expect(() => monthOf('yesterday Z', 'UTC')).toThrow(ValidationError);
    expect(() => monthOf(new Date(Number.NaN), 'UTC')).toThrow(ValidationError);
    expect(() => monthOf('2026-01-31T23:30:00Z', 'Mars/Olympus')).toThrow(ValidationError);
  });

  it('refuses instants whose month lies outside 1970–9999', () => {
    expect(() => monthOf('1970-01-01T02:00:00Z', 'America/New_York')).toThrow(ValidationError);
    expect(monthOf('1969-12-31T20:00:00Z', 'Asia/Shanghai')).toBe('1970-01');
    expect(() => monthOf(new Date(8.64e15), 'UTC')).toThrow(ValidationError);
  });

  it('agrees with the zone’s clock for any instant', () => {
    const instant = fc.integer({ min: Date.UTC(1971, 0), max: Date.UTC(2100, 0) });
    fc.assert(
      fc.property(instant, fc.constantFrom(...zones), (t, zone) => {
        expect(monthOf(new Date(t), zone)).toBe(intlMonth(t, zone));
        expect(monthOf(new Date(t).toISOString(), zone)).toBe(intlMonth(t, zone));
      }),
    );
  });

  it('changes month exactly at local midnight on the 1st, to the millisecond', () => {
    const nearBoundary = fc.integer({ min: -90_000, max: 90_000 });
    fc.assert(
      fc.property(recentMonth, fc.constantFrom(...zones), nearBoundary, (month, zone, delta) => {
        const start = monthStartInstant(month, zone).getTime();
        expect(intlWallClock(start, zone)).toBe(`${month}-01 00:00:00`);
        expect(monthOf(new Date(start + delta), zone)).toBe(
          delta < 0 ? previousMonth(month) : month,
        );
      }),
    );
  });

  it('gives the calendar year of an instant in the zone', () => {
    expect(yearOfInstant('2025-12-31T16:00:00Z', 'Asia/Shanghai')).toBe(2026);
    expect(yearOfInstant('2025-12-31T16:00:00Z', 'UTC')).toBe(2025);
  });
});

describe('monthStartInstant', () => {
  it('is local midnight of the 1st, in winter and in summer time', () => {
    const start = (month: string, zone: string) => monthStartInstant(m(month), zone).toISOString();
    expect(start('2026-02', 'Asia/Shanghai')).toBe('2026-01-31T16:00:00.000Z');
    expect(start('2026-01', 'Europe/London')).toBe('2026-01-01T00:00:00.000Z');
    expect(start('2026-04', 'Europe/London')).toBe('2026-03-31T23:00:00.000Z');
    expect(start('2026-11', 'America/New_York')).toBe('2026-11-01T04:00:00.000Z');
    expect(start('2026-12', 'America/New_York')).toBe('2026-12-01T05:00:00.000Z');
  });

  it('is the transition when clocks skip midnight (Cairo, 2014-07-31 24:00 → 01:00)', () => {
    const start = monthStartInstant(m('2014-08'), 'Africa/Cairo').getTime();
    expect(new Date(start).toISOString()).toBe('2014-07-31T22:00:00.000Z');
    expect(monthOf(new Date(start - 1), 'Africa/Cairo')).toBe('2014-07');
    expect(monthOf(new Date(start), 'Africa/Cairo')).toBe('2014-08');
  });

  it('is the first of two midnights when clocks are set back across it', () => {
    expect(monthStartInstant(m('2009-11'), 'America/St_Johns').toISOString()).toBe(
      '2009-11-01T02:30:00.000Z',
    );
  });
});

describe('isValidTimeZone', () => {
  it('accepts IANA zone names and rejects anything else', () => {
    for (const zone of ['UTC', ...zones]) expect(isValidTimeZone(zone)).toBe(true);
    for (const zone of ['Mars/Olympus', '', '+05:00', 'Z'])
      expect(isValidTimeZone(zone)).toBe(false);
  });
});
