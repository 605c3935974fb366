import { Resvg } from '@resvg/resvg-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadReportAssets, type ReportAssets } from '../../lambdas/report/assets.js';
import { bridgeOption, waterfall } from '../../lambdas/report/bridge-chart.js';
import { flywheelOption, kaTrendOption } from '../../lambdas/report/chart-options.js';
import {
  CHART_SCALE,
  type ChartImage,
  chartSvg,
  renderCharts,
} from '../../lambdas/report/charts.js';
import { type ReportModel, reportModel } from '../../lambdas/report/model.js';
import { sampleKaRows, sampleReportInput } from './sample-input.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the PNG's IHDR chunk. */
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

/** Pixels of the chart's text colour (#343a40): bars, grid and axis labels are all lighter. */
function darkPixels(svg: string, fonts: readonly Uint8Array[]): number {
  const font = { fontBuffers: [...fonts], defaultFontFamily: 'Inter' };
  const resvg = new Resvg(svg, { font, fitTo: { mode: 'zoom', value: 2 } });
  const { pixels } = resvg.render();
  let dark = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    const [r = 255, g = 255, b = 255, a = 0] = pixels.subarray(i, i + 4);
    if (a > 128 && Math.max(r, g, b) < 100) dark++;
  }
  resvg.free();
  return dark;
}

describe('report charts', () => {
  let assets: ReportAssets;
  let model: ReportModel;
  let images: ChartImage[];

  beforeAll(async () => {
    assets = await loadReportAssets();
    model = reportModel(sampleReportInput());
    images = await renderCharts(model, assets);
  });

  it('renders the KA trend, the node bridge and the flywheel chart as PNG', () => {
    expect(images.map((image) => image.cid)).toEqual(['ka-trend', 'node-bridge', 'flywheel']);
    for (const image of images) {
      expect(image.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      expect(image.png.length).toBeGreaterThan(10_000);
    }
  });

  it(`renders at ${CHART_SCALE}× the size the mail shows them, 1200 px wide`, () => {
    for (const image of images) {
      expect(pngSize(image.png)).toEqual({
        width: image.width * CHART_SCALE,
        height: image.height * CHART_SCALE,
      });
    }
    expect(pngSize(images[0]?.png ?? Buffer.alloc(24)).width).toBe(1200);
  });

  it('draws its labels: text pixels appear with the fonts and vanish without them', () => {
    // resvg-wasm has no system fonts and drops text it cannot shape without saying so.
    const svg = chartSvg(kaTrendOption(model), 600, 300);
    expect(svg).toContain('font-family:Inter');
    const withFonts = darkPixels(svg, assets.fonts);
    const withoutFonts = darkPixels(svg, []);
    expect(withFonts).toBeGreaterThan(1000);
    expect(withoutFonts).toBeLessThan(withFonts / 10);
  });

  it('draws the target pace only when there is one', () => {
    const series = (option: ReturnType<typeof kaTrendOption>) =>
      ([option.series].flat() as { name?: string }[]).map((s) => s.name);
    expect(series(kaTrendOption(model))).toContain('Target pace');
    const rows = sampleKaRows().map((row) => ({ ...row, targetKa: null }));
    const noPace = reportModel(sampleReportInput({ kaRows: rows.slice(-3) }));
    expect(series(kaTrendOption(noPace))).toEqual(['Key accounts']);
  });

  it('splits each month into KAs with and without a champion', () => {
    const option = flywheelOption(model);
    const [withChampion, without] = [option.series].flat() as { data: unknown[] }[];
    const last = (data: unknown[] | undefined) => {
      const value = data?.at(-1);
      return typeof value === 'object' && value !== null
        ? (value as { value: number }).value
        : value;
    };
    expect(last(withChampion?.data)).toBe(166);
    expect(last(without?.data)).toBe(268 - 166);
  });

  it('draws the node bridge as a waterfall: each movement lifted to the running total', () => {
    const steps = [
      { label: 'Start', value: 100, kind: 'total' as const },
      { label: 'New', value: 30, kind: 'gain' as const },
      { label: 'Reactivated', value: 5, kind: 'gain' as const },
      { label: 'Expansion', value: 20, kind: 'gain' as const },
      { label: 'Contraction', value: 15, kind: 'loss' as const },
      { label: 'Churn', value: 10, kind: 'loss' as const },
      { label: 'End', value: 130, kind: 'total' as const },
    ];
    expect(waterfall(steps)).toEqual({
      base: [0, 100, 130, 135, 140, 130, 0],
      bar: [100, 30, 5, 20, 15, 10, 130],
    });
    const section = model.bridge;
    if (!section) throw new Error('the sample has a bridge');
    const svg = chartSvg(bridgeOption(section), 600, 280);
    // The lift is in the stack but never painted: only the seven visible bars are filled.
    const painted =
      svg.match(/<path d="M[^"]*" fill="(?!rgba\(0,0,0,0\)|none|transparent)#[0-9a-f]{6}"/gi) ?? [];
    expect(painted.length).toBeGreaterThanOrEqual(7);
    expect(svg).toContain('Contraction');
    expect(svg).toMatch(/>−[\d,]+</);
  });
});
