/**
 * Builds M's report from loaded data (SPEC §5): model, charts, HTML and text parts, CSV. Nothing
 * here touches AWS; the report handler loads a `ReportInput`, calls `renderReport`, and either
 * mails the result (`buildReportMessage`) or serves it (`inlineImagesForBrowser`).
 */
import type { ReportAssets } from './assets.js';
import { type ChartImage, renderCharts } from './charts.js';
import { accountsCsv } from './csv.js';
import { renderReportHtml, renderReportText } from './email.js';
import { type ReportInput, type ReportModel, reportModel } from './model.js';
import { LIST_LIMIT } from './sections.js';

export interface RenderedReport {
  readonly model: ReportModel;
  readonly subject: string;
  /** References the images as `cid:<cid>`. */
  readonly html: string;
  readonly text: string;
  readonly images: readonly ChartImage[];
  /** The month's account list as CSV (`ACCOUNTS_CSV_HEADER`'s columns). */
  readonly csv: string;
}

/** Everything M's mail carries; `assets` defaults to `loadReportAssets()`, read once. */
export async function renderReport(
  input: ReportInput,
  assets?: ReportAssets,
): Promise<RenderedReport> {
  const { model, html } = await htmlWithinBudget(input);
  const images = await renderCharts(model, assets);
  return {
    model,
    subject: model.subject,
    html,
    text: renderReportText(model),
    images,
    csv: accountsCsv(input.accounts),
  };
}

/**
 * SPEC §5: the HTML part stays under 80 KB at any scale, so that Gmail (which clips at about
 * 102 KB) never hides the end of it. Lists are cut shorter until it fits; the CSV keeps them whole.
 */
export const maxHtmlBytes = 80_000;
const listLimits = [LIST_LIMIT, 8, 4, 2, 1] as const;

async function htmlWithinBudget(input: ReportInput): Promise<{ model: ReportModel; html: string }> {
  let rendered: { model: ReportModel; html: string } | undefined;
  for (const limit of listLimits) {
    const model = reportModel(input, limit);
    rendered = { model, html: await renderReportHtml(model) };
    if (Buffer.byteLength(rendered.html, 'utf8') < maxHtmlBytes) return rendered;
  }
  return rendered as { model: ReportModel; html: string };
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The mailed HTML with each `cid:` image replaced by a `data:` URL, so `GET /reports/{month}`
 * serves the same page as mailed and a browser shows its charts (it cannot resolve `cid:`).
 */
export function inlineImagesForBrowser(
  html: string,
  images: readonly { readonly cid: string; readonly png: Buffer }[],
): string {
  return images.reduce((page, image) => {
    const url = `data:image/png;base64,${image.png.toString('base64')}`;
    // Only inside src attributes, quoted either way: a `cid:` in body text stays text.
    const src = new RegExp(`(src=["'])cid:${escapeRegExp(image.cid)}(["'])`, 'g');
    return page.replace(src, (_, open: string, close: string) => `${open}${url}${close}`);
  }, html);
}
