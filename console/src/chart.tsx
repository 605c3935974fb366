/**
 * The KA count of the last 24 months as bars (uPlot). Sized by its box in the stylesheet — no
 * inline style, which the Content-Security-Policy would refuse — and redrawn when the box resizes.
 * A table of the same numbers stands beside it for screen readers.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export interface MonthValue {
  readonly month: string;
  readonly value: number;
  readonly target?: number | null;
}

export function MonthBars({ label, points }: { label: string; points: readonly MonthValue[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element || points.length === 0) return;
    const xs = points.map((_, i) => i);
    const ys = points.map((p) => p.value);
    const targets = points.map((p) => p.target ?? null);
    const top = Math.max(1, ...ys, ...targets.map((t) => t ?? 0)) * 1.1;
    const bars = uPlot.paths.bars?.({ size: [0.7, 40] });
    const options: uPlot.Options = {
      width: element.clientWidth,
      height: element.clientHeight,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false, range: [-0.6, points.length - 0.4] }, y: { range: [0, top] } },
      axes: [
        {
          values: (_u, splits) => splits.map((i) => points[i]?.month.slice(2) ?? ''),
          stroke: '#333',
        },
        { stroke: '#333' },
      ],
      series: [
        {},
        {
          label,
          fill: '#1f5fbf',
          stroke: '#1f5fbf',
          ...(bars ? { paths: bars } : {}),
          points: { show: false },
        },
        {
          label: 'Target pace',
          stroke: '#b3261e',
          width: 2,
          dash: [6, 4],
          points: { show: false },
        },
      ],
    };
    const chart = new uPlot(options, [xs, ys, targets], element);
    const observer = new ResizeObserver(() =>
      chart.setSize({ width: element.clientWidth, height: element.clientHeight }),
    );
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
    };
  }, [points, label]);
  return (
    <div class="chart" ref={box} role="img" aria-label={`${label}, last ${points.length} months`} />
  );
}
