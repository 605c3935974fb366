import { describe, expect, it } from 'vitest';
import { expiresAt } from '../../cli/arguments.js';
import { parseConfigValue } from '../../cli/config-value.js';
import { connectionFrom } from '../../cli/connection.js';
import { UsageError } from '../../cli/errors.js';
import { parseIdentity } from '../../cli/identities.js';
import { parseMonth, parseYear } from '../../cli/months.js';
import { retryDelayMs } from '../../cli/retry-delay.js';

describe('identities written kind:value', () => {
  it('reads each kind into the body shape of SPEC §9', () => {
    expect(parseIdentity('github:ada')).toEqual({ github: 'ada' });
    expect(parseIdentity('email:Ada@Example.com')).toEqual({ email: 'Ada@Example.com' });
    expect(parseIdentity('forum:ada')).toEqual({ forum: 'ada' });
  });

  it('keeps colons after the first one in the value', () => {
    expect(parseIdentity('forum:ada:old')).toEqual({ forum: 'ada:old' });
  });

  it('refuses an unknown kind, a display name or an empty part, saying the form', () => {
    for (const text of ['ada', 'name:Ada', 'twitter:ada', 'github:', ':ada']) {
      expect(() => parseIdentity(text)).toThrow(/kind:value/);
    }
  });
});

describe('months and years', () => {
  it('takes YYYY-MM and refuses month 13 or another form', () => {
    expect(parseMonth('2026-10')).toBe('2026-10');
    for (const text of ['2026-13', '2026-00', '2026-1', '10-2026', '2026/10']) {
      expect(() => parseMonth(text)).toThrow(/YYYY-MM/);
    }
  });

  it('takes a four-digit year', () => {
    expect(parseYear('2026')).toBe('2026');
    expect(() => parseYear('26')).toThrow(/four digits/);
  });
});

describe('token expiry', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');
  it('reads a span from now, a date or an instant', () => {
    expect(expiresAt('90d', now)).toBe('2027-02-28T12:00:00.000Z');
    expect(expiresAt('12h', now)).toBe('2026-12-01T00:00:00.000Z');
    expect(expiresAt('2027-06-30', now)).toBe('2027-06-30T00:00:00Z');
    expect(expiresAt('2027-06-30T08:00:00+02:00', now)).toBe('2027-06-30T08:00:00+02:00');
  });

  it('refuses an instant without a zone and other text', () => {
    for (const text of ['2027-06-30T08:00:00', 'soon', '90', '2027-13-01']) {
      expect(() => expiresAt(text, now)).toThrow(/not an expiry/);
    }
  });
});

describe('config set values', () => {
  it('sends JSON values as JSON', () => {
    expect(parseConfigValue('kaThreshold', '60')).toBe(60);
    expect(parseConfigValue('yearlyTarget', '1.5')).toBe(1.5);
    expect(parseConfigValue('reportSender', 'null')).toBeNull();
    expect(parseConfigValue('reportRecipients', '["a@x.com"]')).toEqual(['a@x.com']);
  });

  it('sends other text as a string', () => {
    expect(parseConfigValue('timezone', 'Europe/Berlin')).toBe('Europe/Berlin');
    expect(parseConfigValue('reportSender', 'reports@example.com')).toBe('reports@example.com');
  });

  it('reads a list key as a comma list, one value as a list of one, nothing as []', () => {
    expect(parseConfigValue('countedEnvironments', 'production, staging')).toEqual([
      'production',
      'staging',
    ]);
    expect(parseConfigValue('staffAccounts', 'pingcap')).toEqual(['pingcap']);
    expect(parseConfigValue('reportRecipients', '')).toEqual([]);
  });

  it('refuses a key that is not a plain name', () => {
    expect(() => parseConfigValue('ka-threshold', '1')).toThrow(/not a configuration key/);
  });
});

describe('the connection', () => {
  it('defaults to local mode and the bootstrap token variable', () => {
    expect(connectionFrom({}, { FLYWHEEL_ADMIN_TOKEN: 'boot' })).toEqual({
      url: 'http://localhost:3000',
      urlSource: 'default',
      token: 'boot',
      tokenSource: 'FLYWHEEL_ADMIN_TOKEN',
    });
  });

  it('prefers flags to FLYWHEEL_TOKEN to FLYWHEEL_ADMIN_TOKEN, and drops a trailing slash', () => {
    const environment = {
      FLYWHEEL_URL: 'https://api.example.com/',
      FLYWHEEL_TOKEN: 'personal',
      FLYWHEEL_ADMIN_TOKEN: 'boot',
    };
    expect(connectionFrom({}, environment)).toMatchObject({
      url: 'https://api.example.com',
      urlSource: 'FLYWHEEL_URL',
      token: 'personal',
      tokenSource: 'FLYWHEEL_TOKEN',
    });
    expect(connectionFrom({ url: 'http://127.0.0.1:9', token: 'flag' }, environment)).toMatchObject(
      { url: 'http://127.0.0.1:9', urlSource: '--url', token: 'flag', tokenSource: '--token' },
    );
  });

  it('counts an empty variable as unset', () => {
    expect(connectionFrom({}, { FLYWHEEL_TOKEN: ' ' }).token).toBeUndefined();
  });

  it('refuses a URL that is not http(s), naming where it came from', () => {
    expect(() => connectionFrom({}, { FLYWHEEL_URL: 'localhost:3000' })).toThrow(UsageError);
    expect(() => connectionFrom({ url: 'nope' }, {})).toThrow(/--url is not a URL/);
  });
});

describe('retry delays', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');
  it('honours Retry-After in seconds or as an HTTP date', () => {
    expect(retryDelayMs('2', 1, now)).toBe(2000);
    expect(retryDelayMs('Mon, 30 Nov 2026 12:00:05 GMT', 1, now)).toBe(5000);
    expect(retryDelayMs('Mon, 30 Nov 2026 11:00:00 GMT', 1, now)).toBe(0);
  });

  it('backs off by attempt without one, and never waits more than 30 s', () => {
    expect([1, 2, 3].map((attempt) => retryDelayMs(null, attempt, now))).toEqual([
      1000, 2000, 4000,
    ]);
    expect(retryDelayMs('3600', 1, now)).toBe(30_000);
  });
});
