import { describe, expect, it } from 'vitest';
import { parseMonth } from '../../lambdas/domain/month.js';
import { correctionLines } from '../../lambdas/report/correction-lines.js';
import { reportModel } from '../../lambdas/report/model.js';
import { reportText } from '../../lambdas/report/text.js';
import { sampleReportInput } from './sample-input.js';

const feb = parseMonth('2026-02');
const names = new Map([['acme', 'Acme Corp']]);

describe('corrections since the last report (SPEC §5, §9)', () => {
  it('says what changed, as mailed and now, naming accounts', () => {
    const { items } = correctionLines(
      [
        { month: feb, field: 'kaCount', before: 41, after: 40 },
        {
          month: feb,
          field: 'account:acme',
          before: null,
          after: { status: 'new', productionNodes: 120 },
        },
        { month: feb, field: 'momMultiple', before: 1.25, after: 1.2195121951 },
      ],
      names,
      15,
    );
    expect(items.map(({ what, before, after }) => [what, before, after])).toEqual([
      ['KA count', '41', '40'],
      ['Acme Corp', 'not listed', 'new, 120 nodes'],
      ['Month-over-month multiple', '1.25', '1.22'],
    ]);
  });

  it('shows a field changed twice once, and not at all when it is back as mailed', () => {
    const { items, total } = correctionLines(
      [
        { month: feb, field: 'kaCount', before: 41, after: 40 },
        { month: feb, field: 'churned', before: 2, after: 1 },
        { month: feb, field: 'kaCount', before: 41, after: 39 },
        { month: feb, field: 'churned', before: 2, after: 2 },
      ],
      names,
      15,
    );
    expect(total).toBe(1);
    expect(items[0]).toMatchObject({ what: 'KA count', before: '41', after: '39' });
  });

  it('cuts a long list like the report’s others, pointing to GET /admin/changes', () => {
    const many = Array.from({ length: 20 }, (_, i) => ({
      month: feb,
      field: `account:a${String(i).padStart(2, '0')}`,
      before: null,
      after: { status: 'near', productionNodes: 31 },
    }));
    const list = correctionLines(many, names, 15);
    expect([list.items.length, list.hidden]).toEqual([15, 5]);
    const text = reportText(reportModel(sampleReportInput({ corrections: many })));
    expect(text).toContain('…and 5 more at GET /admin/changes.');
  });

  it('is in the plain text when there are corrections, and absent when there are none', () => {
    expect(reportText(reportModel(sampleReportInput()))).toContain(
      'CORRECTIONS SINCE THE LAST REPORT',
    );
    expect(reportText(reportModel(sampleReportInput({ corrections: [] })))).not.toContain(
      'CORRECTIONS SINCE THE LAST REPORT',
    );
  });
});
