/**
 * "Corrections since the last report" (SPEC §5, §9 "What changed"): each change a recalculation
 * made to a month already mailed, as a line — the month, what changed, as mailed and now.
 */
import type { Month } from '../domain/month.js';
import { formatCount, monthLabel } from './format.js';
import { clip, type Listing, listing } from './sections.js';

/** A change as the report reads it (a `GET /admin/changes` row). */
export interface ReportChange {
  readonly month: Month;
  readonly field: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface CorrectionLine {
  readonly key: string;
  /** `March 2026`. */
  readonly monthText: string;
  /** `KA count`, `Acme (account)`. */
  readonly what: string;
  /** The value as mailed and now, e.g. `4` and `3`, `retained, 140 nodes` and `not listed`. */
  readonly before: string;
  readonly after: string;
}

/** Words for the row fields a reader knows from the report; others keep their API name. */
const fieldNames: Readonly<Record<string, string>> = {
  kaCount: 'KA count',
  new: 'New KAs',
  reactivated: 'Reactivated KAs',
  retained: 'Retained KAs',
  churned: 'Churned KAs',
  productionNodes: 'Production nodes',
  nearKaCount: 'Near-KAs',
  unattributedNodes: 'Unattributed nodes',
  momMultiple: 'Month-over-month multiple',
  yoyMultiple: 'Year-over-year multiple',
  ytdMultiple: 'Year-to-date multiple',
  targetKa: 'Target KA count',
  onTrack: 'On track',
  championCoverage: 'Champion coverage',
  kaQuickRatio: 'KA quick ratio',
  communitySourcedNew: 'Community-sourced new KAs',
};

function valueText(value: unknown): string {
  if (value === null || value === undefined) return 'not listed';
  if (typeof value === 'number') {
    return Number.isInteger(value) ? formatCount(value) : String(Math.round(value * 100) / 100);
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'object') {
    const { status, productionNodes } = value as { status?: unknown; productionNodes?: unknown };
    if (typeof status === 'string' && typeof productionNodes === 'number') {
      return `${status}, ${formatCount(productionNodes)} nodes`;
    }
  }
  return clip(JSON.stringify(value), 60);
}

/**
 * The lines of the section, oldest month first, then row fields before accounts (as recorded),
 * cut to `limit` like the report's other lists; `names` names the accounts. `changes` come oldest
 * first: a field changed by several recalculations is one line, as mailed and as it is now, and
 * none when it is back to what was mailed.
 */
export function correctionLines(
  changes: readonly ReportChange[],
  names: ReadonlyMap<string, string>,
  limit: number,
): Listing<CorrectionLine> {
  const latest = new Map(changes.map((change) => [`${change.month} ${change.field}`, change]));
  const net = [...latest.values()].filter(
    (change) => JSON.stringify(change.before ?? null) !== JSON.stringify(change.after ?? null),
  );
  const lines = net
    .sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0))
    .map((change): CorrectionLine => {
      const accountId = change.field.startsWith('account:') ? change.field.slice(8) : undefined;
      return {
        key: `${change.month} ${change.field}`,
        monthText: monthLabel(change.month),
        what:
          accountId === undefined
            ? (fieldNames[change.field] ?? change.field)
            : clip(names.get(accountId) ?? accountId, 60),
        before: valueText(change.before),
        after: valueText(change.after),
      };
    });
  return listing(lines, limit);
}
