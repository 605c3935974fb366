import { beforeAll, describe, expect, it } from 'vitest';
import { buildReportMessage } from '../../lambdas/report/mime.js';
import { type RenderedReport, renderReport } from '../../lambdas/report/render-report.js';
import { sampleReportInput } from './sample-input.js';

/** A header's value with folded lines joined (RFC 5322 §2.2.3). */
function header(raw: string, name: string): string {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim() ?? '';
}

/** `Q` encoding: `_` is a space, `=E2` a byte. */
const qBytes = (text: string): Buffer =>
  Buffer.from(
    text
      .replace(/_/g, ' ')
      .replace(/=([0-9a-f]{2})/gi, (_, hex: string) =>
        String.fromCharCode(Number.parseInt(hex, 16)),
      ),
    'latin1',
  );

/** Decodes RFC 2047 encoded words (Q or B); space between two words is dropped (§6.2). */
const decodeSubject = (value: string): string =>
  value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([qb])\?([^?]*)\?=/gi, (_, encoding: string, text: string) =>
      (encoding.toLowerCase() === 'b' ? Buffer.from(text, 'base64') : qBytes(text)).toString(
        'utf8',
      ),
    );

describe('buildReportMessage', () => {
  let report: RenderedReport;
  let raw: string;

  beforeAll(async () => {
    report = await renderReport(sampleReportInput());
    const message = await buildReportMessage({
      model: report.model,
      html: report.html,
      text: report.text,
      images: report.images,
      csv: report.csv,
      from: 'Flywheel <reports@example.com>',
      to: ['ceo@example.com', 'growth@example.com'],
    });
    raw = message.toString('utf8');
  });

  it('carries the subject of SPEC §5, encoded for the em dash', () => {
    expect(header(raw, 'Subject')).toMatch(/^=\?UTF-8\?[QB]\?/i);
    expect(decodeSubject(header(raw, 'Subject'))).toBe('Flywheel growth report — March 2026');
  });

  it('is addressed from the sender to every recipient', () => {
    expect(header(raw, 'From')).toBe('Flywheel <reports@example.com>');
    expect(header(raw, 'To')).toBe('ceo@example.com, growth@example.com');
  });

  it('nests mixed → alternative (text, related (html, images)) → CSV attachment', () => {
    const at = (needle: string) => raw.indexOf(needle);
    const order = [
      'Content-Type: multipart/mixed',
      'Content-Type: multipart/alternative',
      'Content-Type: text/plain',
      'Content-Type: multipart/related',
      'Content-Type: text/html',
      'Content-ID: <ka-trend>',
      'Content-ID: <flywheel>',
      'filename=flywheel-accounts-2026-03.csv',
    ];
    for (const needle of order) expect(at(needle), needle).toBeGreaterThan(-1);
    expect(order.map(at)).toEqual([...order.map(at)].sort((a, b) => a - b));
  });

  it('embeds the charts inline as PNG and attaches the CSV', () => {
    expect(raw).toMatch(/Content-Type: image\/png; name=ka-trend\.png/);
    expect(raw).toMatch(/Content-Disposition: inline; filename=ka-trend\.png/);
    expect(raw).toMatch(
      /Content-Type: text\/csv; charset=utf-8; name=flywheel-accounts-2026-03\.csv/,
    );
    expect(raw).toMatch(/Content-Disposition: attachment; filename=flywheel-accounts-2026-03\.csv/);
  });

  it('keeps the images referenced by cid in the HTML part', () => {
    // Quoted-printable writes `=` as `=3D` and may break lines with a soft `=\r\n`.
    const html = raw.replace(/=\r\n/g, '');
    expect(html).toContain('src=3D"cid:ka-trend"');
    expect(html).toContain('src=3D"cid:flywheel"');
  });
});
