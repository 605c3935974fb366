/**
 * The month's account list as the CSV attached to the report (SPEC §5), per RFC 4180: CRLF line
 * ends, fields with a comma, quote or line break quoted, quotes doubled.
 */
import type { AccountOfMonth } from '../domain/ka.js';
import { compareAccountsOfMonth } from '../domain/ka.js';

export const ACCOUNTS_CSV_HEADER = ['accountId', 'name', 'productionNodes', 'status'] as const;

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

/** `accountId,name,productionNodes,status`, one account a row, in the order of SPEC §3's list. */
export function accountsCsv(accounts: readonly AccountOfMonth[]): string {
  const rows = [...accounts]
    .sort(compareAccountsOfMonth)
    .map((account) =>
      row([
        account.accountId,
        neutraliseFormula(account.name ?? ''),
        account.productionNodes,
        account.status,
      ]),
    );
  return `${UTF8_BOM}${[row(ACCOUNTS_CSV_HEADER), ...rows].join('\r\n')}\r\n`;
}
