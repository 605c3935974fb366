import { describe, expect, expectTypeOf, it } from 'vitest';
import { NotFoundError } from '../../lambdas/domain/errors.js';
import type { KaMonthRow } from '../../lambdas/domain/ka-month-row.js';
import { addMonths, parseMonth } from '../../lambdas/domain/month.js';
import { formatMultiple, formatPercent } from '../../lambdas/report/format.js';
import { type ReportKaRow, reportModel, reportSubject } from '../../lambdas/report/model.js';
import { LIST_LIMIT } from '../../lambdas/report/sections.js';
import { account, input, row } from './factories.js';
import { sampleReportInput } from './sample-input.js';

const m = parseMonth;

describe('reportSubject', () => {
  it('names the month in English with an em dash (SPEC §5)', () => {
    expect(reportSubject(m('2026-03'))).toBe('Flywheel growth report — March 2026');
  });

  it('spells January and December out', () => {
    expect(reportSubject(m('2027-01'))).toBe('Flywheel growth report — January 2027');
    expect(reportSubject(m('2026-12'))).toBe('Flywheel growth report — December 2026');
  });
});

describe('formatting', () => {
  it('writes multiples as ×1.12 with two decimals, and — without a base', () => {
    expect(formatMultiple(1.1234)).toBe('×1.12');
    expect(formatMultiple(8)).toBe('×8.00');
    expect(formatMultiple(null)).toBe('—');
    expect(formatMultiple(Number.POSITIVE_INFINITY)).toBe('—');
  });

  it('writes champion coverage as a whole percentage', () => {
    expect(formatPercent(0.6249)).toBe('62%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(null)).toBe('—');
  });
});

describe('reportModel headline', () => {
  it('shows the KA count and the multiples of the month row', () => {
    const rows = [
      row('2026-02', 200),
      row('2026-03', 224, { momMultiple: 1.12, yoyMultiple: null, ytdMultiple: 2.5 }),
    ];
    const { headline } = reportModel(input('2026-03', rows));
    expect(headline.kaCountText).toBe('224');
    expect([headline.mom.text, headline.yoy.text, headline.ytd.text]).toEqual([
      '×1.12',
      '—',
      '×2.50',
    ]);
  });

  it('refuses a month that was never computed', () => {
    expect(() => reportModel(input('2026-03', [row('2026-02', 10)]))).toThrow(NotFoundError);
  });

  it('accepts the rows GET /metrics/ka returns', () => {
    expectTypeOf<KaMonthRow>().toExtend<ReportKaRow>();
  });
});

describe('reportModel movements and pipeline', () => {
  const accounts = [
    account('acme', 'new', 80, 'Acme Corp'),
    account('globex', 'new', 120, null),
    account('initech', 'reactivated', 60, '  '),
    account('hooli', 'retained', 400, 'Hooli'),
    account('umbrella', 'churned', 20, 'Umbrella'),
    account('tyrell', 'near', 35, 'Tyrell'),
    account('wonka', 'near', 49, 'Wonka'),
  ];
  const model = reportModel(
    input(
      '2026-03',
      [row('2026-03', 4, { retained: 1, productionNodes: 660, unattributedNodes: 40 })],
      { accounts },
    ),
  );

  it('lists accounts by name, falling back to the id, most nodes first', () => {
    expect(model.movements.new.items.map((a) => [a.name, a.nodesText])).toEqual([
      ['globex', '120'],
      ['Acme Corp', '80'],
    ]);
    expect(model.movements.reactivated.items.map((a) => a.name)).toEqual(['initech']);
    expect(model.movements.churned.items.map((a) => a.name)).toEqual(['Umbrella']);
    expect(model.movements.retainedCount).toBe(1);
  });

  it('sorts the near-KA pipeline closest to KA first', () => {
    expect(model.nearKa.items.map((a) => a.name)).toEqual(['Wonka', 'Tyrell']);
  });

  it('reports production and unattributed nodes with the unattributed share', () => {
    expect(model.nodes).toMatchObject({
      productionText: '660',
      unattributedText: '40',
      unattributedShareText: '6%',
    });
  });

  it(`shows at most ${LIST_LIMIT} accounts a list and says how many more`, () => {
    const many = Array.from({ length: 40 }, (_, i) => account(`a${i}`, 'new', 50 + i));
    const { movements } = reportModel(input('2026-03', [row('2026-03', 40)], { accounts: many }));
    expect(movements.new).toMatchObject({ total: 40, hidden: 40 - LIST_LIMIT });
    expect(movements.new.items[0]?.productionNodes).toBe(89);
  });
});

describe('reportModel community', () => {
  const model = reportModel(sampleReportInput());

  it('names tier members, with their account by name or id', () => {
    const mve = model.tiers.find((tier) => tier.id === 'mve');
    const lines = mve?.newlyReached.items.map((member) => [
      member.name,
      member.account,
      member.progressText,
    ]);
    expect(lines?.[0]).toEqual(['Grace Hopper', 'Oscorp Bank', '4 this year']);
    expect(lines).toContainEqual(['mem-7f3a', 'Northwind Games', '3 this year']);
    expect(mve?.oneStepAway.items.map((member) => [member.name, member.account])).toContainEqual([
      'Alan Turing',
      'acct-9999',
    ]);
  });

  it('splits talks from recognised content, oldest first, and never links a non-http URL', () => {
    const base = { authors: ['Ada'], title: 'T' };
    const content = [
      {
        ...base,
        type: 'talk' as const,
        url: 'javascript:alert(1)',
        occurredAt: '2026-03-20T10:00:00Z',
      },
      {
        ...base,
        type: 'talk' as const,
        url: 'https://a.example',
        occurredAt: '2026-03-02T10:00:00Z',
      },
      {
        ...base,
        type: 'case-study' as const,
        title: null,
        url: null,
        occurredAt: '2026-03-05T10:00:00Z',
      },
    ];
    const { content: section } = reportModel(input('2026-03', [row('2026-03', 1)], { content }));
    expect(section.talks.items.map((t) => [t.url, t.date])).toEqual([
      ['https://a.example', '2 Mar 2026'],
      [null, '20 Mar 2026'],
    ]);
    expect(section.recognised.items[0]).toMatchObject({
      kind: 'Case study',
      title: 'Untitled case study',
    });
  });

  it('shows champion coverage as a percentage and as KAs', () => {
    expect(model.championCoverage).toMatchObject({ text: '62%', kasWithChampion: 166 });
  });
});

describe('reportModel freshness', () => {
  it('flags telemetry older than two days, and missing telemetry', () => {
    const at = (lastTelemetryAt: string | null) =>
      reportModel(
        input('2026-03', [row('2026-03', 1)], {
          freshness: { lastTelemetryAt, monthsRecalculatedSinceLastReport: [] },
        }),
      ).freshness;
    expect(at('2026-03-31T09:00:00Z').telemetryStale).toBe(false);
    expect(at('2026-03-29T07:00:00Z').telemetryStale).toBe(true);
    expect(at(null)).toMatchObject({ telemetryStale: true, lastTelemetryText: 'never' });
  });

  it('lists recalculated months oldest first, by name', () => {
    const { freshness } = reportModel(sampleReportInput());
    expect(freshness.recalculatedMonths).toEqual(['January 2026', 'February 2026']);
    expect(freshness.computedAtText).toBe('2026-04-01 02:00 UTC');
  });
});

describe('the sample input', () => {
  it('grows from about 30 to about 270 KAs with consistent movements', () => {
    const { kaRows } = sampleReportInput();
    expect(kaRows).toHaveLength(24);
    expect(kaRows[0]?.kaCount).toBeGreaterThanOrEqual(25);
    expect(kaRows.at(-1)?.kaCount).toBe(268);
    kaRows.slice(1).forEach((r, i) => {
      expect(r.retained + r.new + r.reactivated).toBe(r.kaCount);
      expect(r.retained + r.churned).toBe(kaRows[i]?.kaCount);
      expect(r.month).toBe(addMonths(kaRows[i]?.month ?? r.month, 1));
    });
  });
});
