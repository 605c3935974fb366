import { beforeAll, describe, expect, it } from 'vitest';
import { renderReportHtml, renderReportText } from '../../lambdas/report/email.js';
import { type ReportModel, reportModel } from '../../lambdas/report/model.js';
import { sampleKaRows, sampleReportInput } from './sample-input.js';

const sample = () => reportModel(sampleReportInput());

/** A month with nothing in it: no movements, members, content or pace. */
function quietMonth(): ReportModel {
  const [row] = sampleKaRows().slice(-1);
  if (!row) throw new Error('sample has rows');
  const quiet = { ...row, targetKa: null, new: 0, reactivated: 0, churned: 0 };
  const tiers = [{ id: 'mve', name: 'MVE', minCount: 3, newlyReached: [], oneStepAway: [] }];
  return reportModel(
    sampleReportInput({
      kaRows: [quiet],
      accounts: [],
      tiers,
      content: [],
      freshness: { lastTelemetryAt: null, monthsRecalculatedSinceLastReport: [] },
    }),
  );
}

describe('renderReportHtml', () => {
  let html: string;

  beforeAll(async () => {
    // React separates adjacent text nodes with empty comments; they are invisible in a mail.
    html = (await renderReportHtml(sample())).replace(/<!-- -->/g, '');
  });

  it('has no script, SVG or style sheet: mail clients strip them (SPEC §5)', () => {
    expect(html).not.toMatch(/<script|<svg|<style|<link /i);
  });

  it('references every chart by cid, with alt text and a size for Outlook', () => {
    const images = html.match(/<img [^>]*>/g) ?? [];
    expect(images).toHaveLength(3);
    expect(images[0]).toContain('src="cid:ka-trend"');
    expect(images[0]).toMatch(/width="600"[^>]*|height="300"/);
    expect(images[0]).toMatch(
      /alt="Bar chart of key accounts per month from \d+ to 268 in March 2026/,
    );
    expect(images[1]).toContain('src="cid:node-bridge"');
    expect(images[1]).toMatch(
      /alt="Waterfall chart of key accounts&#x27;? production nodes: Start [\d,]+, New \+/,
    );
    expect(images[2]).toContain('src="cid:flywheel"');
    expect(images[2]).toContain('alt="Stacked bar chart');
  });

  it('keeps to one 600 px column', () => {
    expect(html).toContain('max-width:600px');
  });

  it('shows every section SPEC §5 asks for, in reading order', () => {
    const sections = [
      '<title>Flywheel growth report — March 2026</title>',
      '268',
      '×1.10',
      'On track',
      'Key accounts, last 24 months',
      'Movements',
      'New (26)',
      'Reactivated (2)',
      'Churned (3)',
      'Near-KA pipeline (46)',
      'production nodes across all accounts',
      'unattributed nodes',
      'Most Valuable Evangelist',
      'Newly reached this month',
      'One step away',
      'Talks (3)',
      'Recognised content (3)',
      'champion coverage',
      'Figures computed 2026-04-01 02:00 UTC',
    ];
    const positions = sections.map((text) => html.indexOf(text));
    for (const [i, text] of sections.entries()) expect(positions[i], text).toBeGreaterThan(-1);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('links content with its URL and escapes names', async () => {
    expect(html).toContain('href="https://blog.example.com/p99"');
    const input = sampleReportInput();
    const [first, ...rest] = input.accounts;
    const hostile = {
      ...first,
      accountId: 'x',
      name: '<script>alert(1)</script>',
      status: 'new' as const,
      productionNodes: 9999,
    };
    const page = await renderReportHtml(reportModel({ ...input, accounts: [hostile, ...rest] }));
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>');
  });

  it('says so when a list is empty, and why there is no pace', async () => {
    const page = await renderReportHtml(quietMonth());
    expect(page).toContain('No new key accounts this month.');
    expect(page).toContain('No talks this month.');
    expect(page).toContain('Nobody new.');
    expect(page).toContain('No target pace');
    expect(page).toContain('December 2025 had no key accounts to set a target from.');
    expect(page).toContain('Telemetry may be incomplete');
  });
});

describe('renderReportText', () => {
  const text = renderReportText(sample());

  it('opens with the subject and the headline', () => {
    expect(text.split('\n').slice(0, 6)).toEqual([
      'Flywheel growth report — March 2026',
      '===================================',
      '',
      '268 key accounts in March 2026',
      '  ×1.10 month over month · ×3.23 year over year · ×1.35 year to date',
      '  On track: 6 KAs ahead of pace (262 KAs needed in March)',
    ]);
  });

  it('lists accounts with right-aligned nodes within 72 columns', () => {
    const accountLines = text.split('\n').filter((line) => / nodes$/.test(line));
    expect(accountLines.length).toBeGreaterThan(20);
    for (const line of accountLines) expect(line.length).toBe(72);
    expect(text).toContain('…and 11 more in the attached CSV.');
  });

  it('draws the 24-month trend as one row a month', () => {
    expect(text).toMatch(/^ {2}April 2024 +\d+ {2}█+/m);
    expect(text).toMatch(/^ {2}March 2026 +268 {2}█+/m);
    expect(text).toContain('(| marks the target pace)');
  });

  it('names members, content and the champion coverage', () => {
    expect(text).toContain('Grace Hopper (Oscorp Bank)');
    expect(text).toContain('https://www.youtube.com/watch?v=flywheel-kubecon');
    expect(text).toContain('62% of key accounts have an active community champion (166 of 268).');
    expect(text).toContain('Recalculated since the last report: January 2026, February 2026.');
  });

  it('cuts a long name, never the node count', () => {
    const input = sampleReportInput();
    const long = {
      accountId: 'long',
      name: 'A'.repeat(90),
      productionNodes: 12345,
      status: 'new' as const,
    };
    const line = renderReportText(reportModel({ ...input, accounts: [long] }))
      .split('\n')
      .find((l) => l.includes('12,345 nodes'));
    expect(line).toMatch(/^ {2}A+… \. 12,345 nodes$/);
    expect(line?.length).toBe(72);
  });

  it('has no HTML in it', () => {
    expect(text).not.toMatch(/<[a-z]/i);
  });

  it('says so when a list is empty', () => {
    const quiet = renderReportText(quietMonth());
    expect(quiet).toContain('No target pace: December 2025 had no key accounts');
    expect(quiet).toContain('No key account dropped out this month.');
    expect(quiet).toContain('Telemetry may be incomplete: the last snapshot arrived never.');
  });
});
