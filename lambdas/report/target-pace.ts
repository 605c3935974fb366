/**
 * The compound pace to the yearly target (SPEC §1 "Growth"), read back from computed KA rows so
 * the report can say by how many whole KAs a month is ahead of or behind it. `onTrack` is derived
 * again rather than taken from the row: the same rule and tolerance as `growth` in `domain/ka.ts`,
 * so the badge and the "ahead by N" beside it can never contradict each other.
 */
import type { Month } from '../domain/month.js';
import { decemberBefore, monthNumber, yearOf } from '../domain/month.js';
import { kaNoun, monthLabel } from './format.js';

/**
 * Same forgiveness as `growth` in `domain/ka.ts`: `yearlyTarget^(m/12)` in floating point can land
 * a hair above an integer, and a KA count meeting the pace exactly must count as on track.
 */
const PACE_TOLERANCE = 1e-9;

/** The fields of a computed KA row the pace needs. */
export interface PaceRow {
  readonly month: Month;
  readonly kaCount: number;
  readonly targetKa: number | null;
}

/** Where month M stands against `ka(Dec) × yearlyTarget^(m/12)`, in whole KAs. */
export interface TargetPace {
  readonly yearlyTarget: number;
  /** KAs of December of the previous year, the baseline. */
  readonly decemberKa: number;
  /** KAs to have by December: the baseline times the target, rounded up to a whole KA. */
  readonly targetKa: number;
  /** KAs needed this month to be on pace, rounded up: 237.4 needs 238. */
  readonly paceKa: number;
  readonly onTrack: boolean;
  /** KAs above the pace (0 when exactly on it or behind). */
  readonly aheadBy: number;
  /** KAs missing to the pace (0 when on track). */
  readonly behindBy: number;
  /** One line for people: `12 KAs ahead of pace (238 KAs needed in March)`. */
  readonly summary: string;
  /** `Target: 597 KAs by December 2026 (×3 the 199 KAs of December 2025)`. */
  readonly targetSummary: string;
}

/**
 * KAs of December before `month`: the December row when the rows hold it (the fact), else the
 * row's own `targetKa / yearlyTarget`; `null` when unknown or 0, where SPEC §1 has no pace.
 */
export function decemberKa(
  month: Month,
  rows: readonly PaceRow[],
  yearlyTarget: number,
): number | null {
  const december = decemberBefore(month);
  const fromRows = rows.find((row) => row.month === december)?.kaCount;
  const targetKa = rows.find((row) => row.month === month)?.targetKa ?? null;
  const fromTarget =
    targetKa !== null && yearlyTarget > 0 ? Math.round(targetKa / yearlyTarget) : undefined;
  const count = fromRows ?? fromTarget;
  return count === undefined || count === 0 ? null : count;
}

/** The exact pace of `month`, `ka(Dec) × yearlyTarget^(m/12)`, `null` without a December. */
export function exactPace(
  month: Month,
  rows: readonly PaceRow[],
  yearlyTarget: number,
): number | null {
  const december = decemberKa(month, rows, yearlyTarget);
  return december === null ? null : december * yearlyTarget ** (monthNumber(month) / 12);
}

/** Rounds a pace up to the whole KAs it takes, forgiving floating-point noise. */
const wholeKas = (pace: number): number => Math.ceil(pace * (1 - PACE_TOLERANCE));

/**
 * Whether month M's KA count reached the compound pace and by how many whole KAs it is ahead or
 * behind (SPEC §1 `onTrack`); `null` when December of the previous year had no KA or is unknown.
 */
export function targetPace(
  row: PaceRow,
  rows: readonly PaceRow[],
  yearlyTarget: number,
): TargetPace | null {
  const december = decemberKa(row.month, rows, yearlyTarget);
  if (december === null) return null;
  const paceKa = wholeKas(december * yearlyTarget ** (monthNumber(row.month) / 12));
  const delta = row.kaCount - paceKa;
  const monthName = monthLabel(row.month).split(' ')[0];
  const needed = `${kaNoun(paceKa)} needed in ${monthName}`;
  const summary =
    delta > 0
      ? `${kaNoun(delta)} ahead of pace (${needed})`
      : delta === 0
        ? `Exactly on pace (${needed})`
        : `${kaNoun(-delta)} behind pace (${needed})`;
  const targetKa = wholeKas(december * yearlyTarget);
  const baseline = `${kaNoun(december)} of ${monthLabel(decemberBefore(row.month))}`;
  return {
    yearlyTarget,
    decemberKa: december,
    targetKa,
    paceKa,
    onTrack: delta >= 0,
    aheadBy: Math.max(delta, 0),
    behindBy: Math.max(-delta, 0),
    summary,
    targetSummary: `Target: ${kaNoun(targetKa)} by December ${yearOf(row.month)} (×${yearlyTarget} the ${baseline})`,
  };
}

/** Why a month has no pace (SPEC §1: none when the previous December had no KA). */
export const noPaceText = (month: Month): string =>
  `${monthLabel(decemberBefore(month))} had no key accounts to set a target from.`;
