import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lambdas/domain/errors.js';
import { type OrderBy, pageOf, toCsv } from '../../lambdas/http/lists.js';

interface Row {
  id: string;
  nodes: number;
}
const byNodes: OrderBy<Row> = [
  [(r) => r.nodes, 'desc'],
  [(r) => r.id, 'asc'],
];
const rows: Row[] = Array.from({ length: 23 }, (_, i) => ({ id: `c${i % 7}-${i}`, nodes: i % 5 }));

function walk(items: Row[], limit: number, route = 'GET /x') {
  const pages: Row[][] = [];
  let cursor: string | undefined;
  do {
    const page = pageOf(items, { route, orderBy: byNodes, limit, cursor });
    pages.push(page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return pages;
}

describe('Lists (SPEC §3): paging', () => {
  it('walks every item exactly once, in the stable order, whatever the page size', () => {
    const expected = [...rows]
      .sort((a, b) => b.nodes - a.nodes || (a.id < b.id ? -1 : 1))
      .map((r) => r.id);
    for (const limit of [1, 2, 5, 22, 23, 100]) {
      const pages = walk(rows, limit);
      expect(pages.flat().map((r) => r.id)).toEqual(expected);
      expect(pages.every((p) => p.length <= limit)).toBe(true);
      expect(pages.length).toBe(Math.max(1, Math.ceil(rows.length / limit)));
    }
  });

  it('answers null as nextCursor on the last page, and an empty list in one page', () => {
    expect(pageOf([], { route: 'GET /x', orderBy: byNodes, limit: 5, cursor: undefined })).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it('keeps its place when an item is removed between two pages', () => {
    const first = pageOf(rows, { route: 'GET /x', orderBy: byNodes, limit: 4, cursor: undefined });
    const removed = rows.filter((r) => r.id !== first.items[3]?.id);
    const second = pageOf(removed, {
      route: 'GET /x',
      orderBy: byNodes,
      limit: 4,
      cursor: first.nextCursor ?? '',
    });
    const unpaged = pageOf(rows, {
      route: 'GET /x',
      orderBy: byNodes,
      limit: 100,
      cursor: undefined,
    });
    expect(second.items).toEqual(unpaged.items.slice(4, 8));
  });

  it.each([
    ['garbage', 'not a cursor!'],
    ['base64 of non-JSON', Buffer.from('hello').toString('base64url')],
    ['JSON of another shape', Buffer.from('{"a":1}').toString('base64url')],
    ['a cursor of another route', Buffer.from('{"r":"GET /y","k":[3,"c1"]}').toString('base64url')],
    ['a key of another length', Buffer.from('{"r":"GET /x","k":[3]}').toString('base64url')],
  ])('refuses %s as a 400', (_, cursor) => {
    expect(() => pageOf(rows, { route: 'GET /x', orderBy: byNodes, limit: 5, cursor })).toThrow(
      ValidationError,
    );
  });
});

const parse = (csv: string) =>
  Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true });

describe('Lists (SPEC §3): CSV', () => {
  it('starts with a BOM, ends records with CRLF and quotes per RFC 4180', () => {
    const csv = toCsv([{ id: 'a', name: 'Acme, "the" firm\nInc.' }]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toBe('\uFEFFid,name\r\na,"Acme, ""the"" firm\nInc."\r\n');
    expect(parse(csv).data).toEqual([{ id: 'a', name: 'Acme, "the" firm\nInc.' }]);
  });

  it('has one header: the union of field names in the JSON order, flattened', () => {
    const csv = toCsv([
      { id: 'a', counts: { talk: 2, 'recognized-content': 1 }, tiers: ['mve', 'outstanding'] },
      { id: 'b', extra: true, counts: { answer: 4 }, progress: [{ tier: 'mve', count: 3 }] },
    ]);
    const parsed = parse(csv);
    expect(parsed.meta.fields).toEqual([
      'id',
      'counts.talk',
      'counts.recognized-content',
      'tiers',
      'extra',
      'counts.answer',
      'progress',
    ]);
    expect(parsed.data[0]).toMatchObject({ tiers: 'mve; outstanding', extra: '', progress: '' });
    expect(parsed.data[1]).toMatchObject({
      extra: 'true',
      'counts.answer': '4',
      progress: '[{"tier":"mve","count":3}]',
    });
  });

  it('writes null as an empty cell and false as false', () => {
    const parsed = parse(toCsv([{ a: null, b: false, c: 0 }]));
    expect(parsed.data).toEqual([{ a: '', b: 'false', c: '0' }]);
  });

  it('neutralises every text cell that a spreadsheet would run, ids included', () => {
    const parsed = parse(
      toCsv([
        { id: '=HYPERLINK("x")', name: '+1', a: '-2', b: '@sum', c: '\tx', d: '\rx', e: 'safe' },
      ]),
    );
    expect(parsed.data[0]).toEqual({
      id: `'=HYPERLINK("x")`,
      name: "'+1",
      a: "'-2",
      b: "'@sum",
      c: "'\tx",
      d: "'\rx",
      e: 'safe',
    });
  });
});
