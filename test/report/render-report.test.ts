import { beforeAll, describe, expect, it } from 'vitest';
import {
  inlineImagesForBrowser,
  type RenderedReport,
  renderReport,
} from '../../lambdas/report/render-report.js';
import { sampleReportInput } from './sample-input.js';

describe('renderReport', () => {
  let report: RenderedReport;

  beforeAll(async () => {
    report = await renderReport(sampleReportInput());
  });

  it('returns the subject, both parts, every chart and the CSV of the month', () => {
    expect(report.subject).toBe('Flywheel growth report — March 2026');
    expect(report.html).toContain('src="cid:ka-trend"');
    expect(report.text).toContain('268 key accounts in March 2026');
    expect(report.images.map((image) => image.cid)).toEqual([
      'ka-trend',
      'node-bridge',
      'flywheel',
    ]);
    const rows = report.csv.trimEnd().split('\r\n');
    expect(rows).toHaveLength(1 + sampleReportInput().accounts.length);
  });

  it('references exactly the images it returns', () => {
    const cids = [...report.html.matchAll(/src="cid:([^"]+)"/g)].map((match) => match[1]);
    expect(cids).toEqual(report.images.map((image) => image.cid));
  });
});

describe('inlineImagesForBrowser', () => {
  const png = Buffer.from('not really a png');
  const data = `data:image/png;base64,${png.toString('base64')}`;

  it('turns every cid image source into a data URL, in either quotes', () => {
    const html = `<img src="cid:ka-trend"><img src='cid:ka-trend'><img src="cid:flywheel">`;
    const page = inlineImagesForBrowser(html, [{ cid: 'ka-trend', png }]);
    expect(page).toBe(`<img src="${data}"><img src='${data}'><img src="cid:flywheel">`);
  });

  it('leaves cid: in text and similar ids alone', () => {
    const html = '<p>see cid:ka-trend</p><img src="cid:ka-trend-old">';
    expect(inlineImagesForBrowser(html, [{ cid: 'ka-trend', png }])).toBe(html);
  });

  it('serves the rendered report with no cid: left', async () => {
    const report = await renderReport(sampleReportInput());
    const page = inlineImagesForBrowser(report.html, report.images);
    expect(page).not.toContain('cid:');
    expect(page.match(/src="data:image\/png;base64,iVBORw0KGgo/g)).toHaveLength(3);
  });
});
