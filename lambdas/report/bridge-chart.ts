/**
 * The node bridge as a waterfall (SPEC §5, §10): ECharts stacked bars whose lower, transparent bar
 * lifts each movement to where the running total stands, so the bars read start → end left to right.
 */
import { type BridgeSection, type BridgeStep, signedCount } from './analytics-sections.js';
import { CHART_FONT, type ChartOption, colors } from './chart-options.js';

const stepColors: Record<BridgeStep['kind'], string> = {
  total: colors.ka,
  gain: colors.champion,
  loss: '#e03131',
};

/** Each step's invisible base and visible bar, from the running total of the steps before it. */
export function waterfall(steps: readonly BridgeStep[]): { base: number[]; bar: number[] } {
  const base: number[] = [];
  const bar: number[] = [];
  let running = 0;
  for (const step of steps) {
    if (step.kind === 'total') {
      running = step.value;
      base.push(0);
    } else if (step.kind === 'gain') {
      base.push(running);
      running += step.value;
    } else {
      running -= step.value;
      base.push(running);
    }
    bar.push(step.value);
  }
  return { base, bar };
}

/**
 * Where the value axis starts: below the lowest level the waterfall reaches, by half its range.
 * From 0, a month's movements are slivers on top of two tall totals; the totals carry their value
 * as a label, so a cut-off axis hides nothing.
 */
export function axisFloor(
  base: readonly number[],
  bar: readonly number[],
  steps: readonly BridgeStep[],
) {
  const tops = base.map((b, i) => b + (bar[i] ?? 0));
  const lows = steps.map((step, i) => (step.kind === 'total' ? (tops[i] ?? 0) : (base[i] ?? 0)));
  const [low, high] = [Math.min(...lows), Math.max(...tops)];
  const floor = low - (high - low) * 0.5;
  if (floor <= 0 || high === 0) return 0;
  const unit = 10 ** Math.floor(Math.log10(floor));
  return Math.floor(floor / unit) * unit;
}

/** The bridge of M as a waterfall, each bar labelled with its signed node count. */
export function bridgeOption(bridge: BridgeSection): ChartOption {
  const { steps } = bridge;
  const { base, bar } = waterfall(steps);
  const min = axisFloor(base, bar, steps);
  const stacked = { type: 'bar' as const, stack: 'bridge', barCategoryGap: '25%' };
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: CHART_FONT, color: colors.text },
    grid: { left: 16, right: 24, top: 36, bottom: 8, outerBoundsMode: 'same' as const },
    xAxis: {
      type: 'category',
      data: steps.map((step) => step.label),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: colors.muted } },
      axisLabel: { color: colors.muted, fontSize: 12, interval: 0 },
    },
    yAxis: {
      type: 'value',
      min,
      minInterval: 1,
      axisLabel: { color: colors.muted, fontSize: 15 },
      splitLine: { lineStyle: { color: colors.grid } },
    },
    series: [
      // The lift: present in the stack, never drawn.
      { ...stacked, name: 'base', itemStyle: { color: 'rgba(0,0,0,0)' }, data: base, silent: true },
      {
        ...stacked,
        name: 'nodes',
        data: steps.map((step, i) => ({
          value: bar[i] ?? 0,
          itemStyle: { color: stepColors[step.kind], borderRadius: [3, 3, 0, 0] },
          label: {
            show: true,
            position: 'top' as const,
            fontSize: 15,
            fontWeight: step.kind === 'total' ? ('bold' as const) : ('normal' as const),
            color: colors.text,
            formatter: signedCount(step),
          },
        })),
      },
    ],
  };
}
