import type { ApiClient } from './api-client.js';

/** The most a list route answers per page (SPEC §3 "Lists"). */
export const maxPageSize = 1000;

/** A whole list: the first page's other fields (e.g. `month`), every item, and where it stopped. */
export interface CollectedList<Item> {
  readonly page: Record<string, unknown>;
  readonly items: Item[];
  /** `null` when the list was read to its end; else the cursor of what `limit` left unread. */
  readonly nextCursor: string | null;
}

/**
 * Reads a list route page by page, following `nextCursor` (SPEC §3 "Lists"), until its end or
 * until `limit` items are read. Pages ask for no more than is still wanted, so `limit` never cuts a
 * page and the cursor left over is exact.
 */
export async function collectList<Item>(
  client: ApiClient,
  path: string,
  key: string,
  query: Readonly<Record<string, string | undefined>>,
  limit?: number,
): Promise<CollectedList<Item>> {
  const items: Item[] = [];
  let first: Record<string, unknown> | undefined;
  let cursor: string | undefined;
  for (;;) {
    const wanted = limit === undefined ? maxPageSize : Math.min(maxPageSize, limit - items.length);
    const page = await client.json<Record<string, unknown>>('GET', path, {
      query: { ...query, limit: wanted, cursor },
    });
    first ??= page;
    const pageItems = page[key];
    if (Array.isArray(pageItems)) items.push(...(pageItems as Item[]));
    const next = typeof page.nextCursor === 'string' ? page.nextCursor : null;
    if (next === null || (limit !== undefined && items.length >= limit)) {
      return { page: first, items, nextCursor: next };
    }
    cursor = next;
  }
}
