import { InvalidArgumentError } from 'commander';
import { type Identity, parseIdentity } from './identities.js';
import { parseMonth, parseYear } from './months.js';

/**
 * Commander argument and option parsers: each turns a bad value into commander's
 * `InvalidArgumentError`, which `main` reports as a usage error (exit 2) before any request.
 */
const usage =
  <T>(parse: (text: string) => T) =>
  (text: string): T => {
    try {
      return parse(text);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };

export const monthArgument = usage(parseMonth);
export const yearArgument = usage(parseYear);

/** Identities are variadic (`members merge github:ada email:ada@x.com`): collects them. */
export const identityArgument = (text: string, previous: Identity[] = []): Identity[] => [
  ...previous,
  usage(parseIdentity)(text),
];

/** A whole number in `[min, max]`, e.g. `--limit` 1–∞ or `--batch-size` 1–1000. */
export const integerArgument = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  usage((text) => {
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `${min}–${max}`;
      throw new Error(`${JSON.stringify(text)} must be a whole number, ${range}`);
    }
    return value;
  });

/** A comma list of account statuses for `accounts list --status` (SPEC §7). */
export const accountStatuses = ['new', 'reactivated', 'retained', 'churned', 'near', 'other'];
export const statusListArgument = usage((text) => {
  const statuses = text.split(',').map((s) => s.trim());
  const unknown = statuses.filter((s) => !accountStatuses.includes(s));
  if (unknown.length > 0) {
    throw new Error(`unknown status ${unknown.join(', ')}: use ${accountStatuses.join(', ')}`);
  }
  return statuses.join(',');
});

/** Token roles (SPEC §8). */
export const roles = ['viewer', 'reviewer', 'admin'] as const;

/**
 * `tokens create --expires`: a span from now (`90d`, `12h`), a date (`2027-06-30`, its start in
 * UTC) or an ISO 8601 instant with a zone offset, sent as an instant (SPEC §8 `expiresAt`).
 */
export const expiresArgument = usage((text) => expiresAt(text, Date.now()));

export function expiresAt(text: string, now: number): string {
  const span = /^(\d+)([dh])$/.exec(text.trim());
  if (span) {
    const hours = Number(span[1]) * (span[2] === 'd' ? 24 : 1);
    return new Date(now + hours * 3_600_000).toISOString();
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`))) {
    return `${text}T00:00:00Z`;
  }
  if (/T.*(Z|[+-]\d{2}(:?\d{2})?)$/i.test(text) && !Number.isNaN(Date.parse(text))) return text;
  throw new Error(
    `${JSON.stringify(text)} is not an expiry: write 90d, 12h, a date 2027-06-30 or an instant 2027-06-30T00:00:00Z`,
  );
}
