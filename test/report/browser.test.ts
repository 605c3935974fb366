/**
 * The report as `GET /reports/{month}` serves it, opened in headless Chromium: every chart loads
 * and the numbers a reader looks for are visible. `FLYWHEEL_SCREENSHOT=1` also writes
 * `docs/report.png`. Without Chromium the file skips locally and fails in CI (`CI` set).
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlineImagesForBrowser, renderReport } from '../../lambdas/report/render-report.js';
import { sampleReportInput } from './sample-input.js';

const CHROMIUM = process.env.FLYWHEEL_CHROMIUM ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const inCi = Boolean(process.env.CI);
const INSTALL = 'apt-get install -y chromium (or set FLYWHEEL_CHROMIUM)';
const SCREENSHOT = join(dirname(fileURLToPath(import.meta.url)), '../../docs/report.png');

if (!available && !inCi) {
  console.warn(`Skipping the browser test: no Chromium at ${CHROMIUM}. Install: ${INSTALL}.`);
}

const title = available
  ? 'the report in a browser'
  : `the report in a browser (no Chromium at ${CHROMIUM})`;

describe.skipIf(!available && !inCi)(title, () => {
  let browser: Browser | undefined;
  let page: Page;
  let html: string;

  beforeAll(async () => {
    if (!available) throw new Error(`CI needs Chromium at ${CHROMIUM} for this test: ${INSTALL}`);
    const report = await renderReport(sampleReportInput());
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    });
    html = inlineImagesForBrowser(report.html, report.images);
    page = await browser.newPage({ viewport: { width: 700, height: 900 } });
    await page.setContent(html, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('loads every chart', async () => {
    const images = await page.$$eval('img', (imgs) =>
      imgs.map((img) => ({
        src: img.src.slice(0, 22),
        loaded: img.complete,
        width: img.naturalWidth,
      })),
    );
    expect(images).toHaveLength(3);
    for (const image of images) {
      expect(image).toMatchObject({ src: 'data:image/png;base64,', loaded: true });
      expect(image.width).toBe(1200);
    }
  });

  it('shows the KA count and the month', async () => {
    expect(await page.getByText('268', { exact: true }).first().isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'March 2026' }).isVisible()).toBe(true);
    expect(await page.title()).toBe('Flywheel growth report — March 2026');
  });

  it('shows the pace, a movement and a member', async () => {
    expect(await page.getByText('On track', { exact: true }).isVisible()).toBe(true);
    expect(await page.getByText('Soylent Bank').first().isVisible()).toBe(true);
    expect(await page.getByText('Grace Hopper').first().isVisible()).toBe(true);
  });

  it('shows the growth analytics: forecast, quick ratios, node bridge, flywheel, rejections', async () => {
    const visible = async (text: string | RegExp) => page.getByText(text).first().isVisible();
    expect(await page.getByRole('heading', { name: 'Year-end forecast' }).isVisible()).toBe(true);
    expect(await visible(/December ends near [\d,]+ KAs/)).toBe(true);
    expect(await visible(/^KA quick ratio/)).toBe(true);
    expect(await page.getByRole('heading', { name: 'Node bridge' }).isVisible()).toBe(true);
    expect(await visible(/^Node quick ratio/)).toBe(true);
    expect(await page.getByAltText(/^Waterfall chart/).isVisible()).toBe(true);
    expect(
      await page.getByRole('heading', { name: /^Community-sourced new key accounts/ }).isVisible(),
    ).toBe(true);
    expect(await page.getByRole('heading', { name: 'Champion-loss alerts (2)' }).isVisible()).toBe(
      true,
    );
    expect(await visible('Umbrella Bank')).toBe(true);
    expect(await visible(/Ada Lovelace \(left the company\)/)).toBe(true);
    expect(
      await visible('3 webhook items were rejected this month: GET /admin/rejections lists them.'),
    ).toBe(true);
  });

  it('shows the corrections to months already mailed, as mailed and now (SPEC §9)', async () => {
    const visible = async (text: string | RegExp) => page.getByText(text).first().isVisible();
    expect(
      await page.getByRole('heading', { name: 'Corrections since the last report' }).isVisible(),
    ).toBe(true);
    expect(await visible('KA count')).toBe(true);
    expect(await visible('Northwind Bank')).toBe(true);
    expect(await visible('churned, 0 nodes')).toBe(true);
  });

  it('keeps to one column of at most 600 px, even in a wider window', async () => {
    // The Container is the outermost table capped at 600 px; nothing may stick out of it.
    const widths = await page.$$eval('table', (tables) => {
      const start = tables.findIndex((table) => table.style.maxWidth === '600px');
      const inside = start < 0 ? [] : tables.slice(start);
      const width = (table: (typeof tables)[number]) => table.getBoundingClientRect().width;
      return {
        column: inside[0] ? width(inside[0]) : 0,
        widest: Math.max(0, ...inside.map(width)),
      };
    });
    expect(widths.column).toBe(600);
    expect(widths.widest).toBeLessThanOrEqual(600);
  });

  it.each([390, 375])('fits a %i px phone without scrolling sideways', async (width) => {
    const phone = await (browser as Browser).newPage({ viewport: { width, height: 844 } });
    await phone.setContent(html, { waitUntil: 'load' });
    const scrollWidth = await phone.$eval('html', (root) => root.scrollWidth);
    await phone.close();
    expect(scrollWidth).toBeLessThanOrEqual(width);
  });

  it('renders a full page a screenshot can keep (docs/report.png with FLYWHEEL_SCREENSHOT=1)', async () => {
    const keep = process.env.FLYWHEEL_SCREENSHOT === '1';
    const path = keep ? SCREENSHOT : join(tmpdir(), `flywheel-report-${process.pid}.png`);
    await mkdir(dirname(path), { recursive: true });
    await page.screenshot({ path, fullPage: true });
    // A long, image-rich page: a blank or cut-off render would be far smaller.
    expect(statSync(path).size).toBeGreaterThan(100_000);
    if (!keep) rmSync(path);
  });
});
