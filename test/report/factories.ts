/** Small builders for report tests: a KA row, an account, a report input. */
import type { AccountOfMonth } from '../../lambdas/domain/ka.js';
import { parseMonth } from '../../lambdas/domain/month.js';
import type { ReportInput, ReportKaRow } from '../../lambdas/report/model.js';

const m = parseMonth;

/** A computed month with `kaCount` KAs and nothing else of note. */
export const row = (
  month: string,
  kaCount: number,
  fields: Partial<ReportKaRow> = {},
): ReportKaRow => ({
  month: m(month),
  kaCount,
  new: 0,
  reactivated: 0,
  retained: kaCount,
  churned: 0,
  productionNodes: kaCount * 100,
  nearKaCount: 0,
  unattributedNodes: 0,
  momMultiple: null,
  yoyMultiple: null,
  ytdMultiple: null,
  targetKa: null,
  onTrack: null,
  championCoverage: null,
  kaQuickRatio: null,
  communitySourcedNew: 0,
  computedAt: '2026-04-01T02:00:00Z',
  ...fields,
});

export const account = (
  accountId: string,
  status: AccountOfMonth['status'],
  nodes: number,
  name: string | null = null,
) => ({ accountId, name, productionNodes: nodes, status }) satisfies AccountOfMonth;

/** A minimal report of `month` whose rows are `rows`; everything else empty. */
export const input = (
  month: string,
  rows: ReportKaRow[],
  fields: Partial<ReportInput> = {},
): ReportInput => ({
  month: m(month),
  generatedAt: '2026-04-01T08:00:00Z',
  kaRows: rows,
  accounts: [],
  bridge: null,
  alerts: [],
  rejectedItems: 0,
  tiers: [],
  content: [],
  freshness: { lastTelemetryAt: '2026-04-01T07:00:00Z', monthsRecalculatedSinceLastReport: [] },
  yearlyTarget: 8,
  corrections: [],
  accountNames: new Map(),
  ...fields,
});
