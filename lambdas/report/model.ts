/**
 * The monthly report (SPEC §5) as plain data: `ReportInput` is what the caller loads from the
 * store, `reportModel` decides everything the mail shows — numbers, wording, order, what is cut —
 * so the HTML, the plain text and the charts only lay it out and always agree.
 */
import type { ChampionLossAlert } from '../domain/alerts.js';
import type { NodeBridge } from '../domain/bridge.js';
import type { ActivityType } from '../domain/community.js';
import { NotFoundError } from '../domain/errors.js';
import { epochMsOf } from '../domain/instant.js';
import type { AccountOfMonth, ListedAccount } from '../domain/ka.js';
import type { KaMonthRow } from '../domain/ka-month-row.js';
import type { Month } from '../domain/month.js';
import { addMonths, compareMonths, monthRange } from '../domain/month.js';
import {
  type AlertLine,
  alertLines,
  type BridgeSection,
  bridgeSection,
  type CommunitySourcedSection,
  communitySourcedSection,
  type ForecastSection,
  forecastSection,
  type RatioText,
  ratioText,
  rejectionsText,
} from './analytics-sections.js';
/** A computed month as SPEC §3 `GET /metrics/ka` returns it. */
import { type CorrectionLine, correctionLines, type ReportChange } from './correction-lines.js';
import {
  formatCount,
  formatMultiple,
  formatPercent,
  instantLabel,
  kaNoun,
  monthLabel,
} from './format.js';
import {
  type AccountLine,
  accountLines,
  type ContentSection,
  contentSection,
  LIST_LIMIT,
  type Listing,
  type TierSection,
  tierSection,
} from './sections.js';
import { exactPace, type TargetPace, targetPace } from './target-pace.js';

export type ReportKaRow = KaMonthRow;

/** An account of M's list; the report reads whether it is community-sourced (SPEC §10). */
export type ReportAccount = AccountOfMonth & Partial<Pick<ListedAccount, 'communitySourced'>>;

/** A community member in a tier section: newly reached it, or one activity short of it. */
export interface TierMember {
  readonly memberId: string;
  readonly name: string | null;
  readonly accountId: string | null;
  /** Qualifying activities that count towards the tier, this year up to the end of M. */
  readonly count: number;
}

/** One tier of the year's evangelist program as of M (SPEC §1). */
export interface ReportTier {
  readonly id: string;
  readonly name: string;
  readonly minCount: number;
  readonly newlyReached: readonly TierMember[];
  readonly oneStepAway: readonly TierMember[];
}

/** A talk or recognised content piece of M (SPEC §1 "Qualifying activity"). */
export interface ReportContent {
  readonly type: ActivityType;
  readonly title: string | null;
  readonly url: string | null;
  /** Display names of the members who gave or wrote it. */
  readonly authors: readonly string[];
  /** ISO 8601 with a zone offset. */
  readonly occurredAt: string;
}

/** Everything the report of month M shows, as loaded from the store. */
export interface ReportInput {
  readonly month: Month;
  /** ISO 8601 instant the report is built. */
  readonly generatedAt: string;
  /** Computed months up to the 24 ending with M (more, or later ones, are ignored). */
  readonly kaRows: readonly ReportKaRow[];
  /** M's KAs, churned accounts and near-KAs (SPEC §3 `GET /metrics/ka/{month}/accounts`). */
  readonly accounts: readonly ReportAccount[];
  /** M's node bridge (SPEC §10); `null` for a month computed before bridges were kept. */
  readonly bridge: NodeBridge | null;
  /** M's champion-loss alerts (SPEC §10). */
  readonly alerts: readonly ChampionLossAlert[];
  /** Webhook items rejected in M (SPEC §2, §5). */
  readonly rejectedItems: number;
  /** Changes to months already mailed since the last report, oldest first (SPEC §9). */
  readonly corrections: readonly ReportChange[];
  /** Account names, for the corrections' account lines. */
  readonly accountNames: ReadonlyMap<string, string>;
  readonly tiers: readonly ReportTier[];
  /** M's talks and recognised content. */
  readonly content: readonly ReportContent[];
  readonly freshness: {
    readonly lastTelemetryAt: string | null;
    /** Earlier months recomputed since the last report, whose figures may have changed. */
    readonly monthsRecalculatedSinceLastReport: readonly Month[];
  };
  readonly yearlyTarget: number;
}

/** A growth multiple and how the report writes it. */
export interface Multiple {
  readonly value: number | null;
  readonly text: string;
}

/** One month of the 24-month charts; `null` where the month was never computed. */
export interface SeriesPoint {
  readonly month: Month;
  readonly kaCount: number | null;
  /** The exact compound pace of the month, `null` without a December baseline. */
  readonly paceKa: number | null;
  readonly new: number | null;
  readonly reactivated: number | null;
  readonly churned: number | null;
  readonly championCoverage: number | null;
}

export interface ReportModel {
  readonly month: Month;
  /** `March 2026`. */
  readonly monthLabel: string;
  readonly subject: string;
  /** The line mail clients show after the subject. */
  readonly preview: string;
  readonly headline: {
    readonly kaCount: number;
    readonly kaCountText: string;
    readonly mom: Multiple;
    readonly yoy: Multiple;
    readonly ytd: Multiple;
  };
  /** `null` when December of the previous year had no KA (SPEC §1). */
  readonly pace: TargetPace | null;
  /** Oldest first, from the first computed month of the window to M. */
  readonly series: readonly SeriesPoint[];
  readonly movements: {
    readonly new: Listing<AccountLine>;
    readonly reactivated: Listing<AccountLine>;
    readonly churned: Listing<AccountLine>;
    readonly retainedCount: number;
  };
  /** Near-KAs, most production nodes (closest to KA) first. */
  readonly nearKa: Listing<AccountLine>;
  readonly nodes: {
    readonly production: number;
    readonly productionText: string;
    readonly unattributed: number;
    readonly unattributedText: string;
    /** Unattributed nodes as a share of all counted nodes, e.g. `4%`. */
    readonly unattributedShareText: string;
  };
  readonly tiers: readonly TierSection[];
  readonly content: ContentSection;
  readonly championCoverage: {
    readonly value: number | null;
    readonly text: string;
    /** KAs with a champion, `null` when coverage is unknown. */
    readonly kasWithChampion: number | null;
  };
  /** (new + reactivated) / churned of M (SPEC §10). */
  readonly kaQuickRatio: RatioText;
  /** The node bridge as a waterfall; `null` for a month computed before bridges were kept. */
  readonly bridge: BridgeSection | null;
  /** The year-end forecast as of M against the target (SPEC §10). */
  readonly forecast: ForecastSection | null;
  /** KAs that lost every community champion this month (SPEC §10). */
  readonly alerts: Listing<AlertLine>;
  readonly communitySourced: CommunitySourcedSection;
  /** "Corrections since the last report" (SPEC §5, §9): changes to months already mailed. */
  readonly corrections: Listing<CorrectionLine>;
  /** Webhook items rejected in M (SPEC §2), as the footer says it. */
  readonly rejections: { readonly count: number; readonly text: string };
  readonly freshness: {
    readonly generatedAtText: string;
    readonly computedAtText: string;
    readonly lastTelemetryText: string;
    /** Telemetry older than `STALE_TELEMETRY_MS` when the report was built. */
    readonly telemetryStale: boolean;
    /** `January 2026` for every earlier month recalculated since the last report. */
    readonly recalculatedMonths: readonly string[];
  };
}

/** How far back the charts look (SPEC §5). */
export const SERIES_MONTHS = 24;
/** Telemetry arrives daily; two days without it means figures may be incomplete. */
const STALE_TELEMETRY_MS = 2 * 86_400_000;

/** The subject of M's report: `Flywheel growth report — March 2026` (SPEC §5). */
export const reportSubject = (month: Month): string =>
  `Flywheel growth report — ${monthLabel(month)}`;

const multiple = (value: number | null): Multiple => ({ value, text: formatMultiple(value) });

/** The rows of the 24 months ending with M, one per month, oldest first. */
function windowRows(input: ReportInput): ReportKaRow[] {
  const first = addMonths(input.month, 1 - SERIES_MONTHS);
  const inWindow = (row: ReportKaRow) =>
    compareMonths(row.month, first) >= 0 && compareMonths(row.month, input.month) <= 0;
  const byMonth = new Map(input.kaRows.filter(inWindow).map((row) => [row.month, row]));
  return [...byMonth.values()].sort((a, b) => compareMonths(a.month, b.month));
}

/** Every month from the first computed one to M; uncomputed months in between stay gaps. */
function series(rows: readonly ReportKaRow[], input: ReportInput): SeriesPoint[] {
  const first = rows[0]?.month ?? input.month;
  const byMonth = new Map(rows.map((row) => [row.month, row]));
  return monthRange(first, input.month).map((month) => {
    const row = byMonth.get(month);
    return {
      month,
      kaCount: row?.kaCount ?? null,
      paceKa: row ? exactPace(month, input.kaRows, input.yearlyTarget) : null,
      new: row?.new ?? null,
      reactivated: row?.reactivated ?? null,
      churned: row?.churned ?? null,
      championCoverage: row?.championCoverage ?? null,
    };
  });
}

function movements(
  input: ReportInput,
  row: ReportKaRow,
  listLimit: number,
): ReportModel['movements'] {
  const of = (status: AccountOfMonth['status']) =>
    accountLines(
      input.accounts.filter((account) => account.status === status),
      listLimit,
    );
  return {
    new: of('new'),
    reactivated: of('reactivated'),
    churned: of('churned'),
    retainedCount: row.retained,
  };
}

function nodes(row: ReportKaRow): ReportModel['nodes'] {
  const counted = row.productionNodes + row.unattributedNodes;
  return {
    production: row.productionNodes,
    productionText: formatCount(row.productionNodes),
    unattributed: row.unattributedNodes,
    unattributedText: formatCount(row.unattributedNodes),
    unattributedShareText:
      counted === 0 ? formatPercent(null) : formatPercent(row.unattributedNodes / counted),
  };
}

function freshness(input: ReportInput, row: ReportKaRow): ReportModel['freshness'] {
  const { lastTelemetryAt, monthsRecalculatedSinceLastReport } = input.freshness;
  const age =
    lastTelemetryAt === null ? null : epochMsOf(input.generatedAt) - epochMsOf(lastTelemetryAt);
  return {
    generatedAtText: instantLabel(input.generatedAt),
    computedAtText: instantLabel(row.computedAt),
    lastTelemetryText: lastTelemetryAt === null ? 'never' : instantLabel(lastTelemetryAt),
    telemetryStale: age === null || age > STALE_TELEMETRY_MS,
    recalculatedMonths: [...monthsRecalculatedSinceLastReport].sort(compareMonths).map(monthLabel),
  };
}

function preview(kaCount: number, mom: Multiple, pace: TargetPace | null): string {
  const growth = mom.value === null ? '' : ` (${mom.text} month over month)`;
  const onPace = pace === null ? '' : ` · ${pace.onTrack ? 'on track' : 'behind target pace'}`;
  return `${kaNoun(kaCount)}${growth}${onPace}`;
}

/**
 * What M's report shows (SPEC §5): KA count and multiples, target pace, 24-month series,
 * movements and near-KAs with names, nodes, tiers, content, champion coverage and freshness.
 * Throws `NotFoundError` when M itself was never computed: there is nothing true to report.
 */
export function reportModel(input: ReportInput, listLimit = LIST_LIMIT): ReportModel {
  const rows = windowRows(input);
  const row = rows.find((r) => r.month === input.month);
  if (!row) throw new NotFoundError(`month ${input.month} has not been computed yet`);
  const label = monthLabel(input.month);
  const mom = multiple(row.momMultiple);
  const pace = targetPace(row, input.kaRows, input.yearlyTarget);
  const coverage = row.championCoverage;
  return {
    month: input.month,
    monthLabel: label,
    subject: reportSubject(input.month),
    preview: preview(row.kaCount, mom, pace),
    headline: {
      kaCount: row.kaCount,
      kaCountText: formatCount(row.kaCount),
      mom,
      yoy: multiple(row.yoyMultiple),
      ytd: multiple(row.ytdMultiple),
    },
    pace,
    series: series(rows, input),
    movements: movements(input, row, listLimit),
    nearKa: accountLines(
      input.accounts.filter((account) => account.status === 'near'),
      listLimit,
    ),
    nodes: nodes(row),
    tiers: input.tiers.map((tier) =>
      tierSection(tier, input.accounts, input.tiers.length, listLimit),
    ),
    content: contentSection(input.content, listLimit),
    championCoverage: {
      value: coverage,
      text: formatPercent(coverage),
      kasWithChampion: coverage === null ? null : Math.round(coverage * row.kaCount),
    },
    kaQuickRatio: ratioText(row.kaQuickRatio),
    bridge: bridgeSection(input.bridge),
    forecast: forecastSection(input.kaRows, input.month, row.targetKa),
    alerts: alertLines(input.alerts, listLimit),
    communitySourced: communitySourcedSection(row, input.accounts, listLimit),
    corrections: correctionLines(input.corrections, input.accountNames, listLimit),
    rejections: { count: input.rejectedItems, text: rejectionsText(input.rejectedItems) },
    freshness: freshness(input, row),
  };
}
