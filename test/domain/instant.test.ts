import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareInstants, parseInstant, sortableInstant } from '../../lambdas/domain/instant.js';

const ms = (text: string) => parseInstant(text)?.epochMs;

describe('parseInstant (SPEC §2 forms)', () => {
  it.each([
    ['2012-11-15T10:00Z', '2012-11-15T10:00:00.000Z'],
    ['2012-11-15T10:00:00Z', '2012-11-15T10:00:00.000Z'],
    ['2012-11-15T15:30+0530', '2012-11-15T10:00:00.000Z'],
    ['2012-11-15T15:30:00+05:30', '2012-11-15T10:00:00.000Z'],
    ['2012-11-15T15:00+05', '2012-11-15T10:00:00.000Z'],
    ['2012-11-15T05:00:00-05', '2012-11-15T10:00:00.000Z'],
    ['2012-11-15t10:00:00z', '2012-11-15T10:00:00.000Z'],
    ['2012-11-15T10:00:00.5Z', '2012-11-15T10:00:00.500Z'],
    ['2012-11-15T10:00:00.123456789Z', '2012-11-15T10:00:00.123Z'],
  ])('reads %s as %s', (text, utc) => {
    expect(ms(text)).toBe(Date.parse(utc));
  });

  it.each([
    '2012-11-15T10:00:00', // no offset: whose clock?
    '2012-11-15 10:00:00Z',
    '2012-11-15T10Z',
    '2012-02-30T10:00Z',
    '2013-02-29T10:00Z',
    '2012-11-15T24:00Z',
    '2012-11-15T10:60Z',
    '2012-11-15T10:00:60Z',
    '2012-11-15T10:00+24:00',
    '2012-11-15T10:00+05:3',
    '2012-11-15T10:00:00.Z',
    `2012-11-15T10:00:00.${'1'.repeat(31)}Z`,
    '',
  ])('refuses %j', (text) => {
    expect(parseInstant(text)).toBeUndefined();
  });

  it('keeps the digits below the millisecond, without trailing zeros', () => {
    expect(parseInstant('2012-09-10T10:00:00.0001Z')?.belowMs).toBe('1');
    expect(parseInstant('2012-09-10T10:00:00.000900Z')?.belowMs).toBe('9');
    expect(parseInstant('2012-09-10T10:00:00.123Z')?.belowMs).toBe('');
  });
});

describe('compareInstants', () => {
  it('orders instants within one millisecond (the Go and Java senders of issue #10)', () => {
    expect(compareInstants('2012-09-10T10:00:00.0001Z', '2012-09-10T10:00:00.0009Z')).toBeLessThan(
      0,
    );
    expect(
      compareInstants('2012-09-10T10:00:00.00091Z', '2012-09-10T10:00:00.0009Z'),
    ).toBeGreaterThan(0);
    expect(compareInstants('2012-09-10T10:00:00Z', '2012-09-10T10:00:00.0000001Z')).toBeLessThan(0);
  });

  it('treats one instant written in two zones as equal', () => {
    expect(compareInstants('2012-09-10T15:30:00.25+05:30', '2012-09-10T10:00:00.250000Z')).toBe(0);
  });
});

/** An instant written with a random offset form and precision, and its exact value in ns. */
const writtenInstant = fc
  .record({
    epochSeconds: fc.integer({ min: 946_684_800, max: 4_102_444_799 }),
    nanos: fc.integer({ min: 0, max: 999_999_999 }),
    offsetMinutes: fc.integer({ min: -23 * 60, max: 23 * 60 }),
    form: fc.constantFrom('Z', 'colon', 'plain', 'hours'),
    digits: fc.integer({ min: 0, max: 9 }),
  })
  .map(({ epochSeconds, nanos, offsetMinutes, form, digits }) => {
    const offset =
      form === 'Z' ? 0 : form === 'hours' ? Math.trunc(offsetMinutes / 60) * 60 : offsetMinutes;
    const fraction = String(nanos).padStart(9, '0').slice(0, digits);
    const local = new Date((epochSeconds + offset * 60) * 1000).toISOString().slice(0, 19);
    const sign = offset < 0 ? '-' : '+';
    const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
    const mm = String(Math.abs(offset) % 60).padStart(2, '0');
    const zone =
      form === 'Z'
        ? 'Z'
        : form === 'colon'
          ? `${sign}${hh}:${mm}`
          : form === 'plain'
            ? `${sign}${hh}${mm}`
            : `${sign}${hh}`;
    const exact = BigInt(epochSeconds) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'));
    return { text: `${local}${fraction ? `.${fraction}` : ''}${zone}`, exact };
  });

describe('instants in every written form (property)', () => {
  it('compare as their exact values do, and sort as text the same way', () => {
    fc.assert(
      fc.property(writtenInstant, writtenInstant, (a, b) => {
        const expected = Math.sign(Number(a.exact - b.exact));
        expect(Math.sign(compareInstants(a.text, b.text))).toBe(expected);
        const [x, y] = [sortableInstant(a.text), sortableInstant(b.text)];
        expect(Math.sign(x < y ? -1 : x > y ? 1 : 0)).toBe(expected);
        // As sort-key prefixes too: `#` follows the instant in `<instant>#<id>` keys.
        const [kx, ky] = [`${x}#b`, `${y}#a`];
        if (expected !== 0) expect(kx < ky).toBe(expected < 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('read the whole milliseconds exactly, whatever the form', () => {
    fc.assert(
      fc.property(writtenInstant, ({ text, exact }) => {
        expect(parseInstant(text)?.epochMs).toBe(Number(exact / 1_000_000n));
      }),
    );
  });
});
