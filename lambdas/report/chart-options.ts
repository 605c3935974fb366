/**
 * What the report's two charts draw, as ECharts options built from the report model. Pure data,
 * so tests can inspect a chart without rasterising it; `charts.ts` renders these.
 */
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import { yearOf } from '../domain/month.js';
import { formatPercent, shortMonthLabel } from './format.js';
import type { ReportModel, SeriesPoint } from './model.js';

export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption
>;

/** The charts the mail references by Content-ID, at their size in the mail (CSS px). */
export const chartImages = {
  kaTrend: { cid: 'ka-trend', width: 600, height: 300 },
  flywheel: { cid: 'flywheel', width: 600, height: 280 },
  bridge: { cid: 'node-bridge', width: 600, height: 280 },
} as const;

/** The family resvg is given (see `assets.ts`); ECharts writes it into every `<text>`. */
export const CHART_FONT = 'Inter';

export const colors = {
  ka: '#4c6ef5',
  kaCurrent: '#364fc7',
  pace: '#f08c00',
  champion: '#12b886',
  championText: '#087f5b',
  noChampion: '#ced4da',
  text: '#343a40',
  muted: '#868e96',
  grid: '#e9ecef',
} as const;

const KA_SERIES = 'Key accounts';
const PACE_SERIES = 'Target pace';
const CHAMPION_SERIES = 'KAs with a community champion';
const NO_CHAMPION_SERIES = 'without';

/** Every third month counting back from M, so M itself always carries a label. */
const labelled = (points: readonly SeriesPoint[]) => (index: number) =>
  (points.length - 1 - index) % 3 === 0;

/** `Mar` under each labelled month, with the year under the first one of each year. */
function monthAxis(points: readonly SeriesPoint[]) {
  const show = labelled(points);
  const firstShown = points.findIndex((_, index) => show(index));
  const yearAt = (index: number) => {
    const point = points[index];
    return point ? yearOf(point.month) : null;
  };
  return {
    type: 'category' as const,
    data: points.map((point) => point.month),
    axisTick: { show: false },
    axisLine: { lineStyle: { color: colors.muted } },
    axisLabel: {
      interval: (index: number) => show(index),
      color: colors.muted,
      fontSize: 15,
      lineHeight: 19,
      formatter: (_: string, index: number) => {
        const point = points[index];
        if (!point) return '';
        const withYear = index === firstShown || yearAt(index - 3) !== yearOf(point.month);
        const name = shortMonthLabel(point.month);
        return withYear ? `${name}\n${yearOf(point.month)}` : name;
      },
    },
  };
}

type LegendItem = { name: string; icon?: string };

/** A dashed stroke for the pace; the default legend icon (a dot on a line) suggests data points. */
const DASH_ICON = 'path://M0,5H6V7H0ZM8,5H14V7H8ZM16,5H22V7H16Z';

const valueAxis = {
  type: 'value' as const,
  minInterval: 1,
  axisLabel: { color: colors.muted, fontSize: 15 },
  splitLine: { lineStyle: { color: colors.grid } },
};

const base = (points: readonly SeriesPoint[], legendItems: LegendItem[]) => ({
  animation: false,
  backgroundColor: '#ffffff',
  textStyle: { fontFamily: CHART_FONT, color: colors.text },
  grid: { left: 16, right: 24, top: 48, bottom: 8, outerBoundsMode: 'same' as const },
  legend: {
    top: 4,
    itemWidth: 22,
    itemHeight: 12,
    data: legendItems,
    left: 8,
    itemGap: 20,
    textStyle: { fontSize: 16, color: colors.text },
  },
  xAxis: monthAxis(points),
  yAxis: valueAxis,
});

/** The latest bar darker and labelled with its value: the number the reader is looking for. */
const emphasiseLast = (values: readonly (number | null)[], color: string) =>
  values.map((value, index) =>
    index === values.length - 1 && value !== null
      ? {
          value,
          itemStyle: { color },
          label: {
            show: true,
            position: 'top' as const,
            fontSize: 17,
            fontWeight: 'bold' as const,
            color: colors.text,
          },
        }
      : value,
  );

/**
 * The compound pace restarts each January from the previous December, so each year is its own
 * line (one legend entry) rather than one line falling from December's target to January's pace.
 */
function paceLines(points: readonly SeriesPoint[]): LineSeriesOption[] {
  const years = [...new Set(points.map((point) => yearOf(point.month)))];
  return years
    .map((year) => points.map((p) => (yearOf(p.month) === year ? p.paceKa : null)))
    .filter((data) => data.some((value) => value !== null))
    .map((data) => ({
      name: PACE_SERIES,
      type: 'line',
      data,
      symbol: 'none',
      lineStyle: { color: colors.pace, width: 2.5, type: 'dashed' },
      itemStyle: { color: colors.pace },
      z: 3,
    }));
}

/** KA count over the last 24 months, bars, with the target pace where there is one (SPEC §5). */
export function kaTrendOption(model: ReportModel): ChartOption {
  const points = model.series;
  const pace = paceLines(points);
  const legend = [
    { name: KA_SERIES },
    ...(pace.length > 0 ? [{ name: PACE_SERIES, icon: DASH_ICON }] : []),
  ];
  return {
    ...base(points, legend),
    series: [
      {
        name: KA_SERIES,
        type: 'bar',
        barCategoryGap: '30%',
        itemStyle: { color: colors.ka, borderRadius: [3, 3, 0, 0] },
        data: emphasiseLast(
          points.map((point) => point.kaCount),
          colors.kaCurrent,
        ),
      },
      ...pace,
    ],
  };
}

/** M's champion share above its bar, in the champions' green so it reads as their share. */
const coverageLabel = (values: readonly (number | null)[], text: string) =>
  values.map((value, index) =>
    index === values.length - 1 && value !== null
      ? {
          value,
          label: {
            show: true,
            position: 'top' as const,
            fontSize: 17,
            fontWeight: 'bold' as const,
            color: colors.championText,
            formatter: text,
          },
        }
      : value,
  );

/**
 * The flywheel: each month's KAs split into those with an active community champion inside and
 * those without, so coverage and KA growth read together; M's bar carries its coverage.
 */
export function flywheelOption(model: ReportModel): ChartOption {
  const points = model.series;
  const withChampion = points.map((p) =>
    p.kaCount === null || p.championCoverage === null
      ? null
      : Math.round(p.championCoverage * p.kaCount),
  );
  const without = points.map((p, i) => {
    const covered = withChampion[i];
    return p.kaCount === null || covered === null || covered === undefined
      ? null
      : p.kaCount - covered;
  });
  const stacked = { type: 'bar' as const, stack: 'ka', barCategoryGap: '30%' };
  return {
    ...base(points, [{ name: CHAMPION_SERIES }, { name: NO_CHAMPION_SERIES }]),
    series: [
      {
        ...stacked,
        name: CHAMPION_SERIES,
        itemStyle: { color: colors.champion },
        data: withChampion,
      },
      {
        ...stacked,
        name: NO_CHAMPION_SERIES,
        itemStyle: { color: colors.noChampion, borderRadius: [3, 3, 0, 0] },
        data: coverageLabel(without, formatPercent(model.championCoverage.value)),
      },
    ],
  };
}
