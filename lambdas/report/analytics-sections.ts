/**
 * The report's growth analytics (SPEC §5 with §10) as display data: the node bridge and quick
 * ratios, the year-end forecast against the target, champion-loss alerts, the community-sourced
 * share of new KAs and the month's rejected webhook items — decided here, laid out by the mail.
 */
import type { ChampionLossAlert, LossReason } from '../domain/alerts.js';
import type { NodeBridge } from '../domain/bridge.js';
import { type Forecast, forecastDecember } from '../domain/forecast.js';
import type { AccountOfMonth, ListedAccount } from '../domain/ka.js';
import type { KaMonthRow } from '../domain/ka-month-row.js';
import { compareMonths, type Month, yearOf } from '../domain/month.js';
import { formatCount, formatMultiple, formatPercent, kaNoun, NONE } from './format.js';
import {
  type AccountLine,
  accountLines,
  clip,
  joinNames,
  type Listing,
  listing,
} from './sections.js';

/** A ratio and how the report writes it: `2.40`, or `—` when nothing was lost. */
export interface RatioText {
  readonly value: number | null;
  readonly text: string;
}

export const ratioText = (value: number | null): RatioText => ({
  value,
  text: value === null || !Number.isFinite(value) ? NONE : value.toFixed(2),
});

/** One step of the waterfall: `start` and `end` are totals, the others movements. */
export interface BridgeStep {
  readonly label: string;
  readonly value: number;
  readonly kind: 'total' | 'gain' | 'loss';
}

export interface BridgeSection {
  readonly steps: readonly BridgeStep[];
  /** `12,300 → 14,100 production nodes of key accounts`. */
  readonly summary: string;
  readonly nodeQuickRatio: RatioText;
}

/** The bridge as the waterfall's steps, in SPEC §10's order. */
export function bridgeSection(bridge: NodeBridge | null): BridgeSection | null {
  if (bridge === null) return null;
  const steps: BridgeStep[] = [
    { label: 'Start', value: bridge.start, kind: 'total' },
    { label: 'New', value: bridge.new, kind: 'gain' },
    { label: 'Reactivated', value: bridge.reactivation, kind: 'gain' },
    { label: 'Expansion', value: bridge.expansion, kind: 'gain' },
    { label: 'Contraction', value: bridge.contraction, kind: 'loss' },
    { label: 'Churn', value: bridge.churn, kind: 'loss' },
    { label: 'End', value: bridge.end, kind: 'total' },
  ];
  return {
    steps,
    summary: `${formatCount(bridge.start)} → ${formatCount(bridge.end)} production nodes of key accounts`,
    nodeQuickRatio: ratioText(bridge.nodeQuickRatio),
  };
}

/** `+1,200` or `−300`: a movement with its sign. */
export const signedCount = (step: BridgeStep): string =>
  step.kind === 'total'
    ? formatCount(step.value)
    : `${step.kind === 'gain' ? '+' : '−'}${formatCount(step.value)}`;

export interface ForecastSection {
  readonly forecast: Forecast;
  /** December computed: the year is closed, there is nothing to forecast. */
  readonly closed: boolean;
  readonly summary: string;
  /** What reaching the target takes from here; `null` when there is nothing to say. */
  readonly required: string | null;
  readonly method: string;
}

/**
 * The year-end forecast as of M, from the computed months up to M (the lookback of a January
 * forecast reaches into the year before), against the year's target of M's row.
 */
export function forecastSection(
  rows: readonly KaMonthRow[],
  month: Month,
  targetKa: number | null,
): ForecastSection | null {
  const counts = new Map(
    rows.filter((row) => compareMonths(row.month, month) <= 0).map((r) => [r.month, r.kaCount]),
  );
  const forecast = forecastDecember({ year: yearOf(month), counts, targetKa });
  if (!forecast) return null;
  const { expected, low, high } = forecast.decemberKa;
  const closed = low === high && forecast.asOf.endsWith('-12');
  const target = targetKa === null ? '' : ` against a target of ${kaNoun(targetKa)}`;
  const verdict =
    forecast.reachable === null
      ? ''
      : forecast.reachable
        ? ': within reach.'
        : ': out of reach at this pace.';
  return {
    forecast,
    closed,
    summary: closed
      ? `December closed at ${kaNoun(expected)}${target}.`
      : `At the recent pace December ends near ${kaNoun(expected)} (likely ${formatCount(low)}–${formatCount(high)})${target}${verdict || '.'}`,
    required:
      forecast.requiredMonthlyMultiple === null
        ? null
        : `Reaching the target takes ${formatMultiple(forecast.requiredMonthlyMultiple)} a month from here.`,
    method: forecast.method,
  };
}

/** An alert as a line: the account, and who it lost and why. */
export interface AlertLine {
  readonly accountId: string;
  readonly name: string;
  /** `Ada Lovelace (left), Bob (no activity in 12 months)`. */
  readonly lost: string;
}

const reasonText: Record<LossReason, string> = {
  staff: 'now staff',
  left: 'left the company',
  inactive: 'no activity in 12 months',
};

export function alertLines(
  alerts: readonly ChampionLossAlert[],
  limit: number,
): Listing<AlertLine> {
  const lines = alerts.map((alert) => ({
    accountId: alert.accountId,
    name: clip(alert.name?.trim() || alert.accountId, 60),
    lost: joinNames(
      alert.members.map((m) => `${m.name?.trim() || m.memberId} (${reasonText[m.reason]})`),
    ),
  }));
  return listing(lines, limit);
}

export interface CommunitySourcedSection {
  /** Community-sourced new KAs; `null` for a month computed before they were counted. */
  readonly count: number | null;
  readonly newCount: number;
  readonly shareText: string;
  readonly summary: string;
  readonly accounts: Listing<AccountLine>;
}

/** SPEC §10's community-sourced share of M's new KAs, with the accounts. */
export function communitySourcedSection(
  row: KaMonthRow,
  accounts: readonly (AccountOfMonth & Partial<Pick<ListedAccount, 'communitySourced'>>)[],
  limit: number,
): CommunitySourcedSection {
  const count = row.communitySourcedNew;
  const share = count === null || row.new === 0 ? null : count / row.new;
  const summary =
    row.new === 0
      ? 'No new key accounts this month.'
      : count === null
        ? 'Not counted for this month yet: recalculate it.'
        : `${formatCount(count)} of ${kaNoun(row.new)} new this month came from the community: their people were active in it before they became customers.`;
  return {
    count,
    newCount: row.new,
    shareText: formatPercent(share),
    summary,
    accounts: accountLines(
      accounts.filter((a) => a.communitySourced === true),
      limit,
    ),
  };
}

/** The month's rejected webhook items (SPEC §2), as the footer says them. */
export function rejectionsText(count: number): string {
  return count === 0
    ? 'No webhook item was rejected this month.'
    : `${formatCount(count)} webhook item${count === 1 ? ' was' : 's were'} rejected this month: GET /admin/rejections lists them.`;
}
