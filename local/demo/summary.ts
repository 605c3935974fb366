import { decemberBefore, type Month, yearOf } from '../../lambdas/domain/month.js';
import type { AdminApi } from './api.js';

interface KaRow {
  readonly month: string;
  readonly kaCount: number;
  readonly nearKaCount: number;
  readonly new: number;
  readonly reactivated: number;
  readonly churned: number;
  readonly productionNodes: number;
  readonly unattributedNodes: number;
  readonly yoyMultiple: number | null;
  readonly ytdMultiple: number | null;
  readonly targetKa: number | null;
  readonly onTrack: boolean | null;
  readonly championCoverage: number | null;
}

interface EvangelistRow {
  readonly tiers: readonly string[];
}

const times = (value: number | null) => (value === null ? '–' : `${value.toFixed(1)}x`);
const count = (value: number) => value.toLocaleString('en');

/** What the server computed, in a few lines: the story as `GET /metrics/ka` tells it. */
export async function printSummary(api: AdminApi, months: readonly Month[]): Promise<void> {
  const first = months[0] as Month;
  const last = months.at(-1) as Month;
  const { months: rows } = (await api('GET', `/metrics/ka?from=${first}&to=${last}`)).body as {
    months: KaRow[];
  };
  const row = (month: string) => rows.find((r) => r.month === month);
  const end = row(last);
  if (!end) {
    console.log(`  No KA metrics for ${last}: the recalculation did not store them.`);
    return;
  }
  const marks = [...new Set([first, months.at(-13), decemberBefore(last), last])].filter(
    (m): m is Month => m !== undefined,
  );
  const line = marks
    .sort()
    .map((m) => `${m} ${row(m)?.kaCount ?? '–'}`)
    .join('  →  ');
  console.log(`  Key accounts     ${line}`);
  console.log(
    `  Growth ${last}  ${times(end.yoyMultiple)} year over year, ${times(end.ytdMultiple)} since December ` +
      `(target ${end.targetKa ?? '–'} KAs by December: ${end.onTrack === null ? '–' : end.onTrack ? 'on track' : 'behind'})`,
  );
  const moves = rows.reduce(
    (sum, r) => ({
      reactivated: sum.reactivated + r.reactivated,
      churned: sum.churned + r.churned,
    }),
    { reactivated: 0, churned: 0 },
  );
  console.log(
    `  ${last}          ${end.new} new, ${end.nearKaCount} near-KA, ${count(end.productionNodes)} production nodes, ` +
      `${count(end.unattributedNodes)} unattributed; over 3 years ${moves.churned} churned, ${moves.reactivated} reactivated`,
  );
  const coverage = end.championCoverage;
  console.log(
    `  Champions        ${coverage === null ? '–' : `${Math.round(coverage * 100)}%`} of ${last}'s KAs have an active community member inside`,
  );
  const year = yearOf(last);
  const { members } = (await api('GET', `/evangelists?year=${year}&asOf=${last}`)).body as {
    members: EvangelistRow[];
  };
  const tiers = new Map<string, number>();
  for (const m of members) for (const t of m.tiers) tiers.set(t, (tiers.get(t) ?? 0) + 1);
  const reached = [...tiers].map(([tier, n]) => `${n} ${tier}`).join(', ') || 'nobody yet';
  console.log(`  Evangelists      ${members.length} active in ${year}; tiers reached: ${reached}`);
}
