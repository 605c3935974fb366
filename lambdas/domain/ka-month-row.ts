import type { Month } from './month.js';

/** A computed month as `GET /metrics/ka` returns it (SPEC §3). */
export interface KaMonthRow {
  readonly month: Month;
  readonly kaCount: number;
  readonly new: number;
  readonly reactivated: number;
  readonly retained: number;
  readonly churned: number;
  readonly productionNodes: number;
  readonly nearKaCount: number;
  readonly unattributedNodes: number;
  readonly momMultiple: number | null;
  readonly yoyMultiple: number | null;
  readonly ytdMultiple: number | null;
  readonly targetKa: number | null;
  readonly onTrack: boolean | null;
  readonly championCoverage: number | null;
  /** (new + reactivated) / churned, `null` when none churned (SPEC §10). */
  readonly kaQuickRatio: number | null;
  /**
   * The month's new KAs that are community-sourced (SPEC §10); `null` only for a month computed
   * before it was kept, until it is recalculated.
   */
  readonly communitySourcedNew: number | null;
  readonly computedAt: string;
}
