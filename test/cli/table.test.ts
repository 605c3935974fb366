import { describe, expect, it } from 'vitest';
import { formatCell, formatFields, formatTable } from '../../cli/table.js';

describe('tables', () => {
  const columns = [
    { header: 'ACCOUNT', value: (row: { id: string; nodes: number | null }) => row.id },
    { header: 'NODES', value: (row: { id: string; nodes: number | null }) => row.nodes },
  ];

  it('aligns text left and numbers right under a rule', () => {
    const text = formatTable(
      [
        { id: 'acme', nodes: 120 },
        { id: 'globex-corporation', nodes: 7 },
        { id: 'initech', nodes: null },
      ],
      columns,
    );
    expect(text).toBe(
      [
        'ACCOUNT             NODES',
        '------------------  -----',
        'acme                  120',
        'globex-corporation      7',
        'initech                 -',
        '',
      ].join('\n'),
    );
  });

  it('keeps a column with no number at all left-aligned', () => {
    expect(formatTable([{ id: 'a', nodes: null }], columns)).toBe(
      'ACCOUNT  NODES\n-------  -----\na        -\n',
    );
  });

  it('says (none) for no rows', () => {
    expect(formatTable([], columns)).toBe('(none)\n');
  });

  it('writes cells readably: dashes, yes/no, lists, JSON, long text cut', () => {
    expect(formatCell(null)).toBe('-');
    expect(formatCell(true)).toBe('yes');
    expect(formatCell(['a', 'b'])).toBe('a, b');
    expect(formatCell({ a: 1 })).toBe('{"a":1}');
    expect(formatCell('x'.repeat(100))).toHaveLength(60);
    expect(formatCell('two\nlines')).toBe('two lines');
  });

  it('pads labels to one width', () => {
    expect(
      formatFields([
        ['Name', 'Acme'],
        ['Domains', ['acme.com']],
      ]),
    ).toBe('Name     Acme\nDomains  acme.com\n');
  });
});
