/**
 * Email addresses never reach a log unmasked (issue item 3): the masking function on strings and
 * nested values, and the logger every function uses, whose formatter applies it to every line.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { maskEmails, maskLogValue } from '../../lambdas/runtime/log-masking.js';
import { logger } from '../../lambdas/runtime/observability.js';

const plainError = (error: Error) => ({ name: error.name, message: error.message });

describe('maskEmails', () => {
  it.each([
    ['ada@example.com', 'a***@example.com'],
    ['Ada.Lovelace+flywheel@Example.CO.uk', 'A***@Example.CO.uk'],
    [
      'No member has email:ada@example.com, email:bob@example.org',
      'No member has email:a***@example.com, email:b***@example.org',
    ],
    ['No activity "grace@example.com"', 'No activity "g***@example.com"'],
    ['PATCH /admin/activities/ada%40example.com', 'PATCH /admin/activities/a***%40example.com'],
    ['<x@y.io>', '<x***@y.io>'],
    ['müller@bücher.de', 'm***@bücher.de'],
    ['end of sentence: ada@example.com.', 'end of sentence: a***@example.com.'],
  ])('masks %j', (text, masked) => {
    expect(maskEmails(text)).toBe(masked);
  });

  it.each(['no address here', 'pkg@1.2.3', 'user@localhost', '@example.com', 'v1,K5o+/a8='])(
    'leaves %j as it is',
    (text) => {
      expect(maskEmails(text)).toBe(text);
    },
  );

  it('is idempotent', () => {
    expect(maskEmails(maskEmails('ada@example.com'))).toBe('a***@example.com');
  });

  it('never lets a generated address through, wherever it stands in a text', () => {
    const separator = fc.constantFrom(' ', '"', ':', ',', '\n', '<', '(', ' — ');
    // `/ = ? &` delimit URLs in logs, so the local part is read after them (see the next test);
    // a local part of stars alone reads the same masked (`*@x.io` → `****@x.io`).
    const address = fc
      .emailAddress()
      .filter((a) => !/[/=?&]|^\**$/.test(a.slice(0, a.lastIndexOf('@'))));
    fc.assert(
      fc.property(fc.string(), separator, address, separator, fc.string(), (...parts) => {
        const [, , email] = parts;
        const masked = maskEmails(parts.join(''));
        expect(masked).not.toContain(email);
        expect(masked).toContain(`${email.charAt(0)}***${email.slice(email.lastIndexOf('@'))}`);
      }),
      { numRuns: 500 },
    );
  });

  it('reads the local part after a URL delimiter, so a path or query is not masked away', () => {
    expect(maskEmails('/members/a/b@x.io?to=c@y.io&cc=d.e@z.io')).toBe(
      '/members/a/b***@x.io?to=c***@y.io&cc=d***@z.io',
    );
  });

  it('stays linear on a megabyte of address-like text', () => {
    const text = `${'a'.repeat(500_000)}@${'b.'.repeat(250_000)}`;
    const started = performance.now();
    maskEmails(text);
    maskEmails('@'.repeat(1_000_000));
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('maskLogValue', () => {
  it('masks keys and values of nested objects and arrays', () => {
    const value = {
      member: {
        email: 'ada@example.com',
        aliases: ['grace@example.com', { 'bob@example.org': 1 }],
      },
      count: 3,
      ok: true,
      none: null,
    };
    expect(maskLogValue(value, plainError)).toEqual({
      member: {
        email: 'a***@example.com',
        aliases: ['g***@example.com', { 'b***@example.org': 1 }],
      },
      count: 3,
      ok: true,
      none: null,
    });
  });

  it('masks the message and cause of errors and what a URL serialises to', () => {
    const error = new Error('No member has email:ada@example.com', {
      cause: new Error('bob@example.org'),
    });
    const formatCause = (e: Error): Record<string, unknown> => ({
      message: e.message,
      cause: e.cause instanceof Error ? formatCause(e.cause) : e.cause,
    });
    expect(
      maskLogValue({ error, at: new URL('https://x.io/?to=ada@example.com') }, formatCause),
    ).toEqual({
      error: {
        message: 'No member has email:a***@example.com',
        cause: { message: 'b***@example.org', cause: undefined },
      },
      at: 'https://x.io/?to=a***@example.com',
    });
  });

  it('keeps a `__proto__` key a key and survives cycles', () => {
    const value = JSON.parse('{"__proto__": {"polluted": "ada@example.com"}}') as Record<
      string,
      unknown
    >;
    value.self = value;
    const masked = maskLogValue(value, plainError) as Record<string, unknown>;
    expect(Object.getPrototypeOf(masked)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(masked, '__proto__')?.value).toEqual({
      polluted: 'a***@example.com',
    });
    expect(masked.self).toBe(masked);
    expect({} as Record<string, unknown>).not.toHaveProperty('polluted');
  });
});

describe("the functions' logger", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    logger.setLogLevel('SILENT');
  });

  /** What the logger prints (POWERTOOLS_DEV makes it print through the global console). */
  function captureLogs(): string[] {
    const lines: string[] = [];
    for (const method of ['debug', 'info', 'warn', 'error', 'log'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        lines.push(args.map(String).join(' '));
      });
    }
    return lines;
  }

  it('writes addresses masked in the message, attributes and errors, and keeps its shape', () => {
    const lines = captureLogs();
    logger.setLogLevel('DEBUG');
    logger.debug('Looking up ada@example.com');
    logger.info('Items rejected', {
      rejected: [{ index: 0, member: { email: 'grace@example.com' } }],
    });
    logger.error('Unhandled error', { error: new Error('No activity "bob@example.org"') });
    const output = lines.join('\n');
    for (const address of ['ada@example.com', 'grace@example.com', 'bob@example.org']) {
      expect(output).not.toContain(address);
    }
    expect(output).toContain('a***@example.com');
    expect(output).toContain('g***@example.com');
    expect(output).toContain('b***@example.org');
    const line = JSON.parse(lines[2] ?? '{}') as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 'ERROR',
      message: 'Unhandled error',
      service: expect.any(String),
    });
    expect(line.error).toMatchObject({ name: 'Error', message: 'No activity "b***@example.org"' });
    expect(line.timestamp).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/));
  });
});
