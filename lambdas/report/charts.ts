/**
 * The report's charts as PNG (SPEC §5: images, never SVG or script — mail clients strip both).
 * ECharts' server-side renderer draws SVG, resvg-wasm rasterises it at 2× so the 600 px images
 * stay sharp on high-density screens. Pure WebAssembly: it runs on arm64 Lambda unchanged.
 */
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { loadReportAssets, type ReportAssets } from './assets.js';
import { bridgeOption } from './bridge-chart.js';
import {
  CHART_FONT,
  type ChartOption,
  chartImages,
  flywheelOption,
  kaTrendOption,
} from './chart-options.js';
import type { ReportModel } from './model.js';

export { loadReportAssets, REPORT_ASSETS_DIR_ENV, reportAssetFiles } from './assets.js';

use([BarChart, LineChart, GridComponent, LegendComponent, SVGRenderer]);

/** Pixels per CSS pixel: 1200 px wide images for a 600 px mail. */
export const CHART_SCALE = 2;

export interface ChartImage {
  readonly cid: string;
  readonly png: Buffer;
  /** Size in the mail, CSS px; the PNG is `CHART_SCALE` times larger. */
  readonly width: number;
  readonly height: number;
}

/** The chart as SVG text; exported so tests can look at what resvg is given. */
export function chartSvg(option: ChartOption, width: number, height: number): string {
  const chart = init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

let wasmReady: Promise<void> | undefined;

/** `initWasm` may run once per process; a failed start is forgotten so the next call retries. */
function ensureWasm(wasm: Uint8Array): Promise<void> {
  wasmReady ??= initWasm(wasm).catch((error: unknown) => {
    wasmReady = undefined;
    throw error;
  });
  return wasmReady;
}

let assetsLoaded: Promise<ReportAssets> | undefined;

/** The assets of `loadReportAssets`, read once per process (a warm Lambda keeps them). */
function reportAssets(): Promise<ReportAssets> {
  assetsLoaded ??= loadReportAssets().catch((error: unknown) => {
    assetsLoaded = undefined;
    throw error;
  });
  return assetsLoaded;
}

/** Rasterises SVG to PNG at `CHART_SCALE` with the given fonts (none: text disappears). */
export async function svgToPng(svg: string, assets: ReportAssets): Promise<Buffer> {
  await ensureWasm(assets.wasm);
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: CHART_SCALE },
    background: '#ffffff',
    font: {
      fontBuffers: [...assets.fonts],
      defaultFontFamily: CHART_FONT,
      sansSerifFamily: CHART_FONT,
    },
  });
  try {
    const image = resvg.render();
    try {
      return Buffer.from(image.asPng());
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}

/** The KA trend, node bridge (when M has one) and flywheel charts, as PNGs for `cid:` images. */
export async function renderCharts(
  model: ReportModel,
  assets?: ReportAssets,
): Promise<ChartImage[]> {
  const loaded = assets ?? (await reportAssets());
  const charts = [
    { ...chartImages.kaTrend, option: kaTrendOption(model) },
    ...(model.bridge ? [{ ...chartImages.bridge, option: bridgeOption(model.bridge) }] : []),
    { ...chartImages.flywheel, option: flywheelOption(model) },
  ];
  const images: ChartImage[] = [];
  // One after the other: resvg is synchronous, so running both at once would gain nothing.
  for (const { cid, width, height, option } of charts) {
    const png = await svgToPng(chartSvg(option, width, height), loaded);
    images.push({ cid, png, width, height });
  }
  return images;
}
