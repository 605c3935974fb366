import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../../cli/api-client.js';
import { collectList } from '../../cli/list-pages.js';

/** A list route of `total` numbered items that pages as SPEC §3 says, recording each query. */
function fakeRoute(total: number) {
  const queries: Record<string, unknown>[] = [];
  const client = {
    json: async (_method: string, _path: string, options: { query: Record<string, unknown> }) => {
      queries.push(options.query);
      const start = Number(options.query.cursor ?? 0);
      const limit = Number(options.query.limit);
      const end = Math.min(total, start + limit);
      const items = Array.from({ length: end - start }, (_, i) => start + i);
      return { month: '2026-10', items, nextCursor: end < total ? String(end) : null };
    },
  } as unknown as ApiClient;
  return { client, queries };
}

describe('reading a whole list (SPEC §3 "Lists")', () => {
  it('follows nextCursor to the end, 1,000 a page, keeping the filters', async () => {
    const { client, queries } = fakeRoute(2500);
    const list = await collectList<number>(client, '/accounts', 'items', { status: 'new' });
    expect(list.items).toHaveLength(2500);
    expect(list.items.at(-1)).toBe(2499);
    expect(list.nextCursor).toBeNull();
    expect(list.page.month).toBe('2026-10');
    expect(queries).toEqual([
      { status: 'new', limit: 1000, cursor: undefined },
      { status: 'new', limit: 1000, cursor: '1000' },
      { status: 'new', limit: 1000, cursor: '2000' },
    ]);
  });

  it('stops at --limit without cutting a page, leaving the exact cursor', async () => {
    const { client, queries } = fakeRoute(2500);
    const list = await collectList<number>(client, '/accounts', 'items', {}, 1500);
    expect(list.items).toHaveLength(1500);
    expect(list.nextCursor).toBe('1500');
    expect(queries.map((q) => q.limit)).toEqual([1000, 500]);
  });

  it('answers an empty list with one request', async () => {
    const { client, queries } = fakeRoute(0);
    expect((await collectList(client, '/accounts', 'items', {})).items).toEqual([]);
    expect(queries).toHaveLength(1);
  });
});
