import { beforeAll, describe, expect, it } from 'vitest';
import {
  maxHtmlBytes,
  type RenderedReport,
  renderReport,
} from '../../lambdas/report/render-report.js';
import { sampleReportInput } from './sample-input.js';
import { scaleReportInput } from './scale-input.js';

describe('the report at SPEC §5 scale (5,000 KAs, 1,000 new in the month)', () => {
  let report: RenderedReport;
  const input = scaleReportInput();
  beforeAll(async () => {
    report = await renderReport(input);
  }, 120_000);

  it('keeps its HTML part under 80 KB, so Gmail (≈102 KB) never clips it', () => {
    expect(maxHtmlBytes).toBeLessThanOrEqual(80_000);
    expect(Buffer.byteLength(report.html, 'utf8')).toBeLessThan(maxHtmlBytes);
  });

  it('says how many more each cut list holds', () => {
    const { movements } = report.model;
    expect(movements.new.total).toBe(1000);
    expect(movements.new.hidden).toBe(1000 - movements.new.items.length);
    expect(report.html).toMatch(
      new RegExp(`…and (<!-- -->)?${movements.new.hidden}(<!-- -->)? more`),
    );
  });

  it('cuts the alerts and the community-sourced accounts as well, saying how many more', () => {
    const { alerts, communitySourced } = report.model;
    expect(alerts.total).toBe(1000);
    expect(alerts.hidden).toBe(1000 - alerts.items.length);
    expect(communitySourced.accounts.total).toBe(1000);
    expect(report.html).toMatch(new RegExp(`…and (<!-- -->)?${alerts.hidden}(<!-- -->)? more`));
    console.log(`report HTML at SPEC §5 scale: ${Buffer.byteLength(report.html, 'utf8')} bytes`);
  });

  it('still carries every account in the CSV attachment', () => {
    const rows = report.csv.trimEnd().split('\r\n');
    expect(rows).toHaveLength(1 + input.accounts.length);
  });

  it('keeps every link it shows whole, and leaves overlong ones out rather than cut', () => {
    const hrefs = [...report.html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');
    for (const href of hrefs) expect(href.length).toBeLessThanOrEqual(300);
  });

  it('cuts no list of a typical month (the sample keeps 15 lines a list)', async () => {
    const typical = await renderReport(sampleReportInput());
    expect(typical.model.movements.new.items.length).toBe(
      Math.min(15, typical.model.movements.new.total),
    );
  });
});
