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
  readonly kaQuickRatio: number | null;
  readonly communitySourcedNew: number | null;
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
  await printAnalytics(api, end);
  const year = yearOf(last);
  const { members } = (await api('GET', `/evangelists?year=${year}&asOf=${last}`)).body as {
    members: EvangelistRow[];
  };
  const tiers = new Map<string, number>();
  for (const m of members) for (const t of m.tiers) tiers.set(t, (tiers.get(t) ?? 0) + 1);
  const reached = [...tiers].map(([tier, n]) => `${n} ${tier}`).join(', ') || 'nobody yet';
  console.log(`  Evangelists      ${members.length} active in ${year}; tiers reached: ${reached}`);
}

/** SPEC §10 for the last month: the node bridge, quick ratios, forecast, flywheel and alerts. */
async function printAnalytics(api: AdminApi, end: KaRow): Promise<void> {
  const month = end.month;
  const [bridges, forecast, alerts] = await Promise.all([
    api('GET', `/metrics/nodes/bridge?from=${month}&to=${month}`),
    api('GET', `/metrics/forecast?year=${month.slice(0, 4)}`),
    api('GET', `/alerts?month=${month}`),
  ]);
  const [b] = (bridges.body as { months: Record<string, number | null>[] }).months;
  if (b) {
    const n = (key: string) => count(b[key] ?? 0);
    console.log(
      `  Node bridge      ${n('start')} + ${n('new')} new + ${n('reactivation')} reactivated + ${n('expansion')} expansion ` +
        `− ${n('contraction')} contraction − ${n('churn')} churn = ${n('end')} (node quick ratio ${times(b.nodeQuickRatio ?? null)}, KA quick ratio ${times(end.kaQuickRatio)})`,
    );
  }
  const f = forecast.body as {
    decemberKa?: { expected: number; low: number; high: number };
    targetKa: number | null;
    reachable: boolean | null;
  };
  if (f.decemberKa) {
    console.log(
      `  Forecast         December ${f.decemberKa.expected} KAs (${f.decemberKa.low}–${f.decemberKa.high}) against a target of ` +
        `${f.targetKa ?? '–'}: ${f.reachable === null ? '–' : f.reachable ? 'within reach' : 'out of reach'}`,
    );
  }
  const list = (alerts.body as { alerts: { name: string | null; accountId: string }[] }).alerts;
  console.log(
    `  Flywheel         ${end.communitySourcedNew ?? '–'} of ${end.new} new KAs community-sourced; ` +
      `${list.length} lost their last champion${list.length > 0 ? ` (${list.map((a) => a.name ?? a.accountId).join(', ')})` : ''}`,
  );
}
