/** A table column: the row field it shows, its header, and how to read it when not a plain field. */
export interface Column<Row> {
  readonly header: string;
  readonly value: (row: Row) => unknown;
}

/** Cells wider than this are cut with `…`, so one long title does not push a table off screen. */
const maxCellWidth = 60;

/**
 * A readable cell: `-` for null or missing, `yes`/`no`, arrays joined with `, `, objects as JSON,
 * numbers as written (no thousands separators, so a cell can be pasted back).
 */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined || value === '') return '-';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.length === 0 ? '-' : value.map(formatCell).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  const text = String(value).replace(/\s+/g, ' ');
  return text.length > maxCellWidth ? `${text.slice(0, maxCellWidth - 1)}…` : text;
}

/**
 * Rows as a plain-text table: a header, a rule, one line per row, columns two spaces apart;
 * numeric columns right-aligned. No rows gives `emptyText`.
 */
export function formatTable<Row>(
  rows: readonly Row[],
  columns: readonly Column<Row>[],
  emptyText = '(none)',
): string {
  if (rows.length === 0) return `${emptyText}\n`;
  const cells = rows.map((row) => columns.map((column) => column.value(row)));
  // A column of numbers (some missing) is right-aligned; one with no number at all is text.
  const numeric = columns.map(
    (_, i) =>
      cells.some((row) => typeof row[i] === 'number') &&
      cells.every((row) => typeof row[i] === 'number' || row[i] === null || row[i] === undefined),
  );
  const texts = cells.map((row) => row.map(formatCell));
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...texts.map((row) => (row[i] ?? '').length)),
  );
  const line = (parts: readonly string[]) =>
    parts
      .map((part, i) => (numeric[i] ? part.padStart(widths[i] ?? 0) : part.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((column) => column.header)),
    line(widths.map((width) => '-'.repeat(width))),
    ...texts.map(line),
  ]
    .map((text) => `${text}\n`)
    .join('');
}

/** Labelled values, one per line, the labels padded to one width: `Name    Acme`. */
export function formatFields(fields: readonly (readonly [string, unknown])[]): string {
  const width = Math.max(0, ...fields.map(([label]) => label.length));
  return fields.map(([label, value]) => `${label.padEnd(width)}  ${formatCell(value)}\n`).join('');
}
