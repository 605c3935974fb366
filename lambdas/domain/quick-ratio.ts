/**
 * Quick ratios (SPEC §10): how much a month gained against what it lost, for the KA count and for
 * the KA production nodes. Above 1 the base grows; `null` when nothing was lost (no ratio to take).
 */

/** A ratio whose denominator is 0 is `null` (SPEC §10), never `Infinity`. */
const ratio = (gained: number, lost: number): number | null => (lost === 0 ? null : gained / lost);

/** `kaQuickRatio` of a month: (new + reactivated) / churned, `null` when none churned (SPEC §10). */
export function kaQuickRatio(movements: {
  readonly new: number;
  readonly reactivated: number;
  readonly churned: number;
}): number | null {
  return ratio(movements.new + movements.reactivated, movements.churned);
}

/**
 * `nodeQuickRatio` of a node bridge: (new + reactivation + expansion) / (contraction + churn),
 * `null` when the denominator is 0 (SPEC §10).
 */
export function nodeQuickRatio(bridge: {
  readonly new: number;
  readonly reactivation: number;
  readonly expansion: number;
  readonly contraction: number;
  readonly churn: number;
}): number | null {
  return ratio(
    bridge.new + bridge.reactivation + bridge.expansion,
    bridge.contraction + bridge.churn,
  );
}
