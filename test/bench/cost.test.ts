import { describe, expect, it } from 'vitest';
import { costTableMarkdown, type MeasuredUnits, monthlyCost } from '../../bench/cost.js';

const units: MeasuredUnits = {
  wruPerEvent: 2,
  wruPerActivity: 3,
  runRruPerCluster: 0.05,
  runWruPerCluster: 0.1,
  runSecondsPerCluster: 0.0001,
  communityRruPerMember: 0.02,
  communityWruPerMember: 0.001,
  communitySecondsPerMember: 0.00001,
  communityRruPerActivityRead: 0.03,
  communitySecondsPerActivityRead: 0.0002,
  communityRruPerChange: 0.5,
  communityWruPerChange: 4,
  communitySecondsPerChange: 0.001,
  ingestSecondsPerEvent: 0.01,
};

describe('the monthly cost table', () => {
  it('adds up the README formula at 100,000 clusters, worked by hand', () => {
    const row = monthlyCost(100_000, units);
    // 3,040,000 events × 2 + 250,000 activities × 3 + 100,000 named accounts + 30.4 runs ×
    // (100,000 clusters × 0.1 + 1,000,000 members × 0.001 + 250,000 / 30.4 changes × 4).
    expect(row.wru).toBeCloseTo(
      6_080_000 + 750_000 + 100_000 + 30.4 * (10_000 + 1_000 + (250_000 / 30.4) * 4),
      3,
    );
    // 30.4 runs × (100,000 × 0.05 + 1,000,000 members × 0.02 + the month's 250,000 activities
    // × 0.03 + 250,000 / 30.4 changes × 0.5).
    expect(row.rru).toBeCloseTo(30.4 * (5_000 + 20_000 + 7_500 + (250_000 / 30.4) * 0.5), 3);
    // 12 × (3,040,000 × 400 + 100,000 × 300 + 250,000 × 900) + 100,000 × 120 bytes.
    expect(row.storageGb).toBeCloseTo(
      (12 * (1_216_000_000 + 30_000_000 + 225_000_000) + 12_000_000) / 1e9,
      9,
    );
    // 3,040,000 × 0.01 s × 1 GB + 30.4 × (10 s + 10 s + 50 s + 250,000 / 30.4 × 0.001 s) × 5 GB
    // (the ingest and recalculate functions' memory in lambdas/system.ts).
    expect(row.gbSeconds).toBeCloseTo(
      30_400 + 30.4 * (10 + 10 + 50 + (250_000 / 30.4) * 0.001) * 5,
      6,
    );
    expect(row.apiRequests).toBeCloseTo(3_040 + 500 + 1_000, 9);
    const { total, ...parts } = row.dollars;
    expect(total).toBeCloseTo(
      Object.values(parts).reduce((a, b) => a + b, 0),
      9,
    );
    expect(row.dollars.writes).toBeCloseTo((row.wru / 1e6) * 0.625, 9);
  });

  it('prints one Markdown row per scale of the issue: 30k, 300k and 1M clusters', () => {
    const lines = costTableMarkdown(units);
    expect(lines).toHaveLength(5);
    expect(lines.slice(2).map((line) => line.split(' | ')[0])).toEqual([
      '| 30,000',
      '| 300,000',
      '| 1,000,000',
    ]);
  });
});
