/**
 * The month's account list as the CSV attached to the report (SPEC §5), per RFC 4180: CRLF line
 * ends, fields with a comma, quote or line break quoted, quotes doubled.
 */
import type { AccountOfMonth, ListedAccount } from '../domain/ka.js';
import { compareAccountsOfMonth } from '../domain/ka.js';

/** SPEC §3's account-list row, in its order (§10's figures empty for a month computed before them). */
export const ACCOUNTS_CSV_HEADER = [
  'accountId',
  'name',
  'productionNodes',
  'previousNodes',
  'status',
  'communitySourced',
  'champions',
] as const;

/**
 * Excel reads a CSV without a byte-order mark as the local code page and garbles `Société`; the
 * readers of this file open it in Excel more than they parse it.
 */
export const UTF8_BOM = '\uFEFF';

/** One field, quoted when RFC 4180 requires it. */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A spreadsheet runs a cell starting with `=`, `+`, `-`, `@` (or a tab or CR before one) as a
 * formula; names come from admins and community data, so such a name gets a leading `'`
 * (OWASP "CSV injection"). Ids are left as they are: their charset cannot form a formula call.
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const row = (fields: readonly (string | number)[]): string => fields.map(csvField).join(',');

const optional = (value: number | boolean | null | undefined): string | number =>
  value === null || value === undefined ? '' : typeof value === 'boolean' ? String(value) : value;

/** `ACCOUNTS_CSV_HEADER`'s columns, one account a row, in the order of SPEC §3's list. */
export function accountsCsv(
  accounts: readonly (AccountOfMonth & Partial<Omit<ListedAccount, keyof AccountOfMonth>>)[],
): string {
  const rows = [...accounts]
    .sort(compareAccountsOfMonth)
    .map((account) =>
      row([
        account.accountId,
        neutraliseFormula(account.name ?? ''),
        account.productionNodes,
        optional(account.previousNodes),
        account.status,
        optional(account.communitySourced),
        optional(account.champions),
      ]),
    );
  return `${UTF8_BOM}${[row(ACCOUNTS_CSV_HEADER), ...rows].join('\r\n')}\r\n`;
}
