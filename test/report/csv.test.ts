import { describe, expect, it } from 'vitest';
import type { AccountOfMonth } from '../../lambdas/domain/ka.js';
import { accountsCsv, csvField, UTF8_BOM } from '../../lambdas/report/csv.js';

const account = (fields: Partial<AccountOfMonth>): AccountOfMonth => ({
  accountId: 'acme',
  name: 'Acme',
  productionNodes: 60,
  status: 'new',
  ...fields,
});

/** The CSV's lines without the byte-order mark. */
const lines = (csv: string) => csv.slice(UTF8_BOM.length).split('\r\n');

describe('csvField (RFC 4180)', () => {
  it('leaves plain text and numbers as they are', () => {
    expect(csvField('Acme Corp')).toBe('Acme Corp');
    expect(csvField(1200)).toBe('1200');
  });

  it('quotes commas, quotes and line breaks, doubling the quotes', () => {
    expect(csvField('Smith, Jones')).toBe('"Smith, Jones"');
    expect(csvField('The "Best" Co')).toBe('"The ""Best"" Co"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rlf')).toBe('"cr\rlf"');
  });
});

describe('accountsCsv', () => {
  it('starts with a byte-order mark and the header, and ends every line with CRLF', () => {
    const csv = accountsCsv([account({})]);
    const header = 'accountId,name,productionNodes,previousNodes,status,communitySourced,champions';
    expect(csv.startsWith(`${UTF8_BOM}${header}\r\n`)).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(lines(csv)).toEqual([header, 'acme,Acme,60,,new,,', '']);
  });

  it('carries SPEC §10’s figures of each account when the month has them', () => {
    const csv = accountsCsv([
      { ...account({}), previousNodes: 12, communitySourced: true, champions: 2 },
      {
        ...account({ accountId: 'b', status: 'churned' }),
        previousNodes: 70,
        communitySourced: false,
        champions: 0,
      },
    ]);
    expect(lines(csv).slice(1, 3)).toEqual([
      'acme,Acme,60,12,new,true,2',
      'b,Acme,60,70,churned,false,0',
    ]);
  });

  it('writes a missing name as an empty field and quotes names that need it', () => {
    const csv = accountsCsv([
      account({ accountId: 'a', name: null }),
      account({ accountId: 'b', name: 'Smith, Jones & "Partners"', productionNodes: 50 }),
    ]);
    expect(lines(csv).slice(1, 3)).toEqual([
      'a,,60,,new,,',
      'b,"Smith, Jones & ""Partners""",50,,new,,',
    ]);
  });

  it('keeps a name from running as a spreadsheet formula', () => {
    const csv = accountsCsv([account({ name: '=HYPERLINK("http://evil","x")' })]);
    expect(lines(csv)[1]).toBe('acme,"\'=HYPERLINK(""http://evil"",""x"")",60,,new,,');
  });

  it('orders accounts as SPEC §3 lists them: by status, then most nodes', () => {
    const csv = accountsCsv([
      account({ accountId: 'near', status: 'near', productionNodes: 40 }),
      account({ accountId: 'small', status: 'retained', productionNodes: 50 }),
      account({ accountId: 'big', status: 'retained', productionNodes: 900 }),
      account({ accountId: 'fresh', status: 'new' }),
    ]);
    expect(
      lines(csv)
        .slice(1, -1)
        .map((line) => line.split(',')[0]),
    ).toEqual(['fresh', 'big', 'small', 'near']);
  });

  it('keeps non-ASCII names intact', () => {
    expect(lines(accountsCsv([account({ name: 'Société Générale' })]))[1]).toBe(
      'acme,Société Générale,60,,new,,',
    );
  });
});
