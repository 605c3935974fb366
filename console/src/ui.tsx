/**
 * The console's building blocks: loading an API answer into a page, and the few elements every
 * page shows the same way — loading, empty, an error in the API's own words, a table that
 * scrolls sideways on a phone.
 */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, api } from './api.js';

export type Loaded<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'failed'; readonly error: string; readonly status: number }
  | { readonly state: 'loaded'; readonly data: T };

/** A GET's answer as page state, reloaded when `path` changes or `reload()` is called. */
export function useGet<T>(path: string | null): [Loaded<T>, () => void] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const [version, setVersion] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the reload trigger
  useEffect(() => {
    if (path === null) return;
    let current = true;
    setLoaded({ state: 'loading' });
    api<T>('GET', path).then(
      (data) => current && setLoaded({ state: 'loaded', data }),
      (error: unknown) => current && setLoaded(failure(error)),
    );
    return () => {
      current = false;
    };
  }, [path, version]);
  return [loaded, useCallback(() => setVersion((v) => v + 1), [])];
}

export const failure = (error: unknown): { state: 'failed'; error: string; status: number } =>
  error instanceof ApiError
    ? { state: 'failed', error: error.message, status: error.status }
    : { state: 'failed', error: String((error as Error)?.message ?? error), status: 0 };

/** Runs a change (a PUT, POST, PATCH or DELETE); remembers its error to show, in the API's words. */
export function useAction(): {
  busy: boolean;
  error: string | null;
  /** `{ value }` when the change succeeded, `undefined` when it failed (its error is kept). */
  run: <T>(action: () => Promise<T>) => Promise<{ value: T } | undefined>;
  clear: () => void;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async <T,>(action: () => Promise<T>) => {
    setBusy(true);
    setError(null);
    try {
      return { value: await action() };
    } catch (caught) {
      setError(failure(caught).error);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clear: () => setError(null) };
}

/** Shows a loaded answer, or its loading and failed states. */
export function Show<T>(props: {
  loaded: Loaded<T>;
  children: (data: T) => ComponentChildren;
  what: string;
}) {
  if (props.loaded.state === 'loading') return <Loading what={props.what} />;
  if (props.loaded.state === 'failed') {
    return props.loaded.status === 404 ? (
      <p class="note">Not available: {props.loaded.error}</p>
    ) : (
      <ErrorNote message={props.loaded.error} />
    );
  }
  return <>{props.children(props.loaded.data)}</>;
}

export const Loading = ({ what }: { what: string }) => (
  <p class="loading" aria-live="polite">
    Loading {what}…
  </p>
);

export const ErrorNote = ({ message }: { message: string | null }) =>
  message === null ? null : (
    <p class="error" role="alert">
      {message}
    </p>
  );

export const Empty = ({ children }: { children: ComponentChildren }) => (
  <p class="empty">{children}</p>
);

/** A page: its heading and its content. */
export const Page = ({ title, children }: { title: string; children: ComponentChildren }) => (
  <section aria-labelledby="page-title">
    <h1 id="page-title">{title}</h1>
    {children}
  </section>
);

/** A table that scrolls sideways inside its box on a narrow screen (focusable, so keys scroll it). */
export const TableBox = ({ label, children }: { label: string; children: ComponentChildren }) => (
  // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to scroll by keyboard
  <section class="table-box" aria-label={label} tabIndex={0}>
    <table>{children}</table>
  </section>
);

/** A column of a `DataTable`: its header, whether it holds numbers, and its cell of a row. */
export interface Column<T> {
  readonly header: string;
  readonly num?: boolean;
  readonly cell: (row: T) => ComponentChildren;
}

/**
 * Rows as a `TableBox` with a header row, or `empty` when there are none: the one shape of every
 * list the pages show, so headers, number alignment and the empty state never differ.
 */
export function DataTable<T>(props: {
  label: string;
  rows: readonly T[];
  rowKey: (row: T) => string;
  columns: readonly Column<T>[];
  empty: ComponentChildren;
}) {
  if (props.rows.length === 0) return <Empty>{props.empty}</Empty>;
  const numClass = (column: Column<T>) => (column.num ? 'num' : undefined);
  return (
    <TableBox label={props.label}>
      <thead>
        <tr>
          {props.columns.map((column) => (
            <th scope="col" class={numClass(column)} key={column.header}>
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={props.rowKey(row)}>
            {props.columns.map((column) => (
              <td class={numClass(column)} key={column.header}>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </TableBox>
  );
}

/** A year to look at (2000–2100), applied as it changes: the Evangelists and program pages'. */
export const YearField = (props: {
  id: string;
  value: string;
  onChange: (year: string) => void;
}) => (
  <form class="row" onSubmit={(e) => e.preventDefault()}>
    <label for={props.id}>Year</label>
    <input
      id={props.id}
      type="number"
      min="2000"
      max="2100"
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value)}
    />
  </form>
);

/** A figure and its name, as a definition list entry. */
export const Stat = ({
  name,
  value,
  id,
}: {
  name: string;
  value: ComponentChildren;
  id?: string;
}) => (
  <div class="stat">
    <dt>{name}</dt>
    <dd data-stat={id}>{value}</dd>
  </div>
);

export const formatNumber = (value: number | null | undefined, digits = 0): string =>
  value === null || value === undefined
    ? '—'
    : value.toLocaleString('en', { maximumFractionDigits: digits });

export const formatMultiple = (value: number | null | undefined): string =>
  value === null || value === undefined ? '—' : `×${value.toFixed(2)}`;

export const formatPercent = (value: number | null | undefined): string =>
  value === null || value === undefined ? '—' : `${Math.round(value * 100)}%`;

export const formatInstant = (value: string | null | undefined): string =>
  value ? value.replace('T', ' ').slice(0, 16) : '—';
