/**
 * What the security fuzz files share: run counts, a request that cannot hang, the SPEC §3 error
 * contract every answer is held to, and hostile values — wrong types, huge and unicode strings,
 * prototype-pollution keys, deep nesting, invalid dates.
 */
import fc from 'fast-check';
import { expect } from 'vitest';

/** `FLYWHEEL_FUZZ_RUNS` runs per target (300 by default); a weight scales cheap or costly ones. */
export const runsPerTarget = Number(process.env.FLYWHEEL_FUZZ_RUNS ?? 300);
const seed = process.env.FLYWHEEL_FUZZ_SEED;

/** A vitest timeout that grows with the runs, so that a large FLYWHEEL_FUZZ_RUNS still fits. */
export const fuzzTimeout = (weight = 1): number =>
  30_000 + Math.round(runsPerTarget * weight) * 200;

export const fuzzOptions = (weight = 1): fc.Parameters<unknown> => ({
  numRuns: Math.max(5, Math.round(runsPerTarget * weight)),
  // Shrinking a networked property can take long: report the smallest case found in time.
  interruptAfterTimeLimit: fuzzTimeout(weight) - 10_000,
  markInterruptAsFailure: true,
  ...(seed === undefined ? {} : { seed: Number(seed) }),
});

/** A request slower than this counts as a hang. */
const requestTimeoutMs = 15_000;

export interface Answer {
  readonly request: string;
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

/** Requests sent by this file and how they were answered, for the one-line summary. */
export const tally = {
  cases: 0,
  startedAt: performance.now(),
  statuses: new Map<number, number>(),
};

export function summary(file: string): string {
  const seconds = ((performance.now() - tally.startedAt) / 1000).toFixed(1);
  const statuses = [...tally.statuses]
    .sort(([a], [b]) => a - b)
    .map(([status, n]) => `${status}×${n}`)
    .join(' ');
  return `[security fuzz] ${file}: ${tally.cases} generated requests in ${seconds} s (${statuses}; FLYWHEEL_FUZZ_RUNS=${runsPerTarget})`;
}

/** One request with a deadline: a hang fails the case instead of the whole run. */
export async function send(url: string, init: RequestInit): Promise<Answer> {
  tally.cases++;
  const request = `${init.method ?? 'GET'} ${url} ${describeBody(init.body)}`;
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(requestTimeoutMs) });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    tally.statuses.set(response.status, (tally.statuses.get(response.status) ?? 0) + 1);
    return { request, status: response.status, contentType, text };
  } catch (error) {
    throw new Error(`No answer within ${requestTimeoutMs} ms (or no answer at all): ${request}`, {
      cause: error,
    });
  }
}

const describeBody = (body: RequestInit['body']): string => {
  if (typeof body !== 'string') return '';
  return body.length > 300 ? `${body.slice(0, 300)}… (${body.length} chars)` : body;
};

/** SPEC §3: never a 5xx; a 4xx is JSON `{ "error": string }` and nothing else. */
export function expectSafe(answer: Answer): void {
  const context = `${answer.request}\n→ ${answer.status} ${answer.text.slice(0, 500)}`;
  expect(answer.status, context).toBeLessThan(500);
  if (answer.status >= 400) expectJsonError(answer, context);
}

export function expectJsonError(answer: Answer, context = answer.request): void {
  expect(answer.contentType, context).toMatch(/^application\/json/);
  const body = JSON.parse(answer.text) as unknown;
  expect(body, context).toEqual({ error: expect.any(String) });
  // Errors never carry a stack trace (SPEC §3).
  expect(answer.text, context).not.toMatch(/\bat .+:\d+:\d+\)?/);
}

export const jsonOf = (answer: Answer): unknown => JSON.parse(answer.text);

/** Keys that pollute a prototype when a parser or merge assigns them naively. */
export const protoKeys = ['__proto__', 'constructor', 'prototype'] as const;

/** An object whose own keys are the pollution keys, as `JSON.parse` would produce them. */
export const pollutionPayload = (): Record<string, unknown> =>
  JSON.parse(
    '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"}}',
  ) as Record<string, unknown>;

/** Defines `key` as an own property, even `__proto__`, so that JSON.stringify sends it. */
export function withKey<T extends object>(target: T, key: string, value: unknown): T {
  const copy = { ...target };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** Nested `depth` times: `[[[…]]]` or `{"a":{"a":…}}`. */
export function nested(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

export const hugeString = fc
  .integer({ min: 1_000, max: 300_000 })
  .chain((n) => fc.constantFrom('x', 'é', '😀', '\u0000').map((unit) => unit.repeat(n)));

/** Strings that break naive parsers and stores: control, bidi, astral, boundaries, injections. */
export const trickyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\u202eevil',
    '\ufeff',
    '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
    '😀'.repeat(200),
    'a'.repeat(129),
    'a'.repeat(257),
    'a'.repeat(2001),
    '<script>alert(1)</script>',
    '=HYPERLINK("http://x")',
    '../../etc/passwd',
    'javascript:alert(1)',
    "' OR 1=1 --",
    '{{7*7}}',
    'null',
    'NaN',
    ...protoKeys,
    'toString',
    'hasOwnProperty',
  ),
);

/** Dates that are not what SPEC §2 asks for, and some that barely are. */
export const trickyInstant = fc.oneof(
  fc.constantFrom(
    '2026-02-30T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-01-01T24:00:01Z',
    '2026-01-01T00:00:00',
    '2026-01-01',
    '2026-01-01T00:00:00+25:00',
    '1999-12-31T23:59:59Z',
    '2000-01-01T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '+275760-09-13T00:00:00Z',
    '2026-01-01T00:00:00.123456789Z',
    'yesterday',
    'Invalid Date',
  ),
  fc.integer({ min: -3 * 86_400, max: 3 * 86_400 }).map((skew) => isoAt(Date.now() + skew * 1000)),
  fc.date({ noInvalidDate: true }).map((d) => {
    const iso = d.toISOString();
    return iso.startsWith('-') || iso.startsWith('+') ? iso : iso.replace('Z', '+00:00');
  }),
);

/** `at` written with some zone offset, as SPEC §2 senders do. */
export function isoAt(at: number, offsetMinutes = 0): string {
  const local = new Date(at + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  return `${local}${sign}${hh}:${String(abs % 60).padStart(2, '0')}`;
}

export const zoneOffset = fc.constantFrom(0, 60, -300, 330, 480, 545, -720, 840);

/** Any JSON value, hostile ones first: the wrong type for whatever field it lands in. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  trickyString,
  hugeString,
  trickyInstant,
  fc.integer(),
  fc.constantFrom(-1, -0, 0.5, 1e21, 2 ** 53 + 2, -1e308, 1e308, 5e-324, 100_001),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(trickyString, fc.integer()), { maxLength: 5 }),
  fc.dictionary(trickyString, fc.oneof(trickyString, fc.integer()), { maxKeys: 4 }),
  fc.constant(null).map(pollutionPayload),
  fc.integer({ min: 50, max: 2_000 }).map((depth) => nested(depth, 'array')),
  fc.integer({ min: 50, max: 2_000 }).map((depth) => nested(depth, 'object')),
);

/** Bodies that are not the JSON object a route wants, as raw text. */
export const hostileText = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'null',
    '[]',
    '"text"',
    '{',
    '{"a":1,}',
    "{'a':1}",
    'NaN',
    '\u0000',
    '{"__proto__":{"polluted":"yes"}}',
    '{"constructor":{"prototype":{"polluted":"yes"}}}',
    '{"a":1,"a":2}',
    '\ufeff{}',
  ),
  fc
    .integer({ min: 1_000, max: 100_000 })
    .map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

/** A valid value most of the time, else a hostile one: reaches deep validation and its edges. */
export const mostly = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: hostileValue });

/** 1–128 of `A-Za-z0-9._:-` (SPEC §2 ids). */
export const identifier = fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/);

/** A path parameter, valid or not; only what a URL can carry in one segment. */
export const pathParam = (valid: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc
    .oneof(
      { weight: 2, arbitrary: valid },
      { weight: 2, arbitrary: trickyString },
      { weight: 1, arbitrary: trickyInstant },
      {
        weight: 1,
        arbitrary: fc.constantFrom('%', '%2F', 'a/b', '1e3', '-2024', '02024', 'x'.repeat(3000)),
      },
    )
    // An empty, `.` or `..` segment is not a parameter: URLs resolve it away before any server.
    .filter((p) => p !== '' && p !== '.' && p !== '..');
